"""The desensitization stage inside publishing and alone from the CLI."""

import csv
import json
from pathlib import Path

from portal.policies import SYSTEM
from portal.services import publishing

PEOPLE_CSV = ("企业名称,法定代表人,联系电话,法定代表人身份证号,备注,经营面积\n"
              "宛城区仁和大药房,张伟,13812345678,411302198503121238,店长李娜，电话13900001111，周末营业,120\n"
              "卧龙区百姓药店,王秀英,15937712345,411303197001011233,,80\n"
              "新野县康泰药店,刘洋,17603771234,411329199202280029,无,60\n"
              "唐河县济民药店,陈静,19937788899,411328198811110016,营业时间调整为8点至20点,45\n")


def write(tmp_path, fields=None, open_access="unconditional", basis=None, name="pkg"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "stores.csv").write_text(PEOPLE_CSV, encoding="utf-8")
    descriptor = {
        "name": "nanyang-pii-stores", "title": "含个人信息的药店名录", "description": "测试", "department": "南阳市市场监督管理局",
        "domain": "市场监管", "licenses": [{"name": "CC-BY-4.0"}], "open_access": open_access, "share_access": "none",
        "update_frequency": "monthly", "contact": {"name": "王伟", "phone": "0377-63123456"},
        "resources": [{"name": "stores", "path": "stores.csv"}],
    }
    if basis:
        descriptor["open_access_basis"] = basis
    if fields:
        descriptor["resources"][0]["schema"] = {"fields": fields}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return folder


DECIDED = [{"name": "企业名称", "type": "string"},
           {"name": "法定代表人", "type": "string", "pii": "PERSON", "desensitize": "mask"},
           {"name": "联系电话", "type": "string", "pii": "CN_MOBILE", "desensitize": "mask"},
           {"name": "法定代表人身份证号", "type": "string", "pii": "CN_ID_CARD", "desensitize": "drop"},
           {"name": "备注", "type": "string", "pii": "FREE_TEXT", "desensitize": "mask"},
           {"name": "经营面积", "type": "integer"}]


def publish(app, folder):
    with app.app_context():
        return publishing.publish(SYSTEM, [folder])


def test_unconditional_with_undecided_pii_is_refused_naming_columns(app, people, tmp_path):
    outcome = publish(app, write(tmp_path))
    assert not outcome.ok
    messages = " ".join(p["message"] for p in outcome.problems)
    assert "「法定代表人」被识别为自然人姓名" in messages
    assert "「联系电话」被识别为手机号码" in messages
    assert "「法定代表人身份证号」被识别为居民身份证号码" in messages
    assert not (Path(app.config["PACKAGE_STORE"]) / "nanyang-pii-stores").exists()


def test_declared_policy_is_applied_and_reported(app, people, tmp_path, client):
    outcome = publish(app, write(tmp_path, DECIDED))
    assert outcome.ok, outcome.problems
    stored = Path(app.config["PACKAGE_STORE"]) / "nanyang-pii-stores" / "1.0.0"
    with open(stored / "stores.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert "法定代表人身份证号" not in rows[0]
    assert [r["法定代表人"] for r in rows] == ["张*", "王**", "刘*", "陈*"]
    assert rows[0]["联系电话"] == "138****5678"
    assert "李娜" not in rows[0]["备注"] and "13900001111" not in rows[0]["备注"] and "周末营业" in rows[0]["备注"]
    raw_text = (stored / "stores.csv").read_text(encoding="utf-8")
    for secret in ("张伟", "13812345678", "411302198503121238", "李娜"):
        assert secret not in raw_text
    # nothing raw anywhere in the store, staging included
    for path in Path(app.config["PACKAGE_STORE"]).rglob("*"):
        if path.is_file():
            assert "411302198503121238" not in path.read_text(encoding="utf-8", errors="ignore")
    descriptor = json.loads((stored / "datapackage.json").read_text(encoding="utf-8"))
    names = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert "法定代表人身份证号" not in names
    columns = {c["name"]: c for c in outcome.report["desensitization"]["resources"][0]["columns"]}
    assert columns["法定代表人"]["cells_changed"] == 4 and columns["法定代表人"]["samples"][0] == "张*"
    assert columns["备注"]["spans"]["PERSON"] >= 1
    page = client.get("/datasets/nanyang-pii-stores").get_data(as_text=True)
    assert "个人信息保护处理" in page and "遮蔽" in page and "删除字段" in page
    assert "张伟" not in page and "13812345678" not in page


def test_conditional_applies_default_operators(app, people, tmp_path):
    outcome = publish(app, write(tmp_path, open_access="conditional", basis="《中华人民共和国个人信息保护法》第二十八条"))
    assert outcome.ok, outcome.problems
    columns = {c["name"]: c for c in outcome.report["desensitization"]["resources"][0]["columns"]}
    assert columns["法定代表人身份证号"]["operator"] == "mask" and columns["法定代表人身份证号"]["source"] == "detected"
    assert columns["法定代表人"]["entity"] == "PERSON"


def test_closed_datasets_skip_the_stage(app, people, tmp_path):
    outcome = publish(app, write(tmp_path, open_access="closed", basis="《中华人民共和国个人信息保护法》第二十八条"))
    assert outcome.ok and outcome.report["desensitization"]["skipped"]


def test_keep_requires_a_basis(app, people, tmp_path):
    fields = [dict(f) for f in DECIDED]
    fields[2]["desensitize"] = "keep"
    outcome = publish(app, write(tmp_path, fields))
    assert not outcome.ok
    assert any("保留依据" in p["message"] for p in outcome.problems)


def test_console_shows_the_report_before_publishing(app, people, auth, client, tmp_path):
    import io
    import zipfile

    folder = write(tmp_path, DECIDED)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for item in folder.iterdir():
            zf.write(item, item.name)
    buffer.seek(0)
    auth.login("market-staff")
    response = client.post("/console/publish", data={"check": "1", "files": [(buffer, "pkg.zip")]},
                           content_type="multipart/form-data")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "个人信息识别与脱敏" in page and "校验通过" in page
    assert "张*" in page and "张伟" not in page


def test_cli_desensitize_alone(runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(PEOPLE_CSV.encode("gbk"))
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"法定代表人身份证号": "hash", "法定代表人": {"pii": "PERSON", "desensitize": "surrogate"}},
                                 ensure_ascii=False), encoding="utf-8")
    result = runner("desensitize", source, tmp_path / "out.csv", "--policy", policy, "--report", tmp_path / "r.json",
                    "--key", "k")
    assert result.exit_code == 0, result.output
    out = (tmp_path / "out.csv").read_text(encoding="utf-8")
    assert "411302198503121238" not in out and "张伟" not in out and "138****5678" in out
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    ops = {c["name"]: c["operator"] for c in report["resources"][0]["columns"]}
    assert ops["法定代表人身份证号"] == "hash" and ops["法定代表人"] == "surrogate" and ops["联系电话"] == "mask"


def test_cli_desensitize_strict_refuses_undecided(runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(PEOPLE_CSV, encoding="utf-8")
    result = runner("desensitize", source, tmp_path / "out.csv", "--open-access", "unconditional", "--key", "k")
    assert result.exit_code == 1 and "没有声明脱敏方式" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_cli_desensitize_broken_xlsx(runner, tmp_path):
    source = tmp_path / "bad.xlsx"
    source.write_bytes(b"not a workbook")
    result = runner("desensitize", source, tmp_path / "out.csv", "--key", "k")
    assert result.exit_code == 1 and "XLSX" in result.stderr
