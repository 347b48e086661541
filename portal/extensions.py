"""Extension objects, created unbound and wired to the app in create_app."""

from flask import current_app, g
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, sessionmaker

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# No default limits: routes opt in (login, password reset). Counters live in memory, or in Redis
# when REDIS_URL is set so that every worker and machine shares them.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_limiter(app):
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)


class Database:
    """One engine per app (kept in app.extensions); one session per app context, closed on teardown."""

    def init_app(self, app):
        url = app.config["DATABASE_URL"]
        kwargs = {"future": True}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(engine, "connect", _sqlite_pragmas)
        app.extensions["portal_db"] = (engine, sessionmaker(bind=engine, expire_on_commit=False))
        app.teardown_appcontext(self._remove)

    @property
    def engine(self):
        return current_app.extensions["portal_db"][0]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions["portal_db"][1]()
        return g.db_session

    def _remove(self, exc=None):
        session = g.pop("db_session", None)
        if session is not None:
            if exc is not None:
                session.rollback()
            session.close()


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts the database and survives an application crash; only an OS
    # crash or power cut can lose the last commits. It spares an fsync per commit (every download
    # writes its audit row). Deployments that need more run on PostgreSQL.
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


db = Database()
