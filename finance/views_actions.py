"""What each party does on the finance pages: one service call per POST; a refusal is a
message (or the form again with the error beside its field)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from conditions.builder import field_options
from config.forms import attempt, run_service
from finance.forms import (
    AdvanceForm,
    FundForm,
    InstitutionForm,
    ListingForm,
    MeetingForm,
    MessageForm,
    NameForm,
    NeedForm,
    OfferForm,
    ProductForm,
    RecommendForm,
)
from finance.models import (
    Audience,
    FinancialProduct,
    FinancingNeed,
    Institution,
    InstitutionStatus,
    ListingCase,
    NeedStatus,
    Offer,
)
from finance.permissions import (
    acts_for_enterprise,
    acts_for_institution,
    can_decide_institution,
    can_manage_scorecards,
    takes_part_in_finance,
)
from finance.services import institutions as institution_services
from finance.services import listing as listing_services
from finance.services import needs as need_services
from finance.services import scoring as scoring_services
from finance.services import talks
from finance.views import (
    STAFF,
    acting_institution,
    own_enterprise,
    party_of,
    visible_need,
)
from registry.models import Enterprise


@login_required
def need_create(request):
    """The enterprise drafts a need."""
    if not request.user.is_enterprise:
        raise PermissionDenied
    enterprise = own_enterprise(request.user)
    form = NeedForm(request.POST or None, initial={"audience": Audience.ALL})
    if request.method == "POST" and form.is_valid():
        need = attempt(
            form,
            lambda: need_services.create_need(enterprise, actor=request.user, **form.values()),
        )
        if need is not None:
            messages.success(request, _("融资需求已保存为草稿，确认无误后请发布。"))
            return redirect("finance:need-detail", pk=need.pk)
    return render(request, "finance/need_form.html", {"form": form, "enterprise": enterprise})


NEED_ACTIONS = {
    "publish": (need_services.publish_need, gettext_lazy("融资需求已发布。")),
    "withdraw": (need_services.withdraw_need, gettext_lazy("融资需求已撤回。")),
    "close": (need_services.close_not_financed, gettext_lazy("融资需求已结束（未获融资）。")),
}


@login_required
@require_POST
def need_act(request, pk, action):
    """The enterprise publishes, withdraws or closes; an institution expresses interest;
    the enterprise names institutions."""
    user = request.user
    party_of(user)
    need = visible_need(request, pk)
    by_enterprise = action in NEED_ACTIONS or action == "name"
    if by_enterprise and not acts_for_enterprise(user, need.enterprise):
        raise PermissionDenied
    if action in NEED_ACTIONS:
        service, success = NEED_ACTIONS[action]
        run_service(request, lambda: service(need, actor=user), success)
    elif action == "interest":
        institution = acting_institution(user)
        run_service(
            request,
            lambda: talks.express_interest(need, actor=user, institution=institution),
            _("已向企业表达意向。"),
        )
    elif action == "name":
        form = NameForm(request.POST)
        if form.is_valid():
            run_service(
                request,
                lambda: need_services.name_institutions(
                    need, actor=user, institutions=form.cleaned_data["institutions"]
                ),
                _("已指定可查看该需求的机构。"),
            )
        else:
            messages.error(request, _("请至少选择一家机构。"))
    else:
        raise Http404
    return redirect("finance:need-detail", pk=need.pk)


@login_required
@require_POST
def need_message(request, pk):
    """A post in the thread: an institution with its own; the enterprise with the one it
    chose."""
    user = request.user
    if party_of(user) == STAFF:
        raise PermissionDenied
    need = visible_need(request, pk)
    form = MessageForm(request.POST)
    form.fields["institution"].queryset = Institution.objects.all()
    if party_of(user) == "institution":
        institution = acting_institution(user)
    else:
        institution = None
        if form.is_valid():
            institution = form.cleaned_data["institution"]
        if institution is None:
            messages.error(request, _("请选择机构。"))
            return redirect("finance:need-detail", pk=need.pk)
    if form.is_valid():
        run_service(
            request,
            lambda: talks.post_message(
                need, actor=user, institution=institution, body=form.cleaned_data["body"]
            ),
            _("留言已发送。"),
        )
    else:
        messages.error(request, _("请填写留言内容。"))
    return redirect("finance:need-detail", pk=need.pk)


@login_required
@require_POST
def need_meeting(request, pk):
    party_of(request.user)
    need = visible_need(request, pk)
    institution = acting_institution(request.user)
    form = MeetingForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: talks.record_meeting(
                need, actor=request.user, institution=institution, **form.cleaned_data
            ),
            _("会谈已记录。"),
        )
    else:
        messages.error(request, _("请填写会谈日期和纪要。"))
    return redirect("finance:need-detail", pk=need.pk)


@login_required
def offer_create(request, pk):
    """The institution makes an offer on a need shared with it."""
    party_of(request.user)
    need = visible_need(request, pk)
    institution = acting_institution(request.user)
    form = OfferForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        offer = attempt(
            form,
            lambda: talks.make_offer(
                need, actor=request.user, institution=institution, **form.values()
            ),
        )
        if offer is not None:
            messages.success(request, _("融资方案已提交，等待企业答复。"))
            return redirect("finance:need-detail", pk=need.pk)
    return render(
        request, "finance/offer_form.html", {"form": form, "need": need, "institution": institution}
    )


OFFER_ACTIONS = {
    "accept": (talks.accept_offer, gettext_lazy("已接受该融资方案。")),
    "decline": (talks.decline_offer, gettext_lazy("已谢绝该融资方案。")),
    "withdraw": (talks.withdraw_offer, gettext_lazy("已撤回该融资方案。")),
    "lapse": (talks.record_lapse, gettext_lazy("已登记：该方案未能落地。")),
}


@login_required
@require_POST
def offer_act(request, pk, action):
    party_of(request.user)
    offer = get_object_or_404(
        Offer.objects.visible_to(request.user).select_related("need__enterprise", "institution"),
        pk=pk,
    )
    if action not in (*OFFER_ACTIONS, "fund"):
        raise Http404
    by_enterprise = action in ("accept", "decline")
    allowed = (
        acts_for_enterprise(request.user, offer.need.enterprise)
        if by_enterprise
        else acts_for_institution(request.user, offer.institution)
    )
    if not allowed:
        raise PermissionDenied
    if action == "fund":
        form = FundForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写到位金额和日期。"))
        else:
            run_service(
                request,
                lambda: talks.record_funding(offer, actor=request.user, **form.cleaned_data),
                _("已登记资金到位，融资额已计入企业档案。"),
            )
    else:
        service, success = OFFER_ACTIONS[action]
        run_service(request, lambda: service(offer, actor=request.user), success)
    return redirect("finance:need-detail", pk=offer.need_id)


def _product_page(request, institution, save, done, product=None):
    """The product form (new or edit): `save(values)` is the service call."""
    form = ProductForm(request.POST or None, instance=product)
    posted = request.method == "POST" and form.is_valid()
    if posted and attempt(form, lambda: save(form.values())) is not None:
        messages.success(request, done)
        return redirect("finance:product-list")
    context = {"form": form, "institution": institution, "product": product,
               "fields": field_options()}  # fmt: skip
    return render(request, "finance/product_form.html", context)


@login_required
def product_create(request):
    institution = acting_institution(request.user)
    return _product_page(
        request, institution,
        lambda values: institution_services.add_product(
            institution, actor=request.user, **values
        ),
        _("产品已发布。"),
    )  # fmt: skip


def own_product(request, pk):
    """A product the user may see (404 otherwise) and edits (403 otherwise; a role outside
    financing 403 before anything is looked up)."""
    if not takes_part_in_finance(request.user):
        raise PermissionDenied
    product = get_object_or_404(
        FinancialProduct.objects.visible_to(request.user).select_related("institution"), pk=pk
    )
    if not acts_for_institution(request.user, product.institution):
        raise PermissionDenied
    return product


@login_required
def product_edit(request, pk):
    """The institution edits a product: terms, and eligibility with the condition builder."""
    product = own_product(request, pk)
    return _product_page(
        request, product.institution,
        lambda values: institution_services.update_product(
            product, actor=request.user, **values
        ),
        _("产品已保存。"), product,
    )  # fmt: skip


PRODUCT_ACTIONS = {
    "deactivate": (False, gettext_lazy("产品已下架，机构不能再以该产品提出方案。")),
    "reactivate": (True, gettext_lazy("产品已重新上架。")),
}


@login_required
@require_POST
def product_act(request, pk, action):
    """Take a product off sale or back on (the page asks for confirmation)."""
    if action not in PRODUCT_ACTIONS:
        raise Http404
    product = own_product(request, pk)
    active, success = PRODUCT_ACTIONS[action]
    run_service(
        request,
        lambda: institution_services.set_product_active(product, actor=request.user, active=active),
        success,
    )
    return redirect("finance:product-list")


@login_required
@require_POST
def institution_register(request):
    """An institution user registers its organisation for staff to approve."""
    user = request.user
    if party_of(user) != "institution" or user.organisation is None:
        raise PermissionDenied
    form = InstitutionForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: institution_services.register_institution(
                user.organisation, actor=user, introduction=form.cleaned_data["introduction"]
            ),
            _("已提交登记，请等待数据管理部门审核。"),
        )
    return redirect("finance:institution-list")


@login_required
@require_POST
def institution_act(request, pk, action):
    """Staff approve or suspend an institution."""
    if party_of(request.user) != STAFF:
        raise PermissionDenied
    institution = get_object_or_404(
        Institution.objects.visible_to(request.user).select_related("organisation__region"), pk=pk
    )
    if not can_decide_institution(request.user, institution):
        raise PermissionDenied
    if action == "approve":
        status, success = InstitutionStatus.APPROVED, _("已批准该机构。")
    elif action == "suspend":
        status, success = InstitutionStatus.SUSPENDED, _("已暂停该机构。")
    else:
        raise Http404
    run_service(
        request,
        lambda: institution_services.set_institution_status(
            institution, status, actor=request.user, reason=request.POST.get("reason", "")
        ),
        success,
    )
    return redirect("finance:institution-list")


@login_required
def recommend(request):
    """Staff recommend open needs of their jurisdiction to institutions (推荐优质项目)."""
    user = request.user
    if party_of(user) != STAFF:
        raise PermissionDenied
    needs = (
        FinancingNeed.objects.visible_to(user)
        .filter(status__in=[NeedStatus.PUBLISHED, NeedStatus.IN_TALKS])
        .exclude(audience=Audience.NAMED)
        .select_related("enterprise")
        .order_by("-created_at", "-id")
    )
    form = RecommendForm(request.POST or None, needs=needs[:200])
    form.fields["needs"].queryset = needs
    if request.method == "POST" and form.is_valid():
        batch = attempt(
            form,
            lambda: need_services.recommend_needs(
                actor=user,
                needs=form.cleaned_data["needs"],
                institutions=form.cleaned_data["institutions"],
                note=form.cleaned_data["note"],
            ),  # fmt: skip
        )
        if batch is not None:
            messages.success(request, _("已推荐给所选机构。"))
            return redirect("finance:need-list")
    return render(request, "finance/recommend.html", {"form": form})


@login_required
@require_POST
def score_run(request):
    """National staff (or an admin) start the scoring job."""
    if not can_manage_scorecards(request.user):
        raise PermissionDenied
    run_service(
        request,
        lambda: scoring_services.start_scoring(actor=request.user),
        _("信用评分计算已开始。"),
    )
    return redirect("finance:scorecards")


@login_required
@require_POST
def listing_create(request):
    user = request.user
    if party_of(user) != STAFF:
        raise PermissionDenied
    enterprises = Enterprise.objects.visible_to(user)
    form = ListingForm(request.POST, enterprises=enterprises)
    if form.is_valid():
        data = form.cleaned_data
        run_service(
            request,
            lambda: listing_services.open_listing_case(
                data["enterprise"],
                actor=user,
                target_board=data["target_board"],
                adviser=data["adviser"],
                notes=data["notes"],
            ),  # fmt: skip
            _("已纳入上市培育。"),
        )
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("finance:listing-list")


@login_required
@require_POST
def listing_advance(request, pk):
    if party_of(request.user) != STAFF:
        raise PermissionDenied
    case = get_object_or_404(ListingCase.objects.visible_to(request.user), pk=pk)
    form = AdvanceForm(request.POST)
    form.is_valid()
    run_service(
        request,
        lambda: listing_services.advance_listing(
            case,
            actor=request.user,
            notes=form.cleaned_data.get("notes", ""),
            listed_on=form.cleaned_data.get("listed_on"),
        ),  # fmt: skip
        _("上市培育阶段已更新。"),
    )
    return redirect("finance:listing-list")
