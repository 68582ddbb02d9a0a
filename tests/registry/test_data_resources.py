"""Data-resource registration (数据资源登记): states, codes, notice, history, access."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEvent
from config.errors import DomainError
from notifications.models import Notification
from registry.models import DataResource, DataResourceRevision, RegistrationCodeSequence
from registry.models.resources import NOTICE_DAYS
from registry.services import resources as svc
from tests.factories import (
    BureauUserFactory,
    DataResourceFactory,
    EnterpriseFactory,
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
        ("accepted", "accept_resource"),
        ("accepted", "code_resource"),
        ("reviewed", "code_resource"),
        ("coded", "accept_resource"),
        ("coded", "publish_notice"),
        ("returned", "accept_resource"),
        ("cancelled", "code_resource"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(enterprise, staff, start, action):
    resource = DataResourceFactory(enterprise=enterprise, status=start)
    before = state(resource)
    with pytest.raises(DomainError, match="不能变更为"):
        getattr(svc, action)(resource, actor=staff)
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
    revision = svc.propose_change(
        resource, actor=member, values={"volume": "400", "update_cycle": "daily"},
        reason="新增两条产线接入",
    )  # fmt: skip
    assert revision.status == "pending"
    assert revision.before == {"volume": "320.00", "update_cycle": "realtime"}
    assert revision.after == {"volume": "400.00", "update_cycle": "daily"}
    assert str(DataResource.objects.get(pk=resource.pk).volume) == "320.00"
    with pytest.raises(DomainError, match="待审核"):
        svc.propose_change(resource, actor=member, values={"volume": "500"}, reason="再次变更")
    approved = svc.approve_change(revision, actor=staff, note="同意")
    assert approved.status == "approved" and approved.decided_by == staff
    row = DataResource.objects.get(pk=resource.pk)
    assert (str(row.volume), row.update_cycle, row.code) == ("400.00", "daily", resource.code)
    with pytest.raises(DomainError, match="已处理"):
        svc.approve_change(revision, actor=staff)


def test_rejected_change_leaves_the_record(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = svc.propose_change(resource, actor=member, values={"name": "新名称"}, reason="更名")
    with pytest.raises(DomainError, match="理由"):
        svc.reject_change(revision, actor=staff, reason="")
    rejected = svc.reject_change(revision, actor=staff, reason="名称与内容不符")
    assert rejected.status == "rejected" and rejected.decision_note == "名称与内容不符"
    assert DataResource.objects.get(pk=resource.pk).name == resource.name
    assert Notification.objects.filter(body="名称与内容不符").exists()


def test_change_that_changes_nothing_or_breaks_a_rule_is_refused(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    with pytest.raises(DomainError, match="没有需要修改"):
        svc.propose_change(resource, actor=member, values={"volume": "320"}, reason="无")
    with pytest.raises(svc.ResourceProblems, match="安全保护措施"):
        svc.propose_change(
            resource, actor=member, values={"security_level": "core"}, reason="升级为核心数据"
        )
    assert not DataResourceRevision.objects.exists()


def test_staff_correction_applies_at_once_with_history(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = svc.correct_resource(
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
        svc.correct_resource(resource, actor=member, values={"domain": "other"}, reason="x")


def test_enterprise_correction_request_goes_through_staff(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    revision = svc.propose_change(
        resource, actor=member, values={"description": "生产线传感器数据。"},
        reason="描述有误", kind="correction",
    )  # fmt: skip
    assert revision.kind == "correction" and revision.status == "pending"
    svc.approve_change(revision, actor=staff)
    assert DataResource.objects.get(pk=resource.pk).description == "生产线传感器数据。"


def test_cancellation_requested_then_granted_keeps_the_code(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    request = svc.request_cancellation(resource, actor=member, reason="业务调整，数据已停止采集")
    assert DataResource.objects.get(pk=resource.pk).status == "coded"
    svc.approve_change(request, actor=staff)
    row = DataResource.objects.get(pk=resource.pk)
    assert (row.status, row.code) == ("cancelled", resource.code)
    assert DataResourceRevision.objects.get().status == "approved"
    before = state(resource)
    with pytest.raises(DomainError, match="已赋码"):
        svc.propose_change(resource, actor=member, values={"name": "x"}, reason="x")
    assert state(resource) == before


def test_staff_cancel_needs_a_reason_and_closes_a_pending_change(enterprise, member, staff):
    resource = coded(DataResourceFactory(enterprise=enterprise), staff)
    change = svc.propose_change(resource, actor=member, values={"name": "新名称"}, reason="更名")
    before = state(resource)
    with pytest.raises(DomainError, match="注销理由"):
        svc.cancel_resource(resource, actor=staff, reason="")
    assert state(resource) == before
    cancelled = svc.cancel_resource(resource, actor=staff, reason="以不正当手段取得登记")
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
