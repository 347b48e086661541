"""Write audit events, and keep the log tamper-evident.

Callers commit events in the same transaction as the action they record. Sealing chains them
afterwards, in id order, by one process at a time (the worker every few minutes, or `portal audit
seal`): chaining at insert time would need every request to serialise on the last hash.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta

from flask import has_request_context, request
from sqlalchemy import select

from ..extensions import db
from ..models import AuditEvent, utcnow

GENESIS = "0" * 64
SEAL_BATCH = 5000
# Ids are assigned at insert, rows become visible at commit: an older id can appear after a newer
# one was sealed. Sealing only events older than this leaves open transactions time to commit.
GRACE = timedelta(minutes=5)


def record(actor, action: str, object_type: str, object_id, detail: dict | None = None) -> AuditEvent:
    event = AuditEvent(actor_id=getattr(actor, "id", None), action=action, object_type=object_type,
                       object_id=str(object_id), detail=detail or {},
                       ip=request.remote_addr if has_request_context() else "cli")
    db.session.add(event)
    return event


def _content(event: AuditEvent) -> bytes:
    fields = [event.id, event.at.isoformat(timespec="microseconds"), event.actor_id, event.action,
              event.object_type, event.object_id, event.detail or {}, event.ip]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def chain(previous: str, event: AuditEvent) -> str:
    return hashlib.sha256(previous.encode("ascii") + _content(event)).hexdigest()


def seal(grace: timedelta = GRACE) -> int:
    """Chain the unsealed events older than `grace`, after the last sealed one; returns how many."""
    cutoff = utcnow() - grace
    _lock()
    last = db.session.scalar(select(AuditEvent).where(AuditEvent.chain_hash.is_not(None))
                             .order_by(AuditEvent.id.desc()).limit(1))
    previous = last.chain_hash if last else GENESIS
    sealed = 0
    for batch in _batches(last.id if last else 0):
        for event in batch:
            if event.chain_hash is None:
                if event.at >= cutoff:
                    db.session.commit()
                    return sealed
                event.chain_hash = chain(previous, event)
                sealed += 1
            previous = event.chain_hash
        db.session.commit()
        _lock()
    db.session.commit()
    return sealed


def _batches(after: int):
    """The events with an id above `after`, in id order, SEAL_BATCH at a time."""
    while True:
        batch = db.session.scalars(select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
                                   .limit(SEAL_BATCH)).all()
        if not batch:
            return
        yield batch
        after = batch[-1].id


def _lock() -> None:
    """One sealer at a time: PostgreSQL advisory lock for this transaction; SQLite writes are serial."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        db.session.execute(text("SELECT pg_advisory_xact_lock(7346201)"))


@dataclass
class ChainReport:
    checked: int
    unsealed: int
    broken_at: int | None  # id of the first event whose hash does not follow
    message: str

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify() -> ChainReport:
    previous, checked, unsealed = GENESIS, 0, 0
    for batch in _batches(0):
        for event in batch:
            if event.chain_hash is None:
                unsealed += 1
                continue
            if unsealed or event.chain_hash != chain(previous, event):
                return ChainReport(checked, unsealed, event.id,
                                   f"审计日志在第 {event.id} 条事件处断链：该事件或它之前的事件被修改、删除或插入")
            previous = event.chain_hash
            checked += 1
    note = f"，另有 {unsealed} 条新事件尚未封存" if unsealed else ""
    return ChainReport(checked, unsealed, None, f"审计日志完整：已核对 {checked} 条封存事件{note}")
