"""Casework beside applications (issue 7): catalog objections (art. 45), data error reports
(arts. 64–65) and data requests — one table, one timeline, one clock — plus the catalog changes an
agreed objection leads to, and public feedback on datasets (art. 50)."""

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
from .catalog import Dataset, DatasetVersion, Department
from .users import User

CASE_KINDS = ("objection", "error_report", "data_request")
CASE_STATES = (
    "submitted",  # objection: the department's clock runs; error report / data request: awaits the data authority
    "dispatched",  # error report: with the producer, 5 wd to decide; data request: routed, 10 wd to answer
    "correcting",  # error report: decided to correct, 10 wd to republish
    "change_proposed",  # objection: the department agreed; a catalog change awaits the data authority
    "changed",  # objection: catalog change approved and applied
    "change_rejected",  # objection: the data authority rejected the proposed change
    "disagreed",  # objection: the department disagreed, with reasons and basis
    "corrected",  # error report: a corrected version is published and linked
    "not_corrected",  # error report: the producer decided not to correct, with reasons
    "will_open",  # data request: the department will open the data by a date
    "cannot_open",  # data request: cannot open, with basis
    "rejected",  # error report / data request: the data authority found it out of scope, with a reason
    "withdrawn",
)
CLOCK_STATES = ("submitted", "dispatched", "correcting")  # a deadline may run only in these


def _in(column: str, values) -> str:
    return f"{column} IN (" + ",".join(f"'{v}'" for v in values) + ")"


class Case(Base):
    """One objection, error report or data request. `deadline` is the last working day of whatever
    clock currently runs (None when none does); `period` is that clock's length in working days."""

    __tablename__ = "case_file"
    __table_args__ = (
        CheckConstraint(_in("kind", CASE_KINDS), name="kind"),
        CheckConstraint(_in("state", CASE_STATES), name="state"),
        CheckConstraint("extension_state IN ('none','proposed','approved','rejected')", name="extension_state"),
        CheckConstraint("kind = 'data_request' OR dataset_id IS NOT NULL", name="dataset_required"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)  # 受理编号
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("dataset.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    submitter_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    category: Mapped[str] = mapped_column(String(30), default="other")
    title: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)  # kind-specific: version/resource/row/field, wishes
    version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id"))  # the version reported on
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    clock_start: Mapped[date | None] = mapped_column(Date)  # the day the running clock started (not counted)
    period: Mapped[int | None] = mapped_column(Integer)  # working days of the running clock
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    deadline_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_state: Mapped[str] = mapped_column(String(10), default="none")
    extension_days: Mapped[int | None] = mapped_column(Integer)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    overdue_since: Mapped[date | None] = mapped_column(Date)  # set by the sweep
    answered_at: Mapped[datetime | None] = mapped_column()  # the department's answer (on time or late)
    answer_deadline: Mapped[date | None] = mapped_column(Date)  # the deadline the answer was due by
    closed_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    decision_reasons: Mapped[str | None] = mapped_column(Text)
    decision_basis: Mapped[str | None] = mapped_column(Text)
    promised_date: Mapped[date | None] = mapped_column(Date)  # data request: will open by
    correction_version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id"))
    supporters: Mapped[int] = mapped_column(Integer, default=0)  # data request: count of supports

    dataset: Mapped[Dataset | None] = relationship()
    department: Mapped[Department | None] = relationship()
    submitter: Mapped[User] = relationship(foreign_keys=[submitter_id])
    version: Mapped[DatasetVersion | None] = relationship(foreign_keys=[version_id])
    correction_version: Mapped[DatasetVersion | None] = relationship(foreign_keys=[correction_version_id])
    events: Mapped[list["CaseEvent"]] = relationship(order_by="CaseEvent.id", back_populates="case")
    documents: Mapped[list["CaseDocument"]] = relationship(order_by="CaseDocument.id")


class CaseEvent(Base):
    """The timeline of a case: every transition with its actor and time; never updated."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class CaseDocument(Base):
    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    stored_as: Mapped[str] = mapped_column(String(200))
    mediatype: Mapped[str] = mapped_column(String(80))
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseSupport(Base):
    """"I need this too" on a data request: one per user."""

    __tablename__ = "case_support"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_support"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class CatalogChange(Base):
    """A change to a catalog entry's attributes, proposed by the producing department (after an
    agreed objection) and approved or rejected by the data authority. `before`/`after` keep the
    readable history; approval republishes the entry as a new version (`version_id`)."""

    __tablename__ = "catalog_change"
    __table_args__ = (CheckConstraint("state IN ('proposed','approved','rejected')", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    state: Mapped[str] = mapped_column(String(10), default="proposed", index=True)
    before: Mapped[dict] = mapped_column(JSON)  # attribute -> value when proposed
    after: Mapped[dict] = mapped_column(JSON)  # attribute -> proposed value
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(Text)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("dataset_version.id"))

    dataset: Mapped[Dataset] = relationship()
    case: Mapped[Case | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    version: Mapped[DatasetVersion | None] = relationship(foreign_keys=[version_id])


class Feedback(Base):
    """A rating (1–5) and/or comment on a dataset (art. 50). Hidden entries stay for the record."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating BETWEEN 1 AND 5)", name="rating"),
        CheckConstraint("state IN ('visible','hidden')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="visible", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reports: Mapped[int] = mapped_column(Integer, default=0)  # open abuse reports
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    moderated_at: Mapped[datetime | None] = mapped_column()
    moderation_reason: Mapped[str | None] = mapped_column(Text)

    dataset: Mapped[Dataset] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class FeedbackReport(Base):
    """A report of abusive content: one per user and feedback entry."""

    __tablename__ = "feedback_report"
    __table_args__ = (UniqueConstraint("feedback_id", "user_id", name="uq_feedback_report"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("feedback.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column()
