"""Staff cannot move an enterprise out of their jurisdiction: it becomes a transfer request
that the receiving jurisdiction's staff accept or reject."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from registry.models import Enterprise, TransferRequest
from registry.services import transfers, update_enterprise
from registry.signals import facts_changed
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    EnterpriseFactory,
    RegistryEntryFactory,
    UserFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db
OTHER_ROLES = [Role.PANELIST, Role.INSTITUTION, Role.PROVIDER, Role.PUBLISHER]


@pytest.fixture
def world():
    enterprise = EnterpriseFactory(name="杭州迁移数科有限公司", region=region("330100"))
    return {
        "enterprise": enterprise,
        "member": enterprise_user(enterprise),
        "hangzhou": BureauUserFactory(region=region("330100")),
        "ningbo": BureauUserFactory(region=region("330200")),
        "zhejiang": BureauUserFactory(region=region("330000")),
        "beijing": BureauUserFactory(region=region("110000")),
        "shanghai": BureauUserFactory(region=region("310000")),
    }


def requested(world, to="330200"):
    update_enterprise(
        world["enterprise"], actor=world["hangzhou"], region=region(to), transfer_reason="已迁址"
    )
    return TransferRequest.objects.get()


def test_staff_moving_out_of_their_jurisdiction_make_a_request(world):
    enterprise = update_enterprise(
        world["enterprise"], actor=world["hangzhou"], region=region("330200"), size="medium",
        transfer_reason="企业已迁至宁波",
    )  # fmt: skip
    assert (enterprise.region.code, enterprise.size) == ("330100", "medium")
    transfer = TransferRequest.objects.get()
    assert (transfer.from_region.code, transfer.to_region.code, transfer.status) == (
        "330100", "330200", "pending"
    )  # fmt: skip
    assert transfer.requested_by == world["hangzhou"]
    assert Notification.objects.filter(recipient=world["ningbo"]).exists()
    assert Notification.objects.filter(recipient=world["zhejiang"]).exists()
    assert not Notification.objects.filter(recipient=world["beijing"]).exists()
    assert AuditEvent.objects.filter(action="transfer.requested", enterprise=enterprise).exists()


def test_a_request_needs_a_reason_and_nothing_changes_without_one(world):
    with pytest.raises(DomainError, match="迁移说明"):
        update_enterprise(
            world["enterprise"], actor=world["hangzhou"], region=region("330200"), size="medium"
        )
    enterprise = Enterprise.objects.get(pk=world["enterprise"].pk)
    assert (enterprise.region.code, enterprise.size) == ("330100", "small")
    assert not TransferRequest.objects.exists()


def test_moving_within_the_jurisdiction_applies_at_once(world):
    moved = update_enterprise(world["enterprise"], actor=world["zhejiang"], region=region("330200"))
    assert moved.region.code == "330200"
    assert not TransferRequest.objects.exists()


@pytest.mark.parametrize("status", ["unverified", "returned"])
def test_a_member_moving_an_enterprise_not_yet_in_care_applies_at_once(world, status):
    Enterprise.objects.filter(pk=world["enterprise"].pk).update(verification_status=status)
    enterprise = Enterprise.objects.get(pk=world["enterprise"].pk)
    moved = update_enterprise(enterprise, actor=world["member"], region=region("110000"))
    assert moved.region.code == "110000"
    assert not TransferRequest.objects.exists()


@pytest.mark.parametrize("status", ["verified", "submitted", "resubmitted"])
def test_a_member_cannot_move_an_enterprise_in_care_without_a_request(world, status):
    Enterprise.objects.filter(pk=world["enterprise"].pk).update(verification_status=status)
    enterprise = Enterprise.objects.get(pk=world["enterprise"].pk)
    with pytest.raises(DomainError, match="须提交迁移申请") as refused:
        update_enterprise(enterprise, actor=world["member"], region=region("110000"), size="medium")
    assert refused.value.field == "transfer_reason"
    unchanged = Enterprise.objects.get(pk=enterprise.pk)
    assert (unchanged.region.code, unchanged.size) == ("330100", enterprise.size)
    assert not TransferRequest.objects.exists()


def test_a_member_moving_an_admitted_unverified_enterprise_needs_a_request(world):
    RegistryEntryFactory(enterprise=world["enterprise"])
    Enterprise.objects.filter(pk=world["enterprise"].pk).update(verification_status="returned")
    enterprise = Enterprise.objects.get(pk=world["enterprise"].pk)
    with pytest.raises(DomainError, match="须提交迁移申请"):
        update_enterprise(enterprise, actor=world["member"], region=region("110000"))
    assert Enterprise.objects.get(pk=enterprise.pk).region.code == "330100"


def test_a_member_moving_a_verified_enterprise_makes_a_request(world):
    moved = update_enterprise(
        world["enterprise"], actor=world["member"], region=region("110000"),
        transfer_reason="已迁至北京",
    )  # fmt: skip
    assert moved.region.code == "330100"
    transfer = TransferRequest.objects.get()
    assert (transfer.from_region.code, transfer.to_region.code, transfer.status) == (
        "330100", "110000", "pending"
    )  # fmt: skip
    assert (transfer.requested_by, transfer.reason) == (world["member"], "已迁至北京")
    assert Notification.objects.filter(recipient=world["beijing"]).exists()
    accepted = transfers.accept_transfer(transfer, actor=world["beijing"])
    assert accepted.status == "accepted"
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "110000"


def test_a_member_moving_a_verified_enterprise_over_the_api_is_refused(world):
    api = APIClient()
    api.force_authenticate(world["member"])
    response = api.patch(
        f"/api/v1/enterprises/{world['enterprise'].pk}/", {"region": "110000"}, format="json"
    )
    assert response.status_code == 400
    assert "须提交迁移申请" in response.json()["errors"]["transfer_reason"][0]
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "330100"
    assert not TransferRequest.objects.exists()


def test_one_pending_request_at_a_time(world):
    requested(world)
    with pytest.raises(DomainError, match="待处理的辖区迁移申请"):
        requested(world, to="310000")
    assert TransferRequest.objects.count() == 1


@pytest.mark.parametrize("who", ["ningbo", "zhejiang"])
def test_receiving_staff_accept_and_the_region_changes(world, who):
    transfer = requested(world)
    announced = []

    def receiver(sender, enterprise_ids, **kwargs):
        announced.append(enterprise_ids)

    facts_changed.connect(receiver)
    try:
        accepted = transfers.accept_transfer(transfer, actor=world[who])
    finally:
        facts_changed.disconnect(receiver)
    assert (accepted.status, accepted.decided_by) == ("accepted", world[who])
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "330200"
    assert announced == [[world["enterprise"].pk]]
    event = AuditEvent.objects.get(action="enterprise.updated", enterprise=world["enterprise"])
    assert event.after == {"region": region("330200").pk}
    assert Notification.objects.filter(recipient=world["member"]).exists()


@pytest.mark.parametrize("who", ["hangzhou", "beijing", "member"])
def test_others_cannot_accept(world, who):
    transfer = requested(world)
    with pytest.raises(DomainError, match="迁入地"):
        transfers.accept_transfer(transfer, actor=world[who])
    assert TransferRequest.objects.get().status == "pending"
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "330100"


def test_reject_needs_a_reason_and_leaves_the_region(world):
    transfer = requested(world)
    with pytest.raises(DomainError, match="填写理由"):
        transfers.reject_transfer(transfer, actor=world["ningbo"], reason="")
    rejected = transfers.reject_transfer(transfer, actor=world["ningbo"], reason="未见迁址证明")
    assert (rejected.status, rejected.decision_reason) == ("rejected", "未见迁址证明")
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "330100"
    assert Notification.objects.filter(recipient=world["hangzhou"], body="未见迁址证明").exists()
    with pytest.raises(DomainError, match="不能再处理"):
        transfers.accept_transfer(rejected, actor=world["ningbo"])


# --- pages -----------------------------------------------------------------


def test_edit_page_turns_the_move_into_a_request(world, client):
    enterprise = world["enterprise"]
    client.force_login(world["hangzhou"])
    form = client.get(reverse("registry:enterprise-edit", args=[enterprise.pk]))
    assert "transfer_reason" in form.content.decode()
    data = {
        "name": enterprise.name, "region": region("330200").pk, "industry": enterprise.industry,
        "category": enterprise.category, "founded_on": "2020-05-01", "size": "small",
        "listing_status": "unlisted", "contact_name": "张敏", "contact_phone": "01062345678",
        "transfer_reason": "已迁至宁波",
    }  # fmt: skip
    response = client.post(
        reverse("registry:enterprise-edit", args=[enterprise.pk]), data, follow=True
    )
    assert "已提交迁移申请" in response.content.decode()
    assert Enterprise.objects.get(pk=enterprise.pk).region.code == "330100"
    assert TransferRequest.objects.get().reason == "已迁至宁波"


def test_members_edit_page_of_an_unverified_enterprise_has_no_transfer_reason(world, client):
    Enterprise.objects.filter(pk=world["enterprise"].pk).update(verification_status="unverified")
    client.force_login(world["member"])
    form = client.get(reverse("registry:enterprise-edit", args=[world["enterprise"].pk]))
    assert "transfer_reason" not in form.content.decode()


def test_members_edit_page_refuses_a_move_without_a_request(world, client):
    enterprise = world["enterprise"]
    client.force_login(world["member"])
    address = reverse("registry:enterprise-edit", args=[enterprise.pk])
    assert "transfer_reason" in client.get(address).content.decode()
    data = {
        "name": enterprise.name, "region": region("110000").pk, "industry": enterprise.industry,
        "category": enterprise.category, "founded_on": "2020-05-01", "size": "small",
        "listing_status": "unlisted", "contact_name": "张敏", "contact_phone": "01062345678",
    }  # fmt: skip
    refused = client.post(address, data)
    assert refused.status_code == 200
    assert "须提交迁移申请" in refused.context["form"].errors["transfer_reason"][0]
    assert Enterprise.objects.get(pk=enterprise.pk).region.code == "330100"
    assert not TransferRequest.objects.exists()
    done = client.post(address, {**data, "transfer_reason": "已迁至北京"}, follow=True)
    assert "已提交迁往" in done.content.decode()
    assert Enterprise.objects.get(pk=enterprise.pk).region.code == "330100"
    assert TransferRequest.objects.get().reason == "已迁至北京"


def test_list_shows_incoming_to_receivers_and_outgoing_to_requesters(world, client):
    transfer = requested(world)
    decide = reverse("registry:transfer-decide", args=[transfer.pk])
    client.force_login(world["ningbo"])
    body = client.get(reverse("registry:transfer-list")).content.decode()
    assert world["enterprise"].name in body and decide in body
    client.force_login(world["hangzhou"])
    assert (
        world["enterprise"].name
        not in client.get(reverse("registry:transfer-list")).content.decode()
    )
    body = client.get(reverse("registry:transfer-list"), {"direction": "out"}).content.decode()
    assert world["enterprise"].name in body and decide not in body
    client.force_login(world["beijing"])
    for direction in ("in", "out"):
        body = client.get(reverse("registry:transfer-list"), {"direction": direction})
        assert world["enterprise"].name not in body.content.decode()


def test_decision_through_the_page(world, client):
    transfer = requested(world)
    client.force_login(world["ningbo"])
    client.post(reverse("registry:transfer-decide", args=[transfer.pk]), {"decision": "accept"})
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "330200"


def test_who_must_not_decide_gets_404_403_or_302(world, client):
    transfer = requested(world)
    url = reverse("registry:transfer-decide", args=[transfer.pk])
    for user, status in [(world["beijing"], 404), (world["shanghai"], 404),
                         (world["hangzhou"], 403), (world["member"], 403)]:  # fmt: skip
        client.force_login(user)
        assert client.post(url, {"decision": "accept"}).status_code == status
    for role in OTHER_ROLES:
        client.force_login(UserFactory(role=role))
        assert client.post(url, {"decision": "accept"}).status_code == 404
        assert client.get(reverse("registry:transfer-list")).status_code == 403
    client.force_login(world["member"])
    assert client.get(reverse("registry:transfer-list")).status_code == 403
    client.logout()
    assert client.post(url, {"decision": "accept"}).status_code == 302
    assert client.get(reverse("registry:transfer-list")).status_code == 302
    assert TransferRequest.objects.get().status == "pending"


# --- API -------------------------------------------------------------------


def test_api_patch_makes_a_request_and_receivers_accept(world):
    api = APIClient()
    enterprise = world["enterprise"]
    api.force_authenticate(world["hangzhou"])
    response = api.patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"region": "310000", "transfer_reason": "迁至上海"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["region"] == "330100"
    transfer = TransferRequest.objects.get()
    url = f"/api/v1/transfer-requests/{transfer.pk}/accept/"
    api.force_authenticate(world["beijing"])
    assert api.post(url).status_code == 404
    api.force_authenticate(world["hangzhou"])
    assert api.post(url).status_code == 403
    api.force_authenticate(world["shanghai"])
    assert api.get("/api/v1/transfer-requests/").json()["count"] == 1
    assert api.post(url).json()["status"] == "accepted"
    assert Enterprise.objects.get(pk=enterprise.pk).region.code == "310000"


def test_api_patch_without_reason_is_refused(world):
    api = APIClient()
    api.force_authenticate(world["hangzhou"])
    response = api.patch(
        f"/api/v1/enterprises/{world['enterprise'].pk}/", {"region": "310000"}, format="json"
    )
    assert response.status_code == 400 and "迁移说明" in response.json()["detail"]
    assert not TransferRequest.objects.exists()


def test_api_lists_nothing_to_other_roles(world):
    requested(world)
    api = APIClient()
    stranger = enterprise_user(EnterpriseFactory(region=region("330100")))
    users = [world["member"], stranger, AdminUserFactory()]
    for user in users + [UserFactory(role=r) for r in OTHER_ROLES]:
        api.force_authenticate(user)
        count = api.get("/api/v1/transfer-requests/").json()["count"]
        assert count == (1 if user.is_admin or user == world["member"] else 0)


def test_transfer_list_and_api_query_budget(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    requested(world)
    client.force_login(world["ningbo"])
    api = APIClient()
    api.force_authenticate(world["ningbo"])
    url = reverse("registry:transfer-list")
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(url).context["page"]) == 1
    with CaptureQueriesContext(connection) as api_one:
        assert api.get("/api/v1/transfer-requests/").json()["count"] == 1
    for _n in range(12):
        update_enterprise(
            EnterpriseFactory(region=region("330100")), actor=world["hangzhou"],
            region=region("330200"), transfer_reason="迁址",
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(url).context["page"]) == 13
    with CaptureQueriesContext(connection) as api_many:
        assert api.get("/api/v1/transfer-requests/").json()["count"] == 13
    assert len(many) == len(one)
    assert len(api_many) == len(api_one)


def _member_request(world, reason="已迁至北京"):
    update_enterprise(
        world["enterprise"], actor=world["member"], region=region("110000"),
        transfer_reason=reason,
    )  # fmt: skip
    return TransferRequest.objects.get(status="pending")


def test_member_follows_the_request_on_its_page_and_withdraws_it(world, client):
    transfer = _member_request(world)
    client.force_login(world["member"])
    detail = reverse("registry:enterprise-detail", args=[world["enterprise"].pk])
    page = client.get(detail).content.decode()
    assert 'id="transfers"' in page and "已迁至北京" in page and "撤回申请" in page
    # A stranger cannot withdraw it (404); Beijing's staff decide, they do not withdraw (403).
    stranger = enterprise_user(EnterpriseFactory(region=region("330100")))
    url = reverse("registry:transfer-withdraw", args=[transfer.pk])
    for user, code in ((stranger, 404), (world["beijing"], 403)):
        client.force_login(user)
        assert client.post(url).status_code == code
    assert TransferRequest.objects.get().status == "pending"
    client.force_login(world["member"])
    assert client.post(url).status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == ("withdrawn", world["member"])
    assert Enterprise.objects.get(pk=world["enterprise"].pk).region.code == "330100"
    assert AuditEvent.objects.filter(action="transfer.withdrawn").count() == 1
    assert Notification.objects.filter(recipient=world["beijing"], title__contains="撤回").exists()
    assert "撤回申请" not in client.get(detail).content.decode()
    # Withdrawn, a new request may be made; a decided one cannot be withdrawn.
    again = _member_request(world, "重新申请")
    transfers.accept_transfer(again, actor=world["beijing"])
    with pytest.raises(DomainError, match="不能再撤回"):
        transfers.withdraw_transfer(again, actor=world["member"])


def test_staff_who_asked_withdraw_over_the_api_and_members_are_told_on_their_page(world):
    transfer = requested(world)
    api = APIClient()
    api.force_authenticate(world["ningbo"])
    assert api.post(f"/api/v1/transfer-requests/{transfer.pk}/withdraw/").status_code == 403
    api.force_authenticate(world["hangzhou"])
    answer = api.post(f"/api/v1/transfer-requests/{transfer.pk}/withdraw/")
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    # A rejection reaches a member who asked with a link to the enterprise's page (the
    # transfer queue is staff-only).
    rejected = _member_request(world)
    transfers.reject_transfer(rejected, actor=world["beijing"], reason="材料不全")
    told = Notification.objects.get(recipient=world["member"], title__contains="被拒绝")
    assert told.url.endswith(f"/enterprises/{world['enterprise'].pk}/#transfers")


def test_admin_reads_transfers_and_documents_but_changes_nothing(world, client):
    transfer = requested(world)
    client.force_login(AdminUserFactory(is_superuser=True))
    listed = client.get(reverse("admin:registry_transferrequest_changelist"))
    assert listed.status_code == 200 and world["enterprise"].name in listed.content.decode()
    change = reverse("admin:registry_transferrequest_change", args=[transfer.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"status": "accepted"})
    assert TransferRequest.objects.get().status == "pending"
    documents = client.get(reverse("admin:registry_enterprisedocument_changelist"))
    assert documents.status_code == 200
    assert client.get(reverse("admin:registry_enterprisedocument_add")).status_code == 403
    client.force_login(world["hangzhou"])
    assert client.get(reverse("admin:registry_transferrequest_changelist")).status_code == 302
