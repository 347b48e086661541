"""The default search backend: a Whoosh index in the instance folder, Chinese segmented by rjieba,
traditional folded to simplified by OpenCC (portal.search.text).

Layout: <root>/CURRENT names the live index folder <root>/index-<id>. `rebuild` writes a new folder
beside the live one and swaps CURRENT atomically, so searches keep working during a reindex.
"""

import os
import shutil
import threading
import uuid
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.query import And, Or, Term
from whoosh.sorting import Count, FieldFacet

from .base import SearchDoc, SearchQuery, SearchResult
from .text import query_terms, token_spans

FACET_FIELDS = {"department": "department", "domain": "domain", "open_access": "open_access", "format": "format",
                "update_frequency": "update_frequency", "keyword": "keyword"}
TEXT_BOOSTS = {"title": 4.0, "keywords_text": 3.0, "department_title": 1.5, "domain_text": 1.5, "description": 1.0,
               "fields": 1.0, "formats_text": 1.0}
SORT_FIELDS = {"newest": ("updated", True), "downloads": ("downloads", True), "title": ("title_sort", False)}


class IndexUnavailable(Exception):
    """The index is missing or unreadable; the caller rebuilds it from the database."""


class ChineseTokenizer(Tokenizer):
    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for position, (word, start, end) in enumerate(token_spans(value)):
            token.text = word
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            token.stopped = False
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def _schema() -> Schema:
    analyzer = ChineseTokenizer()
    text = {name: TEXT(analyzer=analyzer, field_boost=boost) for name, boost in TEXT_BOOSTS.items()}
    return Schema(
        name=ID(stored=True, unique=True), department=ID, domain=ID, open_access=ID, update_frequency=ID,
        format=KEYWORD(commas=True, lowercase=True), keyword=KEYWORD(commas=True),
        updated=NUMERIC(sortable=True, bits=64), downloads=NUMERIC(sortable=True, bits=64),
        title_sort=ID(sortable=True), **text)


def _fields(doc: SearchDoc) -> dict:
    def plain(values):
        return ",".join(v.replace(",", " ") for v in values if v)

    return {
        "name": doc.name, "department": doc.department, "domain": doc.domain, "open_access": doc.open_access,
        "update_frequency": doc.update_frequency, "format": plain(f.lower() for f in doc.formats),
        "keyword": plain(doc.keywords), "updated": int(doc.updated_at.timestamp() * 1_000_000), "downloads": doc.downloads,
        "title_sort": doc.title, "title": doc.title, "keywords_text": " ".join(doc.keywords),
        "department_title": doc.department_title, "domain_text": doc.domain, "description": doc.description,
        "fields": " ".join(doc.fields), "formats_text": " ".join(doc.formats),
    }


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path):
        self.root = Path(path)
        self._lock = threading.Lock()
        self._open: tuple[str, object] | None = None

    # -- index lifecycle -------------------------------------------------------------------
    def _current(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def _index(self):
        current = self._current()
        if current is None:
            raise IndexUnavailable("search index missing")
        with self._lock:
            if self._open is None or self._open[0] != current:
                try:
                    self._open = (current, whoosh_index.open_dir(str(self.root / current)))
                except Exception as exc:  # a corrupt or half-deleted folder: rebuild, never fail the page
                    raise IndexUnavailable(str(exc)) from exc
            return self._open[1]

    def rebuild(self, docs: list[SearchDoc]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        folder = f"index-{uuid.uuid4().hex[:12]}"
        (self.root / folder).mkdir()
        ix = whoosh_index.create_in(str(self.root / folder), _schema())
        writer = ix.writer(limitmb=256)
        for doc in docs:
            writer.add_document(**_fields(doc))
        writer.commit()
        pointer = self.root / f"CURRENT.{uuid.uuid4().hex[:8]}"
        pointer.write_text(folder, encoding="utf-8")
        os.replace(pointer, self.root / "CURRENT")  # the swap: readers see the old or the new index, never neither
        # Keep the previous generation: a search that read CURRENT just before the swap still opens it.
        older = sorted((p for p in self.root.glob("index-*") if p.name != folder), key=lambda p: p.stat().st_mtime)
        for old in older[:-1]:
            shutil.rmtree(old, ignore_errors=True)

    def index(self, docs: list[SearchDoc]) -> None:
        writer = self._index().writer(timeout=30)
        for doc in docs:
            writer.update_document(**_fields(doc))
        writer.commit()

    def delete(self, names: list[str]) -> None:
        writer = self._index().writer(timeout=30)
        for name in names:
            writer.delete_by_term("name", name)
        writer.commit()

    # -- search ------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except IndexUnavailable:
            raise
        except Exception:  # the folder went away under a cached reader (a reindex): reopen once
            with self._lock:
                self._open = None
            try:
                return self._search(query)
            except Exception as exc:
                raise IndexUnavailable(str(exc)) from exc

    def _search(self, query: SearchQuery) -> SearchResult:
        terms = query_terms(query.text)
        if not terms:
            return SearchResult([], 0, {})
        words = [And([Or([Term(field, token, boost=boost) for field, boost in TEXT_BOOSTS.items()])
                      for token in word]) for word in terms]
        matcher = And(words) if len(words) > 1 else words[0]
        filters = [Term(FACET_FIELDS[key], value.lower() if key == "format" else value)
                   for key, value in query.filters.items() if value]
        kwargs = {"filter": And(filters) if filters else None,
                  "groupedby": {key: FieldFacet(field, allow_overlap=key in ("format", "keyword"), maptype=Count)
                                for key, field in FACET_FIELDS.items()},
                  "limit": query.page * query.per_page}
        if query.sort in SORT_FIELDS:
            field, reverse = SORT_FIELDS[query.sort]
            kwargs["sortedby"] = [FieldFacet(field, reverse=reverse), FieldFacet("name")]
        with self._index().searcher() as searcher:
            results = searcher.search(matcher, **kwargs)
            start = (query.page - 1) * query.per_page
            names = [hit["name"] for hit in results[start:start + query.per_page]]
            facets = {key: sorted(results.groups(key).items(), key=lambda kv: (-kv[1], kv[0]))
                      for key in FACET_FIELDS}
            return SearchResult(names, len(results), facets)
