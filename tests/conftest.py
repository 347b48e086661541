"""Fixtures: app, client, runner, login helpers, and a database per run.

PORTAL_TEST_DATABASE_URL selects PostgreSQL: the suite then creates its own uniquely named
database on that server and drops it at the end. Otherwise a SQLite file is used. Either way the
schema is built by the Alembic migrations, so the migration path is what the tests exercise.
"""

import json
import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.db_schema import upgrade
from portal.extensions import db
from portal.models import Base

PASSWORD = "correct-horse-42"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if not server:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.sqlite'}"
        upgrade(url)
        yield url
        return
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def config(database_url, tmp_path):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "PSEUDONYM_KEY": "test-pseudonym-key",
        "IDENTITY_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        "IDENTITY_LOOKUP_KEY": "test-identity-lookup-key",
        "SIGNING_KEY": str(tmp_path / "signing-key.pem"),
        "DOWNLOAD_CACHE": str(tmp_path / "downloads"),
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # scrypt costs 0.1 s per hash and per login
        "DATABASE_URL": database_url,
        "PACKAGE_STORE": str(tmp_path / "store"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "JOBS_FILE": str(tmp_path / "jobs.sqlite"),
        "JOBS_IMMEDIATE": True,
        "SEARCH_INDEX": str(tmp_path / "search"),
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(config)
    yield app
    with app.app_context():
        with db.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                if table.name == "dataset":
                    conn.execute(table.update().values(current_version_id=None))
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())
            if conn.dialect.name == "postgresql" and inspect(conn).has_table("search_document"):
                conn.execute(text("DELETE FROM search_document"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app, config, monkeypatch):
    """Invoke the `portal` command group against the same instance as `app`."""
    from portal.cli import main

    for key in ("SECRET_KEY", "PSEUDONYM_KEY", "IDENTITY_KEY", "IDENTITY_LOOKUP_KEY", "SIGNING_KEY", "DATABASE_URL",
                "PACKAGE_STORE", "UPLOAD_FOLDER"):
        monkeypatch.setenv(f"PORTAL_{key}", config[key])

    def invoke(*args, **kwargs):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)
    return invoke


@pytest.fixture
def people(app):
    """Two departments with staff and a head each, and a data-authority admin."""
    from portal.policies import SYSTEM
    from portal.services import users

    with app.app_context():
        users.ensure_department(SYSTEM, "scjgj", "南阳市市场监督管理局", "市场监管")
        users.ensure_department(SYSTEM, "jtysj", "南阳市交通运输局", "交通")
        for username, kind, dept in (("market-staff", "staff", "scjgj"), ("market-head", "head", "scjgj"),
                                     ("transport-staff", "staff", "jtysj"), ("admin", "admin", None)):
            users.create_user(SYSTEM, username, PASSWORD, kind, username, dept)
    return {"market": "南阳市市场监督管理局", "transport": "南阳市交通运输局"}


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username, password=PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def catalog_metadata(**overrides) -> dict:
    meta = {
        "name": "nanyang-test-pharmacies", "title": "南阳市药品零售企业名录（测试）",
        "description": "测试用药店名录。", "department": "南阳市市场监督管理局", "domain": "市场监管",
        "keywords": ["药店", "药品"], "licenses": [{"name": "CC-BY-4.0"}],
        "open_access": "unconditional", "share_access": "unconditional", "update_frequency": "monthly",
        "contact": {"name": "王伟", "phone": "0377-63123456", "email": "scjgj@nanyang.gov.cn"},
    }
    meta.update(overrides)
    return {k: v for k, v in meta.items() if v is not None}


PHARMACY_CSV = "企业名称,所在区县,经营面积,发证日期\n宛城区仁和大药房,宛城区,120.5,2024-03-01\n卧龙区百姓药店,卧龙区,80,2023-11-15\n"


@pytest.fixture
def write_package(tmp_path):
    """Write a data package folder: write_package(name, csv_text, **catalog overrides) -> folder."""
    def write(folder_name="pkg", csv_text=PHARMACY_CSV, encoding="utf-8", schema=None, **overrides):
        folder = tmp_path / folder_name
        folder.mkdir(exist_ok=True)
        (folder / "pharmacies.csv").write_bytes(csv_text.encode(encoding))
        resource = {"name": "pharmacies", "path": "pharmacies.csv"}
        if schema:
            resource["schema"] = schema
        descriptor = catalog_metadata(**overrides) | {"resources": [resource]}
        (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
        return folder
    return write


def stored_versions(app, name) -> list[str]:
    root = Path(app.config["PACKAGE_STORE"]) / name
    return sorted(p.name for p in root.iterdir()) if root.exists() else []
