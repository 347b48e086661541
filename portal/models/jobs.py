"""Background publishing jobs, persisted so progress survives the browser closing."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .catalog import DatasetVersion, Department
from .users import User

JOB_STATES = ("queued", "running", "succeeded", "failed")


class PublishJob(Base):
    __tablename__ = "publish_job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    dry_run: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(String(200), default="")
    upload_dir: Mapped[str] = mapped_column(String(300))
    metadata_form: Mapped[dict] = mapped_column(JSON, default=dict)
    report: Mapped[dict | None] = mapped_column(JSON)
    message: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    department: Mapped[Department] = relationship()
    version: Mapped[DatasetVersion | None] = relationship()
