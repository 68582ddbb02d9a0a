"""Scenario pages everyone reads: the public list with search (no login), a scenario, a
list, the responses, the staff queue and the catalogue. Rows come from `visible_to`
(outside it a 404); a role with no part here is refused (403). Writes: views_actions.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config.errors import DomainError
from config.pagination import DeferredJoinPaginator
from registry.models import Enterprise
from scenarios.downloads import attachment_response
from scenarios.forms import (
    MessageForm,
    PublisherApplyForm,
    ReasonForm,
    ScenarioListForm,
)
from scenarios.models import (
    OPEN_RESPONSE_STATES,
    Award,
    CatalogueEntry,
    Outcome,
    Response,
    Scenario,
    ScenarioList,
    is_publisher_user,
)
from scenarios.permissions import (
    acts_for_publisher,
    can_follow_recommendations,
    can_review_scenario,
    can_see_recommended_enterprises,
)
from scenarios.selectors import ROW_RELATED, PublicScenarioFilter, review_queue
from scenarios.services.cases import can_mark_case
from scenarios.services.eligibility import check_eligible
from scenarios.services.publishers import apply_publisher, own_publisher

PER_PAGE = 20
STAFF, PUBLISHER, ENTERPRISE = "staff", "publisher", "enterprise"


def party_of(user) -> str:
    """Which side of the scenario flow the user is on; anyone else is refused (403)."""
    if user.is_admin or user.is_bureau:
        return STAFF
    if is_publisher_user(user):
        return PUBLISHER
    if user.is_enterprise:
        return ENTERPRISE
    raise PermissionDenied


def own_enterprise(user):
    enterprise = Enterprise.objects.visible_to(user).first()
    if enterprise is None:
        raise PermissionDenied
    return enterprise


def page_of(request, queryset):
    return DeferredJoinPaginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def public_list(request):
    """应用场景清单、机会清单: published scenarios, searchable, for everyone (no login)."""
    base = Scenario.objects.public().select_related(*ROW_RELATED)
    if not request.GET.get("q"):
        base = base.order_by("status", "deadline", "id")
    filtered = PublicScenarioFilter(request.GET, queryset=base)
    page = page_of(request, filtered.qs)
    return render(request, "scenarios/public_list.html", {
        "filter": filtered, "page": page,
        "filtered": any(request.GET.get(k) for k in filtered.form.fields),
    })  # fmt: skip


def scenario_detail(request, pk):
    """A scenario: public once published; its publisher and staff see every state."""
    scenario = get_object_or_404(
        Scenario.objects.visible_to(request.user).select_related(
            "scenario_list__publisher__organisation",
            "scenario_list__jurisdiction",
            "region__parent",
        ),
        pk=pk,
    )
    user = request.user
    context = {"scenario": scenario, "reason_form": ReasonForm()}
    if user.is_authenticated:
        publisher = scenario.scenario_list.publisher
        context["is_owner"] = acts_for_publisher(user, publisher)
        context["is_reviewer"] = can_review_scenario(user, scenario)
        context["can_recommend"] = can_see_recommended_enterprises(user, scenario)
        if context["is_owner"] or user.is_admin or user.is_bureau:
            context["responses"] = scenario.responses.select_related("enterprise").order_by(
                "status", "-created_at"
            )[:PER_PAGE]
            context["revisions"] = scenario.revisions.select_related("changed_by")[:10]
        if user.is_enterprise:
            enterprise = Enterprise.objects.visible_to(user).first()
            if enterprise is not None:
                context["enterprise"] = enterprise
                context["own_response"] = Response.objects.filter(
                    scenario=scenario, enterprise=enterprise
                ).first()
                context["failing"] = check_eligible(scenario, enterprise)
    return render(request, "scenarios/scenario_detail.html", context)


@login_required
def publisher_home(request):
    """The publisher's workspace: its application (or the form), lists and scenarios.
    POST: the organisation applies to be a publisher."""
    if not is_publisher_user(request.user):
        raise PermissionDenied
    publisher = own_publisher(request.user)
    apply_form = PublisherApplyForm(request.POST or None)
    if request.method == "POST" and apply_form.is_valid():
        try:
            apply_publisher(actor=request.user, **apply_form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("申请已提交，请等待辖区数据管理部门审核。"))
        return redirect("scenarios:publisher-home")
    scenarios = Scenario.objects.none()
    if publisher is not None:
        scenarios = (
            Scenario.objects.filter(scenario_list__publisher=publisher)
            .select_related(*ROW_RELATED)
            .order_by("-updated_at", "-id")
        )
    return render(request, "scenarios/publisher_home.html", {
        "publisher": publisher,
        "apply_form": apply_form,
        "list_form": ScenarioListForm(),
        "lists": publisher.lists.order_by("-issued_on", "-id")[:50] if publisher else [],
        "page": page_of(request, scenarios),
    })  # fmt: skip


def list_detail(request, pk):
    scenario_list = get_object_or_404(
        ScenarioList.objects.visible_to(request.user).select_related(
            "publisher__organisation", "jurisdiction__parent"
        ),
        pk=pk,
    )
    owner = request.user.is_authenticated and acts_for_publisher(
        request.user, scenario_list.publisher
    )
    scenarios = Scenario.objects.visible_to(request.user).filter(scenario_list=scenario_list)
    page = page_of(request, scenarios.select_related(*ROW_RELATED).order_by("deadline", "id"))
    follow = can_follow_recommendations(request.user, scenario_list)
    return render(request, "scenarios/list_detail.html", {
        "scenario_list": scenario_list, "page": page, "is_owner": owner, "can_follow": follow,
        "run": scenario_list.recommendation_runs.first() if follow else None,
    })  # fmt: skip


@login_required
def list_recommendation_progress(request, pk):
    """The recommendation job's progress bar (htmx polls it): the list's publisher and
    staff whose jurisdiction holds it; others 403 (404 when the list is unseen)."""
    scenario_list = get_object_or_404(ScenarioList.objects.visible_to(request.user), pk=pk)
    if not can_follow_recommendations(request.user, scenario_list):
        raise PermissionDenied
    return render(request, "scenarios/_recommendation_progress.html", {
        "scenario_list": scenario_list, "run": scenario_list.recommendation_runs.first(),
    })  # fmt: skip


@login_required
def response_list(request):
    """An enterprise's responses; a publisher's received ones; staff their jurisdiction's."""
    party = party_of(request.user)
    responses = (
        Response.objects.visible_to(request.user)
        .select_related("scenario", "enterprise")
        .order_by("-updated_at", "-id")
    )
    status = request.GET.get("status", "")
    if status:
        responses = responses.filter(status=status)
    return render(request, "scenarios/response_list.html", {
        "party": party, "page": page_of(request, responses), "status": status,
    })  # fmt: skip


def _response(request, pk):
    return get_object_or_404(
        Response.objects.visible_to(request.user).select_related(
            "scenario__scenario_list__publisher__organisation", "enterprise"
        ),
        pk=pk,
    )


@login_required
def response_detail(request, pk):
    response = _response(request, pk)
    user = request.user
    scenario = response.scenario
    award = Award.objects.filter(response=response).select_related("typical_case").first()
    return render(request, "scenarios/response_detail.html", {
        "response": response,
        "scenario": scenario,
        "thread": response.messages.select_related("author")[:200],
        "message_form": MessageForm(),
        "is_owner": acts_for_publisher(user, scenario.scenario_list.publisher),
        "is_responder": user.is_enterprise,
        "is_open": response.status in OPEN_RESPONSE_STATES,
        "editable": scenario.accepts_responses() and response.status in OPEN_RESPONSE_STATES,
        "award": award,
        "typical_case": getattr(award, "typical_case", None) if award else None,
        "can_mark_case": award is not None and can_mark_case(user, award),
        "outcome_choices": Outcome.choices,
    })  # fmt: skip


@login_required
def review(request):
    """Staff: scenarios to publish or return, publishers to approve, first purchases."""
    if not (request.user.is_admin or request.user.is_bureau):
        raise PermissionDenied
    scenarios, publishers, purchases = review_queue(request.user)
    return render(request, "scenarios/review.html", {
        "page": page_of(request, scenarios),
        "publishers": publishers[:PER_PAGE],
        "purchases": purchases[:PER_PAGE],
        "reason_form": ReasonForm(),
    })  # fmt: skip


@login_required
def catalogue(request):
    """创新产品推荐目录: products first bought through a scenario, for every signed-in user."""
    entries = (
        CatalogueEntry.objects.visible_to(request.user)
        .select_related("enterprise", "first_purchase__buyer__organisation")
        .order_by("-listed_at", "-id")
    )
    return render(request, "scenarios/catalogue.html", {"page": page_of(request, entries)})


def scenario_attachment(request, pk):
    """The scenario's attachment, for whoever sees the scenario (public once published)."""
    scenario = get_object_or_404(Scenario.objects.visible_to(request.user), pk=pk)
    return attachment_response(scenario.attachment)


@login_required
def response_attachment(request, pk):
    """A response's attachment: its enterprise, the publisher and staff only (else 404)."""
    return attachment_response(_response(request, pk).attachment)
