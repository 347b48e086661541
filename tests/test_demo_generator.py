"""Tests of the demo catalog generator (portal.demo): determinism, catalog attributes, identifiers,
CSV typing and encodings. Pure pytest, no app fixtures."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from anonymization import identifiers as ids
from portal.demo import DEPARTMENTS, DemoSource, generate_demo

SCALE = 0.02
N_DEFAULT = 48

# ---- independent checkers (deliberately not reusing portal.demo.identifiers) -------------


def valid_id_card(s: str) -> bool:
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date(2026, 12, 31):
        return False
    total = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(s[:17]))
    return s[17] == "10X98765432"[total % 11]


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def valid_uscc(s: str) -> bool:
    if len(s) != 18 or any(c not in _USCC_CHARS for c in s):
        return False
    total = sum(_USCC_CHARS.index(c) * (3 ** i % 31) for i, c in enumerate(s[:17]))
    return s[17] == _USCC_CHARS[(31 - total % 31) % 31]


def valid_luhn(s: str) -> bool:
    if not s.isdigit():
        return False
    digits = [int(c) for c in reversed(s)]
    total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    return total % 10 == 0


MOBILE_RE = re.compile(r"1[3-9]\d{9}")
PLATE_RE = re.compile(r"豫R(?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]\d{4})")
LANDLINE_RE = re.compile(r"0377-\d{8}")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}")

TYPE_RE = {
    "integer": re.compile(r"-?\d+"),
    "number": re.compile(r"-?\d+(\.\d+)?"),
    "boolean": re.compile(r"true|false"),
    "year": re.compile(r"\d{4}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "datetime": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"),
}


def conforms(value: str, ftype: str) -> bool:
    if ftype == "string":
        return True
    if not TYPE_RE[ftype].fullmatch(value):
        return False
    if ftype == "date":
        date.fromisoformat(value)
    elif ftype == "datetime":
        datetime.fromisoformat(value)
    return True


# ---- helpers -----------------------------------------------------------------------------


def load(src: DemoSource) -> tuple[dict, dict[str, list[dict]], dict[str, str]]:
    """(descriptor, rows per resource, encoding per resource)."""
    desc = json.loads((src.path / "datapackage.json").read_text("utf-8"))
    rows, encodings = {}, {}
    for res in desc["resources"]:
        raw = (src.path / res["path"]).read_bytes()
        try:
            text, enc = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = raw.decode("gbk"), "gbk"
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader)
        assert header == [f["name"] for f in res["schema"]["fields"]], f"{src.name}/{res['name']} header"
        rows[res["name"]] = [dict(zip(header, r, strict=True)) for r in reader]
        encodings[res["name"]] = enc
    return desc, rows, encodings


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> list[tuple[DemoSource, dict, dict, dict]]:
    out = tmp_path_factory.mktemp("demo")
    sources = generate_demo(out, N_DEFAULT, 2026, SCALE)
    return [(s, *load(s)) for s in sources]


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---- tests -------------------------------------------------------------------------------


def test_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate_demo(a, N_DEFAULT, 7, SCALE)
    generate_demo(b, N_DEFAULT, 7, SCALE)
    files_a = tree_bytes(a)
    assert len(files_a) > N_DEFAULT
    assert files_a == tree_bytes(b)


def test_seed_changes_content(tmp_path):
    generate_demo(tmp_path / "a", 3, 1, SCALE)
    generate_demo(tmp_path / "b", 3, 2, SCALE)
    assert tree_bytes(tmp_path / "a") != tree_bytes(tmp_path / "b")


def test_prefix_of_catalog_is_stable(tmp_path, demo):
    """A dataset's files do not depend on how many datasets are generated."""
    small = generate_demo(tmp_path, 5, 2026, SCALE)
    for src in small:
        big = next(s for s, *_ in demo if s.name == src.name)
        assert tree_bytes(src.path) == tree_bytes(big.path)


def test_departments(demo):
    assert len(DEPARTMENTS) >= 12
    titles = {d["title"] for d in DEPARTMENTS}
    assert len(titles) == len(DEPARTMENTS)
    for d in DEPARTMENTS:
        assert re.fullmatch(r"[a-z]+", d["slug"]) and d["title"].startswith("南阳市") and d["description"]
    used = {src.department for src, *_ in demo}
    assert len(used) >= 12 and used <= titles
    assert "南阳市市场监督管理局" in used


@pytest.mark.parametrize("n", [1, 5, 11, 12, 14, 20])
def test_first_n_rotates_departments(tmp_path, n):
    sources = generate_demo(tmp_path, n, 2026, 0.001)
    assert len(sources) == n
    assert len({s.department for s in sources}) == min(n, len(DEPARTMENTS))
    assert sources[0].name == "nanyang-licensed-pharmacies"


def test_too_many_datasets(tmp_path):
    with pytest.raises(ValueError, match="demo dataset definitions"):
        generate_demo(tmp_path, 10_000)
    with pytest.raises(ValueError):
        generate_demo(tmp_path, 0)
    assert not any(tmp_path.iterdir())


def test_descriptor_shape(demo):
    names = set()
    for src, desc, _rows, _enc in demo:
        assert desc["name"] == src.name and src.name not in names
        names.add(src.name)
        assert re.fullmatch(r"nanyang-[a-z0-9-]{2,72}", desc["name"])
        assert desc["department"] == src.department
        for key in ("$schema", "hash", "bytes", "encoding"):
            assert key not in desc
        assert desc["version"] == "1.0.0" and desc["title"] and len(desc["keywords"]) >= 2
        assert desc["description"].count("。") >= 2
        assert desc["licenses"] and all("name" in lic for lic in desc["licenses"])
        assert desc["domain"] in {"市场监管", "交通出行", "医疗卫生", "教育文化", "生态环境", "文化旅游", "社会民生",
                                  "劳动就业", "城建住房", "公共安全", "资源环境", "农业农村", "社会保障"}
        assert desc["share_access"] in {"unconditional", "conditional", "none"}
        assert desc["update_frequency"] in {"realtime", "daily", "weekly", "monthly", "quarterly", "semiannual",
                                            "yearly", "irregular"}
        contact = desc["contact"]
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", contact["name"])
        assert re.fullmatch(r"0377-6\d{7}", contact["phone"])
        assert re.fullmatch(r"[a-z]+@nanyang\.gov\.cn", contact["email"])
        for res in desc["resources"]:
            assert re.fullmatch(r"[a-z0-9][a-z0-9_-]*", res["name"])
            assert res["path"] == f"{res['name']}.csv" and res["format"] == "csv"
            assert "encoding" not in res and "hash" not in res and "bytes" not in res
    licenses = Counter(desc["licenses"][0]["name"] for _s, desc, *_ in demo)
    assert licenses.most_common(1)[0][0] == "CC-BY-4.0"


def test_open_access_mix(demo):
    counts = Counter(desc["open_access"] for _s, desc, *_ in demo)
    total = sum(counts.values())
    assert set(counts) == {"unconditional", "conditional", "closed"}
    assert 0.5 <= counts["unconditional"] / total <= 0.7
    assert 0.18 <= counts["conditional"] / total <= 0.32
    assert 0.1 <= counts["closed"] / total <= 0.2
    for _s, desc, *_ in demo:
        if desc["open_access"] == "unconditional":
            assert "open_access_basis" not in desc
        else:
            assert re.search(r"《[^》]+》第[一二三四五六七八九十百]+条", desc["open_access_basis"])


def test_pii_marking(demo):
    entities = Counter()
    personal = set()
    for src, desc, *_ in demo:
        for res in desc["resources"]:
            for f in res["schema"]["fields"]:
                if "pii" not in f:
                    assert "desensitize" not in f
                    continue
                entities[f["pii"]] += 1
                if f["pii"] not in ("CN_USCC", "CN_LANDLINE"):
                    personal.add(src.name)
                if desc["open_access"] == "unconditional":
                    assert f.get("desensitize") in {"drop", "mask", "hash", "generalize", "surrogate", "keep"}, \
                        f"{src.name}: {f['name']} lacks a desensitize decision"
                if f.get("desensitize") == "keep":
                    assert f["desensitize_basis"]
                if f["pii"] == "FREE_TEXT":
                    assert f["desensitize"] == "mask"
                if f["pii"] == "CN_USCC" and f.get("desensitize") == "keep":
                    assert f["desensitize_basis"].startswith("《")
    assert 10 <= len(personal) <= 18
    for entity in ("CN_ID_CARD", "CN_USCC", "CN_MOBILE", "CN_LANDLINE", "CN_BANK_CARD", "CN_LICENSE_PLATE",
                   "EMAIL_ADDRESS", "PERSON", "ADDRESS", "FREE_TEXT"):
        assert entities[entity], entity


def test_values_match_types_and_identifiers(demo):
    checks = {"CN_ID_CARD": valid_id_card, "CN_USCC": valid_uscc, "CN_BANK_CARD": valid_luhn,
              "CN_MOBILE": MOBILE_RE.fullmatch, "CN_LICENSE_PLATE": PLATE_RE.fullmatch,
              "CN_LANDLINE": LANDLINE_RE.fullmatch, "EMAIL_ADDRESS": EMAIL_RE.fullmatch}
    seen = Counter()
    for src, desc, rows, _enc in demo:
        for res in desc["resources"]:
            data = rows[res["name"]]
            assert data, f"{src.name}/{res['name']} is empty"
            for f in res["schema"]["fields"]:
                values = [r[f["name"]] for r in data]
                for v in values:
                    if v == "":
                        assert f["type"] == "string", f"{src.name}: empty {f['type']} in {f['name']}"
                        continue
                    assert conforms(v, f["type"]), f"{src.name}: {f['name']}={v!r} is not {f['type']}"
                    check = checks.get(f.get("pii"))
                    if check is not None:
                        assert check(v), f"{src.name}: invalid {f['pii']} {v!r} in {f['name']}"
                        seen[f["pii"]] += 1
                if f["name"] == "邮政编码":
                    assert all(473000 <= int(v) <= 474700 for v in values)
                if f["name"] == "经度":
                    assert all(110.5 <= float(v) <= 114.0 for v in values)
                if f["name"] == "纬度":
                    assert all(31.8 <= float(v) <= 34.0 for v in values)
                if f["type"] == "datetime":
                    assert all("2019-01-01" <= v <= "2026-10-31T23:59:59" for v in values)
    assert all(seen[e] for e in checks), seen


def test_free_text_mentions_people(demo):
    texts = [r[f["name"]] for _s, desc, rows, _e in demo for res in desc["resources"]
             for f in res["schema"]["fields"] if f.get("pii") == "FREE_TEXT" for r in rows[res["name"]]]
    with_phone = [t for t in texts if re.search(r"1[3-9]\d[- ]?\d{4}[- ]?\d{4}", t)]
    assert with_phone and len(with_phone) < len(texts)


def test_row_counts(demo):
    for src, _desc, rows, _enc in demo:
        assert src.rows == sum(len(v) for v in rows.values())
        assert all(len(v) >= 20 for v in rows.values())


def test_encodings_and_resources(demo):
    gbk = [src.name for src, _d, _r, enc in demo if "gbk" in enc.values()]
    assert len(gbk) == 2
    for src, desc, _rows, _enc in demo:
        for res in desc["resources"]:
            raw = (src.path / res["path"]).read_bytes()
            assert not raw.startswith(b"\xef\xbb\xbf")
            if src.name in gbk:
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
                assert "，" in raw.decode("gbk") or "市" in raw.decode("gbk")
    multi = [desc["name"] for _s, desc, *_ in demo if len(desc["resources"]) > 1]
    assert len(multi) == 1 and len(next(d for _s, d, *_ in demo if d["name"] == multi[0])["resources"]) == 2


def test_pharmacies(demo):
    src, desc, rows, _enc = next(t for t in demo if t[0].name == "nanyang-licensed-pharmacies")
    assert src.department == "南阳市市场监督管理局"
    assert "药店" in desc["title"] or "药品零售" in desc["title"]
    assert {"药店", "药品", "零售"} <= set(desc["keywords"])
    fields = {f["name"]: f for f in desc["resources"][0]["schema"]["fields"]}
    assert fields["法定代表人"]["pii"] == "PERSON" and fields["法定代表人"]["desensitize"] == "mask"
    districts = {r["所属区县"] for r in rows["pharmacies"]}
    assert districts <= {"宛城区", "卧龙区", "南召县", "方城县", "西峡县", "镇平县", "内乡县", "淅川县", "社旗县", "唐河县",
                         "新野县", "桐柏县", "邓州市"}


def test_identifier_helpers():
    rng = random.Random(11)
    for _ in range(2000):
        region = rng.choice(("411302", "411303", "411321", "411330", "411381"))
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        card = ids.cn_id_card(rng, region, born)
        assert valid_id_card(card) and card[:6] == region and card[6:14] == born.strftime("%Y%m%d")
        assert ids.id_check_digit(card[:17]) == card[17]
        code = ids.uscc(rng, rng.choice(("91", "92", "93", "51", "N2", "Y1")), "411300")
        assert valid_uscc(code) and ids.uscc_check_char(code[:17]) == code[17]
        length = rng.randint(16, 19)
        card_no = ids.luhn_complete(rng, "62", length)
        assert len(card_no) == length and card_no.startswith("62") and valid_luhn(card_no)
        assert MOBILE_RE.fullmatch(ids.mobile(rng))
        assert PLATE_RE.fullmatch(ids.plate(rng)) and len(ids.plate(rng)) == 7
        ev = ids.plate(rng, new_energy=True)
        assert PLATE_RE.fullmatch(ev) and len(ev) == 8
    assert ids.id_check_digit("11010519491231002") == "X"  # the standard's worked example
    assert valid_uscc("91350100M000100Y43")


def test_identifier_variety():
    rng = random.Random(3)
    cards = [ids.cn_id_card(rng) for _ in range(3000)]
    assert any(c.endswith("X") for c in cards)
    assert {c[:6] for c in cards} <= set(ids.NANYANG_REGION_CODES)
    prefixes = {ids.mobile(rng)[:2] for _ in range(3000)}
    assert {"13", "15", "16", "17", "18", "19"} <= prefixes


def test_no_web_or_db_imports():
    """portal.demo stays usable without the app: stdlib, faker and the pure identifier helpers."""
    import portal.demo

    package = Path(portal.demo.__file__).parent
    for path in package.glob("*.py"):
        for line in path.read_text("utf-8").splitlines():
            m = re.match(r"\s*(?:from|import)\s+([A-Za-z_][\w.]*)", line)
            if m and not m.group(1).startswith("."):
                assert m.group(1).split(".")[0] in {"__future__", "csv", "io", "json", "math", "random", "re",
                                                    "dataclasses", "datetime", "itertools", "pathlib", "typing",
                                                    "collections", "faker", "anonymization"}, f"{path.name}: {line.strip()}"
