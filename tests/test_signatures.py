"""Signed publications (art. 47): signing at publish, verification of zips, resources and descriptors."""

import io
import zipfile
from pathlib import Path

import pytest

from packages import signing
from portal.extensions import db
from portal.models import DatasetVersion
from portal.policies import SYSTEM
from portal.services import publishing, signatures

NAME = "nanyang-test-pharmacies"
CSV_V2 = "企业名称,所在区县,经营面积,发证日期\n宛城区新仁和大药房,宛城区,130,2025-01-02\n"


@pytest.fixture
def published(app, people, write_package):
    """Versions 1.0.0 and 2.0.0 of one dataset with different content: {version: (folder, signature)}."""
    with app.app_context():
        for folder, csv_text, version in (("v1", None, "1.0.0"), ("v2", CSV_V2, "2.0.0")):
            kwargs = {"csv_text": csv_text} if csv_text else {}
            outcome = publishing.publish(SYSTEM, [write_package(folder, version=version, **kwargs)])
            assert outcome.ok, outcome.problems
        rows = db.session.query(DatasetVersion).all()
        store = Path(app.config["PACKAGE_STORE"])
        return {v.version: (store / v.path, v.signature) for v in rows}


def package_zip(folder: Path, signature: str, change: dict | None = None, extra: dict | None = None) -> bytes:
    """The download layout: datapackage.json (stored bytes), datapackage.json.sig, resources at their paths."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.writestr(path.name, (change or {}).get(path.name, path.read_bytes()))
        zf.writestr("datapackage.json.sig", signature)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()


def verify(app, data, filename="pharmacies.csv", **kwargs):
    with app.test_request_context():
        return signatures.verify_file(data, filename, **kwargs)


def test_published_version_is_signed_over_the_stored_descriptor(app, published, client):
    folder, signature = published["2.0.0"]
    with app.app_context():
        public = signatures.signing_key().public_key()
    assert signing.verify(public, (folder / "datapackage.json").read_bytes(), signature)
    assert not signing.verify(public, (folder / "datapackage.json").read_bytes() + b" ", signature)
    assert client.get(f"/datasets/{NAME}/datapackage.json.sig").get_data(as_text=True).strip() == signature
    pem = client.get("/verify/public-key.pem")
    assert pem.status_code == 200 and signing.load_public_key(pem.data).public_bytes_raw() == public.public_bytes_raw()
    assert client.get("/datasets/unknown/datapackage.json.sig").status_code == 404


def test_key_file_is_private_and_reused(tmp_path):
    path = tmp_path / "keys" / "signing-key.pem"
    key = signing.load_or_create_key(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert signing.load_or_create_key(path).public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind


def test_resource_file_current_version(app, published):
    data = (published["2.0.0"][0] / "pharmacies.csv").read_bytes()
    result = verify(app, data)
    assert result.authentic and result.kind == "resource"
    assert "版本 2.0.0" in result.messages[0] and "这是当前版本" in result.messages[0]
    assert "南阳市药品零售企业名录（测试）" in result.messages[0]


def test_modified_resource_is_not_authentic(app, published):
    data = bytearray((published["1.0.0"][0] / "pharmacies.csv").read_bytes())
    data[-3] ^= 1
    result = verify(app, bytes(data))
    assert result.status == "not-authentic"
    assert result.messages == [signatures.NOT_MATCHING]


def test_old_version_resource(app, published):
    data = (published["1.0.0"][0] / "pharmacies.csv").read_bytes()
    result = verify(app, data)
    assert result.authentic and "不是当前版本（当前版本为 2.0.0）" in result.messages[0]
    wrong = verify(app, data, expected_version="2.0.0")
    assert not wrong.authentic
    assert wrong.messages == ["该文件属于版本 1.0.0，不是所指定的版本 2.0.0"]
    assert verify(app, data, expected_dataset=NAME, expected_version="1.0.0").authentic
    assert not verify(app, data, expected_dataset="other-dataset").authentic


def test_good_package_zip(app, published):
    folder, signature = published["1.0.0"]
    result = verify(app, package_zip(folder, signature), "package.zip")
    assert result.authentic and result.kind == "package", result.messages
    assert [r.ok for r in result.resources] == [True]
    assert "版本 1.0.0" in result.messages[0]


def test_package_zip_in_a_folder_is_accepted(app, published):
    folder, signature = published["2.0.0"]
    with app.app_context():
        check = signing.check_package_zip(_nest(package_zip(folder, signature)), signatures.signing_key())
    assert check.valid and (check.name, check.version) == (NAME, "2.0.0")


def _nest(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(f"{NAME}-2.0.0/{info.filename}", src.read(info))
    return out.getvalue()


def test_zip_with_modified_resource_names_it(app, published):
    folder, signature = published["1.0.0"]
    changed = (folder / "pharmacies.csv").read_bytes().replace("仁和".encode(), "仁爱".encode())
    result = verify(app, package_zip(folder, signature, {"pharmacies.csv": changed}), "package.zip")
    assert result.status == "not-authentic"
    assert any("pharmacies" in m and "SHA-256" in m for m in result.messages), result.messages


def test_zip_with_forged_descriptor(app, published):
    folder, signature = published["1.0.0"]
    forged = (folder / "datapackage.json").read_bytes().replace(b'"1.0.0"', b'"1.0.1"')
    result = verify(app, package_zip(folder, signature, {"datapackage.json": forged}), "package.zip")
    assert result.status == "not-authentic"
    assert any("签名与数据包描述不符" in m for m in result.messages)


def test_zip_with_traversal_member(app, published):
    folder, signature = published["1.0.0"]
    data = package_zip(folder, signature, extra={"../evil.txt": b"x"})
    result = verify(app, data, "package.zip")
    assert result.status == "not-authentic"
    assert any("不安全的路径" in m for m in result.messages)


def test_descriptor_with_and_without_separate_signature(app, published):
    folder, signature = published["1.0.0"]
    descriptor = (folder / "datapackage.json").read_bytes()
    assert verify(app, descriptor, "datapackage.json").authentic
    assert verify(app, descriptor, "datapackage.json", signature=signature).authentic
    other = published["2.0.0"][1]
    assert not verify(app, descriptor, "datapackage.json", signature=other).authentic


def test_cli_exit_codes(runner, published, tmp_path):
    good = published["1.0.0"][0] / "pharmacies.csv"
    result = runner("verify", good)
    assert result.exit_code == 0 and "验证通过" in result.stdout and "1.0.0" in result.stdout
    result = runner("verify", good, "--dataset", NAME, "--version", "2.0.0")
    assert result.exit_code == 1 and "不是所指定的版本 2.0.0" in result.stdout
    modified = tmp_path / "modified.csv"
    modified.write_bytes(good.read_bytes() + b"x")
    assert runner("verify", modified).exit_code == 1
    assert runner("verify", tmp_path / "missing.csv").exit_code == 2
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert runner("verify", broken).exit_code == 2


def test_web_upload(client, published):
    assert client.get("/verify").status_code == 200
    folder, signature = published["1.0.0"]
    response = client.post("/verify", data={"file": (io.BytesIO(package_zip(folder, signature)), "package.zip")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "验证通过" in page and "1.0.0" in page
    response = client.post("/verify", data={"file": (io.BytesIO((folder / "pharmacies.csv").read_bytes()), "a.csv"),
                                            "version": "2.0.0"}, content_type="multipart/form-data")
    assert "不是所指定的版本 2.0.0" in response.get_data(as_text=True)
    empty = client.post("/verify", data={"file": (io.BytesIO(b""), "empty.csv")}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "文件为空" in empty.get_data(as_text=True)
    assert client.post("/verify", data={}, content_type="multipart/form-data").status_code == 400


def test_web_upload_too_large(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/verify", data={"file": (io.BytesIO(b"x" * 5000), "big.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "过大" in response.get_data(as_text=True)


def test_init_backfills_unsigned_versions(app, published, runner, monkeypatch, tmp_path):
    with app.app_context():
        for version in db.session.query(DatasetVersion):
            version.signature = None
        db.session.commit()
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    result = runner("init")
    assert result.exit_code == 0, result.output
    assert "补签 2 个" in result.stdout
    with app.app_context():
        assert all(v.signature for v in db.session.query(DatasetVersion))
    assert "补签 0 个" in runner("init").stdout
    assert runner("verify", published["1.0.0"][0] / "pharmacies.csv").exit_code == 0
