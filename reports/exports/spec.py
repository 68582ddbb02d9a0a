"""The declarative side of exports: a list is an ExportSpec with its columns.

A spec names the function the list page itself uses to turn (user, GET parameters) into
the visible, filtered, sorted queryset, so the export is the page's list row for row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404, QueryDict

TEXT, INT, DECIMAL, MONEY, DATE, DATETIME, BOOL = (
    "text",
    "int",
    "decimal",
    "money",
    "date",
    "datetime",
    "bool",
)
# Parameters of a list page that are not its filter (paging, the export form's own fields).
NOT_FILTER = frozenset({"page", "columns", "format", "csrfmiddlewaretoken"})


@dataclass(frozen=True)
class Column:
    """One exportable column: a dotted path on the row (a field with choices is shown by
    its label in the reader's language), or `value(row)` when it is computed."""

    key: str
    label: str
    kind: str = TEXT
    default: bool = True
    value: Callable | None = None
    width: int | None = None

    def get(self, row):
        if self.value is not None:
            return self.value(row)
        obj = row
        *path, last = self.key.split(".")
        for name in path:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        display = getattr(obj, f"get_{last}_display", None)
        return display() if display is not None else getattr(obj, last, None)


@dataclass(frozen=True)
class ExportSpec:
    """A list that exports. `queryset(user, params)` is the list page's own function;
    `permission(user)` the same predicate the page checks (a page that answers 404 for an
    object, e.g. a round outside the user's view, raises Http404 inside `queryset`)."""

    name: str
    title: str
    queryset: Callable
    columns: list[Column]
    permission: Callable
    # The list page, for the export page's "back" link: a URL name, or params → (name, args).
    page: Callable | None = None
    # The filter's parameters as key → (label, {value: label}), for the filter described in
    # the export's header (`filterset_labels` reads them from a FilterSet).
    filter_labels: dict = field(default_factory=dict)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def default_keys(self) -> list[str]:
        return [c.key for c in self.columns if c.default]

    def chosen(self, keys) -> list[Column]:
        """The chosen columns in the spec's order; none chosen = the default set."""
        wanted = set(keys or ()) & set(self.keys)
        return [c for c in self.columns if c.key in wanted] or [
            c for c in self.columns if c.default
        ]

    def describe_filter(self, params: QueryDict) -> list[tuple[str, str]]:
        """(label, value) for each filter parameter given, in the order given."""
        described = []
        for key, values in params.lists():
            if key in NOT_FILTER or not any(values):
                continue
            label, choices = self.filter_labels.get(key, (key, {}))
            shown = [str(choices.get(v, v)) for v in values if v]
            described.append((str(label), "、".join(shown)))
        return described


REGISTRY: dict[str, ExportSpec] = {}


def register(spec: ExportSpec) -> ExportSpec:
    assert spec.name not in REGISTRY, f"export {spec.name} registered twice"
    REGISTRY[spec.name] = spec
    return spec


def load_lists() -> dict[str, ExportSpec]:
    """Every list, registered once (the modules register theirs when first imported)."""
    from reports.exports import lists, lists_measures  # noqa: F401

    return REGISTRY


def spec_named(name: str) -> ExportSpec:
    load_lists()
    try:
        return REGISTRY[name]
    except KeyError:
        raise Http404 from None


def filter_params(params) -> QueryDict:
    """A list page's filter from a query string or QueryDict, without paging."""
    query = params if isinstance(params, QueryDict) else QueryDict(params or "")
    query = query.copy()
    for key in NOT_FILTER:
        query.pop(key, None)
    return query


def filterset_labels(filterset_class, **extra) -> dict:
    """key → (label, choices) of a django-filter FilterSet's parameters, and `extra`."""
    labels = {}
    for name, f in filterset_class.base_filters.items():
        choices = f.extra.get("choices") or ()
        labels[name] = (f.label or name, dict(choices) if not callable(choices) else {})
    return {**labels, **extra}
