"""Chinese words for search: title, description and industry segmented with jieba's
search mode, so a compound (人工智能) is indexed with its parts (人工, 智能) too."""

import re

import rjieba

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
