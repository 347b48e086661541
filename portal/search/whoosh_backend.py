"""The default search backend: a Whoosh index in the instance folder, Chinese segmented by rjieba,
traditional folded to simplified by OpenCC (portal.search.text).

Layout: <root>/CURRENT names the live index folder <root>/index-<id>. `rebuild` writes a new folder
beside the live one and swaps CURRENT atomically, so searches keep working during a reindex.
"""

import os
import shutil
import threading
import uuid
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.query import And, AndMaybe, Or, Term

from .base import SearchDoc, SearchQuery, SearchResult
from .text import query_terms, token_spans

FACET_FIELDS = {"department": "department", "domain": "domain", "open_access": "open_access", "format": "format",
                "update_frequency": "update_frequency", "keyword": "keyword"}
# Matching runs on one combined field (cheap); these fields only add score to what already matched.
RANKING_BOOSTS = {"title": 4.0, "keywords_text": 3.0, "department_title": 1.5, "domain_text": 1.5}
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
    text = {name: TEXT(analyzer=analyzer, field_boost=boost, phrase=False) for name, boost in RANKING_BOOSTS.items()}
    # Facet and sort values are stored and loaded once per index generation into per-document
    # arrays (FacetTable): counting facets and sorting by field is then a loop over matching ids,
    # not Whoosh's per-document collector.
    return Schema(
        name=ID(stored=True, unique=True, sortable=True), department=ID(stored=True), domain=ID(stored=True),
        open_access=ID(stored=True), update_frequency=ID(stored=True),
        format=KEYWORD(commas=True, lowercase=True, stored=True), keyword=KEYWORD(commas=True, stored=True),
        updated_value=STORED, downloads_value=STORED, title_value=STORED, all=TEXT(analyzer=analyzer, phrase=False), **text)


def _fields(doc: SearchDoc) -> dict:
    def plain(values):
        return ",".join(v.replace(",", " ") for v in values if v)

    return {
        "name": doc.name, "department": doc.department, "domain": doc.domain, "open_access": doc.open_access,
        "update_frequency": doc.update_frequency, "format": plain(f.lower() for f in doc.formats),
        "keyword": plain(doc.keywords), "updated_value": int(doc.updated_at.timestamp() * 1_000_000),
        "downloads_value": doc.downloads, "title_value": doc.title, "title": doc.title, "keywords_text": " ".join(doc.keywords),
        "department_title": doc.department_title, "domain_text": doc.domain,
        "all": "\n".join([doc.title, " ".join(doc.keywords), doc.department_title, doc.domain, doc.description,
                          " ".join(doc.fields), " ".join(doc.formats)]),
    }


class WhooshBackend:
    name = "whoosh"

    def __init__(self, path):
        self.root = Path(path)
        self._lock = threading.Lock()
        self._open: tuple[str, object] | None = None
        self._local = threading.local()  # one searcher per thread, refreshed when the index changes

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
        writer = ix.writer(limitmb=256, procs=os.cpu_count() or 1, multisegment=True) if len(docs) > 5000 \
            else ix.writer(limitmb=256)
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

    def _searcher(self):
        ix = self._index()
        cached = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] is ix:
            searcher = cached[1]
            if not searcher.up_to_date():
                searcher = searcher.refresh()
        else:
            if cached is not None:
                cached[1].close()
            searcher = ix.searcher()
        self._local.searcher = (ix, searcher)
        return searcher

    # -- search ------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except IndexUnavailable:
            raise
        except Exception:  # the folder went away under a cached reader (a reindex): reopen once
            with self._lock:
                self._open = None
            self._local.searcher = None
            try:
                return self._search(query)
            except Exception as exc:
                raise IndexUnavailable(str(exc)) from exc

    def _search(self, query: SearchQuery) -> SearchResult:
        terms = query_terms(query.text)
        if not terms:
            return SearchResult([], 0, {})
        every = [token for word in terms for token in word]
        required = And([Term("all", token) for token in every]) if len(every) > 1 else Term("all", every[0])
        searcher = self._searcher()
        table = self._table(searcher)
        matched = [d for d in searcher.docs_for_query(required) if table.keep(d, query.filters)]
        if not matched:  # (an empty filter set would mean "no filter" to Whoosh)
            return SearchResult([], 0, table.count([]))
        start, stop = (query.page - 1) * query.per_page, query.page * query.per_page
        if query.sort in SORT_FIELDS:
            field, reverse = SORT_FIELDS[query.sort]
            ordered = sorted(matched, key=lambda d: table.name[d])
            ordered.sort(key=lambda d: getattr(table, field)[d], reverse=reverse)
            names = [table.name[d] for d in ordered[start:stop]]
        else:
            ranking = Or([Term(f, t, boost=b) for t in every for f, b in RANKING_BOOSTS.items()])
            hits = searcher.search(AndMaybe(required, ranking), filter=set(matched), limit=stop)
            names = [table.name[hit.docnum] for hit in hits[start:stop]]
        return SearchResult(names, len(matched), table.count(matched))

    def _table(self, searcher) -> "FacetTable":
        cached = getattr(self._local, "table", None)
        if cached is None or cached[0] is not searcher:
            cached = (searcher, FacetTable(searcher))
            self._local.table = cached
        return cached[1]


class FacetTable:
    """Per-document facet and sort values of one searcher's index generation."""

    MULTI = ("format", "keyword")

    def __init__(self, searcher):
        size = searcher.doc_count_all()
        self.name = [""] * size
        self.updated = [0] * size
        self.downloads = [0] * size
        self.title_sort = [""] * size
        self.values = {key: [()] * size for key in FACET_FIELDS}
        for docnum, stored in searcher.reader().iter_docs():
            self.name[docnum] = stored.get("name", "")
            self.updated[docnum] = stored.get("updated_value", 0)
            self.downloads[docnum] = stored.get("downloads_value", 0)
            self.title_sort[docnum] = stored.get("title_value", "")
            for key, field in FACET_FIELDS.items():
                raw = stored.get(field) or ""
                self.values[key][docnum] = tuple(v for v in raw.split(",") if v) if key in self.MULTI else (raw,)

    def keep(self, docnum: int, filters: dict) -> bool:
        for key, value in filters.items():
            if value and (value.lower() if key == "format" else value) not in self.values[key][docnum]:
                return False
        return True

    def count(self, docnums: list[int]) -> dict[str, list[tuple[str, int]]]:
        facets = {}
        for key, column in self.values.items():
            counts = Counter(v for d in docnums for v in column[d])
            facets[key] = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return facets
