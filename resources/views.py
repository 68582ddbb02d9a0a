"""Data-resource registration pages: the enterprise applies and follows its resources,
staff review them in their jurisdiction, and anyone reads the public notice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from config.errors import DomainError
from config.forms import add_domain_error
from config.pagination import DeferredJoinPaginator
from registry.filters import region_choices_for
from registry.models import Enterprise
from resources.forms import ChangeForm, DataResourceForm, EnterpriseChangeForm
from resources.models import (
    NOTICE_DAYS,
    RESOURCE_TRANSITIONS,
    DataResource,
    DataResourceRevision,
    ResourceStatus,
)
from resources.permissions import can_register_resources, can_review_resources
from resources.selectors import resource_filter
from resources.services import changes
from resources.services import registration as svc

S = ResourceStatus
# Staff actions on the detail page: name -> (service, target state, needs a reason).
STAFF_ACTIONS = {
    "accept": (svc.accept_resource, S.ACCEPTED, False),
    "review": (svc.review_resource, S.REVIEWED, False),
    "notice": (svc.publish_notice, S.NOTICED, False),
    "code": (svc.code_resource, S.CODED, False),
    "return": (svc.return_resource, S.RETURNED, True),
    "reject": (svc.reject_resource, S.REJECTED, True),
    "cancel": (changes.cancel_resource, S.CANCELLED, True),
}
ACTION_LABELS = {
    "accept": gettext_lazy("受理"),
    "review": gettext_lazy("审核通过"),
    "notice": gettext_lazy("发布公示"),
    "code": gettext_lazy("赋码"),
    "return": gettext_lazy("退回补正"),
    "reject": gettext_lazy("不予登记"),
    "cancel": gettext_lazy("注销"),
}


def _own_enterprise(user):
    enterprise = Enterprise.objects.visible_to(user).first()
    if enterprise is None or not can_register_resources(user, enterprise):
        raise PermissionDenied
    return enterprise


def _visible(request, pk):
    """The resource if the user may see it (404 otherwise, never 403)."""
    return get_object_or_404(DataResource.objects.visible_to(request.user).for_list(), pk=pk)


def _with_problems(form, call):
    """Run a service call; put its refusals on the form. True when it went through."""
    try:
        call()
    except svc.ResourceProblems as exc:
        for field, message in exc.by_field.items():
            form.add_error(field if field in form.fields else None, message)
    except DomainError as exc:
        add_domain_error(form, exc)
    else:
        return True
    return False


@login_required
def my_resources(request):
    enterprise = _own_enterprise(request.user)
    resources = DataResource.objects.filter(enterprise=enterprise).prefetch_related("revisions")
    return render(
        request,
        "resources/mine.html",
        {"enterprise": enterprise, "resources": resources, "notice_days": NOTICE_DAYS},
    )


@login_required
def resource_apply(request):
    enterprise = _own_enterprise(request.user)
    form = DataResourceForm(request.POST or None)
    created = {}
    if request.method == "POST" and form.is_valid():

        def apply():  # noqa: E306 - a closure over the form's values
            created["r"] = svc.apply_resource(enterprise, actor=request.user, values=form.values())

        if _with_problems(form, apply):
            messages.success(request, _("登记申请已提交，请等待主管部门受理。"))
            return redirect("resources:resource-detail", pk=created["r"].pk)
    return render(request, "resources/form.html", {"form": form, "mode": "apply"})


@login_required
def resource_list(request):
    """Staff review queue: their jurisdiction's resources, filtered and paginated."""
    if not request.user.is_staff_reviewer:
        raise PermissionDenied
    filterset = resource_filter(request.user, request.GET)
    page = DeferredJoinPaginator(filterset.qs, 20).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "filter_fields": [filterset.form[n] for n in ("status", "security_level", "domain")],
        "page": page,
        "regions": region_choices_for(request.user).select_related("parent"),
        "filtered": any(request.GET.get(k) for k in ("q", "status", "security_level", "domain",
                                                      "region")),
    }  # fmt: skip
    template = (
        "resources/_table.html" if request.headers.get("HX-Request") else "resources/list.html"
    )
    return render(request, template, context)


@login_required
def resource_detail(request, pk):
    resource = _visible(request, pk)
    user = request.user
    reviewer = can_review_resources(user, resource.enterprise)
    allowed = RESOURCE_TRANSITIONS[S(resource.status)]
    if resource.status == S.NOTICED and timezone.localdate() <= resource.notice_ends_on:
        allowed = allowed - {S.CODED}  # the page says when coding opens
    actions = [
        (name, ACTION_LABELS[name], needs_reason)
        for name, (_call, target, needs_reason) in STAFF_ACTIONS.items()
        if reviewer and target in allowed
    ]
    revisions = list(resource.revisions.select_related("proposed_by", "decided_by"))
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(DataResource), object_id=str(resource.pk)
    ).order_by("created_at", "id")
    context = {
        "resource": resource,
        "reviewer": reviewer,
        "member": can_register_resources(user, resource.enterprise),
        "actions": actions,
        "revisions": revisions,
        "pending": next((r for r in revisions if r.status == "pending"), None),
        "events": events,
    }
    return render(request, "resources/detail.html", context)


@login_required
@require_POST
def resource_act(request, pk, action):
    resource = _visible(request, pk)
    if action not in STAFF_ACTIONS:
        raise Http404
    if not can_review_resources(request.user, resource.enterprise):
        raise PermissionDenied
    call, _target, needs_reason = STAFF_ACTIONS[action]
    kwargs = {"reason": request.POST.get("reason", "")} if needs_reason else {}
    try:
        call(resource, actor=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("操作成功。"))
    return redirect("resources:resource-detail", pk=pk)


def _initial(resource):
    return svc.snapshot(resource)


@login_required
def resource_edit(request, pk):
    """The enterprise corrects a returned application and submits it again."""
    resource = _visible(request, pk)
    if not can_register_resources(request.user, resource.enterprise):
        raise PermissionDenied
    if resource.status != S.RETURNED:
        messages.error(request, _("只有被退回补正的申请可以修改后重新提交。"))
        return redirect("resources:resource-detail", pk=pk)
    form = DataResourceForm(request.POST or None, initial=_initial(resource))
    if request.method == "POST" and form.is_valid():

        def resubmit():  # noqa: E306
            svc.resubmit_resource(resource, actor=request.user, values=form.values())

        if _with_problems(form, resubmit):
            messages.success(request, _("已重新提交，请等待主管部门受理。"))
            return redirect("resources:resource-detail", pk=pk)
    return render(
        request, "resources/form.html",
        {"form": form, "mode": "resubmit", "resource": resource},
    )  # fmt: skip


@login_required
def resource_change(request, pk):
    """A coded record: the enterprise proposes a change or correction; staff correct it."""
    resource = _visible(request, pk)
    if can_review_resources(request.user, resource.enterprise):
        form_class, mode = ChangeForm, "correct"
    elif can_register_resources(request.user, resource.enterprise):
        form_class, mode = EnterpriseChangeForm, "change"
    else:
        raise PermissionDenied
    form = form_class(request.POST or None, initial=_initial(resource))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save():
            if mode == "correct":
                changes.correct_resource(resource, actor=request.user, values=form.values(),
                                     reason=data["reason"])  # fmt: skip
            else:
                changes.propose_change(resource, actor=request.user, values=form.values(),
                                   reason=data["reason"], kind=data["kind"])  # fmt: skip

        if _with_problems(form, save):
            messages.success(
                request, _("已更正。") if mode == "correct" else _("申请已提交，待主管部门审核。")
            )
            return redirect("resources:resource-detail", pk=pk)
    return render(
        request, "resources/form.html", {"form": form, "mode": mode, "resource": resource}
    )


@login_required
@require_POST
def resource_cancel_request(request, pk):
    resource = _visible(request, pk)
    if not can_register_resources(request.user, resource.enterprise):
        raise PermissionDenied
    try:
        changes.request_cancellation(
            resource, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("注销申请已提交，待主管部门审核。"))
    return redirect("resources:resource-detail", pk=pk)


@login_required
@require_POST
def revision_decide(request, pk):
    revision = get_object_or_404(
        DataResourceRevision.objects.visible_to(request.user).select_related(
            "resource__enterprise__region"
        ),
        pk=pk,
    )
    resource = revision.resource
    if not can_review_resources(request.user, resource.enterprise):
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("decision") == "approve":
            changes.approve_change(revision, actor=request.user, note=reason)
        else:
            changes.reject_change(revision, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已处理。"))
    return redirect("resources:resource-detail", pk=resource.pk)


def public_notice(request):
    """公示: no login needed; only what the public may know (no description, volume,
    sources, rights or security measures)."""
    return render(
        request,
        "resources/notice.html",
        {"resources": DataResource.objects.in_notice(), "notice_days": NOTICE_DAYS},
    )
