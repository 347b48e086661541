"""PostgreSQL-only details of the search backend (portal.search.postgres): the migration's table and
indexes, the weighted tsvector, escaping, the GIN index in the plan, ranking by field weight, and
rebuild-and-swap under concurrent searches. The behaviour shared with Whoosh is tested elsewhere.

These tests exist only when the suite runs on PostgreSQL (PORTAL_TEST_DATABASE_URL); on SQLite the
module collects nothing.
"""

import os

if not os.environ.get("PORTAL_TEST_DATABASE_URL"):
    pytestmark = []

if os.environ.get("PORTAL_TEST_DATABASE_URL"):
    import threading
    import time
    import uuid
    from datetime import datetime, timedelta

    import pytest
    from alembic import command
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from portal.db_schema import alembic_config, upgrade
    from portal.search import postgres as pg
    from portal.search.base import FACETS, SearchDoc, SearchQuery
    from portal.search.postgres import PostgresBackend, document_literal, query_literal, quote_lexeme
    from portal.search.text import tokens

    INDEXES = {"search_document_pkey", "search_document_document_idx", "search_document_keywords_idx",
               "search_document_formats_idx", "search_document_department_idx", "search_document_domain_idx",
               "search_document_open_access_idx", "search_document_update_frequency_idx"}

    def doc(name, title="南阳市数据", **overrides) -> SearchDoc:
        fields = {"description": "", "department": "scjgj", "department_title": "南阳市市场监督管理局",
                  "domain": "市场监管", "open_access": "unconditional", "update_frequency": "monthly",
                  "keywords": [], "formats": ["CSV"], "fields": [], "updated_at": datetime(2024, 1, 1),
                  "downloads": 0}
        fields.update(overrides)
        return SearchDoc(name=name, title=title, **fields)

    def indexes(conn, table="search_document") -> dict[str, str]:
        rows = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t"), {"t": table})
        return dict(rows.all())

    @pytest.fixture(scope="module")
    def engine(database_url):
        engine = create_engine(database_url)
        yield engine
        engine.dispose()

    @pytest.fixture
    def backend(engine):
        def clear():
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM search_document"))

        clear()
        yield PostgresBackend(engine)
        clear()

    # -- the migration ---------------------------------------------------------------------------
    def test_migration_creates_the_table_with_gin_and_btree_indexes(engine):
        with engine.connect() as conn:
            columns = dict(conn.execute(text(
                "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = 'search_document'")).all())
            found = indexes(conn)
            collation = conn.scalar(text("SELECT collation_name FROM information_schema.columns "
                                         "WHERE table_name = 'search_document' AND column_name = 'title_sort'"))
        assert columns == {"name": "text", "title": "text", "title_sort": "text", "department": "text",
                           "domain": "text", "open_access": "text", "update_frequency": "text", "keywords": "_text",
                           "formats": "_text", "updated_at": "timestamp", "downloads": "int8",
                           "document": "tsvector"}
        assert set(found) == INDEXES
        assert "USING gin (document)" in found["search_document_document_idx"]
        for column in ("department", "domain", "open_access", "update_frequency"):
            assert f"USING btree ({column})" in found[f"search_document_{column}_idx"]
        assert collation == "C"  # title order is code-point order, like Whoosh's, whatever the database locale

    def test_downgrade_drops_the_table_and_upgrade_brings_it_back():
        server = os.environ["PORTAL_TEST_DATABASE_URL"]
        name = f"portal_test_mig_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        engine = create_engine(url)
        try:
            def has_table():
                with engine.connect() as conn:
                    return conn.scalar(text("SELECT to_regclass('search_document') IS NOT NULL"))

            upgrade(url)
            assert has_table()
            command.downgrade(alembic_config(url), "0001")
            assert not has_table()
            with engine.connect() as conn:
                assert conn.scalar(text("SELECT to_regclass('dataset') IS NOT NULL"))  # 0001 untouched
            upgrade(url)
            assert has_table()
        finally:
            engine.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    # -- the tsvector ----------------------------------------------------------------------------
    def test_document_column_holds_our_tokens_weighted_per_field(backend, engine):
        entry = doc("pharmacies", "南阳市藥店名录", description="药品零售企业", keywords=["医药"],
                    department_title="南阳市市场监督管理局", domain="市场监管", fields=["许可证编号"],
                    formats=["XLSX"])
        backend.index([entry])
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT lexeme, positions, weights FROM search_document, unnest(document) "
                                     "WHERE name = 'pharmacies'")).all()
            stored = conn.scalar(text("SELECT document FROM search_document WHERE name = 'pharmacies'"))
            literal = conn.scalar(text("SELECT CAST(:d AS tsvector)"), {"d": document_literal(entry)})
        weights = {lexeme: set(w) for lexeme, _positions, w in rows}
        assert stored == literal
        assert weights["药店"] == {"A"}  # title, folded from 藥店
        assert weights["医药"] == {"A"}  # keyword
        assert weights["监督"] == {"B"}  # department title
        assert weights["零售"] == {"C"}  # description
        assert weights["编号"] == {"D"} and weights["xlsx"] == {"D"}  # field names, formats (lower-cased)
        assert "南阳" in weights and weights["南阳"] >= {"A", "B"}  # in the title and the department title
        everything = [entry.title, *entry.keywords, entry.department_title, entry.domain, entry.description,
                      *entry.fields, *entry.formats]
        assert set(weights) == {t for part in everything for t in tokens(part)}
        positions = sorted(p for _lexeme, ps, _w in rows for p in ps)
        assert positions == list(range(1, len(positions) + 1))  # one position per token, fields in a row

    def test_lexemes_are_exactly_our_tokens_not_re_parsed_by_postgresql(backend, engine):
        backend.index([doc("odd", "指标说明", fields=["a_b 字段", "c++ 版本", "序号①", "x² 系数"])])
        for word in ("a_b", "c++", "①", "x²"):
            assert backend.search(SearchQuery(word)).names == ["odd"], word
        with engine.connect() as conn:  # to_tsvector('simple', …) would have lost these
            parsed = conn.scalar(text("SELECT to_tsvector('simple', 'a_b c++ ① x²')"))
        assert "a_b" not in parsed and "①" not in parsed

    def test_quotes_backslashes_and_operators_are_escaped(engine):
        weird = ["o'neil", "a\\b", "''", "\\'", "a & b", "!x", "y:*", "<->", "(", "'; drop table search_document; --"]
        with engine.connect() as conn:
            for token in weird:
                vector = f"{quote_lexeme(token)}:1A"
                lexemes = conn.scalar(text("SELECT tsvector_to_array(CAST(:v AS tsvector))"), {"v": vector})
                assert lexemes == [token]
                assert conn.scalar(text("SELECT CAST(:v AS tsvector) @@ CAST(:q AS tsquery)"),
                                   {"v": vector, "q": quote_lexeme(token)})
                assert not conn.scalar(text("SELECT CAST(:v AS tsvector) @@ CAST(:q AS tsquery)"),
                                       {"v": "'other':1", "q": quote_lexeme(token)})

    def test_hostile_query_text_never_errors(backend, engine):
        backend.index([doc("a", "南阳市药店名录")])
        for query in ("'", "\\", "' OR 1=1 --", "a & b | !c <-> d:*", "药店 & 名录", "(药店", "药店:*A",
                      "'; DROP TABLE search_document; --", "藥店 ' \\ !", "!!!", "  "):
            result = backend.search(SearchQuery(query))
            assert result.total >= 0
        assert backend.search(SearchQuery("药店 & 名录")).names == ["a"]  # & is punctuation, not an operator
        assert backend.search(SearchQuery("!!!")).total == 0 and query_literal("!!!") is None
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM search_document")) == 1

    def test_every_token_of_every_word_must_match(backend):
        backend.index([doc("both", "药品零售企业名录"), doc("one", "药品生产企业名录")])
        assert backend.search(SearchQuery("药品零售")).names == ["both"]
        assert backend.search(SearchQuery("药品 零售")).names == ["both"]
        assert backend.search(SearchQuery("药品 名录")).total == 2

    def test_huge_documents_are_capped_not_refused(backend, engine):
        long_token = "a" * 3000  # PostgreSQL refuses lexemes of 2 KiB and more
        description = "药店 " * 20_000 + long_token + " 尾部词语"
        backend.index([doc("huge", "大数据", description=description)])
        assert backend.search(SearchQuery("药店")).names == ["huge"]
        assert backend.search(SearchQuery("尾部")).names == ["huge"]
        with engine.connect() as conn:
            lexemes = conn.scalar(text("SELECT tsvector_to_array(document) FROM search_document"))
            positions = conn.scalar(text("SELECT positions FROM search_document, unnest(document) "
                                         "WHERE lexeme = '药店'"))
        assert long_token not in lexemes
        assert len(positions) == pg.MAX_POSITIONS_PER_LEXEME

    # -- index and query plan --------------------------------------------------------------------
    def test_gin_index_is_used_on_a_few_thousand_rows(backend, engine):
        districts = ["宛城区", "卧龙区", "邓州市", "方城县", "南召县", "西峡县"]
        topics = ["医疗机构", "幼儿园", "停车场", "公交线路", "农贸市场", "养老机构", "社会组织", "旅游景区"]
        docs = [doc(f"ds-{i:05d}", f"{districts[i % 6]}{topics[i % 8]}名录（{2000 + i % 25}年）",
                    description="数据包含名称、地址和联系电话。", keywords=[topics[i % 8]],
                    open_access=("unconditional", "conditional", "closed")[i % 3],
                    update_frequency=("monthly", "yearly", "daily", "weekly")[i % 4],
                    department=("scjgj", "jtysj", "wjw", "jyj", "mzj")[i % 5], updated_at=datetime(2020, 1, 1) + timedelta(hours=i), downloads=i)
                for i in range(3000)]
        docs[1234] = doc("rare", "宛城区药店名录", keywords=["药店"])
        backend.index(docs)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE search_document"))  # what autovacuum does after such a load

            def plan(query):
                sql, params = backend.statement(query)
                return "\n".join(conn.execute(text("EXPLAIN " + sql), params).scalars())

            gin = "Bitmap Index Scan on search_document_document_idx"
            assert gin in plan(SearchQuery("药店")), "a rare token: the planner picks the GIN index by itself"
            conn.execute(text("SET enable_seqscan = off"))  # 1/48 of 3,000 rows: a seq scan would be as good
            assert gin in plan(SearchQuery("宛城区 停车场", sort="newest"))
            # with a filter the planner may also combine the GIN index with a btree one; never a seq scan
            filtered = plan(SearchQuery("宛城区 停车场", {"department": "scjgj", "format": "csv"}))
            assert "Seq Scan" not in filtered and "Bitmap Index Scan" in filtered
        assert backend.search(SearchQuery("药店")).names == ["rare"]
        assert backend.search(SearchQuery("宛城区 停车场")).total == sum(
            1 for i in range(3000) if i % 24 == 18 and i != 1234)

    def test_title_hit_ranks_above_keyword_department_description_and_field_hits(backend):
        backend.index([
            doc("a-field", "甲", fields=["停车泊位"]),
            doc("b-description", "乙", description="全市停车泊位情况"),
            doc("c-department", "丙", department_title="南阳市停车泊位管理中心"),
            doc("d-title", "停车泊位"),
        ])
        names = backend.search(SearchQuery("停车泊位")).names
        assert names == ["d-title", "c-department", "b-description", "a-field"]

    def test_facets_count_each_array_value_once_per_document(backend):
        backend.index([doc("a", "药店", formats=["CSV", "csv", " Csv "], keywords=["药店", "药店", "医药"]),
                       doc("b", "药店", formats=["JSON"], keywords=["医药"])])
        result = backend.search(SearchQuery("药店"))
        assert result.facets["format"] == [("csv", 1), ("json", 1)]
        assert result.facets["keyword"] == [("医药", 2), ("药店", 1)]
        assert set(result.facets) == set(FACETS)
        assert backend.search(SearchQuery("药店", {"format": "CSV"})).names == ["a"]
        assert backend.search(SearchQuery("药店", {"keyword": "药店"})).names == ["a"]

    # -- writing ---------------------------------------------------------------------------------
    def test_index_upserts_and_delete_removes(backend, engine):
        backend.index([doc("x", "旧标题", downloads=1), doc("x", "药店名录", downloads=2)])  # last one wins
        assert backend.search(SearchQuery("药店")).names == ["x"]
        backend.index([doc("x", "停车场名录", downloads=3)])
        assert backend.search(SearchQuery("药店")).total == 0
        assert backend.search(SearchQuery("停车场")).names == ["x"]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*), max(downloads) FROM search_document")).one() == (1, 3)
        backend.delete(["x", "never-indexed"])
        backend.delete([])
        backend.index([])
        assert backend.search(SearchQuery("停车场")).total == 0

    def test_aware_timestamps_are_stored_in_utc(backend, engine):
        from datetime import timezone

        backend.index([doc("tz", updated_at=datetime(2024, 1, 1, 8, tzinfo=timezone(timedelta(hours=8))))])
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT updated_at FROM search_document")) == datetime(2024, 1, 1, 0)

    # -- rebuild ---------------------------------------------------------------------------------
    def test_rebuild_swaps_while_searches_keep_working(backend, engine):
        docs = [doc(f"p-{i:04d}", f"宛城区药店名录{i}" if i % 3 == 0 else f"卧龙区停车场{i}",
                    formats=["CSV"] if i % 2 else ["JSON"]) for i in range(600)]
        expected = sum(1 for i in range(600) if i % 3 == 0)
        backend.rebuild(docs)
        seen, errors, stop = [], [], threading.Event()

        def search_loop():
            while not stop.is_set():
                try:
                    for query in (SearchQuery("药店"), SearchQuery("药店", {"format": "csv"}, "newest")):
                        result = backend.search(query)
                        seen.append((query.sort, result.total, len(result.names)))
                except Exception as exc:  # noqa: BLE001 - the test reports any failure
                    errors.append(repr(exc))

        threads = [threading.Thread(target=search_loop) for _ in range(2)]
        for thread in threads:
            thread.start()
        try:
            for _ in range(3):
                backend.rebuild(docs)
                time.sleep(0.05)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
        assert not errors, errors[:3]
        assert len(seen) > 20
        assert {s for s in seen if s[0] == "relevance"} == {("relevance", expected, 20)}
        with_csv = sum(1 for i in range(600) if i % 3 == 0 and i % 2)
        assert {s for s in seen if s[0] == "newest"} == {("newest", with_csv, 20)}
        with engine.connect() as conn:
            assert set(indexes(conn)) == INDEXES  # the copies got the migration's names back
            leftovers = conn.scalar(text("SELECT to_regclass('search_document_new') IS NOT NULL "
                                         "OR to_regclass('search_document_old') IS NOT NULL"))
            assert not leftovers
            assert conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'search_document'")) > 0  # analyzed

    def test_rebuild_replaces_everything_and_waits_for_a_slow_reader(backend, engine):
        backend.index([doc("old", "药店名录")])
        with engine.connect() as reader:
            reader.execute(text("SELECT count(*) FROM search_document"))  # holds its lock until the transaction ends
            done = threading.Event()
            worker = threading.Thread(target=lambda: (backend.rebuild([doc("new", "药店目录")]), done.set()))
            worker.start()
            time.sleep(2.5)  # longer than one lock_timeout: the swap retried at least once
            assert not done.is_set()
            reader.rollback()
        worker.join(timeout=30)
        assert done.is_set()
        assert backend.search(SearchQuery("药店")).names == ["new"]

    def test_rebuild_with_nothing_leaves_an_empty_index(backend):
        backend.index([doc("a", "药店")])
        backend.rebuild([])
        assert backend.search(SearchQuery("药店")).total == 0
