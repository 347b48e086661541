"""Quality benchmark of the desensitization stage's detection (run: .venv/bin/python bench/quality.py).

Prints, per entity:

- cells: whole-value checks (validators.VALUE_CHECKS) on the labelled cells of corpus.cells().
  Precision counts as false positives the entity's own hard negatives *and* every other
  entity's positives (an ID number reported as a bank card is a false positive of CN_BANK_CARD);
- text: find_entities on corpus.sentences(), span level, exact (entity, start, end) match;
- columns: classify_column on corpus.columns(), column level;

then the false positives on numeric non-personal columns, free-text detection of prose columns,
and the mean time per sentence of find_entities vs AnalyzerEngine.analyze on 500 sentences.
Options: --quick (smaller corpus), --errors ENTITY (print misses and false alarms).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from anonymization.classifier import classify_column  # noqa: E402
from anonymization.recognizers import (  # noqa: E402
    ENTITIES,
    build_analyzer,
    find_entities,
    resolve_overlaps,  # noqa: E402
)
from anonymization.validators import VALUE_CHECKS  # noqa: E402

GOALS = {e: (0.999, 0.995) for e in ("CN_ID_CARD", "CN_USCC", "CN_BANK_CARD", "CN_MOBILE", "EMAIL_ADDRESS")}
NAME_GOAL = (0.95, 0.90)


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def cell_scores(cells, errors=None):
    out = {}
    for e in ENTITIES:
        check = VALUE_CHECKS[e]
        pos, neg = cells[e]
        misses = [v for v in pos if not check(v)]
        false = [v for v in neg if check(v)] + [v for o in ENTITIES if o != e for v in cells[o][0] if check(v)]
        if errors == e:
            print(f"cell misses {e}: {misses[:40]}\ncell false alarms {e}: {false[:40]}")
        out[e] = (len(pos) - len(misses), len(false), len(misses))
    return out


def text_scores(sentences, errors=None):
    counts = {e: [0, 0, 0] for e in ENTITIES}
    for text, gold in sentences:
        gold_set = set(gold)
        pred = {(s.entity, s.start, s.end) for s in find_entities(text)}
        for item in pred | gold_set:
            c = counts[item[0]]
            if item in pred and item in gold_set:
                c[0] += 1
            elif item in pred:
                c[1] += 1
            else:
                c[2] += 1
        if errors and pred != gold_set and any(i[0] == errors for i in pred ^ gold_set):
            print("text", errors, text, "| missed:", [text[s:t] for x, s, t in gold_set - pred if x == errors],
                  "| false:", [text[s:t] for x, s, t in pred - gold_set if x == errors])
    return counts


def column_scores(columns, errors=None):
    counts = {e: [0, 0, 0] for e in ENTITIES}
    numeric_fp, prose, prose_hit, free_fp, kinds = 0, 0, 0, 0, Counter()
    for header, values, expected, free_expected, kind in columns:
        got = classify_column(header, values)
        kinds[kind] += 1
        if got.entity == expected and expected:
            counts[expected][0] += 1
        else:
            if got.entity:
                counts[got.entity][1] += 1
            if expected:
                counts[expected][2] += 1
            if errors and errors in (got.entity, expected):
                print(f"column {header!r} ({kind}) expected {expected} got {got}: {values[:5]}")
        numeric_fp += kind == "numeric" and got.entity is not None
        prose += free_expected
        prose_hit += free_expected and got.free_text
        free_fp += got.free_text and not free_expected
    return counts, numeric_fp, (prose_hit, prose, free_fp), kinds


def speed(texts, repeat=3):
    """Mean µs per sentence, find_entities (best of ``repeat``) vs AnalyzerEngine.analyze."""
    analyzer = build_analyzer()
    for t in texts[:50]:  # warm up both paths
        find_entities(t)
        analyzer.analyze(t, language="zh")
    fast = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            find_entities(t)
        fast = min(fast, (time.perf_counter() - t0) / len(texts) * 1e6)
    t0 = time.perf_counter()
    for t in texts:
        analyzer.analyze(t, language="zh")
    full = (time.perf_counter() - t0) / len(texts) * 1e6
    agree = sum({(s.entity, s.start, s.end) for s in find_entities(t)}
                == {(r.entity_type, r.start, r.end) for r in resolve_overlaps(analyzer.analyze(t, language="zh"))}
                for t in texts)
    return fast, full, agree


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--errors", metavar="ENTITY")
    args = ap.parse_args(argv)
    scale = 4 if args.quick else 1
    t0 = time.perf_counter()
    cells = corpus.cells(2000 // scale)
    sentences = corpus.sentences(1500 // scale, 600 // scale, 1200 // scale)
    columns = corpus.columns()
    print(f"corpus: {sum(len(p) + len(n) for p, n in cells.values())} cells, {len(sentences)} sentences "
          f"({sum(len(g) for _, g in sentences)} labelled spans), {len(columns)} columns "
          f"[{time.perf_counter() - t0:.1f}s]\n")
    cs = cell_scores(cells, args.errors)
    ts = text_scores(sentences, args.errors)
    col, numeric_fp, (prose_hit, prose, free_fp), kinds = column_scores(columns, args.errors)
    print(f"{'entity':<17}{'cells P':>9}{'cells R':>9}{'  n+/n-':>12}{'text P':>9}{'text R':>9}{'spans':>7}"
          f"{'cols P':>9}{'cols R':>9}{'cols':>6}  goal")
    failed = []
    for e in ENTITIES:
        cp, cr = _pr(*cs[e])
        tp, tr = _pr(*ts[e])
        kp, kr = _pr(*col[e])
        goal = ""
        if e in GOALS:
            ok = cr >= GOALS[e][0] and cp >= GOALS[e][1]
            goal = "cells R≥99.9% P≥99.5%: " + ("met" if ok else "NOT MET")
        elif e == "PERSON":
            ok = tr >= NAME_GOAL[0] and tp >= NAME_GOAL[1]
            goal = "text R≥95% P≥90%: " + ("met" if ok else "NOT MET")
        else:
            ok = True
        if not ok:
            failed.append(e)
        n_cells = f"{len(cells[e][0])}/{len(cells[e][1])}"
        print(f"{e:<17}{cp:>9.2%}{cr:>9.2%}{n_cells:>12}{tp:>9.2%}{tr:>9.2%}{ts[e][0] + ts[e][2]:>7}"
              f"{kp:>9.2%}{kr:>9.2%}{col[e][0] + col[e][2]:>6}  {goal}")
    print(f"\ncolumn kinds: {dict(kinds)}")
    print(f"false positives on numeric non-personal columns: {numeric_fp} of {kinds['numeric']} (goal 0)")
    print(f"prose columns flagged free_text: {prose_hit}/{prose}; other columns flagged free_text: {free_fp}")
    print()
    plain = [t for t, _ in sentences]
    typical = [t for t in plain if 30 <= len(t) <= 80][:500]
    pairs = [a + b for a, b in zip(plain[::2], plain[1::2], strict=False) if 30 <= len(a + b) <= 80][:500]
    for label, texts in (("30-80 chars", typical), ("any length", plain[:500]),
                         ("30-80 chars made of two sentences", pairs)):
        fast, full, agree = speed(texts)
        print(f"speed, {len(texts)} sentences of {label} (mean {sum(map(len, texts)) / len(texts):.0f} chars): "
              f"find_entities {fast:.1f} µs, AnalyzerEngine.analyze {full:.1f} µs per sentence "
              f"({full / fast:.1f}x); identical spans on {agree}/{len(texts)}")
    if numeric_fp:
        failed.append("numeric columns")
    print("\nall goals met" if not failed else f"\ngoals not met: {', '.join(failed)}")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
