"""Scenario pages that change something: each calls one service; a refusal is shown as the
service's sentence. Objects outside `visible_to` are 404; a role with no part, 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from scenarios.forms import (
    AwardEntryForm,
    MessageForm,
    OutcomeForm,
    ReasonForm,
    ResponseForm,
    ScenarioForm,
    ScenarioListForm,
)
from scenarios.models import (
    OPEN_RESPONSE_STATES,
    FirstPurchase,
    Publisher,
    Response,
    Scenario,
    ScenarioList,
    is_publisher_user,
)
from scenarios.permissions import (
    acts_for_enterprise,
    acts_for_publisher,
    can_decide_first_purchase,
    can_decide_publisher,
    can_review_scenario,
)
from scenarios.services import awards as award_services
from scenarios.services import publishers as publisher_services
from scenarios.services import responses as response_services
from scenarios.services import scenarios as scenario_services
from scenarios.views import own_enterprise


def _add_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@login_required
@require_POST
def list_create(request):
    if not is_publisher_user(request.user):
        raise PermissionDenied
    publisher = publisher_services.own_publisher(request.user)
    form = ScenarioListForm(request.POST)
    if publisher is None or not form.is_valid():
        messages.error(request, _("请填写完整的清单信息（发布方须已获批准）。"))
        return redirect("scenarios:publisher-home")
    try:
        created = scenario_services.create_list(
            actor=request.user, publisher=publisher, **form.cleaned_data
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("scenarios:publisher-home")
    return redirect("scenarios:list-detail", created.pk)


def _own_list(request, pk):
    scenario_list = get_object_or_404(ScenarioList.objects.visible_to(request.user), pk=pk)
    if not acts_for_publisher(request.user, scenario_list.publisher):
        raise PermissionDenied
    return scenario_list


@login_required
def scenario_create(request, pk):
    scenario_list = _own_list(request, pk)
    form = ScenarioForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = scenario_services.create_scenario(
                actor=request.user, scenario_list=scenario_list, **form.values()
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("场景已保存为草稿，提交后由辖区数据管理部门审核。"))
            return redirect("scenarios:scenario-detail", scenario.pk)
    return render(request, "scenarios/scenario_form.html", {
        "form": form, "scenario_list": scenario_list, "scenario": None,
    })  # fmt: skip


@login_required
def scenario_edit(request, pk):
    scenario = get_object_or_404(Scenario.objects.visible_to(request.user), pk=pk)
    if not acts_for_publisher(request.user, scenario.scenario_list.publisher):
        raise PermissionDenied
    form = ScenarioForm(request.POST or None, request.FILES or None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        scenario.refresh_from_db()  # the form wrote the posted values on the instance
        try:
            scenario_services.update_scenario(scenario, actor=request.user, **form.values())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("场景已更新。"))
            return redirect("scenarios:scenario-detail", scenario.pk)
    return render(request, "scenarios/scenario_form.html", {
        "form": form, "scenario_list": scenario.scenario_list, "scenario": scenario,
    })  # fmt: skip


PUBLISHER_ACTIONS = {
    "submit": lambda s, u, r: scenario_services.submit_scenario(s, actor=u),
    "close": lambda s, u, r: scenario_services.close_scenario(s, actor=u),
    "cancel": lambda s, u, r: scenario_services.cancel_scenario(s, actor=u, reason=r),
}
STAFF_ACTIONS = {
    "publish": lambda s, u, r: scenario_services.publish_scenario(s, actor=u),
    "return": lambda s, u, r: scenario_services.return_scenario(s, actor=u, reason=r),
}


@login_required
@require_POST
def scenario_act(request, pk, action):
    scenario = get_object_or_404(Scenario.objects.visible_to(request.user), pk=pk)
    if action in PUBLISHER_ACTIONS:
        allowed = acts_for_publisher(request.user, scenario.scenario_list.publisher)
        step = PUBLISHER_ACTIONS[action]
    elif action in STAFF_ACTIONS:
        allowed = can_review_scenario(request.user, scenario)
        step = STAFF_ACTIONS[action]
    else:
        raise Http404
    if not allowed:
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    try:
        step(scenario, request.user, reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("scenarios:scenario-detail", scenario.pk)


@login_required
def respond(request, pk):
    """The enterprise's response to a published scenario: a new one, or its own edited."""
    if not request.user.is_enterprise:
        raise PermissionDenied
    scenario = get_object_or_404(Scenario.objects.visible_to(request.user), pk=pk)
    enterprise = own_enterprise(request.user)
    existing = Response.objects.filter(scenario=scenario, enterprise=enterprise).first()
    form = ResponseForm(request.POST or None, request.FILES or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            if existing is None:
                saved = response_services.respond(
                    scenario, actor=request.user, enterprise=enterprise, **form.values()
                )
            else:
                existing.refresh_from_db()
                saved = response_services.update_response(
                    existing, actor=request.user, **form.values()
                )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("方案已提交，截止日期前可随时修改。"))
            return redirect("scenarios:response-detail", saved.pk)
    return render(request, "scenarios/respond.html", {
        "form": form, "scenario": scenario, "existing": existing, "enterprise": enterprise,
    })  # fmt: skip


@login_required
@require_POST
def response_act(request, pk, action):
    response = get_object_or_404(Response.objects.visible_to(request.user), pk=pk)
    user = request.user
    publisher = response.scenario.scenario_list.publisher
    try:
        if action == "message":
            if not response_services.can_post_message(user, response):
                raise PermissionDenied
            form = MessageForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写留言内容（不超过 1000 字）。"))
            response_services.post_message(response, actor=user, body=form.cleaned_data["body"])
        elif action == "shortlist":
            if not acts_for_publisher(user, publisher):
                raise PermissionDenied
            response_services.shortlist_response(response, actor=user)
        elif action == "withdraw":
            if not acts_for_enterprise(user, response.enterprise):
                raise PermissionDenied
            response_services.withdraw_response(response, actor=user)
        elif action == "outcome":
            if not acts_for_publisher(user, publisher):
                raise PermissionDenied
            form = OutcomeForm(request.POST)
            award = getattr(response, "award", None)
            if award is None or not form.is_valid():
                raise DomainError(_("请选择实施结果。"))
            award_services.report_outcome(award, actor=user, **form.cleaned_data)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("scenarios:response-detail", response.pk)


@login_required
def award(request, pk):
    """The publisher awards one or more responses of its closed scenario."""
    scenario = get_object_or_404(Scenario.objects.visible_to(request.user), pk=pk)
    if not acts_for_publisher(request.user, scenario.scenario_list.publisher):
        raise PermissionDenied
    responses = list(
        scenario.responses.filter(status__in=OPEN_RESPONSE_STATES)
        .select_related("enterprise")
        .order_by("-status", "price", "id")
    )
    forms = [
        (r, AwardEntryForm(request.POST or None, prefix=f"r{r.pk}",
                           initial={"amount": r.price, "form": "purchase"}))
        for r in responses
    ]  # fmt: skip
    if request.method == "POST":
        chosen = [(r, f) for r, f in forms if f.is_valid() and f.cleaned_data["chosen"]]
        if all(f.is_valid() for r, f in forms if f.data.get(f"{f.prefix}-chosen")):
            try:
                award_services.award_responses(
                    scenario, actor=request.user,
                    awards=[{"response": r, **f.cleaned_data} for r, f in chosen],
                )  # fmt: skip
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("揭榜结果已确定，已通知各响应企业。"))
                return redirect("scenarios:scenario-detail", scenario.pk)
    return render(request, "scenarios/award.html", {"scenario": scenario, "forms": forms})


@login_required
@require_POST
def publisher_act(request, pk, action):
    publisher = get_object_or_404(Publisher.objects.visible_to(request.user), pk=pk)
    if not can_decide_publisher(request.user, publisher):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        if action == "approve":
            publisher_services.approve_publisher(publisher, actor=request.user)
        elif action == "reject":
            publisher_services.reject_publisher(publisher, actor=request.user, reason=reason)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("scenarios:review")


@login_required
@require_POST
def first_purchase_act(request, pk, action):
    purchase = get_object_or_404(FirstPurchase.objects.visible_to(request.user), pk=pk)
    if not can_decide_first_purchase(request.user, purchase):
        raise PermissionDenied
    if action not in ("confirm", "reject"):
        raise Http404
    try:
        award_services.decide_first_purchase(
            purchase, actor=request.user, confirm=action == "confirm",
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("scenarios:review")
