"""Accounts: citizens (person), firms (firm, registered by an agent), department staff and heads,
and the data authority (admin). Personal identifiers are stored encrypted (portal.security) and
found by keyed hash; only masked forms are ever shown."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .catalog import Department

USER_KINDS = ("person", "firm", "staff", "head", "admin")
PUBLIC_KINDS = ("person", "firm")
VERIFICATION_STATES = ("unverified", "pending", "verified", "rejected")


class User(UserMixin, Base):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("kind IN ('person','firm','staff','head','admin')", name="kind"),
        CheckConstraint("kind NOT IN ('staff','head') OR department_id IS NOT NULL", name="staff_department"),
        CheckConstraint("verification IN ('unverified','pending','verified','rejected')", name="verification"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    display_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()
    # Identity (art. 24): person -> 居民身份证号码; firm -> 统一社会信用代码 plus its agent's ID number.
    # *_encrypted: Fernet tokens; identity_hash: keyed hash, unique, so one identity registers once.
    identity_encrypted: Mapped[str | None] = mapped_column(Text)
    identity_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    identity_masked: Mapped[str | None] = mapped_column(String(40))
    agent_name: Mapped[str | None] = mapped_column(String(100))
    agent_id_encrypted: Mapped[str | None] = mapped_column(Text)
    agent_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    mobile_encrypted: Mapped[str | None] = mapped_column(Text)
    mobile_masked: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(200))  # optional: notifications by e-mail too
    verification: Mapped[str] = mapped_column(String(12), default="unverified")
    verified_at: Mapped[datetime | None] = mapped_column()
    verification_note: Mapped[str | None] = mapped_column(Text)
    suspended_at: Mapped[datetime | None] = mapped_column()  # art. 41: browse yes, obtain data no
    suspension_reason: Mapped[str | None] = mapped_column(Text)

    department: Mapped[Department | None] = relationship()

    @property
    def is_active(self):
        return self.active

    @property
    def is_staff(self):
        return self.kind in ("staff", "head")

    @property
    def is_admin(self):
        return self.kind == "admin"

    @property
    def is_public(self):
        return self.kind in PUBLIC_KINDS

    @property
    def is_verified(self):
        """Accounts the data authority creates (staff, heads, admins) are identified by creation."""
        return self.verification == "verified" or not self.is_public

    @property
    def is_suspended(self):
        return self.suspended_at is not None
