from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.forms import add_domain_error
from config.pagination import DeferredJoinPaginator
from registry import selectors, services
from registry.filters import region_choices_for
from registry.forms import (
    DecisionForm,
    EnterpriseEditForm,
    EnterpriseRecordForm,
    JoinForm,
    RegistrationForm,
    ServiceRecordForm,
)
from registry.models import Enterprise, Membership
from registry.permissions import (
    can_confirm_tier,
    can_decide_membership,
    can_edit_enterprise,
    can_view_history,
)
from registry.services import PROFILE_FIELDS
from registry.services.transfers import in_jurisdiction_care

BACKEND = "accounts.backends.EmailOrPhoneBackend"


def _require_reviewer(user):
    if not user.is_staff_reviewer:
        raise PermissionDenied


@login_required
def enterprise_list(request):
    _require_reviewer(request.user)
    filterset = selectors.enterprise_filter(request.user, request.GET)
    page = DeferredJoinPaginator(filterset.qs, 20).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "filter_fields": [
            filterset.form[n] for n in ("industry", "category", "tier", "size", "label")
        ],
        "page": page,
        "regions": region_choices_for(request.user).select_related("parent"),
        "querystring": _querystring_without(request, "page"),
    }
    template = (
        "registry/_enterprise_table.html"
        if request.headers.get("HX-Request")
        else "registry/enterprise_list.html"
    )
    return render(request, template, context)


def _querystring_without(request, *keys):
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()


@login_required
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(selectors.enterprise_list(request.user), pk=pk)
    context = {
        "enterprise": enterprise,
        "can_edit": can_edit_enterprise(request.user, enterprise),
        "members": enterprise.memberships.active()
        .select_related("user")
        .order_by("-is_admin", "created_at"),
    }
    context["me"] = next((m for m in context["members"] if m.user_id == request.user.pk), None)
    context["reports"] = enterprise.annual_reports.prefetch_related("returns")
    context["labels"] = list(enterprise.labels.all())
    context["services"] = enterprise.service_records.select_related("staff")[:20]
    context["records"] = enterprise.records.select_related("recorded_by")
    context["registered_resources"] = enterprise.data_resources.registered().count()
    context["vouchers_received"] = selectors.vouchers_received(enterprise)
    context["awards_received"] = selectors.scenario_awards_received(enterprise)
    context["transfers"] = selectors.enterprise_transfers(
        request.user, enterprise, is_member=context["me"] is not None
    )
    if request.user.is_staff_reviewer:
        same = selectors.same_name_enterprises(enterprise, request.user)
        context["same_name"] = list(same[:10])
        context["same_name_total"] = selectors.same_name_count(
            enterprise.name, exclude_pk=enterprise.pk
        )
        context["region_check"] = selectors.uscc_region_check(enterprise)
    if can_confirm_tier(request.user, enterprise):
        context["service_form"] = ServiceRecordForm(initial={"served_on": timezone.localdate()})
        context["record_form"] = EnterpriseRecordForm()
    if can_view_history(request.user):
        context["timeline"] = selectors.enterprise_timeline(enterprise)[:100]
        context["tier_changes"] = (
            enterprise.registry_entry.changes.select_related("confirmed_by")
            if hasattr(enterprise, "registry_entry")
            else []
        )
    return render(request, "registry/enterprise_detail.html", context)


@login_required
def enterprise_edit(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.visible_to(request.user), pk=pk)
    if not can_edit_enterprise(request.user, enterprise):
        raise PermissionDenied
    staff = request.user.is_staff_reviewer
    form = EnterpriseEditForm(
        request.POST or None,
        instance=Enterprise.objects.get(pk=pk),
        staff=staff,
        transfer=staff or in_jurisdiction_care(enterprise),
    )
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in PROFILE_FIELDS}
        reason = form.cleaned_data.get("transfer_reason", "")
        try:
            saved = services.update_enterprise(
                enterprise, actor=request.user, transfer_reason=reason, **changes
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if saved.region_id != changes["region"].pk and staff:
                messages.warning(
                    request,
                    _("迁往 %(to)s 超出您的辖区：已提交迁移申请，待迁入地数据管理部门接收后生效。")
                    % {"to": changes["region"].full_name},
                )
            elif saved.region_id != changes["region"].pk:
                messages.warning(
                    request,
                    _("已提交迁往 %(to)s 的迁移申请，待迁入地数据管理部门接收后生效。")
                    % {"to": changes["region"].full_name},
                )
            messages.success(request, _("企业信息已保存。"))
            _warn_same_name(request, enterprise.pk, changes["name"])
            return redirect("registry:enterprise-detail", pk=pk)
    return render(
        request, "registry/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


def _warn_same_name(request, pk, name):
    """A duplicate name is a warning, never a refusal: branches and namesakes exist."""
    count = selectors.same_name_count(name, exclude_pk=pk)
    if count:
        messages.warning(
            request,
            ngettext(
                "已有 %(n)s 家其他企业以“%(name)s”登记。请核对企业名称是否与营业执照一致；"
                "如确为不同企业，可忽略此提示。",
                "已有 %(n)s 家其他企业以“%(name)s”登记。请核对企业名称是否与营业执照一致；"
                "如确为不同企业，可忽略此提示。",
                count,
            )
            % {"n": count, "name": name},
        )


@login_required
def my_enterprise(request):
    enterprise = Enterprise.objects.visible_to(request.user).first()
    if enterprise is None or not request.user.is_enterprise:
        raise PermissionDenied
    return redirect("registry:enterprise-detail", pk=enterprise.pk)


@sensitive_post_parameters("password", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile = {f: form.cleaned_data[f] for f in PROFILE_FIELDS}
        profile["uscc"] = form.cleaned_data["uscc"]
        try:
            enterprise = services.register_enterprise(account=form.account_data(), profile=profile)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            user = enterprise.memberships.get().user
            login(request, user, backend=BACKEND)
            messages.success(request, _("注册成功，欢迎使用数创企业培育库。"))
            _warn_same_name(request, enterprise.pk, enterprise.name)
            return redirect("registry:enterprise-detail", pk=enterprise.pk)
    return render(request, "registry/register.html", {"form": form})


@sensitive_post_parameters("password", "password2")
def join(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.request_membership(
                account=form.account_data(),
                uscc=form.cleaned_data["uscc"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, membership.user, backend=BACKEND)
            messages.success(
                request, _("申请已提交，企业现有成员或主管数据管理部门审核后您将收到通知。")
            )
            return redirect("home")
    return render(request, "registry/join.html", {"form": form})


@login_required
def membership_list(request):
    pending = selectors.pending_memberships(request.user)
    if not (request.user.is_staff_reviewer or request.user.is_enterprise):
        raise PermissionDenied
    page = Paginator(pending, 20).get_page(request.GET.get("page"))
    return render(request, "registry/membership_list.html", {"page": page, "form": DecisionForm()})


@login_required
@require_POST
def membership_decide(request, pk):
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("enterprise__region", "user"),
        pk=pk,
    )
    if not can_decide_membership(request.user, membership):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或拒绝。"))
        return redirect("registry:membership-list")
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_membership(membership, actor=request.user)
            messages.success(
                request, _("已同意 %(name)s 加入。") % {"name": membership.user.full_name}
            )
        else:
            services.reject_membership(
                membership, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已拒绝该申请。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("registry:membership-list")
