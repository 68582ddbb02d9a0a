"""Date pickers keep their value on an edit page in every language."""

import datetime

import pytest
from django.utils import translation

from config.forms import DatePicker, DateTimePicker


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pickers_render_iso_values(language):
    with translation.override(language):
        assert 'value="2026-01-01"' in DatePicker().render("d", datetime.date(2026, 1, 1))
        rendered = DateTimePicker().render("d", datetime.datetime(2026, 1, 1, 9, 30))
        assert 'value="2026-01-01T09:30"' in rendered and 'type="datetime-local"' in rendered


@pytest.mark.django_db
def test_policy_edit_page_shows_the_validity_dates(client):
    from tests.factories import PolicyFactory

    policy = PolicyFactory()
    client.force_login(policy.created_by)
    with translation.override("zh-hans"):
        page = client.get(f"/policies/{policy.pk}/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert 'value="2026-01-01"' in page.content.decode()
