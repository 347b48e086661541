"""Catalog search: one service behind the HTML list, /api/v1/datasets and CKAN's package_search.

A text query goes to the configured backend (Whoosh by default, PostgreSQL full-text with
SEARCH_BACKEND = "postgres"); an empty query lists from SQL. The index is updated explicitly after
each database commit that changes the catalog; a missing or corrupt index is rebuilt, not fatal.
"""

import html
import re
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from ..errors import ValidationError
from ..extensions import db
from ..models import Dataset, utcnow
from ..search.base import FACETS, MAX_QUERY_LENGTH, SORTS, SearchDoc, SearchQuery
from ..search.text import fold, query_terms
from . import datasets
from .views import FREQUENCY_LABELS, OPEN_ACCESS_LABELS, Page


@dataclass
class SearchPage:
    page: Page  # of DatasetSummary, each with .snippet (safe HTML)
    facets: dict[str, list[dict]]
    query: str
    sort: str


def backend():
    cached = current_app.extensions.get("portal_search")
    if cached is None:
        kind = current_app.config.get("SEARCH_BACKEND", "whoosh")
        if kind == "postgres":
            from ..search.postgres import PostgresBackend

            cached = PostgresBackend(db.engine)
        else:
            from ..search.whoosh_backend import WhooshBackend

            cached = WhooshBackend(current_app.config["SEARCH_INDEX"])
        current_app.extensions["portal_search"] = cached
    return cached


def search(actor, text: str = "", filters: dict | None = None, sort: str = "", page: int = 1,
           per_page: int = 20) -> SearchPage:
    text = (text or "").strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(f"搜索词过长（{len(text)} 个字），请精简到 {MAX_QUERY_LENGTH} 个字以内")
    filters = {k: v for k, v in (filters or {}).items() if v}
    for key in filters:
        if key not in FACETS:
            raise ValidationError(f"不支持的筛选条件「{key}」")
    sort = sort or ("relevance" if text else "newest")
    if sort not in SORTS or (sort == "relevance" and not text):
        raise ValidationError(f"不支持的排序方式「{sort}」")
    page = min(max(1, page), datasets.MAX_PAGE)
    if not text:
        listing = datasets.list_datasets(actor, filters, sort, page, per_page)
        for item in listing.items:
            item.snippet = html.escape(_shorten(item.description))
        return SearchPage(listing, datasets.facets(actor, filters), text, sort)
    datasets.check_filters(filters)
    result = _with_rebuild(lambda b: b.search(SearchQuery(text, filters, sort, page, per_page)))
    summaries = datasets.summaries(actor, result.names)
    terms = [token for word in query_terms(text) for token in word]
    for item in summaries:
        item.snippet = highlight(_shorten(item.description, terms), terms)
        item.title_html = highlight(item.title, terms)
    facets = {key: [{"value": v, "label": _label(key, v), "count": c} for v, c in values]
              for key, values in result.facets.items()}
    return SearchPage(Page(summaries, result.total, page, per_page), facets, text, sort)


def _label(key, value):
    labels = {"open_access": OPEN_ACCESS_LABELS, "update_frequency": FREQUENCY_LABELS}.get(key, {})
    if key == "department":
        return datasets.department_titles().get(value, value)
    if key == "format":
        return value.upper()
    return labels.get(value, value)


def highlight(text: str, terms: list[str]) -> str:
    """Escape, then wrap every query token (matched on folded text, so 藥店 marks 药店) in <mark>."""
    if not terms:
        return html.escape(text)
    folded = fold(text)
    marks = [False] * len(text)
    for term in terms:
        for match in re.finditer(re.escape(term), folded):
            for i in range(match.start(), min(match.end(), len(text))):
                marks[i] = True
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and marks[j] == marks[i]:
            j += 1
        chunk = html.escape(text[i:j])
        out.append(f"<mark>{chunk}</mark>" if marks[i] else chunk)
        i = j
    return "".join(out)


def _shorten(text: str, terms: list[str] | None = None, width: int = 120) -> str:
    if len(text) <= width:
        return text
    folded = fold(text)
    first = min((folded.find(t) for t in terms or [] if folded.find(t) >= 0), default=0)
    start = max(0, first - 30)
    return ("…" if start else "") + text[start:start + width] + "…"


def _with_rebuild(run):
    from ..search.whoosh_backend import IndexUnavailable

    try:
        return run(backend())
    except IndexUnavailable:
        current_app.logger.warning("search index missing or unreadable: rebuilding from the database")
        rebuild()
        return run(backend())


# -- freshness ---------------------------------------------------------------------------------
def documents(names: list[str] | None = None) -> list[SearchDoc]:
    query = select(Dataset).where(Dataset.current_version_id.is_not(None))
    if names is not None:
        query = query.where(Dataset.name.in_(names))
    docs = []
    for d in db.session.scalars(query):
        fields = []
        for resource in d.current_version.resources:
            for f in (resource.schema or {}).get("fields", []):
                fields.extend(x for x in (f.get("name"), f.get("title"), f.get("description")) if x)
        docs.append(SearchDoc(d.name, d.title, d.description, d.department.slug, d.department.title, d.domain,
                              d.open_access, d.update_frequency, list(d.keywords or []), list(d.formats or []),
                              fields, d.updated_at, d.download_count))
    return docs


def index_datasets(names: list[str]) -> None:
    """Call after the commit that changed these datasets; removed ones leave the index."""
    docs = documents(names)
    gone = sorted(set(names) - {d.name for d in docs})
    _with_rebuild(lambda b: (b.index(docs), b.delete(gone) if gone else None))


def rebuild() -> int:
    """Build a new index beside the live one and swap it in; then bring over what changed meanwhile.

    A publish or removal that commits while the new index is being filled updates the old index,
    which the swap discards: entries changed since the snapshot are indexed again after the swap,
    and entries removed since then are deleted from it.
    """
    started = utcnow() - timedelta(minutes=1)  # margin: a publish stamps its time just before committing
    docs = documents()
    backend().rebuild(docs)
    db.session.rollback()  # end the snapshot's transaction: see the commits made during the build
    changed = list(db.session.scalars(select(Dataset.name).where(Dataset.updated_at >= started)))
    listed = select(Dataset.name).where(Dataset.current_version_id.is_not(None))
    removed = {d.name for d in docs} - set(db.session.scalars(listed))
    if changed or removed:
        index_datasets(changed + sorted(removed))
    return len(docs)
