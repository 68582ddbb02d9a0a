"""Policy auto-matching pages: staff build, preview, publish and follow policies; an
enterprise sees the policies it qualifies for (and nearly qualifies for) and responds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from conditions.builder import builder_state, field_options, parse_builder, parse_json, posted_state
from conditions.engine import describe
from config.errors import DomainError
from config.forms import add_domain_error
from config.pagination import DeferredJoinPaginator
from policies import selectors
from policies.forms import (
    BankDetailsForm,
    DeclineForm,
    DeliverForm,
    PolicyForm,
    QuickApplicationForm,
)
from policies.models import (
    GrantStatus,
    Policy,
    PolicyGrant,
    PolicyMatchRun,
    PolicyMode,
    PolicyStatus,
)
from policies.permissions import can_deliver_grant, can_manage_policy
from policies.services import lifecycle as policy_services
from policies.services import matching
from registry.models import Enterprise
from workdays.calendar import calendar_gaps

PAGE_SIZE = 20


def _staff(request):
    if not request.user.is_staff_reviewer:
        raise PermissionDenied


def _visible_policy(request, pk):
    _staff(request)
    return get_object_or_404(
        Policy.objects.visible_to(request.user).select_related("jurisdiction"), pk=pk
    )


def _managed_policy(request, pk):
    policy = _visible_policy(request, pk)
    if not can_manage_policy(request.user, policy.jurisdiction):
        raise PermissionDenied
    return policy


@login_required
def policy_list(request):
    _staff(request)
    filterset = selectors.policy_filter(request.user, request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "policies/list.html", {"filter": filterset, "page": page})


def _builder_context(form, state, spec=None, problems=()):
    return {
        "form": form,
        "builder": state,
        "fields": field_options(),
        "problems": problems,
        "description": describe(spec) if spec and not problems else "",
    }


def _policy_form(request, policy=None):
    form = PolicyForm(request.POST or None, instance=policy, user=request.user)
    spec, problems = None, []
    if request.method == "POST":
        spec, problems = _parse_conditions(request.POST)
        if form.is_valid() and not problems:
            try:
                if policy is None:
                    policy = policy_services.create_policy(actor=request.user, **form.values(spec))
                else:
                    policy = policy_services.update_policy(
                        policy, actor=request.user, **form.values(spec)
                    )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("政策已保存为草稿。发布前请核对匹配预览。"))
                return redirect("policies:policy-detail", pk=policy.pk)
        state = posted_state(request.POST)
    else:
        spec = policy.conditions if policy else None
        state = builder_state(spec)
        if state is None:  # deeper than the page shows: edit as JSON
            form.initial["conditions_json"] = _json(spec)
            state = builder_state(None)
    context = _builder_context(form, state, spec, problems)
    context["policy"] = policy
    return render(request, "policies/form.html", context)


def _json(spec):
    import json

    return json.dumps(spec, ensure_ascii=False, indent=2)


def _starts_later(valid_from):
    """The start date when it is still ahead: the policy matches nobody until then."""
    return valid_from if valid_from and valid_from > timezone.localdate() else None


def _later_start(form):
    try:
        return _starts_later(form.fields["valid_from"].clean(form.data.get("valid_from")))
    except ValidationError:
        return None


def _parse_conditions(data):
    """The advanced JSON box wins over the builder's rows when it is filled."""
    advanced = (data.get("conditions_json") or "").strip()
    return parse_json(advanced) if advanced else parse_builder(data)


@login_required
def policy_create(request):
    _staff(request)
    return _policy_form(request)


@login_required
def policy_edit(request, pk):
    policy = _managed_policy(request, pk)
    if policy.status != PolicyStatus.DRAFT:
        messages.error(request, _("只能修改草稿状态的政策。"))
        return redirect("policies:policy-detail", pk=pk)
    return _policy_form(request, policy)


@login_required
@require_POST
def policy_preview(request):
    """htmx: the rule in words and how many registry enterprises it matches now."""
    _staff(request)
    spec, problems = _parse_conditions(request.POST)
    context = {"problems": problems}
    form = PolicyForm(request.POST, user=request.user)
    try:  # only regions the user may choose (their subtree) are accepted
        jurisdiction = form.fields["jurisdiction"].clean(request.POST.get("jurisdiction"))
    except ValidationError:
        jurisdiction = None
    if not problems:
        context["description"] = describe(spec)
        if jurisdiction is None:
            context["problems"] = [_("请选择适用地区后再预览匹配数量。")]
        else:
            context["preview"] = matching.preview(spec, jurisdiction)
            context["jurisdiction"] = jurisdiction
            context["starts_on"] = _later_start(form)
    return render(request, "policies/_preview.html", context)


@login_required
def policy_detail(request, pk):
    policy = _visible_policy(request, pk)
    filterset = selectors.policy_grants_filter(request.user, policy, request.GET)
    grants = filterset.queryset
    page = DeferredJoinPaginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "policy": policy,
        "can_manage": can_manage_policy(request.user, policy.jurisdiction),
        "description": describe(policy.conditions),
        "filter": filterset,
        "page": page,
        "counts": [(GrantStatus(s), n) for s, n in selectors.grant_counts(policy).items()],
        "overdue": grants.overdue().count(),
        "calendar_gaps": calendar_gaps(d.year for d in grants.dates("due_on", "year")),
        "run": PolicyMatchRun.objects.filter(policy=policy).first(),
        "deliver_form": DeliverForm(),
        "preview": matching.preview(policy.conditions, policy.jurisdiction)
        if policy.status == PolicyStatus.DRAFT
        else None,
        "starts_on": _starts_later(policy.valid_from),
    }
    return render(request, "policies/detail.html", context)


@login_required
def policy_publish(request, pk):
    """GET: the confirmation page (with the match preview); POST: publish."""
    policy = _managed_policy(request, pk)
    if request.method == "POST":
        try:
            policy_services.publish_policy(policy, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("政策已发布，正在匹配企业，进度显示在下方。"))
        return redirect("policies:policy-detail", pk=pk)
    context = {
        "policy": policy,
        "action": "publish",
        "description": describe(policy.conditions),
        "preview": matching.preview(policy.conditions, policy.jurisdiction),
        "starts_on": _starts_later(policy.valid_from),
    }
    return render(request, "policies/confirm.html", context)


@login_required
def policy_withdraw(request, pk):
    policy = _managed_policy(request, pk)
    form = DeclineForm(request.POST or None)
    form.fields["reason"].label = _("撤回原因")
    if request.method == "POST" and form.is_valid():
        try:
            policy_services.withdraw_policy(
                policy, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("政策已撤回，尚未确认的企业将收到通知。"))
            return redirect("policies:policy-detail", pk=pk)
    context = {
        "policy": policy,
        "action": "withdraw",
        "form": form,
        "open_grants": policy.grants.filter(status__in=["eligible", "notified"]).count(),
    }
    return render(request, "policies/confirm.html", context)


@login_required
@require_POST
def policy_rematch(request, pk):
    policy = _managed_policy(request, pk)
    try:
        matching.start_match(policy, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开始重新匹配。"))
    return redirect("policies:policy-detail", pk=pk)


@login_required
def policy_progress(request, pk):
    """The progress bar, polled by htmx while the job runs."""
    policy = _visible_policy(request, pk)
    run = PolicyMatchRun.objects.filter(policy=policy).first()
    return render(request, "policies/_progress.html", {"policy": policy, "run": run})


@login_required
@require_POST
def grant_deliver(request, pk):
    _staff(request)
    grant = get_object_or_404(PolicyGrant.objects.visible_to(request.user), pk=pk)
    if not can_deliver_grant(request.user, grant):
        raise PermissionDenied
    form = DeliverForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("兑现说明不能超过 300 字。"))
        policy_services.deliver_grant(grant, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已登记兑现：%(e)s") % {"e": grant.enterprise.name})
    return redirect("policies:policy-detail", pk=grant.policy_id)


def _own_enterprise(request):
    enterprise = Enterprise.objects.visible_to(request.user).first()
    if enterprise is None or not request.user.is_enterprise:
        raise PermissionDenied
    return enterprise


@login_required
def my_policies(request):
    """政策匹配: the policies I qualify for, and those I nearly qualify for."""
    enterprise = _own_enterprise(request)
    grants = selectors.my_grants(request.user, enterprise)
    context = {
        "enterprise": enterprise,
        "grants": grants,
        "nearly": matching.nearly_qualified(enterprise),
    }
    return render(request, "policies/mine.html", context)


@sensitive_post_parameters("account_number")
@login_required
def grant_respond(request, pk):
    """The enterprise's one step: confirm bank details (auto), the one-page pre-filled
    application (quick), or decline with a reason."""
    enterprise = _own_enterprise(request)
    grant = get_object_or_404(
        PolicyGrant.objects.visible_to(request.user).select_related("policy", "enterprise"),
        pk=pk,
        enterprise=enterprise,
    )
    auto = grant.policy.mode == PolicyMode.AUTO
    decline = "decline" in request.POST
    if auto:
        form = BankDetailsForm(
            None if decline else request.POST or None, initial={"account_name": enterprise.name}
        )
    else:
        form = QuickApplicationForm(
            None if decline else request.POST or None,
            initial=policy_services.quick_application_initial(grant),
        )
    decline_form = DeclineForm(request.POST if decline else None)
    if request.method == "POST":
        target = decline_form if decline else form
        if target.is_valid():
            try:
                if decline:
                    policy_services.decline_grant(
                        grant, actor=request.user, reason=decline_form.cleaned_data["reason"]
                    )
                elif auto:
                    policy_services.confirm_bank_details(
                        grant, actor=request.user, **form.cleaned_data
                    )
                else:
                    policy_services.submit_quick_application(
                        grant, actor=request.user, application=form.cleaned_data
                    )
            except DomainError as exc:
                add_domain_error(target, exc)
            else:
                messages.success(
                    request,
                    _("已放弃该政策。") if decline else _("已提交，数据管理部门将尽快兑现。"),
                )
                return redirect("policies:my-policies")
    context = {
        "grant": grant,
        "form": form,
        "decline_form": decline_form,
        "auto": auto,
        "open": grant.status == GrantStatus.NOTIFIED,
    }
    return render(request, "policies/respond.html", context)
