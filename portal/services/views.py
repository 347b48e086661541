"""Plain read models handed to views, the API and templates (no ORM objects leave the services)."""

from dataclasses import dataclass, field
from datetime import datetime

OPEN_ACCESS_LABELS = {"unconditional": "无条件开放", "conditional": "有条件开放", "closed": "不予开放"}
SHARE_ACCESS_LABELS = {"unconditional": "无条件共享", "conditional": "有条件共享", "none": "不予共享"}
FREQUENCY_LABELS = {"realtime": "实时", "daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季度",
                    "semiannual": "每半年", "yearly": "每年", "irregular": "不定期"}


@dataclass
class DepartmentInfo:
    slug: str
    title: str
    description: str
    dataset_count: int = 0


@dataclass
class ResourceInfo:
    name: str
    title: str | None
    path: str
    format: str
    mediatype: str
    bytes: int
    hash: str
    row_count: int | None
    fields: list[dict]


@dataclass
class VersionInfo:
    version: str
    published_at: datetime
    descriptor_hash: str
    resources: list[ResourceInfo]
    desensitization_report: dict | None = None


@dataclass
class DatasetSummary:
    name: str
    title: str
    description: str
    department: str
    department_slug: str
    domain: str
    open_access: str
    update_frequency: str
    keywords: list[str]
    formats: list[str]
    updated_at: datetime
    version: str | None
    downloads: int = 0
    snippet: str = ""  # safe HTML, set by search
    title_html: str = ""  # safe HTML with highlights, set by search

    @property
    def open_access_label(self):
        return OPEN_ACCESS_LABELS[self.open_access]

    @property
    def update_frequency_label(self):
        return FREQUENCY_LABELS.get(self.update_frequency, self.update_frequency)


@dataclass
class DatasetDetail(DatasetSummary):
    open_access_basis: str | None = None
    share_access: str = "none"
    license: str | None = None
    contact: dict = field(default_factory=dict)
    created_at: datetime | None = None
    current: VersionInfo | None = None
    history: list[VersionInfo] = field(default_factory=list)

    @property
    def share_access_label(self):
        return SHARE_ACCESS_LABELS[self.share_access]


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class TokenInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass
class GrantInfo:
    id: int
    dataset: str
    dataset_title: str
    user: str
    resources: dict  # resource name -> granted field names ([] = every field)
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None
    active: bool


@dataclass
class DownloadRecord:
    at: datetime
    dataset: str
    dataset_title: str
    version: str
    resource: str  # "*" for the whole package
    bytes: int
    sha256: str
    via: str
    user: str = ""  # shown to the producing department: display name and masked identity
    ip: str | None = None


@dataclass
class Access:
    """What the current actor may obtain of a dataset, and why not when they may not."""

    allowed: bool
    reason: str
    resources: dict | None = None  # name -> fields for a grant holder; None = everything
