"""Two-way matching (双向匹配): published open scenarios for an enterprise, and registry
enterprises for a scenario, ranked by one transparent score whose every point carries its
reason as data (rendered in the reader's language by `describe_reason`).

The score (at most 100):
- kind ↔ the enterprise's innovation category (技术应用 ↔ 数字技术创新, 服务支撑 ↔ 应用场景
  创新, 数据赋能 ↔ 数据价值创新): 25;
- same industry: 20;
- region: the same region 15, else the same province 8;
- tier in the registry: leading 10, growth 7, potential 4; growth labels: 5 each, at most 10;
- the scenario's conditions (condition language) met: 10 (failing them excludes the pair);
- its history: it answered a scenario of the same kind before 5; it won an award before 5.

Both directions pre-rank in SQL on the columns (kind, industry, region, tier) with the same
points, keep the best CAP candidates, then load facts and history for those in a fixed
number of queries and score them here: no query per row.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Region
from conditions.engine import evaluate
from conditions.sql import prefilter
from registry.choices import EntryStatus, Industry, InnovationCategory, Tier
from registry.facts import facts_for
from registry.models import Enterprise, GrowthLabel
from scenarios.models import Award, Response, Scenario, ScenarioKind, ScenarioStatus

POINTS = {
    "kind": 25,
    "industry": 20,
    "region_same": 15,
    "region_province": 8,
    "conditions": 10,
    "label": 5,
    "labels_max": 10,
    "responded": 5,
    "awarded": 5,
}
TIER_POINTS = {Tier.LEADING: 10, Tier.GROWTH: 7, Tier.POTENTIAL: 4}
KIND_CATEGORY = {
    ScenarioKind.TECH_APPLICATION: InnovationCategory.TECH,
    ScenarioKind.SERVICE_SUPPORT: InnovationCategory.SCENARIO,
    ScenarioKind.DATA_ENABLEMENT: InnovationCategory.DATA,
}
CATEGORY_KIND = {category: kind for kind, category in KIND_CATEGORY.items()}
# A pair below this score is not recommended (stored, shown or notified).
MIN_SCORE = 40
# Candidates scored per request after the SQL pre-rank.
CAP = 200
SHOWN = 20


@dataclass
class Match:
    obj: object  # the Scenario or the Enterprise recommended
    score: int
    reasons: list = field(default_factory=list)

    @property
    def described(self) -> list[str]:
        return [describe_reason(r) for r in self.reasons]


def province_path(path: str) -> str | None:
    """ "000000/330000/330100/" -> "000000/330000/"; None above the provinces."""
    return path[:14] if path and len(path) >= 14 else None


def open_scenarios(on=None):
    on = on or timezone.localdate()
    return Scenario.objects.filter(status=ScenarioStatus.PUBLISHED, deadline__gte=on)


def _region_points(region_lookup: str, path: str):
    """SQL points of the region match against `path` (the other side's region)."""
    whens = [When(**{region_lookup: path}, then=Value(POINTS["region_same"]))]
    if province := province_path(path):
        points = Value(POINTS["region_province"])
        whens.append(When(**{f"{region_lookup}__startswith": province}, then=points))
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _when(lookup: str, value, points: int):
    return Case(When(**{lookup: value}, then=Value(points)), default=Value(0),
                output_field=IntegerField())  # fmt: skip


def _history(enterprise_ids) -> dict[int, dict]:
    """{enterprise id: {"kinds": {kind: responses}, "awards": n}} in two queries."""
    history = defaultdict(lambda: {"kinds": {}, "awards": 0})
    for row in (
        Response.objects.filter(enterprise_id__in=enterprise_ids)
        .values("enterprise_id", "scenario__kind")
        .annotate(n=Count("id"))
    ):
        history[row["enterprise_id"]]["kinds"][row["scenario__kind"]] = row["n"]
    for row in (
        Award.objects.filter(response__enterprise_id__in=enterprise_ids)
        .values("response__enterprise_id")
        .annotate(n=Count("id"))
    ):
        history[row["response__enterprise_id"]]["awards"] = row["n"]
    return history


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("code", "name"))


def _code(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def score(scenario, facts: dict, history: dict, names: dict) -> tuple[int, list] | None:
    """(points, reasons) of `scenario` for the enterprise with `facts` (registry.facts) and
    `history` (_history); None when the scenario's conditions exclude it."""
    reasons = []
    if scenario.conditions:
        if not evaluate(scenario.conditions, facts, region_names=names).matched:
            return None
        reasons.append({"code": "conditions", "points": POINTS["conditions"]})
    if KIND_CATEGORY.get(scenario.kind) == facts["category"]:
        reasons.append({"code": "kind", "points": POINTS["kind"], "kind": scenario.kind,
                        "category": facts["category"]})  # fmt: skip
    if scenario.industry == facts["industry"]:
        reasons.append({"code": "industry", "points": POINTS["industry"],
                        "industry": scenario.industry})  # fmt: skip
    ours, theirs = facts["region"], scenario.region.path
    if ours == theirs:
        reasons.append({"code": "region_same", "points": POINTS["region_same"],
                        "region": names.get(_code(ours), "")})  # fmt: skip
    elif province_path(ours) and province_path(ours) == province_path(theirs):
        reasons.append({"code": "region_province", "points": POINTS["region_province"],
                        "region": names.get(_code(province_path(ours)), "")})  # fmt: skip
    if facts.get("tier") in TIER_POINTS:
        reasons.append({"code": "tier", "points": TIER_POINTS[facts["tier"]],
                        "tier": facts["tier"]})  # fmt: skip
    if labels := facts.get("labels"):
        points = min(POINTS["label"] * len(labels), POINTS["labels_max"])
        reasons.append({"code": "labels", "points": points, "labels": list(labels)})
    if answered := history["kinds"].get(scenario.kind, 0):
        reasons.append({"code": "responded", "points": POINTS["responded"], "count": answered,
                        "kind": scenario.kind})  # fmt: skip
    if history["awards"]:
        reasons.append({"code": "awarded", "points": POINTS["awarded"],
                        "count": history["awards"]})  # fmt: skip
    return sum(r["points"] for r in reasons), reasons


def recommend_scenarios(enterprise, *, limit=SHOWN, on=None, minimum=MIN_SCORE) -> list[Match]:
    """Open published scenarios for `enterprise`, best first (not those it answered)."""
    on = on or timezone.localdate()
    facts = facts_for([enterprise.pk], as_of=on)[enterprise.pk]
    path = facts["region"]
    kind = CATEGORY_KIND.get(facts["category"])
    candidates = (
        open_scenarios(on)
        .exclude(responses__enterprise=enterprise)
        .annotate(
            prerank=_when("kind", kind, POINTS["kind"])
            + _when("industry", facts["industry"], POINTS["industry"])
            + _region_points("region__path", path)
        )
        .select_related("region", "scenario_list__publisher__organisation")
        .order_by("-prerank", "deadline", "id")[:CAP]
    )
    history = _history([enterprise.pk])[enterprise.pk]
    names = region_names()
    found = []
    for scenario in candidates:
        scored = score(scenario, facts, history, names)
        if scored and scored[0] >= minimum:
            found.append(Match(scenario, *scored))
    found.sort(key=lambda m: (-m.score, m.obj.deadline, m.obj.pk))
    return found[:limit]


def registry_enterprises():
    """The pool recommended to publishers: verified enterprises in the registry."""
    return Enterprise.objects.verified().filter(registry_entry__status=EntryStatus.ACTIVE)


def enterprise_pool(user):
    """Whom `user` may be shown for a scenario: staff the registry enterprises they see
    (visible_to); the publisher the registry enterprises (the registry is published)."""
    pool = registry_enterprises()
    if user.is_admin or user.is_bureau:
        pool = pool.filter(pk__in=Enterprise.objects.visible_to(user).values("pk"))
    return pool


def recommend_enterprises(scenario, *, pool, limit=SHOWN, on=None,
                          minimum=MIN_SCORE) -> list[Match]:  # fmt: skip
    """Enterprises of `pool` for `scenario`, best first (not those that answered it)."""
    on = on or timezone.localdate()
    path = scenario.region.path
    candidates = pool.exclude(scenario_responses__scenario=scenario)
    if scenario.conditions:
        candidates = prefilter(candidates, scenario.conditions, as_of=on)
    tiers = [When(registry_entry__tier=t, then=Value(p)) for t, p in TIER_POINTS.items()]
    ids = list(
        candidates.annotate(
            prerank=_when("category", KIND_CATEGORY.get(scenario.kind), POINTS["kind"])
            + _when("industry", scenario.industry, POINTS["industry"])
            + _region_points("region__path", path)
            + Case(*tiers, default=Value(0), output_field=IntegerField())
        )
        .order_by("-prerank", "name", "pk")
        .values_list("pk", flat=True)[:CAP]
    )
    facts = facts_for(ids, as_of=on)
    history = _history(ids)
    names = region_names()
    enterprises = Enterprise.objects.select_related("region__parent").in_bulk(ids)
    found = []
    for pk in ids:
        scored = score(scenario, facts[pk], history[pk], names)
        if scored and scored[0] >= minimum:
            found.append(Match(enterprises[pk], *scored))
    found.sort(key=lambda m: (-m.score, m.obj.name, m.obj.pk))
    return found[:limit]


def describe_reason(reason: dict) -> str:
    """One reason in the active language, with its points."""
    code = reason["code"]
    if code == "kind":
        text = _("场景类型“%(kind)s”与企业创新类型“%(category)s”相符") % {
            "kind": ScenarioKind(reason["kind"]).label,
            "category": InnovationCategory(reason["category"]).label,
        }
    elif code == "industry":
        text = _("同属%(industry)s") % {"industry": Industry(reason["industry"]).label}
    elif code == "region_same":
        text = _("实施地区与企业所在地同为%(region)s") % {"region": reason["region"]}
    elif code == "region_province":
        text = _("实施地区与企业同在%(region)s") % {"region": reason["region"]}
    elif code == "tier":
        text = _("培育库%(tier)s企业") % {"tier": Tier(reason["tier"]).label}
    elif code == "labels":
        text = _("获评%(labels)s") % {
            "labels": "、".join(str(GrowthLabel(label).label) for label in reason["labels"])
        }
    elif code == "conditions":
        text = _("满足场景的资格条件")
    elif code == "responded":
        text = _("曾响应同类场景 %(n)s 次") % {"n": reason["count"]}
    elif code == "awarded":
        text = _("曾揭榜中选 %(n)s 次") % {"n": reason["count"]}
    else:
        text = code
    return _("%(text)s（+%(points)s 分）") % {"text": text, "points": reason["points"]}
