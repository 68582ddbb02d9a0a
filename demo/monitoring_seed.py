"""Demo annual reports and service records for the named enterprises (via services)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from registry.models import AnnualReport, Enterprise, ServiceRecord
from registry.services import reports

RETURN_REASON = "净利润与审计报告不一致，请核对后重新报送。"
SERVICE_NOTES = ["组织银企对接会，介绍数创示范银行科技信贷产品。", "协助申请公共数据授权运营试点。"]


def seed_monitoring(users, named_emails, *, log=print) -> None:
    made = 0
    for n, email in enumerate(named_emails):
        member = users.get(email)
        if member is None:
            continue
        enterprise = Enterprise.objects.visible_to(member).first()
        if enterprise is None or AnnualReport.objects.filter(enterprise=enterprise).exists():
            continue
        bureau = next(
            u for u in users.values() if u.is_bureau and u.region.contains(enterprise.region)
        )
        base = Decimal(12_000_000 + n * 7_000_000)
        for offset, year in enumerate((2023, 2024, 2025)):
            revenue = (base * Decimal("1.3") ** offset).quantize(Decimal("0.01"))
            report = reports.save_report(
                enterprise,
                actor=member,
                year=year,
                values={
                    "revenue": revenue,
                    "main_business_revenue": (revenue * Decimal("0.9")).quantize(Decimal("0.01")),
                    "net_profit": (revenue * Decimal("0.06")).quantize(Decimal("0.01")),
                    "rd_expense": (revenue * Decimal("0.08")).quantize(Decimal("0.01")),
                    "employees": 80 + 20 * offset + 10 * n,
                    "rd_staff": 30 + 8 * offset,
                    "invention_patents": 4 + 3 * offset,
                    "software_copyrights": 10 + 5 * offset,
                    "data_resources_registered": offset,
                    "financing_this_year": Decimal(20_000_000) if offset == 2 else Decimal(0),
                    "cumulative_financing": Decimal(30_000_000 + 20_000_000 * (offset == 2)),
                    "valuation": Decimal(600_000_000 + 200_000_000 * offset),
                    "overseas_revenue": Decimal(0),
                    "compliance_incidents": 0,
                },
            )
            report = reports.submit_report(report, actor=member)
            if year < 2025:
                reports.accept_report(report, actor=bureau)
            elif n == 1:
                reports.return_report(
                    report, actor=bureau, reason="净利润与审计报告不一致，请核对后重新报送。"
                )
        if not ServiceRecord.objects.filter(enterprise=enterprise).exists():
            today = timezone.localdate()
            reports.log_service(
                enterprise,
                actor=bureau,
                kind=["financing", "data", "compute", "policy"][n % 4],
                served_on=today - datetime.timedelta(days=20 + n),
                notes="组织银企对接会，介绍数创示范银行科技信贷产品。"
                if n % 4 == 0
                else "协助申请公共数据授权运营试点。",
                follow_up_on=today + datetime.timedelta(days=5 + n),
            )
        made += 1
    log(f"年度报告与服务记录：{made} 家企业")
