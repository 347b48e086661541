"""Conditional-access applications (art. 46) and the notifications that follow them."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .catalog import Dataset, Department
from .users import User

APPLICATION_STATES = ("submitted", "supplement", "approved", "denied", "withdrawn")
OPEN_STATES = ("submitted", "supplement")


class Application(Base):
    """One application for a conditional dataset. `deadline` is the last working day for the
    department's answer; while `state` is "supplement" the clock is stopped and restarts, in full,
    from the resubmission (补正后重新计算)."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint("state IN ('submitted','supplement','approved','denied','withdrawn')", name="state"),
        CheckConstraint("extension_state IN ('none','proposed','approved','rejected')", name="extension_state"),
        CheckConstraint("period_until > period_from", name="period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt: Mapped[str] = mapped_column(String(32), unique=True)  # 受理回执编号
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="submitted", index=True)
    purpose: Mapped[str] = mapped_column(Text)  # 用途
    scenario: Mapped[str] = mapped_column(Text)  # 应用场景
    security_measures: Mapped[str] = mapped_column(Text)  # 数据安全保障措施
    requested: Mapped[dict] = mapped_column(JSON)  # resource -> field names ([] = every field)
    period_from: Mapped[date] = mapped_column(Date)
    period_until: Mapped[date] = mapped_column(Date)
    pledge_version: Mapped[str] = mapped_column(String(40))  # which pledge/agreement text was accepted
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    clock_start: Mapped[date] = mapped_column(Date)  # the day the current clock started (not counted)
    deadline: Mapped[date] = mapped_column(Date, index=True)
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_state: Mapped[str] = mapped_column(String(10), default="none")
    extension_days: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decision_basis: Mapped[str | None] = mapped_column(Text)
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("access_grant.id"))
    overdue_since: Mapped[date | None] = mapped_column(Date)  # set by the sweep

    dataset: Mapped[Dataset] = relationship()
    department: Mapped[Department] = relationship()
    applicant: Mapped[User] = relationship(foreign_keys=[applicant_id])
    events: Mapped[list["ApplicationEvent"]] = relationship(order_by="ApplicationEvent.id",
                                                            back_populates="application")
    documents: Mapped[list["ApplicationDocument"]] = relationship(order_by="ApplicationDocument.id")


class ApplicationEvent(Base):
    """The timeline: every transition with its actor and time; never updated."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    application: Mapped[Application] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ApplicationDocument(Base):
    __tablename__ = "application_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_as: Mapped[str] = mapped_column(String(200))
    mediatype: Mapped[str] = mapped_column(String(80))
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """In-app inbox entry; `key` makes a notification idempotent (a reminder is sent once)."""

    __tablename__ = "notification"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_notification_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    key: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column()
    emailed_at: Mapped[datetime | None] = mapped_column()
