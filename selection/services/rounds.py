"""Rounds: creation with their pinned rules, and the one way their status moves."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from config.errors import DomainError
from config.workflow import apply_transition
from selection import defaults
from selection.choices import ROUND_TRANSITIONS, RoundStatus
from selection.default_rubric import default_rubric
from selection.indicators import validate_rubric
from selection.models import (
    ChecklistItem,
    DirectPassRule,
    Indicator,
    IndicatorGroup,
    PanelCriterion,
    SelectionRound,
    TierRule,
)
from selection.permissions import can_manage_round
from selection.services.round_checks import (  # noqa: F401 (configuration_problems: re-exported)
    configuration_problems,
    settings_problems,
    tier_rule_problems,
    transition_problems,
)
from workdays.calendar import add_working_days, holiday_calendar

ROUND_FIELDS = [
    "year",
    "title",
    "application_opens_at",
    "application_closes_at",
    "review_opens_on",
    "review_closes_on",
    "notice_days",
    "indicator_weight",
    "panel_weight",
    "pass_mark",
    "aggregation",
    "panelists_per_application",
    "max_per_panelist",
    "outlier_spread",
    "hide_enterprise_names",
]


def create_round(*, actor, region, **fields) -> SelectionRound:
    """A draft round with its own copy of the default rules.

    Side effects: the round, its indicator groups, indicators, direct-pass rules,
    panel criteria, tier rules and checklist; audit event `round.created`.
    """
    draft = SelectionRound(region=region, created_by=actor, **fields)
    if not can_manage_round(actor, draft):
        raise DomainError(_("只有本辖区的数据管理部门可以创建遴选轮次。"))
    if SelectionRound.objects.filter(region=region, year=fields["year"]).exists():
        raise DomainError(
            _("%(region)s已有 %(year)s 年度的遴选轮次。")
            % {"region": region.name, "year": fields["year"]},
            field="year",
        )
    _check_settings(draft)
    with transaction.atomic():
        draft.save()
        _copy_default_rules(draft)
        record_event(actor=actor, action="round.created", obj=draft, after={"year": draft.year})
    return draft


def _check_settings(selection_round):
    """Refuse settings that contradict each other, naming every problem."""
    if problems := settings_problems(selection_round):
        raise DomainError("；".join(message for _f, message in problems), field=problems[0][0])


def _copy_default_rules(selection_round):
    rubric = default_rubric()
    groups = {}
    for order, group in enumerate(rubric["groups"]):
        groups[group["code"]] = IndicatorGroup.objects.create(
            round=selection_round,
            code=group["code"],
            name=group["name"],
            minimum=group["minimum"],
            order=order,
        )
    Indicator.objects.bulk_create(
        Indicator(
            round=selection_round,
            group=groups[ind["group"]],
            code=ind["code"],
            name=ind["name"],
            metric=ind["metric"],
            bands=[[_num(lo), _num(hi), _num(pts)] for lo, hi, pts in ind["bands"]],
            order=order,
        )
        for order, ind in enumerate(rubric["indicators"])
    )
    DirectPassRule.objects.bulk_create(
        DirectPassRule(
            round=selection_round,
            code=rule["code"],
            label=rule["label"],
            kind=rule["kind"],
            threshold="" if rule.get("threshold") is None else str(rule["threshold"]),
        )
        for rule in rubric["direct_pass"]
    )
    PanelCriterion.objects.bulk_create(
        PanelCriterion(round=selection_round, name=name, guidance=guidance, weight=weight, order=i)
        for i, (name, guidance, weight) in enumerate(defaults.PANEL_CRITERIA)
    )
    TierRule.objects.bulk_create(
        TierRule(
            round=selection_round,
            tier=tier,
            min_final_score=score,
            min_revenue=revenue,
            min_age_years=age,
        )
        for tier, score, revenue, age in defaults.TIER_RULES
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(round=selection_round, text=text, order=i)
        for i, text in enumerate(defaults.CHECKLIST)
    )


def _num(value):
    """Bands are stored as JSON: Decimals as strings, open ends as null."""
    return None if value is None else str(value)


def rubric_of(selection_round) -> dict:
    """The round's pinned rubric in the shape selection.indicators expects."""
    from decimal import Decimal

    def dec(value):
        return None if value is None else Decimal(value)

    return {
        "pass_mark": selection_round.pass_mark,
        "groups": [
            {"code": g.code, "name": g.name, "minimum": g.minimum}
            for g in selection_round.groups.all()
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "group": i.group.code,
                "metric": i.metric,
                "bands": [(dec(lo), dec(hi), dec(pts)) for lo, hi, pts in i.bands],
            }
            for i in selection_round.indicators.select_related("group")
        ],
        "direct_pass": [
            {"code": r.code, "label": r.label, "kind": r.kind, "threshold": r.threshold or None}
            for r in selection_round.direct_pass_rules.all()
        ],
    }


def set_round_status(selection_round, new_status, *, actor, now=None) -> SelectionRound:
    """The one way a round moves along draft → open → … → closed. Each move checks its
    preconditions (selection.services.round_checks) and a refusal lists every one that
    fails: e.g. panel review needs the application window closed, every application past
    formal review and a panel of at least k experts.

    Side effects: audit event `round.<status>`; entering notice sets the notice window.
    """
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权管理该遴选轮次。"))
    new_status = RoundStatus(new_status)
    current = RoundStatus(
        SelectionRound.objects.values_list("status", flat=True).get(pk=selection_round.pk)
    )
    if new_status in ROUND_TRANSITIONS[current]:
        selection_round.refresh_from_db()
        if problems := transition_problems(selection_round, new_status, now=now):
            raise DomainError(
                _("轮次不能进入“%(new)s”：") % {"new": new_status.label} + "；".join(problems)
            )
    fields = {}
    if new_status == RoundStatus.NOTICE:
        today = timezone.localdate(now)
        days = selection_round.notice_days
        fields = {"notice_starts_on": today,
                  "notice_ends_on": add_working_days(today, days, holiday_calendar())}  # fmt: skip
    return apply_transition(
        selection_round, new_status, transitions=ROUND_TRANSITIONS, actor=actor,
        action_prefix="round", refused=_("轮次当前为“%(now)s”，不能变更为“%(new)s”。"), **fields,
    )  # fmt: skip


def update_round(selection_round, *, actor, **changes) -> SelectionRound:
    """Edit a draft round's dates and settings (rules are pinned once it opens)."""
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权管理该遴选轮次。"))
    if selection_round.status != RoundStatus.DRAFT:
        raise DomainError(_("轮次已发布，规则与日期不能再修改。"))
    unknown = set(changes) - set(ROUND_FIELDS)
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = SelectionRound.objects.select_for_update().get(pk=selection_round.pk)
        changed = [f for f, v in changes.items() if getattr(locked, f) != v]
        before = {f: getattr(locked, f) for f in changed}
        for field in changed:
            setattr(locked, field, changes[field])
        _check_settings(locked)
        if changed:
            locked.save(update_fields=changed)
            record_event(
                actor=actor,
                action="round.updated",
                obj=locked,
                before=before,
                after={f: getattr(locked, f) for f in changed},
            )
    return locked


def _require_draft(actor, selection_round):
    if not can_manage_round(actor, selection_round):
        raise DomainError(_("您无权管理该遴选轮次。"))
    if selection_round.status != RoundStatus.DRAFT:
        raise DomainError(_("轮次已发布，规则与日期不能再修改。"))


def replace_criteria(selection_round, *, actor, rows: list[dict]) -> None:
    """Set the panel criteria of a draft round; weights must sum to 100.

    `rows`: dicts with name, guidance, weight, max_score. Side effects: the
    round's criteria replaced; audit event `round.criteria_changed`.
    """
    _require_draft(actor, selection_round)
    if not rows:
        raise DomainError(_("请至少设置一个评审维度。"))
    total = sum(row["weight"] for row in rows)
    if total != 100:
        raise DomainError(_("评审维度的权重之和应为 100，当前为 %(w)s。") % {"w": total})
    names = [row["name"].strip() for row in rows]
    if len(set(names)) != len(names):
        raise DomainError(_("评审维度名称不能重复。"))
    with transaction.atomic():
        before = list(selection_round.criteria.values("name", "weight", "max_score"))
        selection_round.criteria.all().delete()
        PanelCriterion.objects.bulk_create(
            PanelCriterion(round=selection_round, order=i, **row) for i, row in enumerate(rows)
        )
        record_event(
            actor=actor,
            action="round.criteria_changed",
            obj=selection_round,
            before={"criteria": before},
            after={
                "criteria": [{k: row[k] for k in ("name", "weight", "max_score")} for row in rows]
            },
        )


def replace_checklist(selection_round, *, actor, items: list[str]) -> None:
    """Set the formal-review checklist of a draft round (no review exists before it opens).

    Side effects: the round's checklist replaced, in order; audit `round.checklist_changed`.
    """
    _require_draft(actor, selection_round)
    items = [item.strip() for item in items if item.strip()]
    if not items:
        raise DomainError(_("请至少设置一项形式审查要点。"))
    if len(set(items)) != len(items):
        raise DomainError(_("形式审查要点不能重复。"))
    with transaction.atomic():
        before = list(selection_round.checklist.order_by("order").values_list("text", flat=True))
        selection_round.checklist.all().delete()
        ChecklistItem.objects.bulk_create(
            ChecklistItem(round=selection_round, order=i, text=text) for i, text in enumerate(items)
        )
        record_event(actor=actor, action="round.checklist_changed", obj=selection_round,
                     before={"checklist": before}, after={"checklist": items})  # fmt: skip


def update_rubric(selection_round, *, actor, pass_mark, minimums: dict, bands: dict) -> None:
    """Change a draft round's indicator rubric: the pass mark, each group's minimum and
    each indicator's bands (`bands`: code -> [(lower, upper, points)], None = open end).
    The whole rubric is validated as it would be scored (selection.indicators).

    Side effects: round, groups and indicators saved; audit `round.rubric_changed`.
    """
    _require_draft(actor, selection_round)
    rubric = rubric_of(selection_round)
    before = _rubric_summary(rubric)
    rubric["pass_mark"] = pass_mark
    for group in rubric["groups"]:
        group["minimum"] = minimums.get(group["code"], group["minimum"])
    for indicator in rubric["indicators"]:
        indicator["bands"] = bands.get(indicator["code"], indicator["bands"])
    if problems := validate_rubric(rubric):
        raise DomainError(_("评分表有误：") + "；".join(problems), field="rubric")
    with transaction.atomic():
        selection_round.pass_mark = pass_mark
        selection_round.save(update_fields=["pass_mark"])
        for group in selection_round.groups.all():
            group.minimum = minimums.get(group.code, group.minimum)
            group.save(update_fields=["minimum"])
        for indicator in selection_round.indicators.all():
            if indicator.code in bands:
                indicator.bands = _stored(bands[indicator.code])
                indicator.save(update_fields=["bands"])
        record_event(actor=actor, action="round.rubric_changed", obj=selection_round,
                     before=before, after=_rubric_summary(rubric))  # fmt: skip


def _rubric_summary(rubric) -> dict:
    return {
        "pass_mark": str(rubric["pass_mark"]),
        "groups": {g["code"]: str(g["minimum"]) for g in rubric["groups"]},
        "bands": {i["code"]: _stored(i["bands"]) for i in rubric["indicators"]},
    }


def _stored(bands) -> list:
    return [[_num(lo), _num(hi), _num(pts)] for lo, hi, pts in bands]


def _criterion_summary(row) -> dict:
    return {k: row[k] for k in ("name", "weight", "max_score")}


def replace_tier_rules(selection_round, *, actor, rows: list[dict]) -> None:
    """Set the tier rules of a draft round (one per tier and category).

    Side effects: the round's tier rules replaced; audit event `round.tier_rules_changed`.
    """
    _require_draft(actor, selection_round)
    keys = [(row["tier"], row.get("category", "")) for row in rows]
    if len(set(keys)) != len(keys):
        raise DomainError(_("同一层级和类别只能有一条分级规则。"))
    if not rows:
        raise DomainError(_("请至少设置一条分级规则。"))
    if problems := tier_rule_problems(rows):
        raise DomainError("；".join(problems))
    with transaction.atomic():
        selection_round.tier_rules.all().delete()
        TierRule.objects.bulk_create(TierRule(round=selection_round, **row) for row in rows)
        record_event(
            actor=actor,
            action="round.tier_rules_changed",
            obj=selection_round,
            after={"rules": rows},
        )
