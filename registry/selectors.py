from django.db.models import Count, OuterRef, Q, Subquery, Sum

from accounts.models import Region
from audit.models import AuditEvent
from registry.choices import AWAITING_VERIFICATION, TransferStatus
from registry.filters import (
    EnterpriseFilter,
    FollowUpFilter,
    ReportQueueFilter,
)
from registry.models import (
    AnnualReport,
    Enterprise,
    EnterpriseDocument,
    Membership,
    ServiceRecord,
    TransferRequest,
)
from registry.models.monitoring import ReportStatus
from registry.permissions import can_withdraw_transfer
from registry.uscc import RegionCheck, authority_region_code, compare_regions


def enterprise_list(user):
    """The enterprises a user may see, ready for a list (one query per page)."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("region", "region__parent", "registry_entry")
        .order_by("name", "id")
    )


def enterprise_filter(user, params) -> EnterpriseFilter:
    """The enterprise list page's filter over what `user` may see; its `.qs` is the list,
    filtered and sorted, that the page shows and the export writes."""
    return EnterpriseFilter(params, queryset=enterprise_list(user))


def own_enterprise(user):
    """The enterprise an enterprise user acts for (None for anyone else)."""
    if not user.is_authenticated or not user.is_enterprise:
        return None
    return Enterprise.objects.visible_to(user).first()


def own_reports(user):
    """The annual reports of the user's own enterprise, latest year first (page, export)."""
    enterprise = own_enterprise(user)
    if enterprise is None:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(enterprise=enterprise).order_by("-year")


def report_queue(user):
    """Staff's queue: the reports of their jurisdiction's enterprises that have been filed
    (drafts are the enterprise's own), oldest filing first, each with last year's revenue
    for the year-on-year column (one subquery, no query per row)."""
    if not (user.is_authenticated and user.is_staff_reviewer):
        return AnnualReport.objects.none()
    last_year = AnnualReport.objects.filter(
        enterprise=OuterRef("enterprise"), year=OuterRef("year") - 1
    )
    return (
        AnnualReport.objects.visible_to(user)
        .exclude(status=ReportStatus.DRAFT)
        .select_related("enterprise__region__parent")
        .annotate(last_revenue=Subquery(last_year.values("revenue")[:1]))
        .order_by("submitted_at", "id")
    )


def report_queue_filter(user, params) -> ReportQueueFilter:
    """The queue page's and the API's filter; with no `status` asked for, the page shows
    the reports waiting for a decision."""
    return ReportQueueFilter(params, queryset=report_queue(user))


def previous_report(report):
    """The same enterprise's report of the year before (None for its first year): what the
    review page compares with."""
    return AnnualReport.objects.filter(
        enterprise_id=report.enterprise_id, year=report.year - 1
    ).first()


def follow_ups(user):
    """Staff: service follow-ups not yet done across their jurisdiction's enterprises, the
    earliest due first (FollowUpFilter narrows them to a due window and a kind)."""
    if not (user.is_authenticated and user.is_staff_reviewer):
        return ServiceRecord.objects.none()
    records = ServiceRecord.objects.visible_to(user).filter(
        follow_up_on__isnull=False, followed_up_at__isnull=True
    )
    return records.select_related("enterprise__region__parent", "staff").order_by(
        "follow_up_on", "id"
    )


def follow_up_filter(user, params) -> FollowUpFilter:
    """The follow-up queue page's filter; with no `due` asked for, the follow-ups due
    within 7 days, overdue included."""
    return FollowUpFilter(params, queryset=follow_ups(user))


def _name_variants(name: str) -> set[str]:
    """A name as typed and with its brackets full- or half-width (（） and () read alike)."""
    name = " ".join((name or "").split())
    half = name.replace("（", "(").replace("）", ")")
    return {name, half, half.replace("(", "（").replace(")", "）")}


def same_name_count(name: str, *, exclude_pk=None) -> int:
    """How many other enterprises are registered under this name, anywhere (a warning on
    registration and edit: names are public, so the count says nothing private)."""
    return Enterprise.objects.filter(name__in=_name_variants(name)).exclude(pk=exclude_pk).count()


def same_name_enterprises(enterprise, user):
    """The other enterprises with this one's name that `user` may see (for staff)."""
    return (
        Enterprise.objects.visible_to(user)
        .filter(name__in=_name_variants(enterprise.name))
        .exclude(pk=enterprise.pk)
        .select_related("region", "region__parent")
        .order_by("id")
    )


def enterprise_timeline(enterprise):
    """Everything that happened to an enterprise, newest first."""
    return AuditEvent.objects.filter(enterprise=enterprise).select_related("content_type")


def pending_memberships(user):
    """Join requests this user can decide: visible ones, not their own."""
    return (
        Membership.objects.visible_to(user)
        .pending()
        .exclude(user=user)
        .select_related("user", "enterprise", "enterprise__region")
    )


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("enterprise")


def uscc_region_check(enterprise) -> dict:
    """The registration authority's region read from the USCC beside the declared one, and
    whether they agree (a flag for staff, not a refusal: enterprises move)."""
    authority = authority_region_code(enterprise.uscc)
    declared = enterprise.region
    names = {
        r.code: r.full_name
        for r in Region.objects.filter(
            code__in=[authority, f"{authority[:4]}00", f"{authority[:2]}0000"]
        ).select_related("parent")
    }
    authority_name = (
        names.get(authority) or names.get(f"{authority[:4]}00") or names.get(f"{authority[:2]}0000")
    )
    result = compare_regions(authority, declared.code)
    return {
        "result": result,
        "flagged": result != RegionCheck.MATCH,
        "authority_code": authority,
        "authority_name": authority_name or "",
        "declared_code": declared.code,
        "declared_name": declared.full_name,
    }


def verification_queue(user):
    """Enterprises waiting for this user's verification decision, oldest first."""
    if not (user.is_authenticated and (user.is_admin or user.is_bureau)):
        return Enterprise.objects.none()
    return (
        Enterprise.objects.visible_to(user)
        .filter(verification_status__in=AWAITING_VERIFICATION)
        .select_related("region", "region__parent")
        .order_by("updated_at", "id")
    )


def documents_of(enterprise, user):
    """The verification documents of `enterprise` the user may open."""
    return EnterpriseDocument.objects.visible_to(user).filter(enterprise=enterprise)


def transfers_for(user):
    """Transfer requests into or out of the user's jurisdiction, newest first."""
    return TransferRequest.objects.visible_to(user).select_related(
        "enterprise", "from_region__parent", "to_region__parent", "requested_by", "decided_by"
    )


def enterprise_transfers(user, enterprise, *, is_member: bool) -> list:
    """The enterprise's transfer requests the user may see, newest first, each marked
    `can_withdraw` (pending, and the user asked or is a member)."""
    rows = list(
        TransferRequest.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("from_region__parent", "to_region__parent", "requested_by")
        .order_by("-created_at")[:20]
    )
    for row in rows:
        row.can_withdraw = row.status == TransferStatus.PENDING and can_withdraw_transfer(
            user, row, member=is_member
        )
    return rows


def transfer_direction(params) -> str:
    return "out" if params.get("direction") == "out" else "in"


def transfers_by_direction(user):
    """(incoming, outgoing) transfer requests of the user's jurisdiction (an admin's are all
    incoming)."""
    requests = transfers_for(user)
    if user.is_admin:
        return requests, requests.none()
    path = user.region.path
    incoming = requests.filter(to_region__path__startswith=path)
    outgoing = requests.filter(from_region__path__startswith=path).exclude(
        to_region__path__startswith=path
    )
    return incoming, outgoing


def transfer_list(user, params):
    """The transfer page's list: incoming, or outgoing with `direction=out`."""
    incoming, outgoing = transfers_by_direction(user)
    return outgoing if transfer_direction(params) == "out" else incoming


def vouchers_received(enterprise, *, year=None) -> dict:
    """The data, algorithm and compute vouchers granted to the enterprise (in the calendar
    year they count towards, when `year` is given): how many and how much, cancelled ones
    left out. Read through the reverse relation: the registry does not import vouchers."""
    vouchers = enterprise.vouchers.exclude(status="cancelled")
    if year is not None:
        vouchers = vouchers.filter(cap_year=year)
    return vouchers.aggregate(n=Count("id"), amount=Sum("amount"), settled=Sum("settled"))


def scenario_awards_received(enterprise, *, year=None) -> dict:
    """The scenario awards (揭榜) the enterprise won (in the calendar year, local time, they
    were awarded when `year` is given): how many, how much, and how many bought its new
    product for the first time (首购首用). Read through the reverse relations: the registry
    does not import scenarios."""
    responses = enterprise.scenario_responses.filter(award__isnull=False)
    if year is not None:
        responses = responses.filter(award__awarded_at__year=year)
    return responses.aggregate(
        n=Count("award"),
        amount=Sum("award__amount"),
        first_purchases=Count("award", filter=Q(award__new_product=True)),
    )
