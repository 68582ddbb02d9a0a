"""The scenario search: segmented words in `search_text` (both databases); on PostgreSQL
also a `tsvector` of those words (simple configuration, GIN index), kept by the service
that saves the scenario (no trigger: the SQLite path has none), and ranked with ts_rank."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Value


def refresh_vector(scenario) -> list[str]:
    """Set the tsvector from `search_text` (PostgreSQL only); the fields to save with it."""
    if connection.vendor != "postgresql":
        return []
    scenario.search_vector = SearchVector(Value(scenario.search_text), config="simple")
    return ["search_vector"]


def ranked(queryset, words: list[str]):
    """The scenarios holding any of `words`, best first by ts_rank (then deadline)."""
    query = None
    for word in words:
        term = SearchQuery(word, config="simple", search_type="plain")
        query = term if query is None else query | term
    return (
        queryset.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "deadline", "id")
    )
