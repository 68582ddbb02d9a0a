"""The pieces of every dashboard: a Figure (a value and the list behind it), a Chart (the
SVG, its caption and its figures as the text alternative), and the links."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from reports import charts


def url(name, *args, **query) -> str:
    base = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def export_url(list_name, **query) -> str:
    """A list that has no page of its own: its export page (the filter in words, the row
    count, the download)."""
    return url("exports:start", list_name, **query)


@dataclass
class Figure:
    label: str
    value: object
    link: str


@dataclass
class Chart:
    """One chart: the SVG, its caption and its figures (the text alternative), each linked."""

    key: str
    title: str
    figures: list[Figure]
    kind: str = "bar"
    unit: str = ""
    svg: str = field(default="", init=False)
    note: str = ""

    def __post_init__(self):
        data = [(f.label, f.value) for f in self.figures]
        # Drawn about as wide as a dashboard card, so the text stays legible.
        if self.kind == "donut":
            self.svg = charts.donut_chart(data, title=str(self.title), size=140, width=360)
        else:
            self.svg = charts.bar_chart(data, title=str(self.title), width=360, unit=self.unit)


def counts(queryset, key) -> dict:
    """{value: rows} of `queryset` grouped by `key` (one query)."""
    return dict(queryset.values_list(key).annotate(n=Count("pk")).order_by())
