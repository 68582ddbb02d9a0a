"""The adjustment job and the decisions: proposals take effect only when confirmed."""

import datetime
from decimal import Decimal

import pytest
from django.test import TestCase
from django.utils import timezone

from adjustment.explanations import render_reasons
from adjustment.models import AdjustmentProposal, AdjustmentRun, Appeal
from adjustment.services import decisions
from adjustment.services import job as adjustment
from config.errors import DomainError
from notifications.models import Notification
from registry.models import EnterpriseRecord, TierChange
from tests.factories import (
    AnnualReportFactory,
    BureauUserFactory,
    EnterpriseFactory,
    RegistryEntryFactory,
    enterprise_user,
    region,
)

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def zhejiang():
    return BureauUserFactory(region=region("330000"))


def in_registry(tier="potential", reports=(2024, 2025), **report):
    enterprise = EnterpriseFactory(region=region("330100"))
    entry = RegistryEntryFactory(
        enterprise=enterprise, tier=tier, admitted_on=datetime.date(2023, 6, 1),
        jurisdiction=region("330000"),
    )  # fmt: skip
    for year in reports:
        AnnualReportFactory(enterprise=enterprise, year=year, **report)
    return entry


def run(actor, year=YEAR):
    """Start the job as a page would; the task runs when the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = adjustment.start_adjustment(actor=actor, region=actor.region, year=year)
    started.refresh_from_db()
    return started


def test_job_writes_proposals_with_reasons_and_changes_nothing(zhejiang):
    up = in_registry(revenue=Decimal("20000000"))  # 10% R&D, 5 patents: growth
    silent = in_registry(reports=())
    steady = in_registry(revenue=Decimal("5000000"))
    done = run(zhejiang)
    assert done.status == "done" and done.processed == done.total == 3
    assert done.summary == {"entries": 3, "upgrade": 1, "exit": 1, "unchanged": 1}
    upgrade = AdjustmentProposal.objects.get(entry=up)
    assert (upgrade.kind, upgrade.from_tier, upgrade.to_tier) == ("upgrade", "potential", "growth")
    assert render_reasons(upgrade.reasons)[0] == "2025 年度数据满足成长型条件"
    assert AdjustmentProposal.objects.get(entry=silent).kind == "exit"
    assert not AdjustmentProposal.objects.filter(entry=steady).exists()
    up.refresh_from_db()
    assert up.tier == "potential" and not TierChange.objects.exists()


def test_job_is_idempotent_and_keeps_decisions(zhejiang):
    up = in_registry(revenue=Decimal("20000000"))
    silent = in_registry(reports=())
    run(zhejiang)
    decisions.reject_proposal(
        AdjustmentProposal.objects.get(entry=silent), actor=zhejiang, reason="已电话核实，正在补报"
    )
    second = run(zhejiang)
    assert AdjustmentProposal.objects.count() == 2
    assert second.summary == {"entries": 2, "upgrade": 1, "decided": 1}
    assert AdjustmentProposal.objects.get(entry=silent).status == "rejected"
    assert AdjustmentProposal.objects.get(entry=up).status == "pending"


def test_rerun_withdraws_a_proposal_the_figures_no_longer_support(zhejiang):
    entry = in_registry(revenue=Decimal("20000000"))
    run(zhejiang)
    entry.enterprise.annual_reports.filter(year=YEAR).update(revenue=Decimal("5000000"),
                                                             main_business_revenue=0)  # fmt: skip
    run(zhejiang)
    assert AdjustmentProposal.objects.get(entry=entry).status == "withdrawn"


def test_confirm_takes_effect_with_history_and_notice(zhejiang):
    entry = in_registry(revenue=Decimal("20000000"))
    member = enterprise_user(entry.enterprise)
    run(zhejiang)
    proposal = decisions.confirm_proposal(
        AdjustmentProposal.objects.get(entry=entry), actor=zhejiang
    )
    entry.refresh_from_db()
    assert proposal.status == "confirmed" and entry.tier == "growth"
    change = TierChange.objects.get(entry=entry)
    assert (change.from_tier, change.to_tier, change.confirmed_by) == (
        "potential",
        "growth",
        zhejiang,
    )
    assert change.source == f"adjustment:{proposal.pk}"
    assert Notification.objects.get(recipient=member).title.endswith("升级 → 成长型")


def test_amend_changes_the_outcome_and_needs_a_reason(zhejiang):
    entry = in_registry(tier="leading", revenue=Decimal("5000000"), rd_expense=Decimal("100000"),
                        invention_patents=0, software_copyrights=0)  # fmt: skip
    run(zhejiang)
    proposal = AdjustmentProposal.objects.get(entry=entry)
    assert (proposal.kind, proposal.to_tier) == ("downgrade", "potential")
    with pytest.raises(DomainError, match="理由"):
        decisions.amend_proposal(
            proposal, actor=zhejiang, kind="downgrade", tier="growth", reason=""
        )
    with pytest.raises(DomainError, match="低于"):
        decisions.amend_proposal(proposal, actor=zhejiang, kind="downgrade", tier="leading",
                                 reason="x")  # fmt: skip
    decisions.amend_proposal(proposal, actor=zhejiang, kind="downgrade", tier="growth",
                             reason="新增订单已签约，降一级观察")  # fmt: skip
    entry.refresh_from_db()
    assert entry.tier == "growth"
    assert AdjustmentProposal.objects.get(pk=proposal.pk).outcome == "降级 → 成长型"


def test_exit_takes_the_entry_out_of_the_registry(zhejiang):
    entry = in_registry(reports=())
    run(zhejiang)
    decisions.confirm_proposal(AdjustmentProposal.objects.get(entry=entry), actor=zhejiang)
    entry.refresh_from_db()
    assert entry.status == "exited" and entry.left_on == timezone.localdate()
    assert entry.enterprise.tier is None
    assert TierChange.objects.get(entry=entry).to_tier == ""


def test_bulk_confirm_reports_what_it_could_not_do(zhejiang):
    a, b = in_registry(revenue=Decimal("20000000")), in_registry(reports=())
    run(zhejiang)
    b.tier = "growth"
    b.save()  # moved meanwhile: the proposal is stale
    done, problems = decisions.bulk_confirm(
        AdjustmentProposal.objects.select_related("entry__enterprise"), actor=zhejiang
    )
    assert done == 1 and len(problems) == 1 and "重新测算" in problems[0]
    a.refresh_from_db()
    assert a.tier == "growth"
    assert AdjustmentProposal.objects.get(entry=b).status == "pending"


def test_other_province_staff_cannot_decide(zhejiang):
    entry = in_registry(revenue=Decimal("20000000"))
    run(zhejiang)
    proposal = AdjustmentProposal.objects.get(entry=entry)
    jiangsu = BureauUserFactory(region=region("320000"))
    with pytest.raises(DomainError):
        decisions.confirm_proposal(proposal, actor=jiangsu)
    with pytest.raises(DomainError):
        adjustment.start_adjustment(actor=jiangsu, region=region("330000"), year=YEAR)
    assert AdjustmentProposal.objects.get(pk=proposal.pk).status == "pending"


def test_a_year_not_yet_due_cannot_be_run(zhejiang):
    year = timezone.localdate().year
    with pytest.raises(DomainError, match="尚未到报送截止日"):
        run(zhejiang, year=year)


def test_a_year_before_the_first_report_year_cannot_be_run(zhejiang):
    with pytest.raises(DomainError, match="报告年度不能早于 2000 年"):
        run(zhejiang, year=1999)
    assert not AdjustmentRun.objects.exists()


def test_record_in_force_leads_to_exit(zhejiang):
    entry = in_registry()
    EnterpriseRecord.objects.create(enterprise=entry.enterprise, kind="dishonesty",
                                    occurred_on=datetime.date(2025, 8, 1), source="信用中国",
                                    recorded_by=zhejiang)  # fmt: skip
    run(zhejiang)
    reasons = AdjustmentProposal.objects.get(entry=entry).reasons
    assert reasons == [
        {"key": "exit.record", "record": "dishonesty", "on": "2025-08-01", "source": "信用中国"}
    ]
    assert render_reasons(reasons) == ["失信记录：2025-08-01，来源：信用中国"]


def test_appeal_once_and_upheld_restores_the_tier(zhejiang):
    entry = in_registry(reports=())
    member = enterprise_user(entry.enterprise)
    run(zhejiang)
    proposal = decisions.confirm_proposal(
        AdjustmentProposal.objects.get(entry=entry), actor=zhejiang
    )
    appeal = decisions.file_appeal(proposal, actor=member, reason="2024、2025 年度报告已线下报送")
    with pytest.raises(DomainError, match="只能申诉一次"):
        decisions.file_appeal(proposal, actor=member, reason="再次申诉")
    decisions.decide_appeal(appeal, actor=zhejiang, uphold=True, reply="经核实线下已报送")
    entry.refresh_from_db()
    assert entry.status == "active" and entry.tier == "potential" and entry.left_on is None
    assert list(TierChange.objects.filter(entry=entry).values_list("from_tier", "to_tier")) == [
        ("", "potential"),
        ("potential", ""),
    ]
    assert Appeal.objects.get().status == "upheld"


def test_dismissed_appeal_changes_nothing_and_upgrades_cannot_be_appealed(zhejiang):
    down = in_registry(reports=())
    up = in_registry(revenue=Decimal("20000000"))
    member = enterprise_user(down.enterprise)
    run(zhejiang)
    exit_proposal = decisions.confirm_proposal(
        AdjustmentProposal.objects.get(entry=down), actor=zhejiang
    )
    appeal = decisions.file_appeal(exit_proposal, actor=member, reason="请再核实")
    decisions.decide_appeal(appeal, actor=zhejiang, uphold=False, reply="系统中无报送记录")
    down.refresh_from_db()
    assert down.status == "exited"
    upgrade = decisions.confirm_proposal(AdjustmentProposal.objects.get(entry=up), actor=zhejiang)
    with pytest.raises(DomainError, match="申诉"):
        decisions.file_appeal(upgrade, actor=enterprise_user(up.enterprise), reason="x")


def test_appeal_window_closes(zhejiang):
    entry = in_registry(reports=())
    member = enterprise_user(entry.enterprise)
    run(zhejiang)
    proposal = decisions.confirm_proposal(
        AdjustmentProposal.objects.get(entry=entry), actor=zhejiang
    )
    AdjustmentProposal.objects.filter(pk=proposal.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=decisions.APPEAL_DAYS + 1)
    )
    proposal.refresh_from_db()
    with pytest.raises(DomainError, match="30 日内"):
        decisions.file_appeal(proposal, actor=member, reason="逾期")
    assert not Appeal.objects.exists()


def test_enterprise_asks_to_leave_and_staff_confirm(zhejiang):
    entry = in_registry()
    member = enterprise_user(entry.enterprise)
    proposal = decisions.request_exit(entry.enterprise, actor=member, reason="业务转型")
    with pytest.raises(DomainError, match="处理中"):
        decisions.request_exit(entry.enterprise, actor=member, reason="再次")
    assert Notification.objects.filter(recipient=zhejiang).exists()
    decisions.confirm_proposal(proposal, actor=zhejiang)
    entry.refresh_from_db()
    assert entry.status == "exited"
    other = enterprise_user()
    with pytest.raises(DomainError):
        decisions.request_exit(entry.enterprise, actor=other, reason="x")


def test_jurisdiction_rules_override_the_national_defaults(zhejiang):
    import copy

    from adjustment.rules import DEFAULT_RULES

    rules = copy.deepcopy(DEFAULT_RULES)
    rules["tiers"]["growth"] = {"field": "revenue", "op": "gte", "value": 1_000_000}
    adjustment.save_rules(region("330000"), actor=zhejiang, rules=rules)
    entry = in_registry(revenue=Decimal("2000000"))
    run(zhejiang)
    assert AdjustmentProposal.objects.get(entry=entry).to_tier == "growth"
    with pytest.raises(DomainError, match="本辖区"):
        adjustment.save_rules(region("320000"), actor=zhejiang, rules=rules)
    rules["tiers"]["growth"] = {"field": "revenue", "op": "sorta", "value": 1}
    with pytest.raises(DomainError, match="未知运算符"):
        adjustment.save_rules(region("330000"), actor=zhejiang, rules=rules)


def test_the_run_recomputes_labels_first(zhejiang):
    from registry.models import LabelAward

    # Founded 2020, valuation 2 bn yuan ≈ US$280m at 7.1 in reports staff accepted: a
    # prospective unicorn, which the default rules place in the leading tier.
    entry = in_registry(tier="growth", valuation=Decimal("2000000000"), status="accepted")
    assert not LabelAward.objects.exists()
    run(zhejiang)
    assert set(LabelAward.objects.values_list("label", flat=True)) == {"prospective_unicorn"}
    proposal = AdjustmentProposal.objects.get(entry=entry)
    assert (proposal.kind, proposal.to_tier) == ("upgrade", "leading")


def test_chunks_share_the_run_and_a_repeated_chunk_counts_once(zhejiang, monkeypatch):
    monkeypatch.setattr(adjustment, "CHUNK", 1)
    entries = [in_registry(revenue=Decimal("20000000")) for _ in range(3)]
    done = run(zhejiang)
    assert done.status == "done" and done.processed == 3 and sorted(done.chunks_done) == [0, 1, 2]
    assert done.summary == {"entries": 3, "upgrade": 3}
    # the broker delivers chunk 1 again
    adjustment.adjust_chunk(done.pk, 1, entries[1].pk, entries[1].pk, 1)
    done.refresh_from_db()
    assert done.processed == 3 and done.summary == {"entries": 3, "upgrade": 3}
    assert AdjustmentProposal.objects.count() == 3


def test_insert_rows_keeps_a_row_written_meanwhile():
    """Two runs meeting on one entry: the row already there stays, the others are added."""
    from config.bulk import insert_rows

    first, second = in_registry(), in_registry()

    def proposal(entry, kind):
        return AdjustmentProposal(entry=entry, year=YEAR, origin="rules", kind=kind,
                                  from_tier="potential", to_tier="growth")  # fmt: skip

    insert_rows(AdjustmentProposal, [proposal(first, "upgrade")])
    theirs = AdjustmentProposal.objects.get(entry=first)
    insert_rows(AdjustmentProposal, [proposal(first, "upgrade"), proposal(second, "upgrade")])
    assert AdjustmentProposal.objects.count() == 2
    assert AdjustmentProposal.objects.get(entry=first).pk == theirs.pk
    assert AdjustmentProposal.objects.get(entry=second).reasons == []


def test_insert_rows_never_skips_a_row_that_breaks_a_check():
    from django.db import IntegrityError

    from config.bulk import insert_rows

    entry = in_registry()
    broken = AdjustmentProposal(entry=entry, year=YEAR, origin="rules", kind="upgrade",
                                from_tier="potential", to_tier="")  # fmt: skip
    with pytest.raises(IntegrityError):
        insert_rows(AdjustmentProposal, [broken])
    assert not AdjustmentProposal.objects.exists()
