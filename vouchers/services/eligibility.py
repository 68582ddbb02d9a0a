"""The checks an application must pass, shared by apply, resubmit and the offers selector:
related parties and eligibility in the policy condition language (as 政策匹配 evaluates it)."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import Region
from conditions.engine import evaluate
from registry.facts import facts_of
from vouchers.models import Provider, RelatedParty, RelationKind


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def related_party(provider, enterprise) -> str | None:
    """Why the two are related parties, as a RelationKind value or "uscc"; None if not.
    Shared USCC; a shareholding the provider declared; or a group: the provider, or a
    provider of the same group, declared the enterprise a member of its group."""
    if provider.organisation.uscc and provider.organisation.uscc == enterprise.uscc:
        return "uscc"
    group = Provider.objects.filter(pk=provider.pk).values_list("group_name", flat=True).get()
    same_group = Q(provider=provider)
    if group:
        same_group |= Q(kind=RelationKind.GROUP, provider__group_name=group)
    row = (
        RelatedParty.objects.filter(same_group)
        .filter(Q(uscc=enterprise.uscc) | Q(enterprise=enterprise))
        .order_by("kind")
        .first()
    )
    return row.kind if row else None


def evaluation(program, enterprise, *, on=None):
    """The engine's evaluation of the programme's conditions against the enterprise's facts
    (its latest counted report), with the per-condition explanation. The programme has
    conditions (see check_eligible for one without)."""
    on = on or timezone.localdate()
    return evaluate(program.conditions, facts_of(enterprise, as_of=on), region_names=region_names())


def check_eligible(program, enterprise, *, on=None) -> list[dict] | None:
    """None when the enterprise meets the conditions; else the explanation data of the
    conditions that fail (or are unknown), ready for conditions.explain.render_conditions."""
    if not program.conditions:
        return None
    result = evaluation(program, enterprise, on=on)
    if result.matched:
        return None
    return [r.data for r in result.explanation if r.ok is not True]
