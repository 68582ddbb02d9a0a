"""Applying for a voucher: every refusal is a sentence and saves nothing; decisions by the
programme's own staff only."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from config.errors import DomainError
from tests.factories import (
    AdminUserFactory,
    BureauUserFactory,
    UserFactory,
    enterprise_user,
    region,
    registry_enterprise,
)
from tests.vouchers.factories import apply, issue, make_provider, pdf, world
from vouchers.models import (
    ApplicationStatus,
    LedgerEntry,
    MembershipStatus,
    ProgramProvider,
    Voucher,
    VoucherApplication,
)
from vouchers.selectors import offers_for_contract
from vouchers.services import applications as apps
from vouchers.services import programs
from vouchers.services import providers as provider_services

pytestmark = pytest.mark.django_db


def refused(w, match, **kwargs):
    before = VoucherApplication.objects.count()
    with pytest.raises(DomainError, match=match):
        apply(w, **kwargs)
    assert VoucherApplication.objects.count() == before


def test_apply_records_items_explanation_and_audit():
    w = world()
    application = apply(w, amount="500000")
    assert application.status == ApplicationStatus.APPLIED
    assert application.items[0]["amount"] == "10000.00"
    assert application.explanation[0]["field"] == "revenue"
    assert application.explanation[0]["held"] is True
    assert AuditEvent.objects.filter(action="voucher_application.applied").count() == 1


def test_apply_refused_provider_not_approved():
    w = world()
    ProgramProvider.objects.filter(program=w.program).update(status=MembershipStatus.SUSPENDED)
    refused(w, "未入围")


def test_apply_refused_related_party_shared_uscc():
    w = world()
    org = w.provider.organisation
    org.uscc = w.enterprise.uscc
    org.save(update_fields=["uscc"])
    refused(w, "统一社会信用代码相同")


def test_apply_refused_related_party_declared_shareholding():
    w = world()
    provider_services.declare_related_party(
        w.provider, actor=w.provider_user, kind="shareholding", uscc=w.enterprise.uscc
    )
    refused(w, "持股关系")


def test_apply_refused_related_party_through_group():
    w = world()
    provider_services.update_provider(w.provider, actor=w.provider_user, group_name="云算集团")
    sibling, sibling_user = make_provider()
    provider_services.update_provider(sibling, actor=sibling_user, group_name="云算集团")
    provider_services.declare_related_party(
        sibling, actor=sibling_user, kind="group", uscc=w.enterprise.uscc
    )
    refused(w, "同属一个集团")


def test_apply_refused_contract_signed_outside_window():
    w = world()
    refused(
        w, "不在计划的申请期", contract_signed_on=w.program.opens_on - datetime.timedelta(days=1)
    )


def test_apply_refused_term_over_one_year():
    w = world()
    today = timezone.localdate()
    refused(
        w,
        "不能超过 1 年",
        contract_starts_on=today,
        contract_ends_on=today.replace(year=today.year + 1) + datetime.timedelta(days=1),
    )


def test_apply_term_of_exactly_one_year_accepted():
    w = world()
    today = timezone.localdate()
    application = apply(w, contract_starts_on=today,
                        contract_ends_on=today.replace(year=today.year + 1))  # fmt: skip
    assert application.status == ApplicationStatus.APPLIED


def test_apply_refused_not_eligible_with_failing_condition():
    w = world(conditions={"all": [{"field": "revenue", "op": "gte", "value": 50_000_000}]})
    refused(w, "不符合本计划的申请条件：营业收入")


def test_apply_refused_not_a_pdf():
    w = world()
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused(w, "不是 PDF", contract_file=SimpleUploadedFile("c.pdf", b"hello"))


def test_apply_refused_for_non_member():
    w = world()
    w.member = enterprise_user()
    refused(w, "本企业成员")


def test_apply_refused_sought_over_contract():
    w = world()
    refused(w, "不超过合同金额", amount="1000", sought="1001")


def test_rejected_contract_number_can_be_used_again():
    w = world()
    first = apply(w, number="HT-9")
    apps.reject_application(first, actor=w.staff, reason="材料不全")
    again = apply(w, number="HT-9")
    assert again.status == ApplicationStatus.APPLIED


def test_return_then_resubmit_with_new_amount():
    w = world()
    application = apply(w, amount="500000")
    apps.return_application(application, actor=w.staff, reason="请补充合同附件")
    application = apps.resubmit_application(
        application, actor=w.member, amount_sought=Decimal("400000")
    )
    assert (application.status, application.amount_sought) == ("applied", Decimal("400000"))


def test_withdraw_by_member():
    w = world()
    application = apply(w)
    application = apps.withdraw_application(application, actor=w.member)
    assert application.status == ApplicationStatus.WITHDRAWN


@pytest.mark.parametrize(
    "who", ["province_above", "other_region", "enterprise", "provider", "panelist"]
)
def test_approve_refused_for_everyone_but_own_staff(who):
    w = world("330100", enterprise_region="330100")
    actor = {
        "province_above": lambda: BureauUserFactory(region=region("330000")),
        "other_region": lambda: BureauUserFactory(region=region("110000")),
        "enterprise": lambda: w.member,
        "provider": lambda: w.provider_user,
        "panelist": lambda: UserFactory(role=Role.PANELIST),
    }[who]()
    application = apply(w)
    with pytest.raises(DomainError):
        apps.approve_application(application, actor=actor)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert Voucher.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_admin_may_approve():
    w = world()
    voucher = apps.approve_application(apply(w), actor=AdminUserFactory())
    assert voucher.amount == Decimal("200000.00")


def test_approve_twice_refused():
    w = world()
    application = apply(w)
    apps.approve_application(application, actor=w.staff)
    with pytest.raises(DomainError, match="已批准"):
        apps.approve_application(application, actor=w.staff)
    assert Voucher.objects.count() == 1


@pytest.mark.parametrize(
    ("sought", "amount", "binding"),
    [
        ("100", "1000000", "sought"),
        ("1000000", "1000000", "ratio_amount"),
        ("1000000", "9000000", "contract_cap"),
    ],
)
def test_grant_min_each_term(sought, amount, binding):
    w = world(contract_cap=Decimal("1000000.00"))
    voucher = issue(w, amount=amount, sought=sought)
    terms = voucher.terms
    assert voucher.amount == min(terms.values())
    assert voucher.amount == terms[binding]


def test_offers_sorted_most_favourable_first():
    w = world(subsidy_ratio=Decimal("0.2000"))
    better = programs.create_program(
        actor=w.staff,
        **{**_values(w), "name": "模型券", "subsidy_ratio": Decimal("0.5000")},
    )
    better = programs.publish_program(better, actor=w.staff)
    m = provider_services.join_program(better, w.provider, actor=w.provider_user)
    provider_services.approve_membership(m, actor=w.staff)
    offers = offers_for_contract(
        w.enterprise, w.provider, contract_amount=Decimal("100000"),
        sought=Decimal("100000"), signed_on=timezone.localdate(),
    )  # fmt: skip
    assert [(o.program.pk, o.terms.granted) for o in offers] == [
        (better.pk, Decimal("50000.00")), (w.program.pk, Decimal("20000.00"))]  # fmt: skip


def _values(w):
    from vouchers.services.programs import snapshot_values

    return snapshot_values(w.program)


def test_unrelated_enterprise_of_other_region_refused():
    w = world("330100", enterprise_region="330100")
    w.enterprise = registry_enterprise("330200")
    w.member = enterprise_user(w.enterprise)
    refused(w, "发放地区")


def test_pdf_helper_is_a_pdf():
    assert pdf().read(5) == b"%PDF-"
