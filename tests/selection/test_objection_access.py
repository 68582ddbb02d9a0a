"""Filing an objection: an outsider cannot tell which application ids exist."""

import re

import pytest
from django.urls import reverse

from selection.models import Objection
from tests.factories import EnterpriseFactory, UserFactory, region
from tests.selection.helpers import make_round, ready_application
from tests.selection.test_tiering import confirmed_round

pytestmark = pytest.mark.django_db
# Parts of any page that differ per render or echo the address: CSRF masks, the "next" field.
PER_REQUEST = re.compile(rb'"X-CSRFToken": "[^"]*"|name="(csrfmiddlewaretoken|next)"[^>]*>')
REASON = "该企业近三年研发费用数据与年报明显不符。"


def file(client, application_pk):
    url = reverse("selection:objection-file", args=[application_pk])
    return client.post(url, {"reason": REASON})


def test_objection_file_on_a_noticed_result_is_filed(client):
    _round, apps = confirmed_round()
    target = next(a for a in apps if a.proposed_tier)
    citizen = UserFactory(role="enterprise")
    client.force_login(citizen)

    response = file(client, target.pk)

    assert response.status_code == 302
    assert response["Location"] == reverse("selection:public-notice")
    assert list(Objection.objects.values_list("application", "filed_by")) == [
        (target.pk, citizen.pk)
    ]


def test_objection_file_existing_and_missing_ids_answer_the_same_404(client):
    _noticed_round, apps = confirmed_round()
    open_round = make_round(region_code="110000")
    beijing_firm = EnterpriseFactory(region=region("110000"))
    not_on_notice, _member = ready_application(
        open_round, enterprise=beijing_firm
    )  # open, not noticed
    missing = max(a.pk for a in (*apps, not_on_notice)) + 1000
    client.force_login(UserFactory(role="enterprise"))

    responses = {pk: file(client, pk) for pk in (not_on_notice.pk, missing)}

    assert {pk: r.status_code for pk, r in responses.items()} == dict.fromkeys(responses, 404)
    # The same page, byte for byte, once the per-request parts are set aside.
    bodies = {PER_REQUEST.sub(b"", r.content) for r in responses.values()}
    assert len(bodies) == 1
    assert not Objection.objects.exists()


def test_objection_file_anonymous_is_sent_to_login_for_any_id(client):
    _round, apps = confirmed_round()
    target = next(a for a in apps if a.proposed_tier)

    noticed, missing = file(client, target.pk), file(client, target.pk + 1000)

    assert noticed.status_code == missing.status_code == 302
    assert noticed["Location"].startswith(reverse("login"))
    assert missing["Location"].startswith(reverse("login"))
    assert not Objection.objects.exists()
