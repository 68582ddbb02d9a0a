"""Data-resource registration (数据资源登记): states, codes, notice, history, access."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from resources.models import (
    NOTICE_DAYS,
    DataResource,
    DataResourceRevision,
    RegistrationCodeSequence,
)
from resources.services import changes
from resources.services import registration as svc
from tests.factories import (
    BureauUserFactory,
    DataResourceFactory,
    EnterpriseFactory,
    UserFactory,
    enterprise_user,
    region,
    resource_values,
)

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^SJZY-330100-(\d{4})-(\d{6})$")


@pytest.fixture
def enterprise():
    return EnterpriseFactory(name="杭州澄江数智科技有限公司", region=region("330100"))


@pytest.fixture
def member(enterprise):
    return enterprise_user(enterprise)


@pytest.fixture
def staff():
    return BureauUserFactory(region=region("330000"))


def noticed(resource, staff):
    resource = svc.accept_resource(resource, actor=staff)
    resource = svc.review_resource(resource, actor=staff, note="材料齐全")
    return svc.publish_notice(resource, actor=staff)


def notice_over(resource):
    """Move the notice window into the past, as if NOTICE_DAYS had gone by."""
    start = timezone.localdate() - datetime.timedelta(days=NOTICE_DAYS)
    DataResource.objects.filter(pk=resource.pk).update(
        notice_starts_on=start, notice_ends_on=start + datetime.timedelta(days=NOTICE_DAYS - 1)
    )
    resource.refresh_from_db()
    return resource


def coded(resource, staff):
    return svc.code_resource(notice_over(noticed(resource, staff)), actor=staff)


def state(resource):
    """Everything a refused action must leave alone."""
    row = DataResource.objects.get(pk=resource.pk)
    return (
        row.status,
        row.code,
        row.notice_ends_on,
        svc.snapshot(row),
        DataResourceRevision.objects.filter(resource=row).count(),
        AuditEvent.objects.count(),
    )


# --- the path -------------------------------------------------------------------------


def test_whole_path_from_application_to_code(enterprise, member, staff):
    resource = svc.apply_resource(enterprise, actor=member, values=resource_values())
    assert resource.status == "applied" and resource.applied_by == member
    assert resource.sources == ["self_collected", "public_authorised"]
    assert Notification.objects.filter(recipient=staff, title__contains="城市交通出行轨迹数据集")
    resource = svc.accept_resource(resource, actor=staff)
    assert resource.status == "accepted"
    resource = svc.review_resource(resource, actor=staff, note="材料齐全")
    assert resource.status == "reviewed"
    today = timezone.localdate()
    resource = svc.publish_notice(resource, actor=staff)
    assert resource.status == "noticed"
    assert resource.notice_starts_on == today
    assert resource.notice_ends_on == today + datetime.timedelta(days=6)
    resource = svc.code_resource(notice_over(resource), actor=staff)
    assert resource.status == "coded"
    assert resource.code == f"SJZY-330100-{today.year}-000001"
    assert resource.coded_at is not None
    assert Notification.objects.filter(recipient=member, body=f"登记编号：{resource.code}").exists()
    actions = list(
        AuditEvent.objects.filter(object_id=str(resource.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "data_resource.applied",
        "data_resource.accepted",
        "data_resource.reviewed",
        "data_resource.noticed",
        "data_resource.coded",
    ]


def test_returned_application_is_corrected_and_resubmitted(enterprise, member, staff):
    resource = svc.apply_resource(enterprise, actor=member, values=resource_values())
    with pytest.raises(DomainError, match="退回原因"):
        svc.return_resource(resource, actor=staff, reason="  ")
    returned = svc.return_resource(resource, actor=staff, reason="数据规模与说明不一致")
    assert returned.status == "returned"
    assert Notification.objects.filter(recipient=member, body="数据规模与说明不一致").exists()
    again = svc.resubmit_resource(
        returned, actor=member, values=resource_values(volume="980", volume_unit="gb")
    )
    assert again.status == "applied"
    assert str(DataResource.objects.get(pk=resource.pk).volume) == "980.00"


def test_rejection_is_final(enterprise, member, staff):
    resource = svc.apply_resource(enterprise, actor=member, values=resource_values())
    rejected = svc.reject_resource(resource, actor=staff, reason="非本企业持有的数据")
    assert rejected.status == "rejected"
    before = state(resource)
    for action in (svc.accept_resource, svc.review_resource, svc.publish_notice):
        with pytest.raises(DomainError, match="不予登记"):
            action(resource, actor=staff)
    assert state(resource) == before


@pytest.mark.parametrize(
    ("start", "action"),
    [
        ("applied", "review_resource"),
        ("applied", "publish_notice"),
        ("applied", "code_resource"),
        ("applied", "cancel_resource"),
        ("accepted", "accept_resource"),
        ("accepted", "code_resource"),
        ("reviewed", "code_resource"),
        ("coded", "accept_resource"),
        ("coded", "publish_notice"),
        ("coded", "return_resource"),
        ("coded", "reject_resource"),
        ("returned", "accept_resource"),
        ("returned", "return_resource"),
        ("rejected", "return_resource"),
        ("cancelled", "code_resource"),
        ("cancelled", "cancel_resource"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(enterprise, staff, start, action):
    resource = DataResourceFactory(enterprise=enterprise, status=start)
    before = state(resource)
    needs_reason = action in ("return_resource", "reject_resource", "cancel_resource")
    kwargs = {"reason": "理由"} if needs_reason else {}
    with pytest.raises(DomainError, match="不能变更为"):
        getattr(changes if action == "cancel_resource" else svc, action)(
            resource, actor=staff, **kwargs
        )
    assert state(resource) == before
    assert not RegistrationCodeSequence.objects.filter(last__gt=0).exists()


def test_coding_is_refused_during_the_notice_period(enterprise, staff):
    resource = noticed(DataResourceFactory(enterprise=enterprise), staff)
    before = state(resource)
    with pytest.raises(DomainError, match="公示期满后才能赋码"):
        svc.code_resource(resource, actor=staff)
    # On the last day of the notice it is still refused; the day after, it is allowed.
    DataResource.objects.filter(pk=resource.pk).update(notice_ends_on=timezone.localdate())
    with pytest.raises(DomainError, match="公示期满后才能赋码"):
        svc.code_resource(resource, actor=staff)
    assert state(resource)[0:2] == before[0:2] == ("noticed", None)
    assert not RegistrationCodeSequence.objects.exists()
    DataResource.objects.filter(pk=resource.pk).update(
        notice_ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert svc.code_resource(resource, actor=staff).status == "coded"


def test_code_is_given_once_in_sequence_per_region_and_year(enterprise, staff):
    year = timezone.localdate().year
    first = coded(DataResourceFactory(enterprise=enterprise), staff)
    second = coded(DataResourceFactory(enterprise=enterprise), staff)
    other_city = coded(
        DataResourceFactory(enterprise=EnterpriseFactory(region=region("330200"))), staff
    )
    assert first.code == f"SJZY-330100-{year}-000001"
    assert second.code == f"SJZY-330100-{year}-000002"
    assert other_city.code == f"SJZY-330200-{year}-000001"
    assert CODE_RE.match(first.code)
    with pytest.raises(DomainError, match="不能变更为"):
        svc.code_resource(first, actor=staff)
    assert DataResource.objects.get(pk=first.pk).code == first.code
    assert RegistrationCodeSequence.objects.get(region_code="330100", year=year).last == 2


def test_code_is_unique_in_the_database(enterprise):
    from django.db import IntegrityError

    now = timezone.now()
    DataResourceFactory(enterprise=enterprise, status="coded", code="SJZY-330100-2026-000001",
                        coded_at=now)  # fmt: skip
    with pytest.raises(IntegrityError):
        DataResourceFactory(enterprise=enterprise, status="coded", code="SJZY-330100-2026-000001",
                            coded_at=now)  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_codings_get_different_codes():
    from django.db import connections

    enterprise = EnterpriseFactory(region=region("330100"))
    staff = BureauUserFactory(region=region("330100"))
    resources = [notice_over(noticed(DataResourceFactory(enterprise=enterprise), staff))
                 for _ in range(2)]  # fmt: skip
    barrier = threading.Barrier(2)
    errors = []

    def code(resource):
        try:
            barrier.wait()
            svc.code_resource(resource, actor=staff)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=code, args=(r,)) for r in resources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    codes = sorted(DataResource.objects.values_list("code", flat=True))
    year = timezone.localdate().year
    assert codes == [f"SJZY-330100-{year}-000001", f"SJZY-330100-{year}-000002"]


# --- values ---------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["important", "core"])
def test_security_measures_required_for_important_and_core(enterprise, member, level):
    with pytest.raises(svc.ResourceProblems) as exc:
        svc.apply_resource(
            enterprise,
            actor=member,
            values=resource_values(security_level=level, security_measures="  "),
        )
    assert set(exc.value.by_field) == {"security_measures"}
    assert "安全保护措施" in exc.value.by_field["security_measures"]
    assert not DataResource.objects.exists()


def test_security_measures_required_in_the_database_too(enterprise):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        DataResourceFactory(enterprise=enterprise, security_level="core", security_measures="")


def test_general_level_needs_no_measures_and_bad_values_are_named(enterprise, member):
    resource = svc.apply_resource(
        enterprise,
        actor=member,
        values=resource_values(security_level="general", security_measures=""),
    )
    assert resource.security_measures == ""
    with pytest.raises(svc.ResourceProblems) as exc:
        svc.apply_resource(
            enterprise,
            actor=member,
            values=resource_values(name="", sources=[], usage_rights=["ownership"], volume="0"),
        )
    assert exc.value.by_field == {
        "name": "请填写资源名称。",
        "sources": "请填写数据来源。",
        "usage_rights": "权利类型的取值无效。",
        "volume": "数据规模必须大于 0。",
    }
    assert DataResource.objects.count() == 1


# --- after coding ---------------------------------------------------------------------


def test_change_proposed_by_enterprise_applies_only_when_approved(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = changes.propose_change(
        resource, actor=member, values={"volume": "400", "update_cycle": "daily"},
        reason="新增两条产线接入",
    )  # fmt: skip
    assert revision.status == "pending"
    assert revision.before == {"volume": "320.00", "update_cycle": "realtime"}
    assert revision.after == {"volume": "400.00", "update_cycle": "daily"}
    assert str(DataResource.objects.get(pk=resource.pk).volume) == "320.00"
    with pytest.raises(DomainError, match="待审核"):
        changes.propose_change(resource, actor=member, values={"volume": "500"}, reason="再次变更")
    approved = changes.approve_change(revision, actor=staff, note="同意")
    assert approved.status == "approved" and approved.decided_by == staff
    row = DataResource.objects.get(pk=resource.pk)
    assert (str(row.volume), row.update_cycle, row.code) == ("400.00", "daily", resource.code)
    with pytest.raises(DomainError, match="已处理"):
        changes.approve_change(revision, actor=staff)


def test_rejected_change_leaves_the_record(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = changes.propose_change(
        resource, actor=member, values={"name": "新名称"}, reason="更名"
    )
    with pytest.raises(DomainError, match="理由"):
        changes.reject_change(revision, actor=staff, reason="")
    rejected = changes.reject_change(revision, actor=staff, reason="名称与内容不符")
    assert rejected.status == "rejected" and rejected.decision_note == "名称与内容不符"
    assert DataResource.objects.get(pk=resource.pk).name == resource.name
    assert Notification.objects.filter(body="名称与内容不符").exists()


def test_change_that_changes_nothing_or_breaks_a_rule_is_refused(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    with pytest.raises(DomainError, match="没有需要修改"):
        changes.propose_change(resource, actor=member, values={"volume": "320"}, reason="无")
    with pytest.raises(svc.ResourceProblems, match="安全保护措施"):
        changes.propose_change(
            resource, actor=member, values={"security_level": "core"}, reason="升级为核心数据"
        )
    assert not DataResourceRevision.objects.exists()


def test_staff_correction_applies_at_once_with_history(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = changes.correct_resource(
        resource, actor=staff, values={"domain": "energy"}, reason="领域登记错误"
    )
    assert (revision.kind, revision.status) == ("correction", "approved")
    assert (revision.before, revision.after) == ({"domain": "industry"}, {"domain": "energy"})
    assert DataResource.objects.get(pk=resource.pk).domain == "energy"
    event = AuditEvent.objects.get(action="data_resource.corrected")
    assert (event.before, event.after, event.message) == (
        {"domain": "industry"}, {"domain": "energy"}, "领域登记错误",
    )  # fmt: skip
    with pytest.raises(DomainError, match="辖区"):
        changes.correct_resource(resource, actor=member, values={"domain": "other"}, reason="x")


def test_enterprise_correction_request_goes_through_staff(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = changes.propose_change(
        resource, actor=member, values={"description": "生产线传感器数据。"},
        reason="描述有误", kind="correction",
    )  # fmt: skip
    assert revision.kind == "correction" and revision.status == "pending"
    changes.approve_change(revision, actor=staff)
    assert DataResource.objects.get(pk=resource.pk).description == "生产线传感器数据。"


def test_cancellation_requested_then_granted_keeps_the_code(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    request = changes.request_cancellation(
        resource, actor=member, reason="业务调整，数据已停止采集"
    )
    assert DataResource.objects.get(pk=resource.pk).status == "coded"
    changes.approve_change(request, actor=staff)
    row = DataResource.objects.get(pk=resource.pk)
    assert (row.status, row.code) == ("cancelled", resource.code)
    assert DataResourceRevision.objects.get().status == "approved"
    before = state(resource)
    with pytest.raises(DomainError, match="已赋码"):
        changes.propose_change(resource, actor=member, values={"name": "x"}, reason="x")
    assert state(resource) == before


def test_staff_cancel_needs_a_reason_and_closes_a_pending_change(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    change = changes.propose_change(
        resource, actor=member, values={"name": "新名称"}, reason="更名"
    )
    before = state(resource)
    with pytest.raises(DomainError, match="注销理由"):
        changes.cancel_resource(resource, actor=staff, reason="")
    assert state(resource) == before
    cancelled = changes.cancel_resource(resource, actor=staff, reason="以不正当手段取得登记")
    assert cancelled.status == "cancelled"
    change.refresh_from_db()
    assert change.status == "rejected"
    kinds = set(DataResourceRevision.objects.values_list("kind", "status"))
    assert kinds == {("change", "rejected"), ("cancellation", "approved")}


# --- who may act ----------------------------------------------------------------------


def test_outsiders_cannot_act(enterprise, member, staff):
    resource = DataResourceFactory(enterprise=enterprise)
    before = state(resource)
    for outsider in (
        BureauUserFactory(region=region("310000")),
        BureauUserFactory(region=region("330200")),
        member,
    ):
        with pytest.raises(DomainError, match="辖区"):
            svc.accept_resource(resource, actor=outsider)
    with pytest.raises(DomainError, match="本企业成员"):
        svc.apply_resource(enterprise, actor=enterprise_user(), values=resource_values())
    with pytest.raises(DomainError, match="本企业成员"):
        svc.apply_resource(enterprise, actor=staff, values=resource_values())
    assert state(resource) == before
    assert DataResource.objects.count() == 1


# --- pages and API: who sees what ------------------------------------------------------


@pytest.fixture
def world(enterprise, member, staff):
    """One coded resource of a Hangzhou enterprise and everyone who must not touch it."""
    resource = coded(
        DataResourceFactory(enterprise=enterprise, security_level="core",
                            security_measures="专网隔离，国密算法加密。"),
        staff,
    )  # fmt: skip
    return {
        "resource": resource,
        "member": member,
        "staff": staff,
        "outsiders": {
            "other_enterprise": enterprise_user(EnterpriseFactory(region=region("330100"))),
            "other_province": BureauUserFactory(region=region("310000")),
            **{role: UserFactory(role=role) for role in OTHER_ROLES},
        },
    }


OTHER_ROLES = ["panelist", "institution", "provider", "publisher"]


def urls(resource):
    return {
        "detail": reverse("resources:resource-detail", args=[resource.pk]),
        "change": reverse("resources:resource-change", args=[resource.pk]),
        "edit": reverse("resources:resource-edit", args=[resource.pk]),
    }


def test_member_and_staff_pages(client, world):
    resource = world["resource"]
    client.force_login(world["member"])
    mine = client.get(reverse("resources:resource-mine"))
    assert mine.status_code == 200 and resource.code in mine.content.decode()
    assert client.get(reverse("resources:resource-apply")).status_code == 200
    detail = client.get(urls(resource)["detail"]).content.decode()
    assert resource.code in detail and "申请变更或更正" in detail and "申请注销" in detail
    assert "数据资源赋码" in detail and world["staff"].email not in detail
    assert client.get(urls(resource)["change"]).status_code == 200
    assert client.get(reverse("resources:resource-list")).status_code == 403
    client.force_login(world["staff"])
    queue = client.get(reverse("resources:resource-list"))
    assert queue.status_code == 200 and resource.name in queue.content.decode()
    detail = client.get(urls(resource)["detail"]).content.decode()
    assert "更正" in detail and "注销理由" in detail
    assert client.get(reverse("resources:resource-mine")).status_code == 403
    assert client.get(reverse("resources:resource-apply")).status_code == 403


@pytest.mark.parametrize(
    "who", ["other_enterprise", "other_province", "panelist", "institution", "provider",
            "publisher"],
)  # fmt: skip
def test_outsiders_get_404_for_the_resource_pages_and_api(client, world, who):
    resource = world["resource"]
    client.force_login(world["outsiders"][who])
    before = state(resource)
    for url in urls(resource).values():
        assert client.get(url).status_code == 404, url
    for name in ("accept", "code", "cancel"):
        url = reverse("resources:resource-act", args=[resource.pk, name])
        assert client.post(url, {"reason": "x"}).status_code == 404
    url = reverse("resources:resource-cancel-request", args=[resource.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert client.get(f"/api/v1/data-resources/{resource.pk}/").status_code == 404
    assert client.get("/api/v1/data-resources/").json()["count"] == 0
    for name in ("cancel", "propose-change", "request-cancellation", "decide-change"):
        response = client.post(f"/api/v1/data-resources/{resource.pk}/{name}/", {"reason": "x"})
        assert response.status_code == 404, name
    assert state(resource) == before


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused_the_list_pages(client, world, role):
    client.force_login(world["outsiders"][role])
    for name in ("resource-list", "resource-mine", "resource-apply"):
        assert client.get(reverse(f"resources:{name}")).status_code == 403, name
    assert client.post("/api/v1/data-resources/", {}).status_code == 403


def test_other_province_and_other_enterprise_see_empty_lists(client, world):
    client.force_login(world["outsiders"]["other_province"])
    page = client.get(reverse("resources:resource-list"))
    assert list(page.context["page"]) == []
    client.force_login(world["outsiders"]["other_enterprise"])
    assert list(client.get(reverse("resources:resource-mine")).context["resources"]) == []


def test_wrong_role_on_a_visible_resource_gets_403(client, world):
    resource = world["resource"]
    before = state(resource)
    client.force_login(world["member"])  # an enterprise may not act as the reviewer
    url = reverse("resources:resource-act", args=[resource.pk, "cancel"])
    assert client.post(url, {"reason": "自行注销"}).status_code == 403
    assert client.post(f"/api/v1/data-resources/{resource.pk}/cancel/").status_code == 403
    client.force_login(world["staff"])  # staff do not apply or ask on the enterprise's behalf
    url = reverse("resources:resource-cancel-request", args=[resource.pk])
    assert client.post(url, {"reason": "代为申请"}).status_code == 403
    response = client.post(f"/api/v1/data-resources/{resource.pk}/request-cancellation/",
                           {"reason": "代为申请"})  # fmt: skip
    assert response.status_code == 403
    assert client.post("/api/v1/data-resources/", {}).status_code == 403
    assert state(resource) == before


def test_anonymous_is_sent_to_login_except_for_the_notice(client, world):
    resource = world["resource"]
    names = ("resources:resource-list", "resources:resource-mine", "resources:resource-apply")
    for url in [*urls(resource).values(), *(reverse(name) for name in names)]:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url, url
    assert client.get("/api/v1/data-resources/").status_code in (401, 403)
    assert client.get(reverse("resources:notice")).status_code == 200


def test_public_notice_shows_no_sensitive_fields(client, enterprise, staff):
    resource = noticed(
        DataResourceFactory(
            enterprise=enterprise, name="城市交通出行轨迹数据集", security_level="important",
            description="内部描述：含出行起讫点", security_measures="专网隔离与加密存储",
            volume="8765.43",
        ),
        staff,
    )  # fmt: skip
    DataResourceFactory(enterprise=enterprise, name="未公示的数据集")
    page = client.get(reverse("resources:notice")).content.decode()
    assert "城市交通出行轨迹数据集" in page and enterprise.name in page and "重要数据" in page
    assert resource.notice_ends_on.strftime("%Y-%m-%d") in page
    for secret in ("内部描述", "专网隔离", "8765", "未公示的数据集", "自行采集"):
        assert secret not in page, secret


def test_staff_walk_the_path_through_the_pages(client, enterprise, member, staff):
    client.force_login(member)
    data = {**resource_values(), "volume": "1250.5"}
    response = client.post(reverse("resources:resource-apply"), data)
    resource = DataResource.objects.get()
    assert response.status_code == 302 and response.url == urls(resource)["detail"]
    client.force_login(staff)
    for name in ("accept", "review", "notice"):
        client.post(reverse("resources:resource-act", args=[resource.pk, name]))
    assert DataResource.objects.get().status == "noticed"
    code_url = reverse("resources:resource-act", args=[resource.pk, "code"])
    assert code_url not in client.get(urls(resource)["detail"]).content.decode()
    response = client.post(code_url, follow=True)
    assert "公示期满后才能赋码" in response.content.decode()
    assert DataResource.objects.get().status == "noticed"  # the notice period runs
    notice_over(resource)
    assert code_url in client.get(urls(resource)["detail"]).content.decode()
    unknown = reverse("resources:resource-act", args=[resource.pk, "delete"])
    assert client.post(unknown).status_code == 404
    client.post(reverse("resources:resource-act", args=[resource.pk, "code"]))
    assert DataResource.objects.get().code == f"SJZY-330100-{timezone.localdate().year}-000001"
    # Return needs a reason: an empty one changes nothing.
    other = DataResourceFactory(enterprise=enterprise)
    response = client.post(reverse("resources:resource-act", args=[other.pk, "return"]),
                           {"reason": ""}, follow=True)  # fmt: skip
    assert "请填写退回原因" in response.content.decode()
    assert DataResource.objects.get(pk=other.pk).status == "applied"


def test_apply_form_shows_each_problem_in_place(client, member):
    client.force_login(member)
    data = {**resource_values(security_level="core", security_measures=""), "volume": "-1"}
    del data["sources"]
    response = client.post(reverse("resources:resource-apply"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["sources"] == ["请至少选择一种数据来源。"]
    assert errors["volume"] == ["数据规模必须大于 0。"]
    assert set(errors) == {"sources", "volume", "security_measures"}  # every problem at once
    response = client.post(reverse("resources:resource-apply"), {**data, "sources": ["purchased"],
                                                                "volume": "3"})  # fmt: skip
    assert set(response.context["form"].errors) == {"security_measures"}
    assert "安全保护措施" in response.context["form"].errors["security_measures"][0]
    assert not DataResource.objects.exists()


def test_change_and_correction_through_the_pages(client, world):
    resource = world["resource"]
    client.force_login(world["member"])
    data = {**svc.snapshot(resource), "volume": "500", "reason": "接入新产线", "kind": "change"}
    response = client.post(urls(resource)["change"], data)
    assert response.status_code == 302
    revision = DataResourceRevision.objects.get(status="pending")
    assert revision.after == {"volume": "500.00"}
    client.force_login(world["staff"])
    assert "待审核的变更申请" in client.get(urls(resource)["detail"]).content.decode()
    client.post(reverse("resources:revision-decide", args=[revision.pk]), {"decision": "approve"})
    assert str(DataResource.objects.get().volume) == "500.00"
    data = {**svc.snapshot(DataResource.objects.get()), "name": "工业设备运行监测数据（更正）",
            "reason": "名称笔误"}  # fmt: skip
    assert client.post(urls(resource)["change"], data).status_code == 302
    assert DataResource.objects.get().name == "工业设备运行监测数据（更正）"
    history = client.get(urls(resource)["detail"]).content.decode()
    assert "名称笔误" in history and "接入新产线" in history


def test_api_path_and_scoping(client, world, enterprise, member, staff):
    client.force_login(member)
    payload = {**resource_values(), "volume": "12.5"}
    response = client.post("/api/v1/data-resources/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "applied" and response.json()["code"] is None
    bad = client.post("/api/v1/data-resources/", {**payload, "security_measures": ""},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and "安全保护措施" in bad.json()["detail"]
    assert client.get("/api/v1/data-resources/").json()["count"] == 2
    client.force_login(staff)
    for name in ("accept", "review", "publish-notice"):
        assert client.post(f"/api/v1/data-resources/{pk}/{name}/").status_code == 200, name
    early = client.post(f"/api/v1/data-resources/{pk}/code/")
    assert early.status_code == 400 and "公示期满后才能赋码" in early.json()["detail"]
    notice_over(DataResource.objects.get(pk=pk))
    body = client.post(f"/api/v1/data-resources/{pk}/code/").json()
    assert body["status"] == "coded" and CODE_RE.match(body["code"])
    again = client.post(f"/api/v1/data-resources/{pk}/accept/")
    assert again.status_code == 400 and "不能变更为" in again.json()["detail"]
    listed = client.get("/api/v1/data-resources/", {"status": "coded", "security_level": "core"})
    assert [r["id"] for r in listed.json()["results"]] == [world["resource"].pk]
    assert client.get("/api/v1/data-resources/", {"region": "310000"}).json()["count"] == 0
    client.force_login(member)
    change = client.post(f"/api/v1/data-resources/{pk}/propose-change/",
                         {"update_cycle": "weekly", "reason": "改为周更新"},
                         content_type="application/json")  # fmt: skip
    assert change.status_code == 201 and change.json()["after"] == {"update_cycle": "weekly"}
    client.force_login(staff)
    decided = client.post(f"/api/v1/data-resources/{pk}/decide-change/", {"decision": "approve"})
    assert decided.json()["status"] == "approved"
    assert DataResource.objects.get(pk=pk).update_cycle == "weekly"


def test_staff_list_query_count_does_not_grow_with_rows(client, staff):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    DataResourceFactory(enterprise=EnterpriseFactory(region=region("330100")))

    def queries():
        with CaptureQueriesContext(conn) as ctx:
            assert client.get(reverse("resources:resource-list")).status_code == 200
        return len(ctx)

    one = queries()
    for code in ("330100", "330200", "330200", "330300"):
        DataResourceFactory(enterprise=EnterpriseFactory(region=region(code)), status="coded")
    many = queries()
    assert len(client.get(reverse("resources:resource-list")).context["page"]) == 5
    assert one == many


def test_enterprise_page_and_new_report_count_registered_resources(client, world):
    enterprise, member = world["resource"].enterprise, world["member"]
    DataResourceFactory(enterprise=enterprise, status="coded")
    DataResourceFactory(enterprise=enterprise, status="cancelled")  # no longer in force
    DataResourceFactory(enterprise=enterprise, status="noticed", notice_starts_on="2026-01-01",
                        notice_ends_on="2026-01-07")  # fmt: skip
    client.force_login(member)
    page = client.get(reverse("registry:enterprise-detail", args=[enterprise.pk]))
    assert page.context["registered_resources"] == 2
    form = client.get(reverse("registry:report-edit", args=[2025])).context["form"]
    assert form["data_resources_registered"].value() == 2


def test_staff_queue_filters_search_and_htmx_partial(client, staff):
    hangzhou = EnterpriseFactory(name="杭州澄江数智科技有限公司", region=region("330100"))
    ningbo = EnterpriseFactory(name="宁波港汇数据服务有限公司", region=region("330200"))
    traffic = DataResourceFactory(enterprise=hangzhou, name="城市交通出行轨迹数据集",
                                  domain="transport", security_level="important",
                                  security_measures="加密存储")  # fmt: skip
    port = DataResourceFactory(enterprise=ningbo, name="港口集装箱作业数据集", status="coded")
    DataResourceFactory(enterprise=EnterpriseFactory(region=region("310000")), name="上海数据")
    client.force_login(staff)

    def names(**params):
        page = client.get(reverse("resources:resource-list"), params).context["page"]
        return sorted(r.name for r in page)

    assert names() == ["城市交通出行轨迹数据集", "港口集装箱作业数据集"]
    assert names(status="coded") == [port.name]
    assert names(security_level="important") == [traffic.name]
    assert names(domain="transport", region="330100") == [traffic.name]
    assert names(region="330200") == [port.name]
    assert names(q="澄江") == [traffic.name]
    assert names(q=port.code.lower()) == [port.name]
    assert names(q="上海") == []
    empty = client.get(reverse("resources:resource-list"), {"q": "不存在"}).content.decode()
    assert "没有符合筛选条件的数据资源" in empty
    partial = client.get(reverse("resources:resource-list"), {"status": "coded"},
                         headers={"HX-Request": "true"})  # fmt: skip
    html = partial.content.decode()
    assert port.name in html and traffic.name not in html and "<html" not in html
