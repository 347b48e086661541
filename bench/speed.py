"""Speed of the desensitization stage against per-cell Presidio, on the same generated file.

    .venv/bin/python bench/speed.py [--rows 1000000] [--peer-rows 2000]

Generates an N-row × 8-column CSV (4 personal columns, 1 free-text column filled in 10% of the
rows, 3 ordinary columns), runs `portal desensitize` on it as a separate process (wall time, rows/s,
peak RSS), then runs Presidio's BatchAnalyzerEngine + AnonymizerEngine per cell with the same
recognizers on the first `--peer-rows` rows and scales that to N. Prints both and the ratio.
"""

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from anonymization.identifiers import cn_id_card, luhn_complete, mobile  # noqa: E402

HEADER = ["姓名", "公民身份号码", "手机号码", "银行卡号", "投诉内容", "所在区县", "金额", "登记日期"]
POLICY = {"姓名": {"pii": "PERSON", "desensitize": "mask"}, "公民身份号码": {"pii": "CN_ID_CARD", "desensitize": "hash"},
          "手机号码": {"pii": "CN_MOBILE", "desensitize": "mask"}, "银行卡号": {"pii": "CN_BANK_CARD", "desensitize": "mask"},
          "投诉内容": {"pii": "FREE_TEXT", "desensitize": "mask"}}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰建华建国志强海燕红梅文博子轩浩然欣怡梓涵雨萱"
DISTRICTS = ["宛城区", "卧龙区", "南召县", "方城县", "西峡县", "镇平县", "内乡县", "淅川县", "社旗县", "唐河县", "新野县", "桐柏县", "邓州市"]
TEMPLATES = ["{name}反映在{district}某药店购买的药品已过期，要求退款，联系电话{phone}。",
             "投诉人{name}称物业服务不到位，小区路灯损坏两周无人维修。",
             "{district}居民来电，反映噪声扰民，夜间施工影响休息，请尽快处理。",
             "消费者{name}（电话{phone}）反映网购商品与宣传不符，商家拒绝退货。",
             "反映{district}某餐馆卫生条件差，后厨有老鼠，希望加强检查。"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    names = [rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))) for _ in range(20000)]
    ids = [cn_id_card(rng) for _ in range(50000)]
    phones = [mobile(rng) for _ in range(50000)]
    cards = [luhn_complete(rng, rng.choice(("622202", "621700", "436742")), rng.choice((16, 19))) for _ in range(50000)]
    texts = [rng.choice(TEMPLATES).format(name=rng.choice(names), district=rng.choice(DISTRICTS), phone=rng.choice(phones))
             for _ in range(30000)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow([names[rng.randrange(20000)], ids[rng.randrange(50000)], phones[rng.randrange(50000)],
                             cards[rng.randrange(50000)], texts[rng.randrange(30000)] if rng.random() < 0.1 else "",
                             DISTRICTS[i % 13], f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}",
                             f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])


def run_ours(src: Path, out: Path, policy: Path, report: Path) -> tuple[float, int]:
    portal = Path(sys.executable).with_name("portal")
    started = time.perf_counter()
    subprocess.run([str(portal), "desensitize", str(src), str(out), "--policy", str(policy), "--report", str(report),
                    "--open-access", "unconditional", "--key", "bench-key"], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb


def run_peer(src: Path, rows: int) -> float:
    """Per-cell Presidio: analyze every cell of every column, then anonymize the hits."""
    from presidio_analyzer import BatchAnalyzerEngine
    from presidio_anonymizer import AnonymizerEngine

    from anonymization.recognizers import build_analyzer

    with open(src, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        sample = [row for _, row in zip(range(rows), reader, strict=False)]
    columns = {name: [row[i] for row in sample] for i, name in enumerate(header)}
    batch = BatchAnalyzerEngine(analyzer_engine=build_analyzer())
    anonymizer = AnonymizerEngine()
    started = time.perf_counter()
    for result in batch.analyze_dict(columns, language="zh"):
        for value, found in zip(result.value, result.recognizer_results, strict=True):
            if found:
                anonymizer.anonymize(text=value, analyzer_results=found)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--peer-rows", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-speed-") as tmp:
        tmp = Path(tmp)
        src, policy = tmp / "input.csv", tmp / "policy.json"
        started = time.perf_counter()
        generate(src, args.rows)
        print(f"generated {args.rows:,} rows × {len(HEADER)} columns ({src.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - started:.1f} s")
        policy.write_text(json.dumps(POLICY, ensure_ascii=False), encoding="utf-8")
        seconds, peak_kb = run_ours(src, tmp / "out.csv", policy, tmp / "report.json")
        report = json.loads((tmp / "report.json").read_text(encoding="utf-8"))
        ours_rate = args.rows / seconds
        print(f"ours  portal desensitize: {seconds:.1f} s, {ours_rate:,.0f} rows/s, peak RSS {peak_kb / 1024:.0f} MB")
        for column in report["resources"][0]["columns"]:
            print(f"      {column['name']:<8} {column['entity']:<12} {column['operator']:<9} "
                  f"changed {column['cells_changed']:>9,}  spans {column['spans']}")
        peer_seconds = run_peer(src, args.peer_rows)
        peer_rate = args.peer_rows / peer_seconds
        print(f"peer  presidio per cell:  {peer_seconds:.1f} s for {args.peer_rows:,} rows = {peer_rate:,.0f} rows/s, "
              f"{args.rows / peer_rate:,.0f} s scaled to {args.rows:,} rows")
        print(f"ratio ours/peer throughput: {ours_rate / peer_rate:.1f}×")


if __name__ == "__main__":
    main()
