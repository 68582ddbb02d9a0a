"""What must hold for a round: its settings as a whole, its rules, and each transition.

Every check returns all the problems it finds (never the first only), in words, so a
form can show each beside its field and a refused transition can list every reason.
"""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from config.constraint_messages import message_for
from selection.choices import AWAITING_REVIEW_STATES, ApplicationStatus, RoundStatus
from selection.indicators import validate_rubric

S = ApplicationStatus
MIN_NOTICE_DAYS = 5  # 公示期不少于 5 个工作日


def settings_problems(values) -> list[tuple[str, str]]:
    """(field, message) for a round's dates and settings taken together. `values` is a
    round or anything with the same attributes (a form's cleaned data as an object)."""
    problems = []
    opens, closes = values.application_opens_at, values.application_closes_at
    review_opens, review_closes = values.review_opens_on, values.review_closes_on
    if opens and closes and closes <= opens:
        problems.append(("application_closes_at", _("申报截止时间应晚于申报开始时间。")))
    if closes and review_opens and review_opens <= timezone.localdate(closes):
        problems.append(("review_opens_on", _("评审开始日期应晚于申报截止日期。")))
    if review_opens and review_closes and review_closes < review_opens:
        problems.append(("review_closes_on", _("评审截止日期不能早于评审开始日期。")))
    starts, ends = (
        getattr(values, "notice_starts_on", None),
        getattr(values, "notice_ends_on", None),
    )
    if starts and ends and ends < starts:
        problems.append(("notice_days", _("公示结束日期不能早于公示开始日期。")))
    if starts and closes and starts <= timezone.localdate(closes):
        problems.append(("notice_days", _("公示应在申报截止之后开始。")))
    if values.notice_days is not None and values.notice_days < MIN_NOTICE_DAYS:
        problems.append(
            ("notice_days", _("公示期不少于 %(n)d 个工作日。") % {"n": MIN_NOTICE_DAYS})
        )
    indicator, panel = values.indicator_weight, values.panel_weight
    if (
        indicator is not None
        and panel is not None
        and (indicator < 0 or panel < 0 or indicator + panel != 100)
    ):
        problems.append(("panel_weight", str(message_for("round_weights_sum_to_100"))))
    if values.pass_mark is not None and not 0 <= values.pass_mark <= 100:
        problems.append(("pass_mark", _("指标及格线应在 0 到 100 之间。")))
    k, cap = values.panelists_per_application, values.max_per_panelist
    if k is not None and k < 1:
        problems.append(("panelists_per_application", str(message_for("round_k_at_least_one"))))
    if cap is not None and cap < 1:
        problems.append(("max_per_panelist", _("每位专家最多评审份数至少为 1。")))
    spread = values.outlier_spread
    if spread is not None and not 0 < spread <= 100:
        problems.append(("outlier_spread", _("评分离散度预警应大于 0 且不超过 100。")))
    return problems


def tier_rule_problems(rows) -> list[str]:
    """Tier rules (dicts or TierRule rows) that contradict themselves."""
    problems = []
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda name, r=row: getattr(r, name)
        label = _tier_label(get("tier"), get("category"))
        low, high = get("min_age_years"), get("max_age_years")
        if low is not None and high is not None and low > high:
            problems.append(
                _("%(rule)s：最低成立年限（%(low)s 年）不能高于最高成立年限（%(high)s 年）。")
                % {"rule": label, "low": low, "high": high}
            )
        score = get("min_final_score")
        if score is not None and not 0 <= score <= 100:
            problems.append(_("%(rule)s：最低综合得分应在 0 到 100 之间。") % {"rule": label})
        if get("min_revenue") is not None and get("min_revenue") < 0:
            problems.append(_("%(rule)s：最低营业收入不能为负数。") % {"rule": label})
        if get("quota") is not None and get("quota") < 1:
            problems.append(_("%(rule)s：名额至少为 1（不限名额请留空）。") % {"rule": label})
    return problems


def _tier_label(tier, category) -> str:
    from registry.choices import InnovationCategory, Tier

    name = Tier(tier).label if tier in Tier.values else str(tier)
    if category:
        name = f"{name}（{InnovationCategory(category).label}）"
    return _("“%(tier)s”分级规则") % {"tier": name}


def configuration_problems(selection_round) -> list[str]:
    """Everything that must be right before a round opens, in words: settings, rubric,
    panel criteria, tier rules and checklist, validated together."""
    from selection.services.rounds import rubric_of

    problems = [message for _field, message in settings_problems(selection_round)]
    problems += validate_rubric(rubric_of(selection_round))
    weights = sum(c.weight for c in selection_round.criteria.all())
    if weights != 100:
        problems.append(_("专家评审维度的权重之和应为 100，当前为 %(w)s。") % {"w": weights})
    rules = list(selection_round.tier_rules.all())
    if not rules:
        problems.append(_("尚未设置分级规则。"))
    problems += tier_rule_problems(rules)
    if not selection_round.checklist.exists():
        problems.append(_("尚未设置形式审查要点。"))
    return problems


def transition_problems(selection_round, new_status, *, now=None) -> list[str]:
    """Every precondition of moving `selection_round` to `new_status` that fails now."""
    now = now or timezone.now()
    check = {
        RoundStatus.OPEN: _to_open,
        RoundStatus.FORMAL_REVIEW: _to_formal_review,
        RoundStatus.PANEL_REVIEW: _to_panel_review,
        RoundStatus.TIERING: _to_tiering,
        RoundStatus.NOTICE: _to_notice,
        RoundStatus.CLOSED: _to_closed,
    }.get(RoundStatus(new_status))
    return check(selection_round, now) if check else []


def _window_closed(selection_round, now) -> list[str]:
    if now < selection_round.application_closes_at:
        closes = timezone.localtime(selection_round.application_closes_at)
        return [_("申报尚未截止（截止时间 %(t)s）。") % {"t": closes.strftime("%Y-%m-%d %H:%M")}]
    return []


def _to_open(selection_round, now):
    problems = configuration_problems(selection_round)
    if selection_round.application_closes_at <= now:
        problems.append(_("申报截止时间已过，请先修改申报时间。"))
    return problems


def _to_formal_review(selection_round, now):
    return _window_closed(selection_round, now)


def _counts(selection_round) -> dict[str, int]:
    return dict(
        selection_round.applications.values_list("status").annotate(n=Count("id")).order_by()
    )


def _to_panel_review(selection_round, now):
    problems = _window_closed(selection_round, now)
    k = selection_round.panelists_per_application
    members = selection_round.panel_members.count()
    if members < k:
        problems.append(
            _("专家组有 %(n)d 位专家，少于每份申请所需的 %(k)d 位。") % {"n": members, "k": k}
        )
    counts = _counts(selection_round)
    waiting = sum(counts.get(s, 0) for s in AWAITING_REVIEW_STATES)
    if waiting:
        problems.append(_("还有 %(n)d 份申请待形式审查。") % {"n": waiting})
    returned = counts.get(S.RETURNED, 0)
    if returned:
        problems.append(_("还有 %(n)d 份退回修改的申请尚未重新提交或撤回。") % {"n": returned})
    return problems


def _to_tiering(selection_round, now):
    from selection.models import ConflictReport, ScoreSheet

    problems = []
    open_sheets = ScoreSheet.objects.filter(
        assignment__application__round=selection_round, submitted_at__isnull=True
    ).count()
    if open_sheets:
        problems.append(_("还有 %(n)d 份评分表未提交。") % {"n": open_sheets})
    counts = _counts(selection_round)
    unreviewed = counts.get(S.ELIGIBLE, 0) + counts.get(S.UNDER_REVIEW, 0)
    if unreviewed:
        problems.append(
            _("还有 %(n)d 份申请未完成评审（提交评分的专家少于 %(k)d 位）。")
            % {"n": unreviewed, "k": selection_round.panelists_per_application}
        )
    reports = ConflictReport.objects.pending().filter(application__round=selection_round).count()
    if reports:
        problems.append(_("还有 %(n)d 份利益冲突报告待处理。") % {"n": reports})
    return problems


def _to_notice(selection_round, now):
    from selection.models import TieringRun

    problems = []
    if selection_round.results_confirmed_at is None:
        problems.append(_("分级结果尚未确认。"))
    if TieringRun.objects.filter(round=selection_round, status__in=["queued", "running"]).exists():
        problems.append(_("分级任务仍在运行。"))
    counts = _counts(selection_round)
    unconfirmed = sum(counts.get(s, 0) for s in (S.UNDER_REVIEW, S.SCORED, S.PROPOSED))
    if unconfirmed:
        problems.append(_("还有 %(n)d 份申请的结果尚未确认。") % {"n": unconfirmed})
    return problems


def _to_closed(selection_round, now):
    problems = []
    today = timezone.localdate(now)
    ends = selection_round.notice_ends_on
    if ends is None or ends >= today:
        problems.append(
            _("公示期至 %(d)s 结束，尚未期满。") % {"d": ends.isoformat() if ends else "—"}
        )
    from selection.models import Objection

    objections = Objection.objects.filter(application__round=selection_round, status="open").count()
    if objections:
        problems.append(_("还有 %(n)d 条公示异议未处理。") % {"n": objections})
    confirmed = _counts(selection_round).get(S.CONFIRMED, 0)
    if confirmed:
        problems.append(_("还有 %(n)d 份已确认的结果尚未入库。") % {"n": confirmed})
    return problems


def noon(day: datetime.date) -> datetime.datetime:
    """A date as an aware moment (midday), for checks that take `now`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
