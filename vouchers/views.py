"""Voucher pages every party reads: the overview, the programme, application, voucher and
claim lists and details (each scoped by `visible_to`: outside it a 404), and the public
check of a voucher code. The actions are in views_parties.py and views_staff.py."""

from decimal import Decimal

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from config.pagination import DeferredJoinPaginator
from registry.models import Enterprise
from vouchers.forms import ClaimForm, CodeForm
from vouchers.models import (
    APPLICATION_TRANSITIONS,
    AWAITING_SETTLEMENT_STATES,
    CLAIM_TRANSITIONS,
    OPEN_VOUCHER_STATES,
    ApplicationStatus,
    Claim,
    ClaimStatus,
    EnterpriseYearCap,
    MembershipStatus,
    ProgramProvider,
    ProgramStatus,
    Voucher,
    VoucherApplication,
    VoucherProgram,
)
from vouchers.models.programs import is_provider_user
from vouchers.page_selectors import (
    ApplicationFilter,
    ClaimFilter,
    ProgramFilter,
    VoucherFilter,
    eligibility_of,
    own_provider,
    provider_totals,
    staff_figures,
)
from vouchers.permissions import (
    acts_for_claimant,
    acts_for_enterprise,
    acts_for_provider,
    can_manage_program,
)
from vouchers.selectors import grant_terms, remaining_annual_cap

PER_PAGE = 20
STAFF, ENTERPRISE, PROVIDER = "staff", "enterprise", "provider"


def party_of(user) -> str:
    """Which side of the voucher flow the user is on; anyone else is refused (403)."""
    if user.is_admin or user.is_bureau:
        return STAFF
    if user.is_enterprise:
        return ENTERPRISE
    if is_provider_user(user):
        return PROVIDER
    raise PermissionDenied


def own_enterprise(user):
    enterprise = Enterprise.objects.visible_to(user).select_related("region").first()
    if enterprise is None:
        raise PermissionDenied
    return enterprise


def _page(request, queryset):
    return DeferredJoinPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _filtered(request, names):
    return any(request.GET.get(k) for k in names)


@login_required
def overview(request):
    """数据券/算法券/算力券: what waits for this user, by role."""
    user = request.user
    party = party_of(user)
    context = {"party": party, "today": timezone.localdate()}
    if party == STAFF:
        context.update(staff_figures(user))
    elif party == ENTERPRISE:
        enterprise = own_enterprise(user)
        vouchers = Voucher.objects.filter(enterprise=enterprise)
        context.update(
            enterprise=enterprise,
            caps=EnterpriseYearCap.objects.filter(enterprise=enterprise)
            .select_related("program")
            .order_by("-year", "program__name"),
            live=vouchers.filter(status__in=OPEN_VOUCHER_STATES).aggregate(
                n=Count("id"), amount=Sum("amount"), claimed=Sum("claimed")
            ),
            returned=VoucherApplication.objects.filter(
                enterprise=enterprise, status=ApplicationStatus.RETURNED
            ).count(),
            to_confirm=Claim.objects.filter(
                enterprise=enterprise, status=ClaimStatus.FILED, claimant="provider"
            ).count(),
        )
    else:
        provider = own_provider(user)
        context.update(provider=provider, code_form=CodeForm())
        if provider is not None:
            context.update(provider_totals(provider))
    return render(request, "vouchers/overview.html", context)


@login_required
def program_list(request):
    user = request.user
    party = party_of(user)
    queryset = VoucherProgram.objects.visible_to(user).select_related("jurisdiction")
    if party != STAFF:
        queryset = queryset.filter(status__in=(ProgramStatus.PUBLISHED, ProgramStatus.CLOSED))
    filterset = ProgramFilter(request.GET, queryset=queryset.order_by("-year", "-id"))
    page = _page(request, filterset.qs)
    context = {
        "party": party,
        "filter": filterset,
        "page": page,
        "filtered": _filtered(request, ("q", "kind", "status", "year")),
    }
    if party == ENTERPRISE:
        enterprise = own_enterprise(user)
        context["enterprise"] = enterprise
        context["eligibility"] = eligibility_of(page.object_list, enterprise)
    elif party == PROVIDER:
        provider = own_provider(user)
        context["provider"] = provider
        context["memberships"] = (
            dict(
                ProgramProvider.objects.filter(
                    provider=provider, program__in=[p.pk for p in page.object_list]
                ).values_list("program_id", "status")
            )
            if provider
            else {}
        )
    return render(request, "vouchers/program_list.html", context)


def visible(request, model, pk, *related):
    """The object if the user may see it; a 404 otherwise (never a 403)."""
    return get_object_or_404(model.objects.visible_to(request.user).select_related(*related), pk=pk)


def visible_program(request, pk):
    return visible(request, VoucherProgram, pk, "jurisdiction", "previous", "created_by")


@login_required
def program_detail(request, pk):
    user = request.user
    party = party_of(user)
    program = visible_program(request, pk)
    context = {
        "party": party,
        "program": program,
        "manager": can_manage_program(user, program.jurisdiction),
        "next_version": VoucherProgram.objects.filter(previous=program).first(),
    }
    if party == STAFF:
        context["memberships"] = program.memberships.select_related(
            "provider__organisation"
        ).order_by("status", "provider__organisation__name")
    elif party == ENTERPRISE:
        enterprise = own_enterprise(user)
        context["enterprise"] = enterprise
        context["eligibility"] = eligibility_of([program], enterprise)[program.pk]
        context["remaining_cap"] = remaining_annual_cap(
            enterprise, program, timezone.localdate().year
        )
        context["providers"] = program.memberships.filter(
            status=MembershipStatus.APPROVED
        ).select_related("provider__organisation")
    else:
        provider = own_provider(user)
        context["provider"] = provider
        context["membership"] = (
            program.memberships.filter(provider=provider).first() if provider else None
        )
    return render(request, "vouchers/program_detail.html", context)


def _list(request, model, filter_class, template, related, names):
    party = party_of(request.user)
    queryset = model.objects.visible_to(request.user).select_related(*related)
    filterset = filter_class(request.GET, queryset=queryset)
    context = {
        "party": party,
        "filter": filterset,
        "page": _page(request, filterset.qs),
        "filtered": _filtered(request, names),
        "today": timezone.localdate(),
    }
    return render(request, template, context)


PARTY_RELATED = ("program", "enterprise", "provider__organisation")


@login_required
def application_list(request):
    """Staff: the application queue; an enterprise: its applications; a provider: the
    applications naming it."""
    return _list(request, VoucherApplication, ApplicationFilter,
                 "vouchers/application_list.html", PARTY_RELATED,
                 ("q", "status", "program"))  # fmt: skip


@login_required
def voucher_list(request):
    return _list(request, Voucher, VoucherFilter, "vouchers/voucher_list.html", PARTY_RELATED,
                 ("q", "status", "program"))  # fmt: skip


@login_required
def claim_list(request):
    """Staff: the claim queue (overdue settlements flagged); the parties: their claims with
    their payment status."""
    return _list(request, Claim, ClaimFilter, "vouchers/claim_list.html",
                 (*PARTY_RELATED, "voucher"), ("q", "status", "program", "overdue"))  # fmt: skip


def visible_application(request, pk):
    return visible(request, VoucherApplication, pk, "program__jurisdiction",
                   "enterprise__region", "provider__organisation")  # fmt: skip


@login_required
def application_detail(request, pk):
    user = request.user
    party = party_of(user)
    application = visible_application(request, pk)
    program = application.program
    manager = can_manage_program(user, program.jurisdiction)
    allowed = APPLICATION_TRANSITIONS[ApplicationStatus(application.status)]
    voucher = Voucher.objects.filter(application=application).first()
    terms = None
    if voucher is not None:
        terms = {
            **voucher.terms,
            "ratio": voucher.ratio,
            "is_startup": voucher.is_startup,
            "granted": voucher.amount,
        }
    elif party == STAFF and application.status == ApplicationStatus.APPLIED:
        computed = grant_terms(
            program,
            application.enterprise,
            contract_amount=application.contract_amount,
            sought=application.amount_sought,
            on=timezone.localdate(),
        )
        terms = computed.as_dict()
    context = {
        "party": party,
        "application": application,
        "program": program,
        "voucher": voucher,
        "terms": terms,
        "manager": manager,
        "can_decide": manager and application.status == ApplicationStatus.APPLIED,
        "can_withdraw": acts_for_enterprise(user, application.enterprise)
        and ApplicationStatus.WITHDRAWN in allowed,
        "can_resubmit": acts_for_enterprise(user, application.enterprise)
        and application.status == ApplicationStatus.RETURNED,
    }
    return render(request, "vouchers/application_detail.html", context)


def visible_voucher(request, pk):
    return visible(request, Voucher, pk, "program__jurisdiction", "enterprise",
                   "provider__organisation", "application")  # fmt: skip


@login_required
def voucher_detail(request, pk):
    user = request.user
    party = party_of(user)
    voucher = visible_voucher(request, pk)
    program = voucher.program
    claimant_is_provider = program.claimant_is_provider()
    can_claim = (
        acts_for_claimant(user, voucher, claimant_is_provider)
        and voucher.status in OPEN_VOUCHER_STATES
        and voucher.expires_on >= timezone.localdate()
        and voucher.remaining > 0
    )
    context = {
        "party": party,
        "voucher": voucher,
        "program": program,
        "claims": voucher.claims.order_by("-filed_at", "-id"),
        "can_claim": can_claim,
        "claim_form": ClaimForm() if can_claim else None,
        "manager": can_manage_program(user, program.jurisdiction),
        "check_url": request.build_absolute_uri(
            reverse("vouchers:check", args=[voucher.verification_token])
        ),
    }
    # The provider scans it from the enterprise's screen or a print-out to check the voucher.
    context["qr"] = segno.make(context["check_url"], error="m").png_data_uri(scale=4, border=2)
    return render(request, "vouchers/voucher_detail.html", context)


def visible_claim(request, pk):
    return visible(request, Claim, pk, "voucher", "program__jurisdiction", "enterprise",
                   "provider__organisation")  # fmt: skip


# Claim actions: name -> (target state, who: "counterparty" / "staff", needs a reason).
CLAIM_ACTIONS = {
    "confirm": (ClaimStatus.CONFIRMED, "counterparty", False),
    "verify": (ClaimStatus.VERIFIED, "staff", False),
    "settle": (ClaimStatus.SETTLED, "staff", False),
    "return": (ClaimStatus.RETURNED, "staff", True),
    "reject": (ClaimStatus.REJECTED, "staff", True),
}


def counterparty_acts(user, claim) -> bool:
    if claim.claimant == "provider":
        return acts_for_enterprise(user, claim.enterprise)
    return acts_for_provider(user, claim.provider)


@login_required
def claim_detail(request, pk):
    user = request.user
    party = party_of(user)
    claim = visible_claim(request, pk)
    manager = can_manage_program(user, claim.program.jurisdiction)
    counterparty = counterparty_acts(user, claim)
    allowed = CLAIM_TRANSITIONS[ClaimStatus(claim.status)]
    actions = [
        (name, target, needs_reason)
        for name, (target, who, needs_reason) in CLAIM_ACTIONS.items()
        if target in allowed and (manager if who == "staff" else counterparty)
    ]
    context = {
        "party": party,
        "claim": claim,
        "can_resubmit": claim.status == ClaimStatus.RETURNED
        and acts_for_claimant(user, claim, claim.claimant == "provider"),
        "voucher": claim.voucher,
        "actions": actions,
        "overdue": claim.status in AWAITING_SETTLEMENT_STATES
        and claim.settle_due_on is not None
        and claim.settle_due_on < timezone.localdate(),
    }
    return render(request, "vouchers/claim_detail.html", context)


def check(request, token):
    """The public check of a voucher (the QR link): code, status, remaining, expiry only."""
    voucher = get_object_or_404(
        Voucher.objects.only(
            "code", "status", "amount", "claimed", "released", "expires_on",
            "verification_token",
        ),
        verification_token=token,
    )  # fmt: skip
    return render(
        request,
        "vouchers/check.html",
        {"voucher": voucher, "remaining": max(voucher.remaining, Decimal("0.00"))},
    )
