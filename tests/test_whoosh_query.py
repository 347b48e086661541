"""Bitset query evaluation of the Whoosh backend (portal/search/whoosh_query.py), on a real index."""

from collections import Counter
from datetime import datetime, timedelta

from portal.search.base import SearchDoc, SearchQuery
from portal.search.whoosh_backend import WhooshBackend
from portal.search.whoosh_query import bitset, members


def test_bitset_round_trip():
    assert members(bitset([])) == []
    assert bitset([]) == 0
    docs = [0, 1, 7, 8, 9, 63, 64, 1000, 99_999]
    assert members(bitset(reversed(docs))) == docs
    assert bitset(docs).bit_count() == len(docs)


def _doc(i: int, title: str, keywords: list[str], department: str = "scjgj") -> SearchDoc:
    return SearchDoc(name=f"d{i:03d}", title=title, description="全市范围的公开信息。", department=department,
                     department_title="南阳市市场监督管理局", domain="市场监管", open_access="unconditional",
                     update_frequency="monthly", keywords=keywords, formats=["csv"], fields=["名称"],
                     updated_at=datetime(2026, 1, 1) + timedelta(days=i), downloads=i % 7)


def test_facet_counts_agree_on_both_counting_paths(tmp_path):
    # 60 entries share 名录, each with its own keyword: with one match the keyword facet is counted
    # per document, with 60 matches by bitset; both must give what a plain count gives.
    docs = [_doc(i, f"南阳市第{i}号名录" if i else "南阳市药店名录", [f"关键词{i}", "公共"]) for i in range(60)]
    backend = WhooshBackend(tmp_path / "index")
    backend.rebuild(docs)
    broad = backend.search(SearchQuery("名录", per_page=100))
    assert broad.total == 60
    assert dict(broad.facets["keyword"]) == dict(Counter(k for d in docs for k in d.keywords))
    narrow = backend.search(SearchQuery("药店"))
    assert narrow.names == ["d000"]
    assert dict(narrow.facets["keyword"]) == {"关键词0": 1, "公共": 1}


def test_updates_and_deletions_reach_the_next_query(tmp_path):
    backend = WhooshBackend(tmp_path / "index")
    backend.rebuild([_doc(i, f"南阳市第{i}号名录", ["公共"]) for i in range(5)])
    assert backend.search(SearchQuery("名录")).total == 5
    backend.delete(["d002"])
    backend.index([_doc(3, "南阳市停车场", ["停车"])])  # d003 no longer says 名录
    after = backend.search(SearchQuery("名录", sort="title"))
    assert after.names == ["d000", "d001", "d004"]
    assert dict(after.facets["keyword"]) == {"公共": 3}
    assert backend.search(SearchQuery("停车场")).names == ["d003"]


def test_relevance_prefers_title_and_breaks_ties_by_name(tmp_path):
    docs = [_doc(1, "南阳市公共信息", ["其他"]), _doc(2, "南阳市药店名录", ["其他"]), _doc(3, "南阳市药店名录", ["其他"])]
    docs[0].description = "其中包括药店。"
    backend = WhooshBackend(tmp_path / "index")
    backend.rebuild(docs)
    assert backend.search(SearchQuery("药店")).names == ["d002", "d003", "d001"]
    assert backend.search(SearchQuery("药店", sort="newest")).names == ["d003", "d002", "d001"]
