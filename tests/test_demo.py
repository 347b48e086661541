"""`portal demo` publishes a realistic catalog through the real pipeline, and every stored
descriptor passes the real `frictionless validate` command."""

import subprocess
import sys
from pathlib import Path

from portal.extensions import db
from portal.models import Case, Dataset, Department, User


def test_demo_catalog_is_published_and_valid(app, runner, client):
    result = runner("demo", "--datasets", "14", "--scale", "0.02", "--seed", "7")
    assert result.exit_code == 0, result.output
    assert "[14/14]" in result.stdout and "发布失败" not in result.stdout
    with app.app_context():
        assert db.session.query(Dataset).count() == 14
        assert db.session.query(Department).count() >= 10
        assert {u.username for u in db.session.query(User)} >= {"admin", "scjgj-staff", "scjgj-head"}
        accesses = {d.open_access for d in db.session.query(Dataset)}
    assert accesses <= {"unconditional", "conditional", "closed"}

    frictionless = Path(sys.executable).with_name("frictionless")
    descriptors = sorted(Path(app.config["PACKAGE_STORE"]).glob("*/*/datapackage.json"))
    assert len(descriptors) == 14
    for descriptor in descriptors:
        check = subprocess.run([str(frictionless), "validate", str(descriptor)], capture_output=True, text=True)
        assert check.returncode == 0, f"{descriptor}: {check.stdout[-2000:]}"

    page = client.get("/datasets?department=scjgj").get_data(as_text=True)
    assert "药店" in page
    assert client.get("/datasets/nanyang-licensed-pharmacies").status_code == 200
    requests = client.get("/data-requests").get_data(as_text=True)  # the demo's public data requests
    assert "南阳市公交车辆实时到站数据" in requests and "张明" not in requests
    with app.app_context():
        from portal.services import demo

        assert demo.casework_demo() == 0  # made once
        assert db.session.query(Case).filter(Case.kind == "data_request").count() == 2


def test_demo_if_empty_does_nothing_on_a_filled_catalog(runner):
    assert runner("demo", "--datasets", "2", "--scale", "0.01").exit_code == 0
    again = runner("demo", "--datasets", "2", "--scale", "0.01", "--if-empty")
    assert again.exit_code == 0 and "跳过" in again.stdout
