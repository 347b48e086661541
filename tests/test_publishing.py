"""Publishing through the real pipeline: every input kind, every refusal, atomicity."""

import json
import zipfile

import pytest

from portal.extensions import db
from portal.policies import SYSTEM
from portal.services import publishing
from tests.conftest import PHARMACY_CSV, catalog_metadata, stored_versions


def publish(app, paths, metadata=None, **kwargs):
    with app.app_context():
        return publishing.publish(SYSTEM, [*paths], metadata, **kwargs)


def test_publish_package_folder(app, people, write_package, client):
    outcome = publish(app, [write_package()])
    assert outcome.ok, outcome.problems
    assert (outcome.name, outcome.version) == ("nanyang-test-pharmacies", "1.0.0")
    stored = json.loads(client.get("/datasets/nanyang-test-pharmacies/datapackage.json").data)
    resource = stored["resources"][0]
    assert stored["$schema"].endswith("/2.0/datapackage.json")
    assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
    assert [f["type"] for f in resource["schema"]["fields"]] == ["string", "string", "number", "date"]


def test_publish_gbk_csv_is_transcoded_to_utf8(app, people, write_package, client):
    outcome = publish(app, [write_package(encoding="gbk")])
    assert outcome.ok, outcome.problems
    assert any("GBK" in note for note in outcome.report["notes"])
    page = client.get("/datasets/nanyang-test-pharmacies").get_data(as_text=True)
    assert "宛城区仁和大药房" in page  # preview decoded correctly


def test_publish_utf8_bom_csv_with_descriptor(app, people, tmp_path):
    csv_path = tmp_path / "药店名录.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf" + PHARMACY_CSV.encode())
    outcome = publish(app, [csv_path], catalog_metadata())
    assert outcome.ok, outcome.problems
    assert outcome.report["resources"][0]["rows"] == 2


def test_publish_xlsx_with_two_sheets(app, people, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "药店"
    book.active.append(["企业名称", "经营面积"])
    book.active.append(["仁和大药房", 120.5])
    second = book.create_sheet("诊所")
    second.append(["名称", "床位"])
    second.append(["社区诊所", 3])
    book.create_sheet("空表")
    path = tmp_path / "medical.xlsx"
    book.save(path)
    outcome = publish(app, [path], catalog_metadata())
    assert outcome.ok, outcome.problems
    assert [r["name"] for r in outcome.report["resources"]] == ["medical", "medical-2"]


def test_publish_json_records(app, people, tmp_path):
    path = tmp_path / "stops.json"
    path.write_text(json.dumps([{"站点": "人民公园", "线路数": 5}, {"站点": "南阳站", "线路数": 12}],
                               ensure_ascii=False), encoding="utf-8")
    outcome = publish(app, [path], catalog_metadata(name="nanyang-bus-stops"))
    assert outcome.ok, outcome.problems
    fields = outcome.report["resources"][0]
    assert fields["rows"] == 2


def test_publish_zip_package(app, people, write_package, tmp_path):
    folder = write_package()
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for item in folder.iterdir():
            zf.write(item, f"pkg/{item.name}")
    outcome = publish(app, [archive])
    assert outcome.ok, outcome.problems


def test_republish_creates_new_version_and_keeps_history(app, people, write_package, client):
    assert publish(app, [write_package()]).ok
    second = publish(app, [write_package(csv_text=PHARMACY_CSV + "新野县康泰药店,新野县,60,2024-06-01\n",
                                         version=None)])
    assert second.ok and second.version == "1.1.0"
    assert stored_versions(app, "nanyang-test-pharmacies") == ["1.0.0", "1.1.0"]
    page = client.get("/datasets/nanyang-test-pharmacies").get_data(as_text=True)
    assert "1.0.0" in page and "1.1.0" in page and "新野县康泰药店" in page


def test_same_version_is_refused_and_nothing_changes(app, people, write_package):
    assert publish(app, [write_package(version="1.0.0")]).ok
    again = publish(app, [write_package(version="1.0.0")])
    assert not again.ok
    assert "不可覆盖" in again.problems[0]["message"]
    assert stored_versions(app, "nanyang-test-pharmacies") == ["1.0.0"]


@pytest.mark.parametrize("overrides, expected", [
    ({"open_access": "conditional"}, "开放依据"),
    ({"open_access": "closed", "open_access_basis": ""}, "开放依据"),
    ({"update_frequency": "hourly"}, "更新频率"),
    ({"name": "Bad Name!"}, "数据集标识"),
    ({"title": None}, "缺少必填项：标题"),
    ({"department": "不存在的局"}, "未在平台登记"),
    ({"contact": {"name": "王伟", "phone": "call me"}}, "联系电话"),
])
def test_catalog_refusals(app, people, write_package, overrides, expected):
    outcome = publish(app, [write_package(**overrides)])
    assert not outcome.ok
    assert any(expected in p["message"] for p in outcome.problems), outcome.problems
    assert stored_versions(app, "nanyang-test-pharmacies") == []


def test_data_errors_are_reported_by_row_and_field(app, people, write_package):
    schema = {"fields": [{"name": "企业名称", "type": "string"}, {"name": "所在区县", "type": "string"},
                         {"name": "经营面积", "type": "number"}, {"name": "发证日期", "type": "date"}]}
    bad = PHARMACY_CSV + "坏数据药店,宛城区,很大,2024-13-45\n"
    outcome = publish(app, [write_package(csv_text=bad, schema=schema)])
    assert not outcome.ok
    problems = {(p.get("row"), p.get("field")): p["message"] for p in outcome.problems}
    assert "不是有效的数值" in problems[(4, "经营面积")]
    assert "日期" in problems[(4, "发证日期")]


def test_undecodable_csv_is_refused(app, people, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("名称\n".encode() + b"\xff\xfe\xfa\xfb broken\n")
    outcome = publish(app, [path], catalog_metadata())
    assert not outcome.ok
    assert "编码" in outcome.problems[0]["message"]


def test_broken_xlsx_is_refused(app, people, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    outcome = publish(app, [path], catalog_metadata())
    assert not outcome.ok
    assert "XLSX" in outcome.problems[0]["message"]


@pytest.mark.parametrize("member", ["../evil.csv", "/etc/evil.csv", "pkg/../../evil.csv"])
def test_zip_with_unsafe_paths_is_refused(app, people, tmp_path, member):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(member, PHARMACY_CSV)
    outcome = publish(app, [archive], catalog_metadata())
    assert not outcome.ok
    assert "不安全" in outcome.problems[0]["message"]
    assert not (tmp_path / "evil.csv").exists()


def test_zip_with_symlink_is_refused(app, people, tmp_path):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("data.csv")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    outcome = publish(app, [archive], catalog_metadata())
    assert "符号链接" in outcome.problems[0]["message"]


def test_zip_over_member_limit_is_refused(app, people, tmp_path):
    app.config["ARCHIVE_MAX_MEMBERS"] = 3
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(5):
            zf.writestr(f"part{i}.csv", PHARMACY_CSV)
    outcome = publish(app, [archive], catalog_metadata())
    assert "文件过多" in outcome.problems[0]["message"]


def test_zip_over_size_limit_is_refused(app, people, tmp_path):
    app.config["ARCHIVE_MAX_BYTES"] = 1000
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.csv", "名称\n" + "0" * 100_000)
    outcome = publish(app, [archive], catalog_metadata())
    assert "过大" in outcome.problems[0]["message"]


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "https://example.org/a.csv"])
def test_descriptor_resource_paths_must_stay_inside(app, people, write_package, path):
    folder = write_package()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = path
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    outcome = publish(app, [folder])
    assert not outcome.ok
    assert outcome.problems[0]["code"] in ("unsafe-path", "remote-path")


def test_declared_hash_mismatch_is_refused(app, people, write_package):
    folder = write_package()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["hash"] = "sha256:" + "0" * 64
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    outcome = publish(app, [folder])
    assert not outcome.ok and outcome.problems[0]["code"] == "hash-count"


def test_invalid_descriptor_json_is_refused(app, people, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{not json", encoding="utf-8")
    outcome = publish(app, [folder])
    assert "不是有效的 JSON" in outcome.problems[0]["message"]


def test_failure_mid_publish_keeps_previous_version_served(app, people, write_package, client, monkeypatch):
    assert publish(app, [write_package()]).ok

    def crash(*args, **kwargs):
        raise RuntimeError("disk full while registering the version")

    monkeypatch.setattr(publishing, "_record_version", crash)
    with pytest.raises(RuntimeError):
        publish(app, [write_package(csv_text=PHARMACY_CSV + "新增药店,宛城区,10,2024-01-01\n", version="2.0.0")])
    assert stored_versions(app, "nanyang-test-pharmacies") == ["1.0.0"]
    served = json.loads(client.get("/datasets/nanyang-test-pharmacies/datapackage.json").data)
    assert served["version"] == "1.0.0"
    assert list((app.config["PACKAGE_STORE"] and __import__("pathlib").Path(app.config["PACKAGE_STORE"]) / ".staging")
                .iterdir()) == []


def test_orphan_folder_from_a_crash_is_moved_aside(app, people, write_package):
    """A crash after the rename but before the commit leaves a folder no row knows about."""
    from pathlib import Path

    orphan = Path(app.config["PACKAGE_STORE"]) / "nanyang-test-pharmacies" / "1.0.0"
    orphan.mkdir(parents=True)
    (orphan / "datapackage.json").write_text("{}", encoding="utf-8")
    outcome = publish(app, [write_package()])
    assert outcome.ok, outcome.problems
    assert any((Path(app.config["PACKAGE_STORE"]) / ".orphans").iterdir())


def test_staff_cannot_publish_for_another_department(app, people, write_package):
    from portal.errors import NotAuthorized
    from portal.models import User

    with app.app_context():
        staff = db.session.query(User).filter_by(username="transport-staff").one()
        with pytest.raises(NotAuthorized):
            publishing.publish(staff, [write_package()])


def test_name_owned_by_another_department_is_refused(app, people, write_package):
    assert publish(app, [write_package()]).ok
    outcome = publish(app, [write_package(department="南阳市交通运输局", version="2.0.0")])
    assert any("已被" in p["message"] for p in outcome.problems)
