from .access import ApiToken, Grant, PasswordReset
from .applications import (
    APPLICATION_STATES,
    OPEN_STATES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Notification,
)
from .audit import AuditEvent
from .base import Base, utcnow
from .cases import (
    CASE_KINDS,
    CASE_STATES,
    CLOCK_STATES,
    Case,
    CaseDocument,
    CaseEvent,
    CaseSupport,
    CatalogChange,
    Feedback,
    FeedbackReport,
)
from .catalog import (
    OPEN_ACCESS,
    SHARE_ACCESS,
    UPDATE_FREQUENCIES,
    Dataset,
    DatasetVersion,
    Department,
    Resource,
)
from .jobs import JOB_STATES, PublishJob
from .users import PUBLIC_KINDS, USER_KINDS, VERIFICATION_STATES, User

__all__ = [
    "AuditEvent", "Base", "utcnow", "OPEN_ACCESS", "SHARE_ACCESS", "UPDATE_FREQUENCIES", "Dataset",
    "DatasetVersion", "Department", "Resource", "JOB_STATES", "PublishJob", "USER_KINDS", "User",
    "PUBLIC_KINDS", "VERIFICATION_STATES", "ApiToken", "Grant", "PasswordReset", "APPLICATION_STATES",
    "OPEN_STATES", "Application", "ApplicationDocument", "ApplicationEvent", "Notification",
    "CASE_KINDS", "CASE_STATES", "CLOCK_STATES", "Case", "CaseDocument", "CaseEvent", "CaseSupport", "CatalogChange",
    "Feedback", "FeedbackReport",
]
