"""The scenario search: segmented words in `search_text` (both databases); PostgreSQL
also keeps them as a tsvector (see refresh_vector)."""


def refresh_vector(scenario) -> list[str]:
    """Fields to save beside search_text so the ranked search sees the new words."""
    return []
