"""The audit log's hash chain: sealing, verification, and tampering detected."""

from datetime import timedelta

from sqlalchemy import select, update

from portal.extensions import db
from portal.models import AuditEvent
from portal.policies import SYSTEM
from portal.services import audit


def _events(app, n=5):
    with app.app_context():
        for i in range(n):
            audit.record(SYSTEM, "test.event", "thing", i, {"n": i, "名称": "南阳"})
        db.session.commit()


def test_sealed_log_verifies_and_edits_break_it(app, runner):
    _events(app)
    with app.app_context():
        assert audit.seal() == 0  # younger than the grace period: left for the next round
        assert audit.seal(timedelta(0)) == 5
        report = audit.verify()
        assert report.ok and report.checked == 5
        ids = list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    assert runner("audit", "verify").exit_code == 0
    with app.app_context():
        db.session.execute(update(AuditEvent).where(AuditEvent.id == ids[2]).values(detail={"n": 99}))
        db.session.commit()
        report = audit.verify()
        assert not report.ok and report.broken_at == ids[2] and "断链" in report.message
    result = runner("audit", "verify")
    assert result.exit_code == 1 and str(ids[2]) in result.output


def test_deleting_an_event_breaks_the_chain_and_new_events_extend_it(app, runner):
    _events(app, 4)
    assert "已封存 4" in runner("audit", "seal", "--now").output
    _events(app, 2)
    with app.app_context():
        assert audit.verify().unsealed == 2
        assert audit.seal(timedelta(0)) == 2
        assert audit.verify().checked == 6
        first = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id).offset(1).limit(1))
        db.session.delete(first)
        db.session.commit()
        assert not audit.verify().ok
