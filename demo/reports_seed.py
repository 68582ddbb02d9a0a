"""Demo documents: a registry certificate for every admitted named enterprise (the demo
logins) and one finished annual cultivation report (杭州市, last year), made through the
services so that codes, audit events, the stored PDF and the notification are all real.

Idempotent: an entry keeps its current certificate (issuing is idempotent), and the report
is rendered only when no finished one exists for that jurisdiction and year.
"""

from django.utils import timezone

from accounts.models import Region
from config.jobs import RunStatus
from registry.choices import EntryStatus, MembershipStatus
from registry.models import RegistryEntry
from reports.models import AnnualReportRun
from reports.services import annual, certificates

REPORT_BUREAU = "hangzhou@demo.cn"
REPORT_REGION = "330100"


def _issuer(entry, bureaus):
    """The bureau login with the narrowest jurisdiction holding the enterprise."""
    inside = [u for u in bureaus if u.region.contains(entry.enterprise.region)]
    return max(inside, key=lambda u: len(u.region.path))


def seed_reports(users, named_emails, *, log=print) -> None:
    bureaus = [u for u in users.values() if u.is_bureau]
    entries = (
        RegistryEntry.objects.filter(
            status=EntryStatus.ACTIVE,
            enterprise__memberships__user__email__in=named_emails,
            enterprise__memberships__status=MembershipStatus.ACTIVE,
        )
        .select_related("enterprise__region", "jurisdiction")
        .distinct()
        .order_by("pk")
    )
    issued = [certificates.issue_certificate(e, actor=_issuer(e, bureaus)) for e in entries]
    log(f"入库证书：{len(issued)} 张")

    region = Region.objects.get(code=REPORT_REGION)
    year = timezone.localdate().year - 1
    done = AnnualReportRun.objects.filter(jurisdiction=region, year=year, status=RunStatus.DONE)
    if not done.exists():
        run = annual.start_annual_report(region, year, actor=users[REPORT_BUREAU])
        run = annual.run_annual_report(run)
        log(f"年度培育报告：{region.name} {year}，{run.pages} 页")
