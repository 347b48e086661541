"""Text for the index and for queries: traditional folded to simplified (OpenCC), lower-cased,
segmented with rjieba in search mode. Index and query go through the same functions."""

import re
from functools import lru_cache

import opencc
import rjieba

WORD = re.compile(r"\w", re.UNICODE)


@lru_cache(maxsize=1)
def _converter():
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Simplified, lower-case. OpenCC's t2s maps character for character, so offsets are kept."""
    return _converter().convert(text or "").lower()


def tokens(text: str) -> list[str]:
    """Search-mode segments of the folded text, punctuation and spaces dropped, in order."""
    return [word for word, _start, _end in rjieba.tokenize(fold(text), mode="search") if WORD.search(word)]


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) in the original text's offsets, for analyzers and highlighting."""
    return [(w, s, e) for w, s, e in rjieba.tokenize(fold(text), mode="search") if WORD.search(w)]


def query_terms(query: str) -> list[list[str]]:
    """A query is words separated by spaces; each word becomes the tokens that must all match."""
    terms = []
    for word in query.split():
        parts = tokens(word)
        if parts:
            terms.append(_longest_cover(parts))
    return terms


def _longest_cover(parts: list[str]) -> list[str]:
    """Search mode yields 南阳 and 南阳市 for 南阳市; requiring both is redundant, keep the covering ones."""
    kept = [p for p in parts if not any(p != other and p in other for other in parts)]
    return list(dict.fromkeys(kept))
