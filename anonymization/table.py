"""Desensitize a CSV column-wise, in chunks, so memory stays bounded whatever the file size.

Structured columns go through one operator for the whole column (with a per-chunk memo, since
real columns repeat values); free-text columns go cell by cell through the recognizers and
Presidio's anonymizer, each distinct text once per chunk.
"""

import csv
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .operators import Pseudonymizer, generalize, mask
from .policy import ColumnPlan

CHUNK_ROWS = 50_000
SAMPLES = 3


@dataclass
class ColumnStats:
    cells: int = 0
    changed: int = 0
    spans: Counter = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)


def read_sample(path: Path, rows: int = 1000) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        return header, [row for _, row in zip(range(rows), reader, strict=False)]


def chunks(reader, width: int, size: int) -> Iterator[list[list[str]]]:
    chunk: list[list[str]] = []
    for row in reader:
        if len(row) != width:
            row = (row + [""] * width)[:width]
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def desensitize_csv(src: Path, dst: Path, plans: list[ColumnPlan], pseudonymizer: Pseudonymizer,
                    chunk_rows: int = CHUNK_ROWS, on_chunk: Callable[[int, int], None] | None = None
                    ) -> dict[str, ColumnStats]:
    """Write the desensitized copy of `src` to `dst`. `on_chunk(chunk_index, rows_done)` reports
    progress; at most `chunk_rows` rows are held in memory at a time."""
    by_name = {p.name: p for p in plans}
    stats = {p.name: ColumnStats() for p in plans}
    with open(src, encoding="utf-8", newline="") as fin, open(dst, "w", encoding="utf-8", newline="") as fout:
        reader = csv.reader(fin)
        header = next(reader, [])
        plan_of = [by_name.get(name) for name in header]
        keep = [i for i, plan in enumerate(plan_of) if plan is None or plan.operator != "drop"]
        transforms = {i: column_transform(plan, pseudonymizer) for i, plan in enumerate(plan_of)
                      if plan is not None and plan.changes_values}
        writer = csv.writer(fout, lineterminator="\n")
        writer.writerow([header[i] for i in keep])
        done = 0
        for index, chunk in enumerate(chunks(reader, len(header), chunk_rows)):
            columns = list(zip(*chunk, strict=True))
            del chunk
            for i, transform in transforms.items():
                columns[i] = _apply(transform, columns[i], stats[header[i]])
            for i, plan in enumerate(plan_of):
                if plan is not None and i not in transforms:
                    stats[plan.name].cells += len(columns[i])
            writer.writerows(zip(*(columns[i] for i in keep), strict=True))
            done += len(columns[0]) if columns else 0
            if on_chunk:
                on_chunk(index, done)
    return stats


def _apply(transform, column: tuple, stats: ColumnStats) -> list[str]:
    memo: dict[str, str] = {}
    out = []
    for value in column:
        if value == "":
            out.append(value)
            continue
        new = memo.get(value)
        if new is None:
            new = memo[value] = transform(value, stats)
        out.append(new)
    stats.cells += len(column)
    changed = sum(1 for old, new in zip(column, out, strict=True) if old != new)
    stats.changed += changed
    if len(stats.samples) < SAMPLES and changed:
        for old, new in zip(column, out, strict=True):
            if old != new and new not in stats.samples:
                stats.samples.append(new)
                if len(stats.samples) >= SAMPLES:
                    break
    return out


def column_transform(plan: ColumnPlan, pseudonymizer: Pseudonymizer) -> Callable[[str, ColumnStats], str]:
    entity, operator = plan.entity or "OTHER", plan.operator
    if entity == "FREE_TEXT":
        from .freetext import anonymize_text

        return lambda value, stats: anonymize_text(value, operator, pseudonymizer, stats.spans)
    simple = {
        "mask": lambda v: mask(entity, v),
        "hash": lambda v: pseudonymizer.hash(entity, v),
        "generalize": lambda v: generalize(entity, v),
        "surrogate": lambda v: pseudonymizer.surrogate(entity, v),
    }[operator]
    return lambda value, stats: simple(value)
