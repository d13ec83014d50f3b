#!/usr/bin/env bash
# Speed and size, in one run on one machine (figures in benchmarks/README.md):
#   1. peftops bench: the training step against a plain TorchSharp loop (32x32 and 256x64), prediction, sizing table;
#   2. a decoder with Qwen2.5-0.5B's published shapes (model synth, random weights, ~2 GB in float32) and
#      LoRA r 16 on every projection: load time, resident memory, step time, the peak-memory account;
#   3. the same decoder at batch 2 x 256 without and with activation checkpointing (training.gradient_checkpointing).
# Usage: benchmarks/speed/run.sh [DEVICE]   (DEVICE: cpu (default) or cuda, with PEFTOPS_LIBTORCH set)
set -euo pipefail
cd "$(dirname "$0")/../.."
device="${1:-cpu}"
out="artifacts/bench"
mkdir -p "$out"
dotnet build src/PeftOps.Cli -c Release -nologo -v quiet
peftops() { dotnet src/PeftOps.Cli/bin/Release/net10.0/peftops.dll "$@"; }

peftops bench --device "$device" --json "$out/bench.json"

checkpoint="$out/qwen2.5-0.5b"
[ -d "$checkpoint" ] || peftops model synth qwen2.5-0.5b --out "$checkpoint"
peftops bench --model "$checkpoint" --device "$device" --batch 1 --tokens 128 --steps 3 --warmup 1 --json "$out/qwen2.5-0.5b.json"
# activation checkpointing: the same steps with and without it, at a size where activations dominate
for gc in off on; do
  flag=(); [ "$gc" = on ] && flag=(--gradient-checkpointing)
  peftops bench --model "$checkpoint" --device "$device" --batch 2 --tokens 256 --steps 2 --warmup 1 "${flag[@]}" --json "$out/qwen2.5-0.5b-2x256-checkpointing-$gc.json"
done
