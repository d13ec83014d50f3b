"""Copies an adapter folder and places seeded errors in its training data, recording where (truth.json):

  - 5% of the training rows get another label, drawn at random (flipped);
  - 10 test rows are appended to the training data (leaked): 5 verbatim, 5 with case and punctuation changed;
  - 8 training rows are appended again with another label and their case changed (conflicting pairs).

Usage: python3 inject.py ADAPTER_DIR OUT_DIR   (OUT_DIR's last part must be the adapter's name). Seed 23.
"""
import json
import random
import shutil
import sys

source, target = sys.argv[1], sys.argv[2]
shutil.copytree(source, target)
rng = random.Random(23)
read = lambda path: [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
train, test = read(f"{target}/data/train.jsonl"), read(f"{target}/data/test.jsonl")
labels = sorted({row["label"] for row in train})

flipped = sorted(rng.sample(range(len(train)), round(0.05 * len(train))))
for i in flipped:
    train[i]["label"] = rng.choice([label for label in labels if label != train[i]["label"]])

leaked = sorted(rng.sample(range(len(test)), 10))
for n, i in enumerate(leaked):
    text = test[i]["text"] if n % 2 == 0 else test[i]["text"].upper().rstrip(".?!") + " !"
    train.append({"text": text, "label": test[i]["label"]})

kept = [i for i in range(len(train) - len(leaked)) if i not in set(flipped)]
conflicts = []
for i in sorted(rng.sample(kept, 8)):
    train.append({"text": train[i]["text"].lower(), "label": rng.choice([label for label in labels if label != train[i]["label"]])})
    conflicts.append({"original_line": i + 1, "copy_line": len(train)})

with open(f"{target}/data/train.jsonl", "w", encoding="utf-8") as f:
    f.writelines(json.dumps(row) + "\n" for row in train)
with open(f"{target}/truth.json", "w", encoding="utf-8") as f:
    json.dump({"flipped_lines": [i + 1 for i in flipped], "leaked_test_lines": [i + 1 for i in leaked], "conflicts": conflicts}, f, indent=2)
print(f"placed: {len(flipped)} flipped labels, {len(leaked)} leaked test rows, {len(conflicts)} conflicting pairs in {len(train)} training rows")
