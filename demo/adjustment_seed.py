"""Demo dynamic adjustment: two years of reports for the generated Zhejiang enterprises, a
record and a listing, then the job for Zhejiang and Beijing, and decisions in every state.

The job and the decisions go through the services (progress, audit, notices); only the
generated reports are written in bulk, as an import from the monitoring system would.
"""

import datetime
import random
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from adjustment.models import AdjustmentProposal, AdjustmentRun
from adjustment.services import decisions
from adjustment.services import job as adjustment
from registry.choices import EntryStatus
from registry.models import AnnualReport, Enterprise, RegistryEntry
from registry.services import approve_membership, request_membership
from registry.services.records import add_record

YEARS = (2024, 2025)
LATE_REPORT = "企业已说明：财务负责人变动导致漏报，承诺 5 月内补报。"
APPELLANT = {"email": "ent.zj@demo.cn", "phone": "18800000106", "full_name": "郑可欣"}
APPEAL = "失信被执行案件已于 2025 年 12 月履行完毕，信用修复申请已受理，请求保留在库资格。"
SEED = 2611


def _figures(rng, profile):
    """(revenue, R&D share in %, patents, copyrights) for a profile of the demo."""
    if profile == "leading":
        return rng.randint(110, 400) * 1_000_000, rng.randint(4, 9), rng.randint(6, 30), 20
    if profile == "growth":
        return rng.randint(12, 80) * 1_000_000, rng.randint(3, 8), rng.randint(1, 5), 8
    if profile == "weak":
        return rng.randint(2, 8) * 1_000_000, 1, 0, 1
    return rng.randint(3, 9) * 1_000_000, rng.randint(3, 6), 1, 2


def _report(enterprise_id, year, figures, submitted_at):
    revenue, rd_share, patents, copyrights = figures
    revenue = Decimal(revenue)
    return AnnualReport(
        enterprise_id=enterprise_id, year=year, status="accepted", revenue=revenue,
        main_business_revenue=revenue * Decimal("0.9"), net_profit=revenue * Decimal("0.05"),
        rd_expense=revenue * rd_share / 100, employees=60, rd_staff=20, invention_patents=patents,
        software_copyrights=copyrights, submitted_at=submitted_at,
    )  # fmt: skip


def _profile(tier, roll):
    """Most enterprises keep their level; some grow, some weaken, a few stop reporting."""
    if roll < 0.15:
        return None  # no reports: the job proposes an exit if two years were owed
    if roll < 0.35:
        return {"potential": "growth", "growth": "leading", "leading": "leading"}[tier]
    if roll < 0.5:
        return "weak"
    return {"potential": "potential", "growth": "growth", "leading": "leading"}[tier]


def _generated_reports(province_path, rng):
    entries = (
        RegistryEntry.objects.filter(
            status=EntryStatus.ACTIVE,
            enterprise__region__path__startswith=province_path,
            enterprise__annual_reports__isnull=True,
            enterprise__memberships__isnull=True,  # the named ones report through their pages
        )
        .order_by("pk")
        .values_list("enterprise_id", "tier")
    )
    submitted = timezone.make_aware(datetime.datetime(2026, 4, 20, 9, 0))
    rows = []
    for enterprise_id, tier in entries:
        profile = _profile(tier, rng.random())
        if profile is not None:
            rows += [_report(enterprise_id, y, _figures(rng, profile), submitted) for y in YEARS]
    AnnualReport.objects.bulk_create(rows)
    return len(rows)


def seed_adjustment(users, password, *, log=print) -> None:
    if AdjustmentRun.objects.exists():
        log("动态调整：已存在，跳过")
        return
    rng = random.Random(SEED)
    zhejiang, beijing = users["zhejiang@demo.cn"], users["beijing@demo.cn"]
    reports = _generated_reports(zhejiang.region.path, rng)
    _one_record_and_one_listing(zhejiang)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs as after a click
        for staff in (zhejiang, beijing):
            adjustment.start_adjustment(actor=staff, region=staff.region, year=2025)
    _decide_some(zhejiang, beijing, password)
    pending = AdjustmentProposal.objects.filter(status="pending").count()
    log(f"动态调整：补充报告 {reports} 份，待确认建议 {pending} 项")


def _one_record_and_one_listing(staff):
    generated = Enterprise.objects.filter(
        registry_entry__status=EntryStatus.ACTIVE,
        registry_entry__admitted_on__year=2024,
        region__path__startswith=staff.region.path,
        annual_reports__isnull=False,
    ).distinct()
    picked = list(generated.order_by("pk")[:2])
    if len(picked) < 2:
        return  # a demo seeded with very few enterprises
    first, second = picked
    add_record(first, actor=staff, kind="dishonesty", occurred_on=datetime.date(2025, 11, 3),
               source="信用中国（浙江）", note="被列入失信被执行人名单。")  # fmt: skip
    Enterprise.objects.filter(pk=second.pk).update(listing_status="star")


def _decide_some(zhejiang, beijing, password):
    """A few decisions in every state; the rest stay pending for the demo staff."""
    mine = AdjustmentProposal.objects.filter(
        status="pending", entry__enterprise__region__path__startswith=zhejiang.region.path,
        entry__enterprise__memberships__isnull=True,
    ).order_by("pk")  # fmt: skip
    upgrade = mine.filter(kind="upgrade").first()
    if upgrade:
        decisions.confirm_proposal(upgrade, actor=zhejiang)
    downgrade = mine.filter(kind="downgrade", from_tier="leading").first()
    if downgrade:
        decisions.amend_proposal(downgrade, actor=zhejiang, kind="downgrade", tier="growth",
                                 reason="新签大额订单，先降一级观察一年。")  # fmt: skip
    exits = list(mine.filter(kind="exit"))
    in_beijing = {"entry__enterprise__region__path__startswith": beijing.region.path}
    late = AdjustmentProposal.objects.filter(status="pending", kind="exit", **in_beijing)
    exit_ = next(
        (p for p in late.order_by("pk") if p.reasons[-1].get("key") == "exit.missing_reports"), None
    )
    if exit_:
        decisions.reject_proposal(exit_, actor=beijing, reason=LATE_REPORT)
    # The enterprise with a dishonesty record: staff confirmed its exit, and a member who
    # joined to handle it appealed — the appeal waits for the Zhejiang demo login.
    listed = next((p for p in exits if p.reasons[0].get("record") == "dishonesty"), None)
    if listed:
        confirmed = decisions.confirm_proposal(listed, actor=zhejiang)
        enterprise = confirmed.entry.enterprise
        membership = request_membership(account={**APPELLANT, "password": password},
                                        uscc=enterprise.uscc, note="负责信用修复事宜")  # fmt: skip
        approve_membership(membership, actor=zhejiang)
        decisions.file_appeal(confirmed, actor=membership.user, reason=APPEAL)
