"""Programmes: drafts are edited, publishing freezes the rules, a change is a new version;
providers join and the programme's staff decide."""

from decimal import Decimal

import pytest

from config.errors import DomainError
from tests.factories import BureauUserFactory, region
from tests.vouchers.factories import apply, make_provider, program_values, world
from vouchers.models import MembershipStatus, ProgramStatus, VoucherProgram
from vouchers.services import programs
from vouchers.services import providers as provider_services

pytestmark = pytest.mark.django_db


def test_create_refused_for_staff_of_another_jurisdiction_nothing_saved():
    actor = BureauUserFactory(region=region("310000"))
    with pytest.raises(DomainError, match="所属辖区"):
        programs.create_program(actor=actor, **program_values(region("110000")))
    assert VoucherProgram.objects.count() == 0


def test_create_refused_for_invalid_conditions():
    actor = BureauUserFactory(region=region("110000"))
    values = program_values(region("110000"), conditions={"all": [{"field": "nope", "op": "eq"}]})
    with pytest.raises(DomainError):
        programs.create_program(actor=actor, **values)
    assert VoucherProgram.objects.count() == 0


def test_draft_editable_published_frozen():
    actor = BureauUserFactory(region=region("110000"))
    program = programs.create_program(actor=actor, **program_values(region("110000")))
    program = programs.update_program(program, actor=actor, name="北京算力券")
    assert program.name == "北京算力券"
    program = programs.publish_program(program, actor=actor)
    with pytest.raises(DomainError, match="新版本"):
        programs.update_program(program, actor=actor, budget=Decimal("1"))
    program.refresh_from_db()
    assert program.budget == Decimal("10000000.00")


def test_new_version_copies_rules_and_closes_previous_on_publish():
    w = world()
    apply(w)  # the old version keeps its applications
    from tests.vouchers.factories import issue

    issue(w)
    draft = programs.new_program_version(w.program, actor=w.staff, subsidy_ratio=Decimal("0.3"))
    assert (draft.version, draft.previous_id, draft.root_id) == (2, w.program.pk, w.program.pk)
    assert draft.budget == Decimal("9800000.00")  # what v1 had left
    assert draft.status == ProgramStatus.DRAFT
    programs.publish_program(draft, actor=w.staff)
    w.program.refresh_from_db()
    assert w.program.status == ProgramStatus.CLOSED
    with pytest.raises(DomainError, match="已有新版本"):
        programs.new_program_version(w.program, actor=w.staff)


def test_versions_share_the_annual_cap():
    w = world(annual_cap=Decimal("250000.00"))
    from tests.vouchers.factories import issue

    issue(w)
    v2 = programs.publish_program(
        programs.new_program_version(w.program, actor=w.staff), actor=w.staff
    )
    m = provider_services.join_program(v2, w.provider, actor=w.provider_user)
    provider_services.approve_membership(m, actor=w.staff)
    voucher = issue(w, program=v2)
    assert voucher.amount == Decimal("50000.00")
    assert voucher.term_annual_remaining == Decimal("50000.00")


def test_withdraw_refused_with_live_applications():
    w = world()
    apply(w)
    with pytest.raises(DomainError, match="不能撤回"):
        programs.withdraw_program(w.program, actor=w.staff, reason="预算调整")
    w.program.refresh_from_db()
    assert w.program.status == ProgramStatus.PUBLISHED


def test_close_then_publish_refused():
    w = world()
    programs.close_program(w.program, actor=w.staff)
    with pytest.raises(DomainError, match="已关闭"):
        programs.publish_program(w.program, actor=w.staff)


def test_provider_join_refused_for_kind_not_served():
    w = world()
    provider, user = make_provider(kinds=("data",), hub="")
    with pytest.raises(DomainError, match="服务类型"):
        provider_services.join_program(w.program, provider, actor=user)
    assert not provider.memberships.exists()


def test_compute_provider_needs_hub_node():
    from tests.vouchers.factories import provider_user

    user = provider_user()
    with pytest.raises(DomainError, match="枢纽节点"):
        provider_services.register_provider(
            user.organisation, actor=user, service_kinds=["compute"]
        )


def test_membership_decided_only_by_own_staff():
    w = world()
    provider, user = make_provider()
    m = provider_services.join_program(w.program, provider, actor=user)
    above = BureauUserFactory(region=region("310000"))
    with pytest.raises(DomainError):
        provider_services.approve_membership(m, actor=above)
    with pytest.raises(DomainError):
        provider_services.approve_membership(m, actor=user)
    m.refresh_from_db()
    assert m.status == MembershipStatus.APPLIED
    m = provider_services.approve_membership(m, actor=w.staff)
    with pytest.raises(DomainError, match="原因"):
        provider_services.suspend_membership(m, actor=w.staff, reason="")
    m = provider_services.suspend_membership(m, actor=w.staff, reason="服务投诉")
    m = provider_services.remove_membership(m, actor=w.staff, reason="查实")
    assert m.status == MembershipStatus.REMOVED
    with pytest.raises(DomainError):
        provider_services.approve_membership(m, actor=w.staff)


def test_programme_without_conditions_admits_every_verified_enterprise():
    w = world(conditions={})
    from tests.vouchers.factories import issue

    voucher = issue(w)
    assert voucher.application.explanation == []
