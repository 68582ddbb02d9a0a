"""Annual-report reminders: 30, 7 and 1 days before the due date, then overdue flags."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from accounts.services import staff_for_region
from notifications.messages import Message
from notifications.services import notify
from registry.models import Enterprise, ReportReminder
from registry.models.monitoring import ReportStatus

REMIND_DAYS_BEFORE = {30: "d30", 7: "d7", 1: "d1"}
REPORTED = [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]


def due_date(year: int) -> datetime.date:
    """The report on `year` is due in the following year (default 30 April)."""
    month, day = settings.REPORT_DUE_MONTH_DAY
    return datetime.date(year + 1, month, day)


def missing_reports(year: int):
    """Enterprises in the registry without a submitted report on `year`."""
    return (
        Enterprise.objects.filter(registry_entry__isnull=False)
        .exclude(annual_reports__year=year, annual_reports__status__in=REPORTED)
        .select_related("region")
    )


def _once(enterprise, year, kind, today) -> bool:
    try:
        with transaction.atomic():
            ReportReminder.objects.create(
                enterprise=enterprise, year=year, kind=kind, sent_on=today
            )
    except IntegrityError:
        return False
    return True


def send_report_reminders(today: datetime.date) -> dict:
    """Idempotent: each enterprise gets each reminder at most once per year."""
    year = today.year - 1
    due = due_date(year)
    days_left = (due - today).days
    sent = {"reminded": 0, "overdue": 0}
    if days_left in REMIND_DAYS_BEFORE:
        kind = REMIND_DAYS_BEFORE[days_left]
        for enterprise in missing_reports(year):
            if not _once(enterprise, year, kind, today):
                continue
            members = list(enterprise.active_members())
            notify(
                members,
                title=ngettext(
                    "请于 %(due)s 前报送 %(year)s 年度报告（还剩 %(n)d 天）",
                    "请于 %(due)s 前报送 %(year)s 年度报告（还剩 %(n)d 天）",
                    days_left,
                )
                % {"due": due.isoformat(), "year": year, "n": days_left},
                url=reverse("registry:report-list"),
            )
            sent["reminded"] += 1
    elif days_left < 0:
        for enterprise in missing_reports(year):
            if not _once(enterprise, year, "overdue", today):
                continue
            notify(
                list(enterprise.active_members()) + list(staff_for_region(enterprise.region)),
                title=Message(
                    N_("%(name)s 的 %(year)s 年度报告已逾期"), name=enterprise.name, year=year
                ),
                url=reverse("registry:enterprise-detail", args=[enterprise.pk]),
                email=False,
            )
            sent["overdue"] += 1
    return sent
