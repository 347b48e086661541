"""Write audit events. Callers commit them in the same transaction as the action they record."""

from flask import has_request_context, request

from ..extensions import db
from ..models import AuditEvent


def record(actor, action: str, object_type: str, object_id, detail: dict | None = None) -> AuditEvent:
    event = AuditEvent(actor_id=getattr(actor, "id", None), action=action, object_type=object_type,
                       object_id=str(object_id), detail=detail or {},
                       ip=request.remote_addr if has_request_context() else "cli")
    db.session.add(event)
    return event
