"""Departments, catalog entries, their immutable published versions and resources."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

OPEN_ACCESS = ("unconditional", "conditional", "closed")
SHARE_ACCESS = ("unconditional", "conditional", "none")
UPDATE_FREQUENCIES = ("realtime", "daily", "weekly", "monthly", "quarterly", "semiannual", "yearly", "irregular")


class Department(Base):
    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    datasets: Mapped[list["Dataset"]] = relationship(back_populates="department")


class Dataset(Base):
    """A catalog entry (开放目录条目). Its attributes mirror the current version's descriptor."""

    __tablename__ = "dataset"
    __table_args__ = (
        CheckConstraint("open_access IN ('unconditional','conditional','closed')", name="open_access"),
        CheckConstraint("share_access IN ('unconditional','conditional','none')", name="share_access"),
        CheckConstraint("open_access = 'unconditional' OR open_access_basis IS NOT NULL", name="basis_required"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    domain: Mapped[str] = mapped_column(String(40), index=True)
    open_access: Mapped[str] = mapped_column(String(20), index=True)
    open_access_basis: Mapped[str | None] = mapped_column(Text)
    share_access: Mapped[str] = mapped_column(String(20))
    update_frequency: Mapped[str] = mapped_column(String(20), index=True)
    license: Mapped[str | None] = mapped_column(String(80))
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    formats: Mapped[list] = mapped_column(JSON, default=list)
    contact: Mapped[dict] = mapped_column(JSON, default=dict)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset_version.id", use_alter=True, name="fk_dataset_current_version"))
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    department: Mapped[Department] = relationship(back_populates="datasets")
    versions: Mapped[list["DatasetVersion"]] = relationship(
        back_populates="dataset", foreign_keys="DatasetVersion.dataset_id", order_by="DatasetVersion.id.desc()")
    current_version: Mapped["DatasetVersion | None"] = relationship(foreign_keys=[current_version_id])


class DatasetVersion(Base):
    """One published version: immutable once written. `path` is relative to the package store."""

    __tablename__ = "dataset_version"
    __table_args__ = (UniqueConstraint("dataset_id", "version", name="uq_dataset_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    path: Mapped[str] = mapped_column(String(300), unique=True)
    descriptor: Mapped[dict] = mapped_column(JSON)
    descriptor_hash: Mapped[str] = mapped_column(String(64))
    desensitization_report: Mapped[dict | None] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    signature: Mapped[str | None] = mapped_column(Text)  # Ed25519 over datapackage.json (art. 47), base64

    dataset: Mapped[Dataset] = relationship(back_populates="versions", foreign_keys=[dataset_id])
    resources: Mapped[list["Resource"]] = relationship(back_populates="version", order_by="Resource.position")


class Resource(Base):
    __tablename__ = "resource"
    __table_args__ = (UniqueConstraint("version_id", "name", name="uq_resource_version_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("dataset_version.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(200))
    format: Mapped[str] = mapped_column(String(20))
    mediatype: Mapped[str] = mapped_column(String(80))
    bytes: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    row_count: Mapped[int | None] = mapped_column(BigInteger)
    schema: Mapped[dict | None] = mapped_column(JSON)

    version: Mapped[DatasetVersion] = relationship(back_populates="resources")
