"""The table `side-by-side.sh` prints: PeftOps' step against Hugging Face PEFT's, per shape, over the interleaved rounds.

Usage: python3 benchmarks/speed/side_by_side_table.py FOLDER
FOLDER holds LABEL.rN.peftops.json (`peftops bench --json`, or `bench --model --json`) and LABEL.rN.hf.json
(`hf_step.py --json`), LABEL being `minilm-BxT` or `decoder-BxT`, N the round. Per shape: the median over rounds of
each side's median ms per step, the range of those round medians, and the ratio PeftOps / HF PEFT (below 1: PeftOps
is faster), with the range of the per-round ratios; then the floor PeftOps measured beside its step (the step's
unavoidable matrix products alone, `MatmulFloor`) and each side's step over it: half of HF PEFT's step is only
reachable where it is above the floor. Then the versions, the trainable parameter counts and the thread counts of both
sides; a different count of trainable parameters (decoders) or of threads is a warning and exit code 1.
"""
import glob
import json
import os
import re
import statistics
import sys

NAME = re.compile(r"^(?P<label>(?P<kind>minilm|decoder)-(?P<batch>\d+)x(?P<tokens>\d+))\.r(?P<round>\d+)\.(?P<side>peftops|hf)\.json$")


def peftops_step(document, kind):
    """PeftOps' median ms per step, the matrix-product floor beside it, and the runtime block of one `peftops bench` JSON document."""
    figures = document["training"][0] if kind == "minilm" else document
    return (figures["ours_ms"] if kind == "minilm" else figures["step_ms"]), figures["floor_ms"], document["runtime"]


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: side_by_side_table.py FOLDER (the JSON files side-by-side.sh wrote)")
    rounds = {}  # label -> round -> side -> document
    for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
        match = NAME.match(os.path.basename(path))
        if not match:
            continue
        with open(path) as f:
            rounds.setdefault(match["label"], {}).setdefault(int(match["round"]), {})[match["side"]] = json.load(f)
    if not rounds:
        sys.exit(f"{sys.argv[1]}: no LABEL.rN.peftops.json / LABEL.rN.hf.json files")

    print(f"{'training step':26}{'rounds':>7}{'PeftOps ms (range)':>28}{'HF PEFT ms (range)':>28}{'ratio (range)':>22}"
          f"{'floor ms':>12}{'PeftOps/floor':>15}{'HF/floor':>10}")
    runtimes, versions, threads, trainable = set(), set(), set(), {}
    for label in sorted(rounds, key=lambda l: (not l.startswith("minilm"), [int(n) for n in re.findall(r"\d+", l)])):
        kind, shape = label.split("-", 1)
        ours, theirs, ratios, floors = [], [], [], []
        for n, sides in sorted(rounds[label].items()):
            if set(sides) != {"peftops", "hf"}:
                sys.exit(f"{label} round {n}: only {', '.join(sides)} (a side failed; its output is above)")
            ms, floor, runtime = peftops_step(sides["peftops"], kind)
            hf = sides["hf"]
            ours.append(ms)
            floors.append(floor)
            theirs.append(hf["step_ms"])
            ratios.append(ms / hf["step_ms"])
            runtimes.add((runtime["torchsharp"], runtime["libtorch"], runtime["libtorch_source"]))
            versions.add(tuple(sorted(hf["versions"].items())))
            threads.add(("PeftOps", runtime["torch_threads"]))
            threads.add(("HF PEFT", hf["torch_threads"]))
            ours_trainable = sides["peftops"].get("adapter_parameters")  # decoders; StepBench's MiniLM count is in benchmarks/README.md
            trainable.setdefault(label, set()).add((ours_trainable, hf["trainable_parameters"]))
        name = ("MiniLM " if kind == "minilm" else "decoder ") + shape.replace("x", " x ")
        ratio = statistics.median(ours) / statistics.median(theirs)
        floor = statistics.median(floors)
        print(f"{name:26}{len(ours):>7}{span(ours):>28}{span(theirs):>28}"
              f"{f'{ratio:.2f} ({min(ratios):.2f}-{max(ratios):.2f})':>22}"
              f"{floor:>12,.1f}{statistics.median(ours) / floor:>15.2f}{statistics.median(theirs) / floor:>10.2f}")

    print()
    for torchsharp, libtorch, source in sorted(runtimes):
        print(f"PeftOps: TorchSharp {torchsharp}, libtorch {libtorch} ({source})")
    for v in sorted(versions):
        v = dict(v)
        print(f"HF PEFT: peft {v['peft']}, transformers {v['transformers']}, torch {v['torch']}, Python {v['python']}")
    print("trainable parameters: " + "; ".join(
        f"{label}: " + (f"PeftOps {ours:,}, " if ours is not None else "") + f"HF PEFT {hf:,}"
        for label, counts in sorted(trainable.items()) for ours, hf in sorted(counts, key=str)))
    if any(ours is not None and ours != hf for counts in trainable.values() for ours, hf in counts):
        print("warning: the two sides train different parameter counts, so they are not the same step", file=sys.stderr)
        sys.exit(1)
    counts = sorted({n for _, n in threads})
    print("torch threads: " + ", ".join(f"{side} {n}" for side, n in sorted(threads)))
    if len(counts) != 1:
        print("warning: the two sides did not run on the same number of threads", file=sys.stderr)
        sys.exit(1)


def span(values):
    """Median of the round medians, with their range."""
    return f"{statistics.median(values):,.1f} ({min(values):,.0f}-{max(values):,.0f})"


if __name__ == "__main__":
    main()
