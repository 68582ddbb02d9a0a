"""Enterprises staff recommend to institutions (not a need): staff search the registry and
send a batch with a note; the institution sees the recommended enterprises' profile
summary and credit score with its factors — any other enterprise is 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from config.forms import attempt
from finance.forms import RecommendEnterprisesForm
from finance.models import CreditScore, EnterpriseShare
from finance.selectors import latest_score
from finance.services import needs as need_services
from finance.views import INSTITUTION, STAFF, page_of, party_of
from registry.choices import EntryStatus
from registry.facts import facts_of
from registry.filters import EnterpriseFilter
from registry.models import Enterprise

SHOWN = 50  # search results listed to pick from


@login_required
def recommend_enterprises(request):
    """Staff search registry enterprises of their jurisdiction (name, tier, region, label)
    and recommend the ones they tick to institutions in one batch with a note."""
    user = request.user
    if party_of(user) != STAFF:
        raise PermissionDenied
    candidates = Enterprise.objects.visible_to(user).filter(
        registry_entry__status=EntryStatus.ACTIVE
    )
    search = EnterpriseFilter(request.GET, queryset=candidates)  # a bad value: said, ignored
    shown = list(search.qs.select_related("region").order_by("name", "id")[:SHOWN])
    form = RecommendEnterprisesForm(request.POST or None, enterprises=candidates, shown=shown)
    if request.method == "POST" and form.is_valid():
        batch = attempt(
            form,
            lambda: need_services.recommend_enterprises(
                actor=user,
                enterprises=form.cleaned_data["enterprises"],
                institutions=form.cleaned_data["institutions"],
                note=form.cleaned_data["note"],
            ),  # fmt: skip
        )
        if batch is not None:
            messages.success(request, _("已将所选企业推荐给所选机构。"))
            return redirect("finance:enterprise-recommend")
    return render(
        request,
        "finance/recommend_enterprises.html",
        {"form": form, "search": search, "shown": shown, "more": len(shown) == SHOWN},
    )


def _grades(enterprise_ids) -> dict:
    """{enterprise id: its score under the current version} in one query."""
    scores = CreditScore.objects.filter(
        enterprise_id__in=enterprise_ids, scorecard__is_current=True
    )
    return {s.enterprise_id: s for s in scores}


@login_required
def enterprise_list(request):
    """The institution's recommended enterprises, newest first, with the note and grade."""
    if party_of(request.user) != INSTITUTION:
        raise PermissionDenied
    shares = EnterpriseShare.objects.of_user(request.user).select_related(
        "enterprise__region", "enterprise__registry_entry", "recommendation"
    )
    page = page_of(request, shares)
    scores = _grades([s.enterprise_id for s in page])
    rows = [(share, scores.get(share.enterprise_id)) for share in page]
    return render(request, "finance/enterprise_list.html", {"page": page, "rows": rows})


@login_required
def enterprise_detail(request, pk):
    """A recommended enterprise's profile summary and credit score (404 unless shared)."""
    if party_of(request.user) != INSTITUTION:
        raise PermissionDenied
    share = get_object_or_404(
        EnterpriseShare.objects.of_user(request.user).select_related(
            "enterprise__region", "enterprise__registry_entry", "recommendation"
        ),
        enterprise_id=pk,
    )
    enterprise = share.enterprise
    return render(
        request,
        "finance/enterprise_detail.html",
        {
            "share": share,
            "enterprise": enterprise,
            "facts": facts_of(enterprise),
            "score": latest_score(enterprise),
        },  # fmt: skip
    )
