"""The search contract, declared as data (after uData's search adapters): which fields are
indexed, which filters, facets and sorts exist. Every backend implements SearchBackend."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

MAX_QUERY_LENGTH = 100  # characters; Whoosh's parser is quadratic on long words and nobody types more

# Indexed text fields and their weight in relevance.
TEXT_FIELDS = {"title": 4.0, "keywords": 3.0, "department_title": 1.5, "domain": 1.5, "description": 1.0,
               "fields": 1.0, "formats": 1.0}
# Filters (exact values) that are also facets with counts.
FACETS = {
    "department": "数据提供部门",
    "domain": "所属领域",
    "open_access": "开放属性",
    "format": "文件格式",
    "update_frequency": "更新频率",
    "keyword": "关键词",
}
SORTS = {"relevance": "相关度", "newest": "最近更新", "downloads": "下载最多", "title": "标题"}


@dataclass
class SearchDoc:
    name: str
    title: str
    description: str
    department: str  # slug
    department_title: str
    domain: str
    open_access: str
    update_frequency: str
    keywords: list[str]
    formats: list[str]
    fields: list[str]  # field names and descriptions (信息项)
    updated_at: datetime
    downloads: int = 0


@dataclass
class SearchQuery:
    text: str
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class SearchResult:
    names: list[str]  # this page, in order
    total: int
    facets: dict[str, list[tuple[str, int]]]


class SearchBackend(Protocol):
    name: str

    def index(self, docs: list[SearchDoc]) -> None: ...

    def delete(self, names: list[str]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def rebuild(self, docs: list[SearchDoc]) -> None:
        """Build a complete new index beside the live one and swap it in; searches keep working."""
        ...
