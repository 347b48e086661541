"""Search on PostgreSQL full-text search: one `search_document` table (migration 0002) shared by
every application server, instead of one Whoosh folder per machine.

Text is segmented and folded in Python by the same functions as the Whoosh backend
(portal.search.text), so PostgreSQL never parses Chinese itself. The `document` tsvector and the
tsquery are both written in PostgreSQL's literal syntax with our tokens as the lexemes, *not*
passed through to_tsvector / to_tsquery: even the 'simple' configuration runs the default parser
first, which would split or drop some of our tokens ('a_b' → a, b; 'c++' → c; '①', '²' and other
symbols → nothing, so a query for them would find nothing instead of what Whoosh finds). Each
token is a quoted lexeme with quotes and backslashes doubled, sent as a bound parameter and cast
to tsvector / tsquery; weights are per field (title and keywords A, department and domain B,
description C, field names and formats D), positions run on across the fields as they would with
setweight(to_tsvector(...)) || ... .

A search is one statement, so one round trip and one GIN index scan: the matching rows are
materialized once in a CTE, and the page, the total and all six facets are read from it. Facets
are summed over small groups (matches grouped by their scalar facets and format list together, and
by keyword list) instead of hashing or unnesting every match once per facet.

`rebuild` fills search_document_new beside the live table and renames it into place in one short
transaction; `index` and `delete` that run while a rebuild is filling its table write to the old
table and are lost at the swap (as with the Whoosh backend), so run them again after a rebuild.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from .base import FACETS, SearchDoc, SearchQuery, SearchResult
from .text import query_terms, tokens

TABLE = "search_document"
NEW_TABLE = "search_document_new"
OLD_TABLE = "search_document_old"

# field, weight: A ranks highest (ts_rank_cd's default weights are D 0.1, C 0.2, B 0.4, A 1.0)
WEIGHTS = (("title", "A"), ("keywords", "A"), ("department_title", "B"), ("domain", "B"),
           ("description", "C"), ("fields", "D"), ("formats", "D"))
# PostgreSQL limits: a lexeme < 2 KiB, positions 1..16383, 256 positions per lexeme, 1 MiB of lexemes
MAX_LEXEME_BYTES = 2046
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
MAX_LEXEMES_BYTES = 1_000_000

# filter key -> SQL condition on the bound parameter :f_<key>
FILTERS = {
    "department": "department = :f_department",
    "domain": "domain = :f_domain",
    "open_access": "open_access = :f_open_access",
    "update_frequency": "update_frequency = :f_update_frequency",
    "format": "formats @> ARRAY[CAST(:f_format AS text)]",
    "keyword": "keywords @> ARRAY[CAST(:f_keyword AS text)]",
}
# sort -> (expression, direction); ties are broken by name, in code-point order like Whoosh
SORTS = {
    "relevance": ("ts_rank_cd(document, CAST(:q AS tsquery))", "DESC"),
    "newest": ("updated_at", "DESC"),
    "downloads": ("downloads", "DESC"),
    "title": ("title_sort", "ASC"),  # the column is COLLATE "C"
}
SCALAR_FACETS = ("department", "domain", "open_access", "update_frequency")  # grouping() bits 8, 4, 2, 1
COLUMNS = ("name", "title", "title_sort", "department", "domain", "open_access", "update_frequency", "keywords",
           "formats", "updated_at", "downloads", "document")
# For the search's own transaction only, in one round trip: room for the matches of a broad query
# (100k matches take about 20 MB, beyond which the CTE spills to disk), and the cost of a random page
# read of a table that lives in memory, without which the planner prefers evaluating @@ on every row
# (a seq scan, ~0.8 µs a row) to the GIN index for a token in more than ~15 % of the documents.
SEARCH_SETTINGS = text("SELECT set_config('work_mem', '32MB', true), set_config('random_page_cost', '1.1', true)")
BATCH = 1000  # documents per INSERT statement (sent as one JSON array)
SWAP_LOCK_TIMEOUT = "1s"  # searches queue behind the waiting swap: keep that wait short, and retry
SWAP_ATTEMPTS = 20
REBUILD_LOCK = 0x5EA2C4  # advisory lock key: one rebuild at a time across all servers


def quote_lexeme(token: str) -> str:
    """A lexeme in tsvector / tsquery literal syntax: quoted, with quotes and backslashes doubled."""
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _field_text(doc: SearchDoc, field: str) -> str:
    value = getattr(doc, field)
    return " ".join(v for v in value if v) if isinstance(value, list | tuple) else (value or "")


def document_literal(doc: SearchDoc) -> str:
    """The tsvector of a document, e.g. `'药店':1A,9C '南阳':2A`: our tokens, weighted per field."""
    lexemes: dict[str, list[str]] = {}
    position = size = 0
    for field, weight in WEIGHTS:
        for token in tokens(_field_text(doc, field)):
            position = min(position + 1, MAX_POSITION)
            positions = lexemes.get(token)
            if positions is None:
                length = len(token.encode("utf-8"))
                if length > MAX_LEXEME_BYTES or size + length > MAX_LEXEMES_BYTES:
                    continue
                size += length
                positions = lexemes[token] = []
            if len(positions) < MAX_POSITIONS_PER_LEXEME:
                positions.append(f"{position}{weight}")
    return " ".join(f"{quote_lexeme(token)}:{','.join(positions)}" for token, positions in lexemes.items())


def query_literal(text_: str) -> str | None:
    """All tokens of all words ANDed, as tsquery literal; None when the text has no word at all."""
    unique = dict.fromkeys(token for word in query_terms(text_) for token in word)
    return " & ".join(quote_lexeme(token) for token in unique) if unique else None


def _unique(values, transform=str.strip) -> list[str]:
    return list(dict.fromkeys(v for v in (transform(x) for x in values or [] if x) if v))


def _timestamp(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat()


def _row(doc: SearchDoc) -> dict:
    return {
        "name": doc.name, "title": doc.title or "", "department": doc.department or "", "domain": doc.domain or "",
        "open_access": doc.open_access or "", "update_frequency": doc.update_frequency or "",
        "keywords": _unique(doc.keywords), "formats": _unique(doc.formats, lambda f: f.strip().lower()),
        "updated_at": _timestamp(doc.updated_at), "downloads": int(doc.downloads or 0),
        "document": document_literal(doc),
    }


def _insert_sql(table: str, upsert: bool) -> str:
    sql = (f"INSERT INTO {table} ({', '.join(COLUMNS)}) "
           "SELECT r.name, r.title, r.title, r.department, r.domain, r.open_access, r.update_frequency, r.keywords, "
           "r.formats, r.updated_at, r.downloads, CAST(r.document AS tsvector) "
           "FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(name text, title text, department text, domain text, "
           "open_access text, update_frequency text, keywords text[], formats text[], updated_at timestamp, "
           "downloads bigint, document text)")
    if upsert:
        sql += " ON CONFLICT (name) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in COLUMNS[1:])
    return sql


class PostgresBackend:
    name = "postgres"

    def __init__(self, engine: Engine):
        self.engine = engine

    # -- writing -----------------------------------------------------------------------------
    def _insert(self, conn, table: str, docs: list[SearchDoc], upsert: bool) -> None:
        sql = text(_insert_sql(table, upsert))
        for start in range(0, len(docs), BATCH):
            rows = [_row(doc) for doc in docs[start:start + BATCH]]
            conn.execute(sql, {"rows": json.dumps(rows, ensure_ascii=False)})

    def index(self, docs: list[SearchDoc]) -> None:
        """Insert or replace by name, all in one transaction (the last of duplicate names wins)."""
        docs = list({doc.name: doc for doc in docs}.values())
        if not docs:
            return
        with self.engine.begin() as conn:
            self._insert(conn, TABLE, docs, upsert=True)
            if len(docs) >= BATCH:  # a bulk load: move the GIN pending list into the index now
                self._clean_pending(conn, TABLE)

    def delete(self, names: list[str]) -> None:
        names = list(dict.fromkeys(names))
        if not names:
            return
        with self.engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {TABLE} WHERE name = ANY(CAST(:names AS text[]))"), {"names": names})

    def rebuild(self, docs: list[SearchDoc]) -> None:
        """Fill search_document_new, then rename it over search_document in one short transaction.

        Searches keep running on the old table until the swap commits; a search that arrives during
        the swap waits for its lock and then reads the new table (PostgreSQL looks the name up again).
        """
        docs = list({doc.name: doc for doc in docs}.values())
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": REBUILD_LOCK})
            conn.commit()
            try:
                with conn.begin():
                    conn.execute(text(f"DROP TABLE IF EXISTS {NEW_TABLE}"))
                    conn.execute(text(f"DROP TABLE IF EXISTS {OLD_TABLE}"))
                    conn.execute(text(f"CREATE TABLE {NEW_TABLE} (LIKE {TABLE} INCLUDING ALL)"))
                    self._insert(conn, NEW_TABLE, docs, upsert=False)
                    # searches must not scan a GIN pending list, nor be planned without statistics
                    self._clean_pending(conn, NEW_TABLE)
                    conn.execute(text(f"ANALYZE {NEW_TABLE}"))
                self._swap(conn)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": REBUILD_LOCK})
                conn.commit()

    def _swap(self, conn) -> None:
        for attempt in range(1, SWAP_ATTEMPTS + 1):
            try:
                with conn.begin():
                    # don't queue every search behind us for long if a slow reader holds the table
                    conn.execute(text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'"))
                    conn.execute(text(f"ALTER TABLE {TABLE} RENAME TO {OLD_TABLE}"))
                    conn.execute(text(f"ALTER TABLE {NEW_TABLE} RENAME TO {TABLE}"))
                    conn.execute(text(f"DROP TABLE {OLD_TABLE}"))
                    # LIKE named the copies search_document_new_*; give them the migration's names back
                    for index in self._indexes(conn, TABLE):
                        if index.startswith(NEW_TABLE + "_"):
                            renamed = TABLE + index[len(NEW_TABLE):]
                            conn.execute(text(f'ALTER INDEX "{index}" RENAME TO "{renamed}"'))
                return
            except OperationalError as exc:
                if getattr(exc.orig, "sqlstate", None) != "55P03" or attempt == SWAP_ATTEMPTS:  # lock_not_available
                    raise
                time.sleep(min(0.1 * attempt, 1.0))

    def _clean_pending(self, conn, table: str) -> None:
        """Every search reads a GIN index's whole pending list (fastupdate): flush it after big loads."""
        for index in self._indexes(conn, table, method="gin"):
            conn.execute(text("SELECT gin_clean_pending_list(CAST(:index AS regclass))"), {"index": index})

    @staticmethod
    def _indexes(conn, table: str, method: str | None = None) -> list[str]:
        sql = ("SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
               "JOIN pg_am a ON a.oid = i.relam WHERE x.indrelid = CAST(:table AS regclass)")
        if method:
            sql += " AND a.amname = :method"
        return list(conn.scalars(text(sql), {"table": table, "method": method}))

    # -- searching ---------------------------------------------------------------------------
    def statement(self, query: SearchQuery):
        """(SQL, parameters) of a search, or None when the text has no word: for search and EXPLAIN."""
        q = query_literal(query.text)
        if q is None:
            return None
        params = {"q": q, "limit": max(0, query.per_page), "offset": max(0, (query.page - 1) * query.per_page)}
        where = ["document @@ CAST(:q AS tsquery)"]
        for key, value in query.filters.items():
            if not value:
                continue
            if key not in FILTERS:
                raise ValueError(f"unknown search filter {key!r}")
            where.append(FILTERS[key])
            params[f"f_{key}"] = value.lower() if key == "format" else value
        key, direction = SORTS.get(query.sort, SORTS["relevance"])
        order = f'sort_key {direction}, name COLLATE "C"'
        scalars = ", ".join(SCALAR_FACETS)
        # m: the matches, read once. c: one hash lookup per match on all scalar facets and the format
        # list together (a few hundred groups), k: matches per keyword list; the facets are sums over
        # these small groups, so a match is never unnested nor hashed once per facet.
        sql = (f"WITH m AS MATERIALIZED (SELECT name, {scalars}, keywords, formats, {key} AS sort_key "
               f"FROM {TABLE} WHERE {' AND '.join(where)}), "
               f"c AS (SELECT {scalars}, formats, count(*) AS n FROM m GROUP BY {scalars}, formats), "
               "k AS (SELECT keywords, count(*) AS n FROM m GROUP BY keywords) "
               f"SELECT CASE grouping({scalars}) WHEN 7 THEN 'department' WHEN 11 THEN 'domain' "
               "WHEN 13 THEN 'open_access' WHEN 14 THEN 'update_frequency' ELSE '' END AS facet, "
               f"COALESCE({scalars}) AS value, CAST(COALESCE(sum(n), 0) AS bigint) AS n FROM c "
               f"GROUP BY GROUPING SETS ({', '.join(f'({f})' for f in SCALAR_FACETS)}, ()) "
               "UNION ALL SELECT 'format', v, CAST(sum(n) AS bigint) FROM c CROSS JOIN LATERAL unnest(c.formats) AS v GROUP BY v "
               "UNION ALL SELECT 'keyword', v, CAST(sum(n) AS bigint) FROM k CROSS JOIN LATERAL unnest(k.keywords) AS v GROUP BY v "
               f"UNION ALL SELECT '#', name, row_number() OVER (ORDER BY {order}) "
               f"FROM (SELECT name, sort_key FROM m ORDER BY {order} LIMIT :limit OFFSET :offset) AS page")
        return sql, params

    def search(self, query: SearchQuery) -> SearchResult:
        statement = self.statement(query)
        if statement is None:
            return SearchResult([], 0, {})
        facets: dict[str, list[tuple[str, int]]] = {key: [] for key in FACETS}
        page: list[tuple[int, str]] = []
        total = 0
        with self.engine.connect() as conn:
            conn.execute(SEARCH_SETTINGS)
            for facet, value, n in conn.execute(text(statement[0]), statement[1]):
                if facet == "#":
                    page.append((n, value))
                elif facet == "":
                    total = n
                else:
                    facets[facet].append((value, n))
        for values in facets.values():
            values.sort(key=lambda vn: (-vn[1], vn[0]))
        return SearchResult([name for _n, name in sorted(page)], total, facets)
