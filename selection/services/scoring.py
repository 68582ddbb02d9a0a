"""Blind scoring by the panel: score sheets, their history and submission."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from config.errors import DomainError
from selection.choices import ApplicationStatus, RoundStatus
from selection.models import Score, ScoreRevision, ScoreSheet
from selection.services.applications import set_application_status
from selection.services.review_counts import refresh_review_counts

LOW, HIGH = Decimal("0.4"), Decimal("0.9")  # a comment is required outside 40%..90% of the max
CENT = Decimal("0.01")


def _require_own_open_sheet(sheet, actor):
    if sheet.assignment.panel_member.user_id != actor.pk:
        raise DomainError(_("只能填写分配给您本人的评分表。"))
    if sheet.is_submitted:
        raise DomainError(_("评分表已提交，不能再修改。"))
    if sheet.assignment.application.round.status != RoundStatus.PANEL_REVIEW:
        raise DomainError(_("本轮不在专家评审阶段。"))


class ScoreProblems(DomainError):
    """Refused scores, with the message for each criterion so forms can show it in place."""

    def __init__(self, by_criterion: dict[int, str]):
        super().__init__("；".join(by_criterion.values()))
        self.by_criterion = by_criterion


def _problems(pairs, *, draft=False) -> dict[int, str]:
    """pairs of (criterion, value, comment) -> {criterion id: message} for the bad ones.
    A draft is only held to the value's range: the comment rule applies at submission."""
    found = {}
    for criterion, value, comment in pairs:
        messages = _check_value(criterion, value, comment, draft=draft)
        if messages:
            found[criterion.pk] = messages[0]
    return found


def _check_value(criterion, value, comment, *, draft=False) -> list[str]:
    problems = []
    if value < 0 or value > criterion.max_score:
        problems.append(
            _("“%(c)s”的得分应在 0 到 %(max)s 之间。")
            % {"c": criterion.name, "max": criterion.max_score}
        )
    elif (
        not draft
        and (value < criterion.max_score * LOW or value > criterion.max_score * HIGH)
        and not (comment or "").strip()
    ):
        problems.append(
            _("“%(c)s”的得分低于满分的 40%% 或高于 90%%，请填写评语说明理由。")
            % {"c": criterion.name}
        )
    return problems


def save_scores(sheet, *, actor, values: dict) -> ScoreSheet:
    """Save (part of) a sheet before submitting; every changed value is kept in
    ScoreRevision. `values` maps criterion id -> (value, comment); a value of None clears a
    saved score. A draft may still lack the comments that submission requires."""
    _require_own_open_sheet(sheet, actor)
    criteria = {c.pk: c for c in sheet.assignment.application.round.criteria.all()}
    unknown = set(values) - set(criteria)
    if unknown:
        raise DomainError(_("评分表中有不属于本轮的评审维度。"))
    given = ((criteria[cid], v, c) for cid, (v, c) in values.items() if v is not None)
    problems = _problems(given, draft=True)
    if problems:
        raise ScoreProblems(problems)
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.is_submitted:
            raise DomainError(_("评分表已提交，不能再修改。"))
        current = {s.criterion_id: s for s in locked.scores.all()}
        for cid, (value, comment) in values.items():
            score = current.get(cid)
            previous = score.value if score is not None else None
            if value is None:
                if score is not None:
                    score.delete()
            elif score is None:
                Score.objects.create(sheet=locked, criterion_id=cid, value=value, comment=comment)
            elif score.value != value or score.comment != comment:
                score.value, score.comment = value, comment
                score.save(update_fields=["value", "comment"])
            if previous != value:
                ScoreRevision.objects.create(
                    sheet=locked, criterion_id=cid, old_value=previous, new_value=value
                )
    return locked


def sheet_total(sheet) -> Decimal:
    """The weighted total the sheet's saved scores make (what submission would lock)."""
    criteria = {c.pk: c for c in sheet.assignment.application.round.criteria.all()}
    return weighted_total(list(sheet.scores.all()), criteria)


def submission_problems(sheet) -> tuple[list[str], dict[int, str]]:
    """What would refuse this sheet's submission now: the criteria without a score, and
    the scores the comment rule refuses ({criterion id: message}). Writes nothing."""
    criteria = {c.pk: c for c in sheet.assignment.application.round.criteria.all()}
    scores = list(sheet.scores.all())
    scored = {s.criterion_id for s in scores}
    missing = [c.name for cid, c in criteria.items() if cid not in scored]
    problems = _problems((criteria[s.criterion_id], s.value, s.comment) for s in scores)
    return missing, problems


def weighted_total(scores, criteria) -> Decimal:
    """Σ value / max × weight: a sheet's total on a 100-point scale."""
    total = sum(
        (s.value / criteria[s.criterion_id].max_score * criteria[s.criterion_id].weight)
        for s in scores
    )
    return Decimal(total).quantize(CENT, rounding=ROUND_HALF_UP)


def submit_sheet(sheet, *, actor) -> ScoreSheet:
    """Lock a complete sheet. When the application's last sheet is in, it becomes
    `scored`. Side effects: total written; audit event `panel.sheet_submitted`."""
    _require_own_open_sheet(sheet, actor)
    application = sheet.assignment.application
    criteria = {c.pk: c for c in application.round.criteria.all()}
    with transaction.atomic():
        locked = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
        missing, problems = submission_problems(locked)
        if missing:
            raise DomainError(_("还有评审维度未评分：%(c)s") % {"c": "、".join(missing)})
        if problems:
            raise ScoreProblems(problems)
        scores = list(locked.scores.all())
        locked.total = weighted_total(scores, criteria)
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["total", "submitted_at"])
        record_event(
            actor=actor,
            action="panel.sheet_submitted",
            obj=application,
            after={"sheet": locked.pk},  # not the score: other staff read the timeline
        )
        settle_review(application, actor=actor)
    return locked


def sheet_counts(application) -> tuple[int, int]:
    """(submitted, not yet submitted) score sheets of an application."""
    counts = ScoreSheet.objects.filter(assignment__application=application).aggregate(
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        open=Count("id", filter=Q(submitted_at__isnull=True)),
    )
    return counts["submitted"], counts["open"]


def review_complete(application) -> bool:
    """Complete = at least the round's k experts submitted, and no sheet is still open."""
    submitted, open_sheets = sheet_counts(application)
    return submitted >= application.round.panelists_per_application and open_sheets == 0


def settle_review(application, *, actor) -> None:
    """Put an application in the review state its sheets justify: `scored` ("评审完成")
    only when review_complete, back to `under_review` when a sheet was withdrawn or a
    replacement assigned. Side effects: the status change (audited) if any."""
    refresh_review_counts([application.pk])
    application.refresh_from_db(fields=["status"])
    complete = review_complete(application)
    if complete and application.status == ApplicationStatus.UNDER_REVIEW:
        set_application_status(application, ApplicationStatus.SCORED, actor=actor)
    elif not complete and application.status == ApplicationStatus.SCORED:
        set_application_status(
            application,
            ApplicationStatus.UNDER_REVIEW,
            actor=actor,
            reason=_("评审专家不足，需补充评分"),
        )
