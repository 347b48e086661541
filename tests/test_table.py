"""The column-wise table stage: transforms, drop, stats, and memory bounded by chunks."""

import csv
import tracemalloc

from anonymization.operators import Pseudonymizer
from anonymization.policy import ColumnPlan
from anonymization.table import desensitize_csv

PLANS = [ColumnPlan("姓名", "PERSON", "mask", "declared"), ColumnPlan("手机", "CN_MOBILE", "hash", "declared"),
         ColumnPlan("身份证号", "CN_ID_CARD", "drop", "declared"), ColumnPlan("金额", None, "none", "none")]


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "手机", "身份证号", "金额"])
        writer.writerows(rows)


def rows(n):
    return ([f"张{'三四五六七'[i % 5]}{i % 10}", f"138{i:08d}", f"41130219850312{i % 1000:03d}X", f"{i}.50"]
            for i in range(n))


def test_transforms_drop_and_stats(tmp_path):
    write(tmp_path / "in.csv", rows(10))
    stats = desensitize_csv(tmp_path / "in.csv", tmp_path / "out.csv", PLANS, Pseudonymizer("k"))
    with open(tmp_path / "out.csv", encoding="utf-8") as fh:
        out = list(csv.reader(fh))
    assert out[0] == ["姓名", "手机", "金额"]
    assert out[1][0] == "张**" and len(out[1][1]) == 20 and out[1][2] == "0.50"
    assert not any("41130219850312" in cell for row in out for cell in row)
    assert stats["姓名"].changed == 10 and stats["手机"].changed == 10 and stats["金额"].changed == 0
    assert stats["姓名"].samples and all("*" in s for s in stats["姓名"].samples)


def test_empty_cells_and_short_rows_are_kept(tmp_path):
    (tmp_path / "in.csv").write_text("姓名,手机,身份证号,金额\n,13812345678\n李四,,,1\n", encoding="utf-8")
    desensitize_csv(tmp_path / "in.csv", tmp_path / "out.csv", PLANS, Pseudonymizer("k"))
    out = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert out[1].startswith(",") and out[2] == "李*,,1"


def test_large_file_is_processed_in_bounded_chunks(tmp_path):
    write(tmp_path / "big.csv", rows(30_000))
    calls = []

    def measure(chunk_rows):
        tracemalloc.start()
        desensitize_csv(tmp_path / "big.csv", tmp_path / f"out-{chunk_rows}.csv", PLANS, Pseudonymizer("k"),
                        chunk_rows=chunk_rows, on_chunk=lambda i, done: calls.append((chunk_rows, i, done)))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, whole = measure(1_000), measure(30_000)
    small_calls = [c for c in calls if c[0] == 1_000]
    assert len(small_calls) == 30 and small_calls[-1][2] == 30_000
    assert [c[2] for c in small_calls[:3]] == [1_000, 2_000, 3_000]
    assert small * 5 < whole  # memory follows the chunk, not the file
    assert (tmp_path / "out-1000.csv").read_bytes() == (tmp_path / "out-30000.csv").read_bytes()
