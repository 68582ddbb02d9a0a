"""Panel scores aggregated in the database: one query per round, not a loop per score.

Per application, over the submitted sheets' weighted totals: the mean, the median
(middle value, or the mean of the two middle values) and the trimmed mean (drop one
highest and one lowest when at least 5 totals exist, else the plain mean). Window
functions keep it portable between PostgreSQL and SQLite.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connection

from selection.choices import AggregationMethod

CENT = Decimal("0.01")
TRIM_FROM = 5

AGGREGATE_SQL = f"""
WITH ranked AS (
    SELECT asg.application_id AS app_id,
           sheet.total AS total,
           ROW_NUMBER() OVER (PARTITION BY asg.application_id ORDER BY sheet.total, sheet.id) AS rn,
           COUNT(*) OVER (PARTITION BY asg.application_id) AS n
    FROM selection_scoresheet sheet
    JOIN selection_assignment asg ON asg.id = sheet.assignment_id
    JOIN selection_application app ON app.id = asg.application_id
    WHERE app.round_id = %s AND sheet.submitted_at IS NOT NULL
)
SELECT app_id,
       COUNT(*) AS n,
       AVG(total) AS mean,
       AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN total END) AS median,
       AVG(CASE WHEN n < {TRIM_FROM} OR (rn > 1 AND rn < n) THEN total END) AS trimmed,
       MIN(total) AS low,
       MAX(total) AS high
FROM ranked
GROUP BY app_id
"""

COLUMN = {
    AggregationMethod.MEAN: "mean",
    AggregationMethod.MEDIAN: "median",
    AggregationMethod.TRIMMED_MEAN: "trimmed",
}


def _dec(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def panel_scores(selection_round) -> dict[int, dict]:
    """application id -> {"score", "n", "mean", "median", "trimmed", "low", "high"}."""
    return dict(iter_panel_scores(selection_round))


def iter_panel_scores(selection_round, *, batch=2000):
    """panel_scores() one application at a time, fetched in batches: a job over 50,000
    applications keeps what it needs of each row, not every row at once."""
    column = COLUMN[AggregationMethod(selection_round.aggregation)]
    with connection.cursor() as cursor:
        cursor.execute(AGGREGATE_SQL, [selection_round.pk])
        names = [c[0] for c in cursor.description]
        while rows := cursor.fetchmany(batch):
            for values in rows:
                row = dict(zip(names, values, strict=True))
                stats = {k: _dec(row[k]) for k in ("mean", "median", "trimmed", "low", "high")}
                yield row["app_id"], {"score": stats[column], "n": row["n"], **stats}
