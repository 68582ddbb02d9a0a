"""What the enterprise and the provider do: apply (the more favourable programme offered),
withdraw, file and confirm claims; the provider's profile, catalogue, joining programmes
and checking a voucher code. Every change is one service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.forms import attempt, run_service
from vouchers.forms import (
    ApplyForm,
    ClaimForm,
    CodeForm,
    ProductForm,
    ProviderForm,
    RelatedPartyForm,
)
from vouchers.models import (
    ApplicationStatus,
    ClaimStatus,
    MembershipStatus,
    Product,
    Provider,
    Voucher,
)
from vouchers.models.programs import is_provider_user
from vouchers.permissions import acts_for_claimant, acts_for_enterprise, can_manage_program
from vouchers.selectors import offers_for_contract
from vouchers.services import applications as app_services
from vouchers.services import claims as claim_services
from vouchers.services import providers as provider_services
from vouchers.views import (
    CLAIM_ACTIONS,
    counterparty_acts,
    own_enterprise,
    own_provider,
    party_of,
    visible_application,
    visible_claim,
    visible_program,
    visible_voucher,
)


@login_required
def apply(request, pk):
    """The enterprise applies under a programme: first the provider (GET ?provider=), then
    the contract and the products of that provider's catalogue in the programme's kind."""
    if not request.user.is_enterprise:
        raise PermissionDenied
    enterprise = own_enterprise(request.user)
    program = visible_program(request, pk)
    providers = Provider.objects.filter(
        memberships__program=program, memberships__status=MembershipStatus.APPROVED
    ).select_related("organisation")
    chosen = request.POST.get("provider") or request.GET.get("provider")
    provider = providers.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    products = (
        Product.objects.filter(provider=provider, kind=program.kind, is_active=True)
        if provider
        else Product.objects.none()
    )
    data = request.POST if request.method == "POST" else None
    show_choice = request.method == "POST" and "this_program" in request.POST
    form = ApplyForm(
        data,
        request.FILES or None,
        providers=providers,
        products=products,
        show_choice=show_choice,
        initial={"provider": provider},
    )
    better = None
    if request.method == "POST" and form.is_valid():
        values = form.values()
        offers = offers_for_contract(
            enterprise,
            values["provider"],
            contract_amount=values["contract_amount"],
            sought=values["amount_sought"],
            signed_on=values["contract_signed_on"],
        )
        here = next((o for o in offers if o.program.pk == program.pk), None)
        best = offers[0] if offers else None
        if (
            best is not None
            and best.program.pk != program.pk
            and (here is None or best.terms.granted > here.terms.granted)
            and not form.cleaned_data.get("this_program")
        ):
            better = best
            form = ApplyForm(request.POST, request.FILES, providers=providers,
                             products=products, show_choice=True)  # fmt: skip
            form.is_valid()
        else:
            application = attempt(
                form,
                lambda: app_services.apply_for_voucher(
                    program, actor=request.user, enterprise=enterprise, **values
                ),
            )
            if application is not None:
                messages.success(request, _("申请已提交，请等待数据管理部门审核。"))
                return redirect("vouchers:application-detail", pk=application.pk)
    context = {
        "program": program,
        "enterprise": enterprise,
        "form": form,
        "provider": provider,
        "providers": providers,
        "better": better,
    }
    return render(request, "vouchers/apply.html", context)


@login_required
@require_POST
def application_withdraw(request, pk):
    party_of(request.user)
    application = visible_application(request, pk)
    if not acts_for_enterprise(request.user, application.enterprise):
        raise PermissionDenied
    run_service(
        request,
        lambda: app_services.withdraw_application(application, actor=request.user),
        _("申请已撤回。"),
    )
    return redirect("vouchers:application-detail", pk=pk)


@login_required
def claim_file(request, pk):
    """The claimant (the provider in discount mode, the enterprise in reimburse mode) files
    a claim; the hidden idempotency key makes a double submit file once."""
    party_of(request.user)
    voucher = visible_voucher(request, pk)
    if not acts_for_claimant(request.user, voucher, voucher.program.claimant_is_provider()):
        raise PermissionDenied
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        claim = attempt(
            form,
            lambda: claim_services.file_claim(
                voucher,
                actor=request.user,
                idempotency_key=data["idempotency_key"],
                invoice_number=data["invoice_number"],
                amount=data["amount"],
                usage_quantity=data["usage_quantity"],
                usage_unit=data["usage_unit"],
                proof=data["proof"],
            ),
        )
        if claim is not None:
            messages.success(request, _("申领已提交，等待对方确认服务已交付。"))
            return redirect("vouchers:claim-detail", pk=claim.pk)
    return render(request, "vouchers/claim_form.html", {"voucher": voucher, "form": form})


@login_required
@require_POST
def claim_act(request, pk, action):
    """confirm (the counterparty); verify, settle, return, reject (the programme's staff)."""
    party_of(request.user)
    claim = visible_claim(request, pk)
    if action not in CLAIM_ACTIONS:
        raise Http404
    _target, who, needs_reason = CLAIM_ACTIONS[action]
    allowed = (
        can_manage_program(request.user, claim.program.jurisdiction)
        if who == "staff"
        else counterparty_acts(request.user, claim)
    )
    if not allowed:
        raise PermissionDenied
    call = {
        "confirm": claim_services.confirm_claim,
        "verify": claim_services.verify_claim,
        "settle": claim_services.settle_claim,
        "return": claim_services.return_claim,
        "reject": claim_services.reject_claim,
    }[action]
    kwargs = {"reason": request.POST.get("reason", "")} if needs_reason else {}
    run_service(request, lambda: call(claim, actor=request.user, **kwargs), _("操作成功。"))
    return redirect("vouchers:claim-detail", pk=pk)


def _provider_user(request):
    if not is_provider_user(request.user):
        raise PermissionDenied
    return own_provider(request.user)


def _profile_initial(provider) -> dict:
    if provider is None:
        return {}
    return {"service_kinds": provider.service_kinds, "hub_node": provider.hub_node,
            "group_name": provider.group_name}  # fmt: skip


def _render_profile(request, provider, form, related_form):
    context = {
        "provider": provider,
        "organisation": request.user.organisation,
        "form": form,
        "related_form": related_form,
        "products": provider.products.order_by("kind", "name") if provider else [],
        "memberships": provider.memberships.select_related("program").order_by("-id")
        if provider
        else [],
        "relations": provider.relations.order_by("uscc", "kind") if provider else [],
    }
    return render(request, "vouchers/provider_profile.html", context)


@login_required
def provider_profile(request):
    """The provider's organisation: register it (service kinds, hub node, group) or edit it,
    its catalogue and its related-party declarations."""
    provider = _provider_user(request)
    form = ProviderForm(request.POST or None, initial=_profile_initial(provider))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if provider is None:
            done = attempt(
                form,
                lambda: provider_services.register_provider(
                    request.user.organisation, actor=request.user, **values
                ),
            )
        else:
            done = attempt(
                form,
                lambda: provider_services.update_provider(provider, actor=request.user, **values),
            )
        if done is not None:
            messages.success(request, _("服务商信息已保存。"))
            return redirect("vouchers:provider-profile")
    return _render_profile(request, provider, form, RelatedPartyForm())


@login_required
@require_POST
def related_party_add(request):
    """The provider declares an enterprise it holds shares in or shares a group with: the
    two can no longer transact under any programme."""
    provider = _provider_user(request)
    if provider is None:
        raise PermissionDenied
    related_form = RelatedPartyForm(request.POST)
    if related_form.is_valid():
        values = related_form.cleaned_data
        done = attempt(
            related_form,
            lambda: provider_services.declare_related_party(provider, actor=request.user, **values),
        )
        if done is not None:
            messages.success(request, _("关联方已申报。"))
            return redirect("vouchers:provider-profile")
    form = ProviderForm(initial=_profile_initial(provider))
    return _render_profile(request, provider, form, related_form)


@login_required
def product_form(request, pk=None):
    provider = _provider_user(request)
    if provider is None:
        messages.error(request, _("请先登记服务商信息。"))
        return redirect("vouchers:provider-profile")
    product = get_object_or_404(Product, pk=pk, provider=provider) if pk else None
    initial = {f: getattr(product, f) for f in provider_services.PRODUCT_FIELDS} if product else {}
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if product is None:
            values.pop("is_active")
            done = attempt(
                form, lambda: provider_services.add_product(provider, actor=request.user, **values)
            )
        else:
            done = attempt(
                form,
                lambda: provider_services.update_product(product, actor=request.user, **values),
            )
        if done is not None:
            messages.success(request, _("产品已保存。"))
            return redirect("vouchers:provider-profile")
    return render(request, "vouchers/product_form.html", {"form": form, "product": product})


@login_required
@require_POST
def program_join(request, pk):
    provider = _provider_user(request)
    program = visible_program(request, pk)
    if provider is None:
        messages.error(request, _("请先登记服务商信息。"))
        return redirect("vouchers:provider-profile")
    run_service(
        request,
        lambda: provider_services.join_program(program, provider, actor=request.user),
        _("已申请加入，等待数据管理部门审核。"),
    )
    return redirect("vouchers:program-detail", pk=pk)


@login_required
def verify_code(request):
    """The provider checks a code an enterprise presents: the voucher if it names this
    provider, else a sentence (never another provider's voucher)."""
    provider = _provider_user(request)
    form = CodeForm(request.GET or None)
    if form.is_valid() and provider is not None:
        code = form.cleaned_data["code"].strip()
        voucher = Voucher.objects.filter(provider=provider, code__iexact=code).first()
        if voucher is not None:
            return redirect("vouchers:voucher-detail", pk=voucher.pk)
        form.add_error("code", _("没有向本服务商出示的这个券号，请核对后重试。"))
    return render(request, "vouchers/verify.html", {"form": form, "provider": provider})


@login_required
def application_resubmit(request, pk):
    """The enterprise corrects a returned application (the provider stays) and submits it
    again; every check of apply runs again in the service."""
    party_of(request.user)
    application = visible_application(request, pk)
    if not acts_for_enterprise(request.user, application.enterprise):
        raise PermissionDenied
    if application.status != ApplicationStatus.RETURNED:
        messages.error(request, _("只有退回修改的申请可以重新提交。"))
        return redirect("vouchers:application-detail", pk=pk)
    provider = application.provider
    products = Product.objects.filter(
        provider=provider, kind=application.program.kind, is_active=True
    )
    quantities = {item["product"]: item["quantity"] for item in application.items}
    initial = {f: getattr(application, f) for f in app_services.CONTRACT_FIELDS[:6]}
    initial |= {f"qty_{pk}": q for pk, q in quantities.items()} | {"provider": provider}
    form = ApplyForm(
        request.POST or None,
        request.FILES or None,
        providers=Provider.objects.filter(pk=provider.pk),
        products=products,
        initial=initial,
    )
    form.fields["contract_file"].required = False
    form.fields["contract_file"].help_text = _("不上传则沿用原合同文件。")
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("provider")
        if values["contract_file"] is None:
            values.pop("contract_file")
        done = attempt(
            form,
            lambda: app_services.resubmit_application(application, actor=request.user, **values),
        )
        if done is not None:
            messages.success(request, _("已重新提交，请等待数据管理部门审核。"))
            return redirect("vouchers:application-detail", pk=pk)
    context = {"program": application.program, "enterprise": application.enterprise,
               "form": form, "provider": provider, "providers": [provider],
               "application": application}  # fmt: skip
    return render(request, "vouchers/apply.html", context)


@login_required
def claim_resubmit(request, pk):
    """The claimant corrects a returned claim and files it again (its key stays)."""
    party_of(request.user)
    claim = visible_claim(request, pk)
    if not acts_for_claimant(request.user, claim, claim.claimant == "provider"):
        raise PermissionDenied
    if claim.status != ClaimStatus.RETURNED:
        messages.error(request, _("只有退回修改的申领可以重新提交。"))
        return redirect("vouchers:claim-detail", pk=pk)
    names = ("idempotency_key", "invoice_number", "amount", "usage_quantity", "usage_unit")
    initial = {f: getattr(claim, f) for f in names}
    form = ClaimForm(request.POST or None, request.FILES or None, initial=initial)
    form.fields["proof"].required = False
    form.fields["proof"].help_text = _("不上传则沿用原交付证明。")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            form,
            lambda: claim_services.resubmit_claim(
                claim,
                actor=request.user,
                amount=data["amount"],
                invoice_number=data["invoice_number"],
                usage_quantity=data["usage_quantity"],
                usage_unit=data["usage_unit"],
                proof=data["proof"],
            ),  # fmt: skip
        )
        if done is not None:
            messages.success(request, _("已重新提交，等待对方确认。"))
            return redirect("vouchers:claim-detail", pk=pk)
    return render(request, "vouchers/claim_form.html",
                  {"voucher": claim.voucher, "form": form, "claim": claim})  # fmt: skip
