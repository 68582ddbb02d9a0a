"""Reads of the finance pages and API: matching products to a need (with the reasons as
data), the staff dashboard's figures, who may see which score."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from accounts.models import Region
from conditions.engine import evaluate
from finance.models import (
    DEBT_PRODUCTS,
    CreditScore,
    FinancialProduct,
    FinancingNeed,
    NeedKind,
    NeedStatus,
    OfferStatus,
    ProductKind,
)
from registry.facts import facts_of
from registry.models import Enterprise, FinancingReceipt


def _kind_fits(need_kind, product_kind) -> bool:
    if need_kind == NeedKind.EITHER:
        return True
    equity = product_kind == ProductKind.EQUITY
    return equity if need_kind == NeedKind.EQUITY else product_kind in DEBT_PRODUCTS


def _region_reason(need, product) -> dict:
    """The institution serves its organisation's region (none: nationwide)."""
    area = product.institution.organisation.region
    where = need.enterprise.region
    return {"rule": "region", "expected": area.name if area else None, "actual": where.name,
            "held": area is None or area.contains(where)}  # fmt: skip


def match_reasons(need, product, facts, names=None) -> list[dict]:
    """Why the product fits the need or not, as data: [{"rule", "expected", "actual",
    "held"}] (kind, amount, term, the institution's service area, an equity product's
    stages against the round sought, industry) and the product's conditions'
    explanation."""
    reasons = [
        {"rule": "kind", "expected": product.kind, "actual": need.kind,
         "held": _kind_fits(need.kind, product.kind)},
        {"rule": "amount", "expected": [str(product.min_amount), str(product.max_amount)],
         "actual": str(need.amount),
         "held": product.min_amount <= need.amount <= product.max_amount},
    ]  # fmt: skip
    if product.min_term_months and need.term_months:
        reasons.append(
            {"rule": "term", "expected": [product.min_term_months, product.max_term_months],
             "actual": need.term_months,
             "held": product.min_term_months <= need.term_months <= product.max_term_months}
        )  # fmt: skip
    reasons.append(_region_reason(need, product))
    if product.is_equity and product.stages and need.kind != NeedKind.DEBT:
        reasons.append(
            {"rule": "stage", "expected": product.stages, "actual": need.stage,
             "held": need.stage in product.stages}
        )  # fmt: skip
    if product.industries:
        reasons.append(
            {"rule": "industry", "expected": product.industries, "actual": facts["industry"],
             "held": facts["industry"] in product.industries}
        )  # fmt: skip
    if product.kind == ProductKind.IP_PLEDGE:
        reasons.append({"rule": "ip", "held": need.has_ip})
    if product.kind == ProductKind.DATA_PLEDGE:
        reasons.append({"rule": "data_assets", "held": need.has_data_assets})
    if product.conditions:
        result = evaluate(product.conditions, facts, region_names=names)
        reasons.append(
            {"rule": "conditions", "held": result.matched,
             "items": [r.data for r in result.explanation]}
        )  # fmt: skip
    return reasons


def matching_products(need, user, *, limit=10) -> list[dict]:
    """The products the user may see ranked for the need: those whose every reason holds
    first, then by how many hold. [{"product", "fits", "held", "reasons"}]."""
    facts = facts_of(need.enterprise)
    names = dict(Region.objects.values_list("code", "name"))
    rows = []
    products = FinancialProduct.objects.visible_to(user).filter(is_active=True)
    need = FinancingNeed.objects.select_related("enterprise__region").get(pk=need.pk)
    products = products.select_related("institution__organisation__region")
    for product in products[:200]:
        reasons = match_reasons(need, product, facts, names)
        held = sum(1 for r in reasons if r["held"])
        rows.append(
            {"product": product, "fits": held == len(reasons), "held": held, "reasons": reasons}
        )
    rows.sort(key=lambda r: (not r["fits"], -r["held"], r["product"].name))
    return rows[:limit]


def latest_score(enterprise):
    """The enterprise's score under the current scorecard version (None if not scored)."""
    return (
        CreditScore.objects.filter(enterprise=enterprise, scorecard__is_current=True)
        .select_related("scorecard")
        .first()
    )


def dashboard(user) -> dict:
    """Staff dashboard: needs by state; amount sought vs obtained by region (the next level
    under the user's jurisdiction) and by tier; mean days from publishing to funding."""
    needs = FinancingNeed.objects.visible_to(user)
    by_state = dict(needs.values_list("status").annotate(n=Count("id")))
    states = [(s, label, by_state.get(s, 0)) for s, label in NeedStatus.choices]
    enterprises = Enterprise.objects.visible_to(user)
    receipts = FinancingReceipt.objects.filter(enterprise__in=enterprises)
    sought_needs = needs.exclude(status=NeedStatus.DRAFT)
    depth = len(user.region.path) + 7 if user.is_bureau else 14
    regions = dict(Region.objects.values_list("path", "name"))

    def grouped(rows, key):
        out = {}
        for value, total in rows:
            name = key(value)
            out[name] = out.get(name, Decimal(0)) + (total or 0)
        return out

    sought_region = grouped(
        sought_needs.values_list("enterprise__region__path").annotate(t=Sum("amount")),
        lambda p: regions.get(p[:depth], regions.get(p, p)),
    )
    obtained_region = grouped(
        receipts.values_list("enterprise__region__path").annotate(t=Sum("amount")),
        lambda p: regions.get(p[:depth], regions.get(p, p)),
    )
    sought_tier = dict(
        sought_needs.values_list("enterprise__registry_entry__tier").annotate(t=Sum("amount"))
    )
    obtained_tier = dict(
        receipts.values_list("enterprise__registry_entry__tier").annotate(t=Sum("amount"))
    )
    funded = needs.filter(
        offers__status=OfferStatus.FUNDED, published_at__isnull=False
    ).values_list("published_at", "offers__funded_on")
    days = [(on - timezone.localdate(published)).days for published, on in funded]
    return {
        "states": states,
        "by_region": [
            (name, sought_region.get(name, 0), obtained_region.get(name, 0))
            for name in sorted(set(sought_region) | set(obtained_region))
        ],
        "by_tier": [
            (tier, sought_tier.get(tier, 0), obtained_tier.get(tier, 0))
            for tier in sorted(set(sought_tier) | set(obtained_tier), key=lambda t: t or "")
        ],
        "mean_days_to_funding": round(sum(days) / len(days)) if days else None,
        "open_count": needs.filter(
            Q(status=NeedStatus.PUBLISHED) | Q(status=NeedStatus.IN_TALKS)
        ).count(),
    }
