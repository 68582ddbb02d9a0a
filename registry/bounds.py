"""Plausible bounds on what enterprises declare (issue #8): the figures, why, and the checks.

The same bounds are database checks (registry.AnnualReport, selection.ApplicationFigures,
registry.Enterprise), field validators (so forms and API serializers refuse them field by
field) and `figure_problems` (the services refuse them with the same sentence before
anything is saved). The sentences are in config/constraint_messages.py.

- EMPLOYEES_MAX = 2,000,000: above China's largest employers (about 1.5 million people);
  2,147,483,648 is an overflow, not a workforce.
- COUNT_MAX = 1,000,000 for R&D staff, patents, software copyrights, registered data
  resources and incidents: the largest patent holders hold about 150,000.
- MONEY_MAX = 10 trillion yuan (10 万亿元) for every amount, and net profit not below minus
  that: above the revenue of any Chinese company (about 3.5 trillion) and within the
  columns' 16 digits.
- R&D expense ≤ 10 × revenue, or ≤ 50 million yuan whatever the revenue: a pre-revenue
  start-up may spend on R&D before it sells (revenue 0, R&D 30 million is plausible), but
  R&D at 100 × revenue is a typing error. R&D cannot exceed total costs, which the forms
  do not ask for, so revenue is the yardstick.
- Debt ratio 0–1000 %; above 100 % (liabilities above assets) only with a written reason.
- Founded on or after 1949-10-01 (a database check) and not in the future (Python: the
  database cannot know "today" reliably).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from config.constraint_messages import (
    AMOUNTS_MESSAGE,
    COUNTS_MESSAGE,
    DEBT_RATIO_MESSAGE,
    DEBT_REASON_MESSAGE,
    EMPLOYEES_MESSAGE,
    FOUNDED_MESSAGE,
    RD_MESSAGE,
)

FOUNDED_FLOOR = datetime.date(1949, 10, 1)
EMPLOYEES_MAX = 2_000_000
COUNT_MAX = 1_000_000
MONEY_MAX = Decimal("10000000000000")  # 10 万亿元
RD_REVENUE_FACTOR = 10
RD_FLOOR = Decimal("50000000")  # 5000 万元
DEBT_RATIO_MAX = Decimal("1000")
DEBT_RATIO_NEEDS_REASON = Decimal("100")

# Unsigned amounts of annual reports and applications (net profit is signed).
MONEY_FIELDS = (
    "revenue",
    "main_business_revenue",
    "rd_expense",
    "financing_this_year",
    "cumulative_financing",
    "valuation",
    "overseas_revenue",
    "financing_raised",
)


@deconstructible
class Bound:
    """A value within [low, high], refused with the bound's own sentence. Not Django's
    Min/MaxValueValidator: DRF turns those into min_value/max_value with its own
    message, and the API must say what the form and the database say."""

    def __init__(self, *, low=None, high=None, message=""):
        self.low, self.high, self.message = low, high, message

    def __call__(self, value):
        if value is None:
            return
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise ValidationError(self.message, code="out_of_bounds")

    def __eq__(self, other):
        return isinstance(other, Bound) and (self.low, self.high, str(self.message)) == (
            other.low,
            other.high,
            str(other.message),
        )


EMPLOYEES_VALIDATORS = [Bound(high=EMPLOYEES_MAX, message=EMPLOYEES_MESSAGE)]
COUNT_VALIDATORS = [Bound(high=COUNT_MAX, message=COUNTS_MESSAGE)]
MONEY_VALIDATORS = [Bound(high=MONEY_MAX, message=AMOUNTS_MESSAGE)]
SIGNED_MONEY_VALIDATORS = [Bound(low=-MONEY_MAX, high=MONEY_MAX, message=AMOUNTS_MESSAGE)]
DEBT_RATIO_VALIDATORS = [Bound(low=Decimal("0"), high=DEBT_RATIO_MAX, message=DEBT_RATIO_MESSAGE)]


def validate_founded_on(value: datetime.date) -> None:
    """On a model field: forms and serializers refuse a founding date outside 1949 – today."""
    if isinstance(value, str):  # a service called with the ISO text of a date
        value = datetime.date.fromisoformat(value)
    if value < FOUNDED_FLOOR or value > timezone.localdate():
        raise ValidationError(FOUNDED_MESSAGE, code="enterprise_founded_since_1949")


def founded_condition() -> Q:
    return Q(founded_on__gte=FOUNDED_FLOOR)


def rd_condition() -> Q:
    return Q(rd_expense__lte=F("revenue") * RD_REVENUE_FACTOR) | Q(rd_expense__lte=RD_FLOOR)


def amounts_condition(fields, *, signed=(), nullable=()) -> Q:
    condition = Q()
    for name in fields:
        bounded = Q(**{f"{name}__lte": MONEY_MAX})
        if name in signed:
            bounded &= Q(**{f"{name}__gte": -MONEY_MAX})
        if name in nullable:
            bounded = Q(**{f"{name}__isnull": True}) | bounded
        condition &= bounded
    return condition


def counts_condition(fields) -> Q:
    return Q(**{f"{name}__lte": COUNT_MAX for name in fields})


def debt_reason_condition() -> Q:
    return Q(debt_ratio__lte=DEBT_RATIO_NEEDS_REASON) | ~Q(debt_ratio_reason="")


def figure_problems(values: dict) -> dict[str, str]:
    """The bounds above, field -> sentence, for a dict of declared figures (report or
    application). Fields missing from `values` are not checked."""
    problems = {}

    def over(name, limit, low=None):
        value = values.get(name)
        return value is not None and (value > limit or (low is not None and value < low))

    if over("employees", EMPLOYEES_MAX):
        problems["employees"] = EMPLOYEES_MESSAGE
    for name in ("rd_staff", "invention_patents", "software_copyrights",
                 "data_resources_registered", "compliance_incidents"):  # fmt: skip
        if over(name, COUNT_MAX):
            problems[name] = COUNTS_MESSAGE
    for name in MONEY_FIELDS:
        if over(name, MONEY_MAX):
            problems[name] = AMOUNTS_MESSAGE
    if over("net_profit", MONEY_MAX, low=-MONEY_MAX):
        problems["net_profit"] = AMOUNTS_MESSAGE
    revenue, rd = values.get("revenue"), values.get("rd_expense")
    if (
        revenue is not None
        and rd is not None
        and "rd_expense" not in problems
        and rd > revenue * RD_REVENUE_FACTOR
        and rd > RD_FLOOR
    ):
        problems["rd_expense"] = RD_MESSAGE
    if "debt_ratio" in values and values["debt_ratio"] is not None:
        ratio = values["debt_ratio"]
        if ratio < 0 or ratio > DEBT_RATIO_MAX:
            problems["debt_ratio"] = DEBT_RATIO_MESSAGE
        elif (
            ratio > DEBT_RATIO_NEEDS_REASON and not (values.get("debt_ratio_reason") or "").strip()
        ):
            problems["debt_ratio_reason"] = DEBT_REASON_MESSAGE
    return {name: str(message) for name, message in problems.items()}
