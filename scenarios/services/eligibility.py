"""A scenario's requirements in the policy condition language, checked and explained for
one enterprise (as 政策匹配 evaluates them)."""

from django.utils import timezone

from accounts.models import Region
from conditions.engine import evaluate
from registry.facts import facts_of


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def evaluation(scenario, enterprise, *, on=None):
    """The engine's evaluation of the scenario's conditions (it has some) against the
    enterprise's facts, with the explanation per condition."""
    on = on or timezone.localdate()
    return evaluate(scenario.conditions, facts_of(enterprise, as_of=on),
                    region_names=region_names())  # fmt: skip


def check_eligible(scenario, enterprise, *, on=None) -> list[dict] | None:
    """None when the enterprise meets the conditions (or there are none); else the
    explanation data of the conditions that fail or are unknown."""
    if not scenario.conditions:
        return None
    result = evaluation(scenario, enterprise, on=on)
    if result.matched:
        return None
    return [r.data for r in result.explanation if r.ok is not True]
