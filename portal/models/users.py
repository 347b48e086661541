"""Accounts. Staff, heads and the data authority for now; citizens and firms come with identity checks."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow
from .catalog import Department

USER_KINDS = ("staff", "head", "admin")


class User(UserMixin, Base):
    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("kind IN ('person','firm','staff','head','admin')", name="kind"),
        CheckConstraint("kind NOT IN ('staff','head') OR department_id IS NOT NULL", name="staff_department"),
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
