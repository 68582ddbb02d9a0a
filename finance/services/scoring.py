"""The credit scorecard over registry data: publishing a version, reading every factor's
value in bulk, scoring (one enterprise, or all of them in a chunked, idempotent job)."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from config.dispatch import send_batched_on_commit
from config.errors import DomainError
from config.job_runs import failure_recorded, queue_run
from config.jobs import RunStatus
from config.lookups import id_filter
from finance.models import CreditScore, Scorecard, ScoreRun
from finance.permissions import can_manage_scorecards
from finance.scoring import score, validate_factors
from registry.facts import COUNTED, facts_for
from registry.models import AnnualReport, Enterprise, EnterpriseRecord
from registry.selectors import scenario_awards_received, vouchers_received
from registry.services.reminders import due_date

CHUNK = 500


def publish_scorecard(*, actor, name, factors, grades) -> Scorecard:
    """A new version (the next number) becomes current; scores computed with earlier
    versions keep theirs. Refusals: not national staff or admin; invalid data.
    Side effects: audit `scorecard.created`."""
    if actor is not None and not can_manage_scorecards(actor):
        raise DomainError(_("只有国家级数据管理部门或系统管理员可以发布信用评价模型。"))
    problems = validate_factors(factors, grades)
    if problems:
        raise DomainError("；".join(problems), field="factors")
    with transaction.atomic():
        last = Scorecard.objects.select_for_update().order_by("-version").first()
        Scorecard.objects.filter(is_current=True).update(is_current=False)
        card = Scorecard.objects.create(
            version=(last.version + 1) if last else 1, name=name.strip()[:100], factors=factors,
            grades=grades, is_current=True, created_by=actor,
        )  # fmt: skip
        record_event(actor=actor, action="scorecard.created", obj=card, after={"v": card.version})
    return card


def current_scorecard() -> Scorecard | None:
    return Scorecard.objects.filter(is_current=True).first()


def _growth(latest, previous):
    if not latest or not previous or not previous["revenue"]:
        return None
    change = (latest["revenue"] - previous["revenue"]) / previous["revenue"] * 100
    return change.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _vouchers_awards(ids) -> dict[int, int]:
    """Vouchers granted + scenario awards won, as the registry counts them (its selectors:
    finance imports neither vouchers nor scenarios) — two queries an enterprise, so read
    only for a version that has the factor."""
    counts = {}
    for enterprise in Enterprise.objects.filter(**id_filter("pk", ids)):
        vouchers = vouchers_received(enterprise)["n"] or 0
        counts[enterprise.pk] = vouchers + (scenario_awards_received(enterprise)["n"] or 0)
    return counts


def inputs_for(enterprise_ids, *, as_of=None, keys=None) -> dict[int, dict]:
    """{enterprise id: {factor key: value}} in a fixed number of queries per chunk (plus
    two an enterprise when `keys`, the factors wanted, include vouchers_awards)."""
    as_of = as_of or timezone.localdate()
    ids = list(enterprise_ids)
    facts = facts_for(ids, as_of=as_of)
    reports = defaultdict(dict)
    punctual = defaultdict(lambda: [0, 0])
    for row in AnnualReport.objects.filter(
        status__in=COUNTED, year__lte=as_of.year, **id_filter("enterprise_id", ids)
    ).values("enterprise_id", "year", "revenue", "submitted_at"):
        reports[row["enterprise_id"]][row["year"]] = row
        counts = punctual[row["enterprise_id"]]
        counts[1] += 1
        submitted = row["submitted_at"]
        if submitted and timezone.localtime(submitted).date() <= due_date(row["year"]):
            counts[0] += 1
    records = dict(
        EnterpriseRecord.objects.in_force()
        .filter(**id_filter("enterprise_id", ids))
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .values_list("enterprise_id", "n")
    )
    rewards = _vouchers_awards(ids) if keys is None or "vouchers_awards" in keys else {}
    result = {}
    for pk, f in facts.items():
        year = f["report_year"]
        by_year = reports.get(pk, {})
        on_time, filed = punctual.get(pk, (0, 0))
        result[pk] = {
            "tier": f["tier"],
            "labels": len(f["labels"]),
            "revenue_growth": _growth(by_year.get(year), by_year.get(year - 1)) if year else None,
            "rd_intensity": f["rd_intensity"],
            "invention_patents": f["invention_patents"],
            "software_copyrights": f["software_copyrights"],
            "data_resources": f["data_resources_registered"],
            "age_years": f["age_years"],
            "report_punctuality": (
                (Decimal(on_time) * 100 / filed).quantize(Decimal("0.01")) if filed else None
            ),
            "compliance_records": records.get(pk, 0),
            "vouchers_awards": rewards.get(pk),
        }
    return result


def score_chunk(card: Scorecard, ids, *, as_of=None) -> int:
    """Score the enterprises `ids` with `card`: one row each, replaced if it exists (so a
    run may repeat a chunk). Returns the number of rows written."""
    now = timezone.now()
    rows = []
    keys = {f["key"] for f in card.factors}
    for pk, values in inputs_for(ids, as_of=as_of, keys=keys).items():
        total, grade, contributions = score(card.factors, card.grades, values)
        rows.append(
            CreditScore(
                enterprise_id=pk,
                scorecard=card,
                total=total,
                grade=grade,
                contributions=contributions,
                computed_at=now,
            )  # fmt: skip
        )
    CreditScore.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["enterprise", "scorecard"],
        update_fields=["total", "grade", "contributions", "computed_at"],
    )
    return len(rows)


def score_enterprise(enterprise, *, card=None) -> CreditScore | None:
    """Score one enterprise now with the current (or given) version."""
    card = card or current_scorecard()
    if card is None:
        return None
    score_chunk(card, [enterprise.pk])
    return CreditScore.objects.get(enterprise=enterprise, scorecard=card)


def schedule_rescore(enterprise_ids) -> None:
    """Rescore these enterprises with the current version after the transaction commits:
    one task for every enterprise announced in it (outside a transaction: at once)."""
    send_batched_on_commit("finance.rescore_enterprises", "enterprise_ids", enterprise_ids)


def rescore_enterprises(enterprise_ids, *, as_of=None) -> int:
    """The rescoring task's body: the verified ones of these enterprises with the current
    version, in chunks (a bulk ScoreRun of the same version may run beside it: both
    write the same rows, each keeps its own progress). Returns how many were scored."""
    card = current_scorecard()
    if card is None:
        return 0
    ids = list(
        population().filter(pk__in=enterprise_ids).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        score_chunk(card, ids[start : start + CHUNK], as_of=as_of)
    return len(ids)


def population():
    return Enterprise.objects.verified()


def start_scoring(*, actor, card=None) -> ScoreRun:
    """Queue the scoring job over every verified enterprise with the current version.
    Refusals: not national staff or admin; no version; a run of it active (Conflict).
    Side effects: the run; audit `score_run.requested`; the task after commit."""
    if actor is not None and not can_manage_scorecards(actor):
        raise DomainError(_("只有国家级数据管理部门或系统管理员可以启动信用评分计算。"))
    card = card or current_scorecard()
    if card is None:
        raise DomainError(_("尚未发布信用评价模型。"))
    busy = _("该版本的信用评分正在计算，请等待完成。")
    return queue_run(ScoreRun, task="finance.score_enterprises", busy=busy, actor=actor,
                     action="score_run.requested", scorecard=card)  # fmt: skip


def run_scoring(run: ScoreRun, *, as_of=None) -> ScoreRun:
    """The job body: chunks of CHUNK enterprises, progress after each; idempotent."""
    ScoreRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    with failure_recorded(ScoreRun, run.pk):
        ids = list(population().order_by("pk").values_list("pk", flat=True))
        ScoreRun.objects.filter(pk=run.pk).update(total=len(ids), processed=0)
        written = 0
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            written += score_chunk(run.scorecard, chunk, as_of=as_of)
            ScoreRun.objects.filter(pk=run.pk).update(processed=start + len(chunk))
    ScoreRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, finished_at=timezone.now(), summary={"scored": written}
    )
    run.refresh_from_db()
    return run
