"""Background jobs on Huey: SQLite storage in the instance folder by default, Redis when
PORTAL_REDIS_URL is set, inline execution when JOBS_IMMEDIATE (tests, one-off scripts).
The consumer runs as `portal worker`, beside the web server."""

from flask import current_app, has_app_context
from huey import MemoryHuey, crontab
from huey.storage import RedisStorage, SqliteStorage

huey = MemoryHuey("portal", immediate=False)
_worker_app = None


def init_app(app):
    if app.config["JOBS_IMMEDIATE"]:
        huey.immediate = True
        return
    huey.immediate = False
    if app.config["REDIS_URL"]:
        huey.storage = RedisStorage(name="portal", url=app.config["REDIS_URL"])
    else:
        huey.storage = SqliteStorage(name="portal", filename=app.config["JOBS_FILE"])


def run_worker(app, workers: int = 2) -> None:
    global _worker_app
    _worker_app = app
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()


def _app():
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        raise RuntimeError("任务只能在 `portal worker` 中执行")
    return _worker_app


@huey.task(retries=0)
def publish_job(job_id: str) -> None:
    with _app().app_context():
        from .services import jobs

        jobs.run(job_id)


@huey.task(retries=0)
def deliver_mail() -> None:
    """E-mail the notifications committed since the last run (portal.services.notifications)."""
    with _app().app_context():
        from .services import notifications

        notifications.deliver_pending()


@huey.periodic_task(crontab(minute="*/5"), retries=0)
def seal_audit_log() -> None:
    """Chain new audit events every five minutes (portal.services.audit.seal)."""
    with _app().app_context():
        from .services import audit

        audit.seal()


@huey.periodic_task(crontab(minute="*/10"), retries=0)
def sweep_deadlines() -> None:
    """Overdue marks and deadline reminders every ten minutes (idempotent, as `portal deadlines sweep`)."""
    with _app().app_context():
        from .services import deadlines

        deadlines.sweep()
