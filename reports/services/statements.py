"""The voucher programme statement (券种计划结算报告): the budget, reserved and spent,
whether the ledger agrees, and the totals per provider and per enterprise. Rendered in the
request (a handful of queries, a few pages); who may ask is checked by the caller."""

from django.db.models import Count, Sum
from django.template.loader import render_to_string

from reports.pdf import render_pdf
from reports.services.documents import _context
from vouchers.models import Voucher
from vouchers.selectors import reconciliation, totals_by_provider


def totals_by_enterprise(program):
    """Per enterprise of a programme: vouchers, granted, claimed, settled (one query)."""
    return (
        Voucher.objects.filter(program=program)
        .values("enterprise_id", "enterprise__name", "enterprise__uscc")
        .annotate(
            vouchers=Count("id"),
            granted=Sum("amount"),
            claimed=Sum("claimed"),
            settled=Sum("settled"),
        )
        .order_by("-granted", "enterprise_id")
    )


def program_statement(program) -> dict:
    balance = reconciliation([program])[0]
    return {
        "program": program,
        "balance": balance,
        "remaining": program.budget - program.reserved - program.spent,
        "by_provider": list(totals_by_provider(program)),
        "by_enterprise": list(totals_by_enterprise(program)),
    }


def program_statement_pdf(program) -> bytes:
    html = render_to_string(
        "reports/program_statement.html", _context(**program_statement(program))
    )
    return render_pdf(html)
