"""Finance pages every party reads: the overview (staff dashboard), needs, products,
institutions, scores, the listing pipeline. Every object through `visible_to` (outside it
a 404); a role outside the flow is refused (403). The actions are in views_actions.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from config.pagination import DeferredJoinPaginator
from finance.forms import (
    AdvanceForm,
    FundForm,
    InstitutionForm,
    ListingForm,
    MeetingForm,
    MessageForm,
    NameForm,
    OfferForm,
)
from finance.models import (
    OPEN_STATES,
    CreditScore,
    FinancialProduct,
    FinancingNeed,
    Institution,
    ListingCase,
    Meeting,
    Message,
    NeedStatus,
    Offer,
    OfferStatus,
    Scorecard,
    ScoreRun,
    is_institution_user,
)
from finance.permissions import acts_for_enterprise, acts_for_institution, can_manage_scorecards
from finance.scoring import raise_most
from finance.selectors import dashboard, latest_score, matching_products
from finance.services.talks import institution_of
from registry import selectors as registry_selectors
from registry.models import Enterprise
from registry.services.financing import financing_by_source

PER_PAGE = 20
STAFF, ENTERPRISE, INSTITUTION = "staff", "enterprise", "institution"


def party_of(user) -> str:
    """Which side of financing the user is on; anyone else is refused (403)."""
    if user.is_admin or user.is_bureau:
        return STAFF
    if user.is_enterprise:
        return ENTERPRISE
    if is_institution_user(user):
        return INSTITUTION
    raise PermissionDenied


def own_enterprise(user):
    """The enterprise the user acts for (403 if none)."""
    enterprise = registry_selectors.own_enterprise(user)
    if enterprise is None:
        raise PermissionDenied
    return enterprise


def page_of(request, queryset):
    return DeferredJoinPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def visible_need(request, pk):
    return get_object_or_404(
        FinancingNeed.objects.visible_to(request.user).select_related(
            "enterprise__region", "enterprise__registry_entry"
        ),
        pk=pk,
    )


@login_required
def overview(request):
    """投融资对接: the staff dashboard; the enterprise's and the institution's summary."""
    user = request.user
    party = party_of(user)
    context = {"party": party}
    if party == STAFF:
        context.update(dashboard(user))
    elif party == ENTERPRISE:
        enterprise = own_enterprise(user)
        needs = FinancingNeed.objects.filter(enterprise=enterprise)
        context.update(
            enterprise=enterprise,
            by_source=financing_by_source(enterprise),
            score=latest_score(enterprise),
            open_needs=needs.filter(status__in=OPEN_STATES).count(),
            offers_waiting=Offer.objects.filter(
                need__enterprise=enterprise, status=OfferStatus.MADE
            ).count(),
        )
    else:
        institution = institution_of(user)
        context["institution"] = institution
        if institution is not None and institution.is_approved:
            shared = FinancingNeed.objects.visible_to(user)
            context.update(
                shared_open=shared.filter(status__in=OPEN_STATES).count(),
                offers=Offer.objects.filter(institution=institution)
                .values_list("status")
                .annotate(n=Count("id"))
                .order_by(),
            )
    return render(request, "finance/overview.html", context)


@login_required
def need_list(request):
    user = request.user
    party = party_of(user)
    needs = FinancingNeed.objects.visible_to(user).select_related("enterprise")
    status = request.GET.get("status", "")
    if status in NeedStatus.values:
        needs = needs.filter(status=status)
    page = page_of(request, needs.order_by("-created_at", "-id"))
    return render(
        request,
        "finance/need_list.html",
        {"party": party, "page": page, "status": status, "states": NeedStatus.choices},
    )


@login_required
def need_detail(request, pk):
    user = request.user
    party = party_of(user)
    need = visible_need(request, pk)
    talks = {"need": need}
    context = {"party": party, "need": need}
    if party == INSTITUTION:
        institution = institution_of(user)
        talks["institution"] = institution
        context.update(
            institution=institution,
            offer_form=OfferForm(institution=institution),
            meeting_form=MeetingForm(),
            interested=need.interests.filter(institution=institution).exists(),
            score=latest_score(need.enterprise),
        )
    else:
        context["matches"] = matching_products(need, user, limit=5)
        context["score"] = latest_score(need.enterprise) if party == STAFF else None
    context.update(
        offers=Offer.objects.visible_to(user)
        .filter(need=need)
        .select_related("institution__organisation", "product"),
        messages_=Message.objects.visible_to(user)
        .filter(need=need)
        .select_related("institution__organisation", "author")[:100],
        meetings=Meeting.objects.visible_to(user)
        .filter(need=need)
        .select_related("institution__organisation")[:50],
        message_form=MessageForm(),
        fund_form=FundForm(),
        is_member=acts_for_enterprise(user, need.enterprise),
        can_offer=party == INSTITUTION and need.status in OPEN_STATES,
        named=need.shares.filter(via="named").select_related("institution__organisation"),
    )
    if context["is_member"]:
        form = NameForm()
        context["name_form"] = form
        context["threads"] = Institution.objects.filter(
            Q(pk__in=need.interests.values("institution"))
            | Q(pk__in=need.offers.values("institution"))
            | Q(pk__in=need.messages.values("institution"))
            | Q(pk__in=need.shares.values("institution"))
        ).select_related("organisation")
    return render(request, "finance/need_detail.html", context)


@login_required
def product_list(request):
    user = request.user
    party = party_of(user)
    products = FinancialProduct.objects.visible_to(user).select_related("institution__organisation")
    kind = request.GET.get("kind", "")
    if kind:
        products = products.filter(kind=kind)
    page = page_of(request, products.order_by("institution__organisation__name", "name", "id"))
    institution = institution_of(user) if party == INSTITUTION else None
    return render(
        request,
        "finance/product_list.html",
        {"party": party, "page": page, "institution": institution},
    )


@login_required
def institution_list(request):
    """Staff approve and suspend institutions; an institution user registers its own."""
    user = request.user
    party = party_of(user)
    if party == ENTERPRISE:
        raise PermissionDenied
    institutions = Institution.objects.visible_to(user).select_related("organisation__region")
    page = page_of(request, institutions.order_by("status", "organisation__name", "id"))
    own = institution_of(user) if party == INSTITUTION else None
    return render(
        request,
        "finance/institution_list.html",
        {
            "party": party,
            "page": page,
            "own": own,
            "form": InstitutionForm(),
            "can_register": party == INSTITUTION and own is None,
        },
    )


@login_required
def my_score(request):
    """The enterprise's credit score, each factor's contribution and what would raise it."""
    if not request.user.is_enterprise:
        raise PermissionDenied
    enterprise = own_enterprise(request.user)
    score = latest_score(enterprise)
    steps = raise_most(score.scorecard.factors, score.contributions) if score else []
    return render(
        request, "finance/my_score.html", {"enterprise": enterprise, "score": score, "steps": steps}
    )


@login_required
def scorecards(request):
    """Staff: the versions, the scores by grade, the scoring job's runs."""
    if party_of(request.user) != STAFF:
        raise PermissionDenied
    cards = Scorecard.objects.annotate(n=Count("scores"))
    current = cards.filter(is_current=True).first()
    grades = (
        CreditScore.objects.visible_to(request.user)
        .filter(scorecard=current)
        .values_list("grade")
        .annotate(n=Count("id"))
        .order_by("grade")
        if current
        else []
    )
    return render(
        request,
        "finance/scorecards.html",
        {
            "cards": cards[:20],
            "current": current,
            "grades": grades,
            "runs": ScoreRun.objects.select_related("scorecard")[:5],
            "can_manage": can_manage_scorecards(request.user),
        },
    )


@login_required
def listing_list(request):
    """Staff: the listing pipeline of their jurisdiction."""
    if party_of(request.user) != STAFF:
        raise PermissionDenied
    cases = ListingCase.objects.visible_to(request.user).select_related("enterprise")
    stage = request.GET.get("stage", "")
    if stage:
        cases = cases.filter(stage=stage)
    page = page_of(request, cases.order_by("-updated_at", "-id"))
    enterprises = Enterprise.objects.visible_to(request.user).filter(listing_case__isnull=True)
    return render(
        request,
        "finance/listing_list.html",
        {
            "page": page,
            "form": ListingForm(enterprises=enterprises),
            "advance_form": AdvanceForm(),
            "stage": stage,
        },
    )


def acting_institution(user):
    """The institution the user acts for (403 if none)."""
    institution = institution_of(user)
    if institution is None or not acts_for_institution(user, institution):
        raise PermissionDenied
    return institution
