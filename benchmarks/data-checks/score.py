"""Prints figures from a data.json (peftops.data/v1, docs/data-json.md).

  python3 score.py counts DATA_JSON            every check's count, and exact and near duplicates by split pair
  python3 score.py recall TRUTH_JSON DATA_JSON recall and precision of each check against inject.py's truth.json
"""
import json
import sys
from collections import Counter


def counts(data):
    for check in data["checks"]:
        print(f"  {check['name']}: {check['count'] if check['status'] != 'not-run' else 'not run: ' + check['reason']}")
    pairs = Counter(" + ".join(sorted({row["split"] for row in g["rows"]})) + f" ({g['kind']})" for g in data["duplicates"])
    for pair, n in sorted(pairs.items()):
        print(f"  exact-duplicate groups {pair}: {n}")
    near = Counter(f"{p['train']['split']} ~ {p['evaluation']['split']}" for p in data["near_duplicates"])
    for pair, n in sorted(near.items()):
        print(f"  near-duplicate pairs {pair}: {n}")
    for split in data["imbalance"]:
        print(f"  {split['split']}: imbalance {split['ratio']:.2f} ({split['largest']} {split['largest_count']}, {split['smallest']} {split['smallest_count']})")


def figure(name, found, truth):
    hit = len(found & truth)
    recall = hit / len(truth) if truth else float("nan")
    precision = hit / len(found) if found else float("nan")
    print(f"  {name}: placed {len(truth)}, reported {len(found)}, found {hit}: recall {recall:.3f}, precision {precision:.3f}")


def recall(truth, data):
    eval_split = [s["name"] for s in data["splits"] if s["role"] == "evaluation" and s["labels"]][0]
    leaked = {r["line"] for g in data["duplicates"] if g["kind"] == "leakage" for r in g["rows"] if r["split"] == eval_split}
    figure("leaked test rows", leaked, set(truth["leaked_test_lines"]))
    copies = {c["copy_line"] for c in truth["conflicts"]}
    groups = [{r["line"] for r in g["rows"] if r["split"] == "train"} for g in data["conflicts"]]
    found = {line for g in groups for line in g & copies}
    print(f"  conflicting pairs: placed {len(copies)}, groups reported {len(groups)}, found {len(found)}: recall {len(found) / len(copies):.3f}, "
          f"precision {sum(1 for g in groups if g & copies) / max(1, len(groups)):.3f}")
    flagged = {e["row"]["line"] for e in data["label_errors"] if e["row"]["split"] == "train"}
    flipped = set(truth["flipped_lines"])
    figure("flipped labels (label_errors)", flagged, flipped)
    wrong = flipped | copies
    print(f"  label_errors precision counting the conflicting copies' wrong labels too: {len(flagged & wrong) / max(1, len(flagged)):.3f}")


data = json.load(open(sys.argv[-1], encoding="utf-8"))
counts(data) if sys.argv[1] == "counts" else recall(json.load(open(sys.argv[2], encoding="utf-8")), data)
