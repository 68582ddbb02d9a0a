"""Text bound for a CharField that reaches a service without a form (a page posting
request.POST on, an API action) is refused whole, with one sentence, on SQLite (which does
not enforce max_length) and PostgreSQL (which would fail the request) alike
(config.text_limits.fit_text)."""

import datetime

import pytest
from django.urls import reverse

from config.errors import DomainError
from policies.models import PolicyGrant
from policies.services import lifecycle
from registry.models import EnterpriseRecord
from registry.services import records
from tests.factories import (
    BureauUserFactory,
    PolicyFactory,
    enterprise_user,
    region,
    registry_enterprise,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    enterprise = registry_enterprise("330100", name="限长数科")
    staff = BureauUserFactory(region=region("330100"))
    added = records.add_record(
        enterprise, actor=staff, kind="dishonesty", occurred_on=datetime.date(2026, 2, 1),
        source="信用中国",
    )  # fmt: skip
    return added, staff


def test_an_over_long_revoke_reason_posted_on_the_page_is_refused_whole(client, record):
    added, staff = record
    client.force_login(staff)
    response = client.post(
        reverse("registry:record-revoke", args=[added.pk]), {"reason": "理" * 301}, follow=True
    )
    assert "撤销原因最多 300 个字，现为 301 个字。" in response.content.decode()
    unchanged = EnterpriseRecord.objects.get(pk=added.pk)
    assert (unchanged.revoked_at, unchanged.revoke_reason) == (None, "")


def test_a_revoke_reason_at_the_limit_is_kept_whole(record):
    added, staff = record
    revoked = records.revoke_record(added, actor=staff, reason="理" * 300)
    assert EnterpriseRecord.objects.get(pk=revoked.pk).revoke_reason == "理" * 300


@pytest.fixture
def grant(django_capture_on_commit_callbacks):
    zhejiang = BureauUserFactory(region=region("330000"))
    enterprise = registry_enterprise("330100", name="兑现数科")
    policy = PolicyFactory(created_by=zhejiang, title="限长政策")
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.publish_policy(policy, actor=zhejiang)
    return PolicyGrant.objects.get(policy=policy, enterprise=enterprise), zhejiang


def test_an_over_long_decline_reason_is_refused_and_nothing_changes(grant):
    found, _staff = grant
    member = enterprise_user(found.enterprise)
    with pytest.raises(DomainError) as refused:
        lifecycle.decline_grant(found, actor=member, reason="因" * 301)
    assert str(refused.value) == "放弃原因最多 300 个字，现为 301 个字。"
    assert refused.value.field == "reason"
    unchanged = PolicyGrant.objects.get(pk=found.pk)
    assert (unchanged.status, unchanged.decline_reason) == (found.status, "")


def test_an_over_long_delivery_note_over_the_api_is_a_400_beside_the_field(grant, client):
    found, staff = grant
    client.force_login(staff)
    response = client.post(
        f"/api/v1/policy-grants/{found.pk}/deliver/",
        {"note": "注" * 301},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["note"]
    assert PolicyGrant.objects.get(pk=found.pk).delivery_note == ""


def test_an_over_long_delivery_note_is_refused_not_cut(grant):
    found, staff = grant
    with pytest.raises(DomainError, match="兑现说明最多 300 个字，现为 301 个字。"):
        lifecycle.deliver_grant(found, actor=staff, note="注" * 301)
    unchanged = PolicyGrant.objects.get(pk=found.pk)
    assert (unchanged.status, unchanged.delivery_note) == (found.status, "")
