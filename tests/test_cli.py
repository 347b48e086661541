"""The `portal` command line: init, publish, users; the same services as the web."""

import json

from tests.conftest import PHARMACY_CSV, catalog_metadata


def test_init_creates_config_database_and_store(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from portal.cli import main

    instance = tmp_path / "fresh"
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(instance))
    for key in ("SECRET_KEY", "PSEUDONYM_KEY", "DATABASE_URL", "PACKAGE_STORE", "UPLOAD_FOLDER"):
        monkeypatch.delenv(f"PORTAL_{key}", raising=False)
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    config = (instance / "config.py").read_text()
    assert "SECRET_KEY = '" in config and "PSEUDONYM_KEY" in config
    assert (instance / "portal.sqlite").exists() and (instance / "packages").is_dir()
    again = CliRunner().invoke(main, ["init"])  # idempotent, keeps the secrets
    assert again.exit_code == 0 and (instance / "config.py").read_text() == config


def test_publish_prints_name_and_version(runner, people, write_package):
    result = runner("publish", write_package())
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "nanyang-test-pharmacies 1.0.0"


def test_publish_csv_with_descriptor_and_department(runner, people, tmp_path):
    csv_path = tmp_path / "stops.csv"
    csv_path.write_text(PHARMACY_CSV, encoding="utf-8")
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps(catalog_metadata(name="nanyang-cli-stops", department="x"), ensure_ascii=False))
    result = runner("publish", csv_path, "--descriptor", meta, "--department", "jtysj")
    assert result.exit_code == 0, result.output
    assert "nanyang-cli-stops 1.0.0" in result.stdout


def test_publish_refusal_exits_non_zero_with_message(runner, people, write_package):
    result = runner("publish", write_package(open_access="closed"))
    assert result.exit_code == 1
    assert "发布被拒绝" in result.stderr and "开放依据" in result.stderr


def test_publish_dry_run_stores_nothing(runner, people, write_package, app):
    from tests.conftest import stored_versions

    result = runner("publish", write_package(), "--dry-run")
    assert result.exit_code == 0 and "仅校验" in result.stdout
    assert stored_versions(app, "nanyang-test-pharmacies") == []


def test_users_create(runner, people):
    result = runner("users", "create", "--kind", "staff", "--username", "new-staff", "--name", "新同事",
                    "--department", "scjgj", "--password", "long-enough-pw")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["username"] == "new-staff"
    dup = runner("users", "create", "--kind", "staff", "--username", "new-staff", "--department", "scjgj",
                 "--password", "long-enough-pw")
    assert dup.exit_code == 1 and "已被使用" in dup.stderr
    short = runner("users", "create", "--kind", "head", "--username", "x1", "--department", "nope",
                   "--password", "short")
    assert short.exit_code == 1 and "密码至少" in short.stderr and "部门" in short.stderr


def test_staff_password_is_hashed(app, people):
    from portal.extensions import db
    from portal.models import User

    with app.app_context():
        stored = db.session.query(User).filter_by(username="market-staff").one().password_hash
    assert "correct-horse-42" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
