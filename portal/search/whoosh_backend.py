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
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .base import SearchDoc, SearchQuery, SearchResult
from .text import query_terms, token_spans
from .whoosh_query import Generation

FACET_FIELDS = {"department": "department", "domain": "domain", "open_access": "open_access", "format": "format",
                "update_frequency": "update_frequency", "keyword": "keyword"}
# Matching runs on one combined field (cheap); these fields only add score to what already matched.
RANKING_BOOSTS = {"title": 4.0, "keywords_text": 3.0, "department_title": 1.5, "domain_text": 1.5}
SORT_FIELDS = {"newest": True, "downloads": True, "title": False}  # sort -> descending


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
    # Facet and sort values are stored and loaded once per index generation into bitsets and
    # arrays (whoosh_query.Generation); queries are evaluated there, not by Whoosh's collectors.
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
        self._gen: Generation | None = None  # the live generation's query data, shared by threads

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

    def _generation(self) -> Generation:
        ix = self._index()
        with self._lock:
            gen = self._gen
            # A new searcher, not searcher.refresh(): refresh reuses the segment readers of
            # unchanged segment ids, deletion lists included, so deletions would stay invisible.
            if gen is None or gen.ix is not ix or not gen.searcher.up_to_date():
                gen = Generation(ix.searcher(), FACET_FIELDS, RANKING_BOOSTS)
            gen.ix = ix
            # The previous generation's searcher is left to the garbage collector, not closed: a
            # search in another thread may still be reading it.
            self._gen = gen
            return gen

    # -- search ------------------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self._search(query)
        except IndexUnavailable:
            raise
        except Exception:  # the folder went away under a cached reader (a reindex): reopen once
            with self._lock:
                self._open = self._gen = None
            try:
                return self._search(query)
            except Exception as exc:
                raise IndexUnavailable(str(exc)) from exc

    def _search(self, query: SearchQuery) -> SearchResult:
        terms = query_terms(query.text)
        if not terms:
            return SearchResult([], 0, {})
        tokens = [token for word in terms for token in word]
        gen = self._generation()
        bits = gen.match(tokens, query.filters)
        total = bits.bit_count()
        if not total:
            return SearchResult([], 0, gen.facets(0, 0))
        start, stop = (query.page - 1) * query.per_page, query.page * query.per_page
        if query.sort in SORT_FIELDS:
            docs = gen.sorted_by(bits, query.sort, SORT_FIELDS[query.sort], stop)
        else:
            docs = gen.ranked(bits, tokens, stop)
        return SearchResult([gen.name[d] for d in docs[start:stop]], total, gen.facets(bits, total))
