"""Chinese words for search: title, description and industry segmented with jieba's
search mode, so a compound (人工智能) is indexed with its parts (人工, 智能) too. The words
live in `search_text` (both databases); on PostgreSQL also in a `tsvector` of those words
(simple configuration, GIN index), kept by the service that saves the scenario (no trigger:
the SQLite path has none), and ranked with ts_rank."""

import re

import rjieba
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Value

_WORD = re.compile(r"\w", re.UNICODE)


def words(text: str) -> list[str]:
    """The distinct words of `text`, lower-cased, in order (punctuation and spaces dropped)."""
    seen, out = set(), []
    for token in rjieba.cut_for_search(text or ""):
        token = token.strip().lower()
        if token and _WORD.search(token) and token not in seen:
            seen.add(token)
            out.append(token)
    return out


def segmented(*texts: str) -> str:
    """The words of every text, space-separated: what the search column holds."""
    seen, out = set(), []
    for text in texts:
        for word in words(text):
            if word not in seen:
                seen.add(word)
                out.append(word)
    return " ".join(out)


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
