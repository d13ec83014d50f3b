#!/usr/bin/env bash
# PeftOps' LoRA training step beside Hugging Face PEFT's, in one run on one machine (benchmarks/README.md, "Side by side
# with Hugging Face PEFT"). Rounds interleave the two: for each shape, `peftops bench` for that shape, then
# benchmarks/speed/hf_step.py for the same shape under ../shared/tools/hf-reference; then the table
# (benchmarks/speed/side_by_side_table.py): per shape, both medians, the ratio, the versions and the threads.
# Usage: benchmarks/speed/side-by-side.sh [ROUNDS]   (default 3)
# Environment (defaults in brackets):
#   SHAPES [32x32 256x64]         all-MiniLM-L6-v2 shapes, BATCHxTOKENS; STEPS [6], WARMUP [2] for them
#   DECODER [2x256]               the Qwen2.5-0.5B-shaped decoder (model synth), LoRA r 16 on every projection; "" skips it
#   DECODER_STEPS [2], DECODER_WARMUP [1]
#   CHECKPOINT [artifacts/bench/qwen2.5-0.5b]   the decoder folder; `model synth qwen2.5-0.5b` writes it when absent
#   DECODER_WEIGHTS [load]        HF side: load the synthetic checkpoint's weights, or `random` (its config.json only)
#   THREADS [2]                   OMP/OpenBLAS/MKL threads for both sides, and hf_step.py --threads
#   HF_REFERENCE [../shared/tools/hf-reference]   OUT [artifacts/bench/side-by-side]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
hf="${HF_REFERENCE:-../shared/tools/hf-reference}"
if [ ! -x "$hf/py" ]; then
  echo "side-by-side.sh: $hf/py not found: this comparison needs the Hugging Face reference environment (transformers + PEFT);" \
       "set HF_REFERENCE to its folder (see ../shared/tools/hf-reference/README.md)" >&2
  exit 5
fi
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "side-by-side.sh: ROUNDS must be a positive whole number (was '$rounds')" >&2; exit 2; }
shapes="${SHAPES-32x32 256x64}"
decoder="${DECODER-2x256}"
threads="${THREADS:-2}"
export OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
out="${OUT:-artifacts/bench/side-by-side}"
rm -rf "$out"
mkdir -p "$out"
dotnet build src/PeftOps.Cli -c Release -nologo -v quiet
peftops() { dotnet src/PeftOps.Cli/bin/Release/net10.0/peftops.dll "$@"; }
hf_step() { "$hf/py" benchmarks/speed/hf_step.py "$@" --threads "$threads"; }

checkpoint="${CHECKPOINT:-artifacts/bench/qwen2.5-0.5b}"
if [ -n "$decoder" ] && [ ! -d "$checkpoint" ]; then
  peftops model synth qwen2.5-0.5b --out "$checkpoint"
fi

for round in $(seq 1 "$rounds"); do
  for shape in $shapes; do
    echo "== round $round, MiniLM $shape: PeftOps, then HF PEFT"
    peftops bench --shapes "$shape" --steps "${STEPS:-6}" --warmup "${WARMUP:-2}" --examples 0 --scaling false \
      --json "$out/minilm-$shape.r$round.peftops.json"
    hf_step minilm --batch "${shape%x*}" --tokens "${shape#*x}" --steps "${STEPS:-6}" --warmup "${WARMUP:-2}" \
      --json "$out/minilm-$shape.r$round.hf.json" >/dev/null
  done
  if [ -n "$decoder" ]; then
    echo "== round $round, decoder $decoder: PeftOps, then HF PEFT"
    peftops bench --model "$checkpoint" --batch "${decoder%x*}" --tokens "${decoder#*x}" --rank 16 --new-tokens 0 \
      --steps "${DECODER_STEPS:-2}" --warmup "${DECODER_WARMUP:-1}" --json "$out/decoder-$decoder.r$round.peftops.json"
    hf_step "$checkpoint" --batch "${decoder%x*}" --tokens "${decoder#*x}" --rank 16 --weights "${DECODER_WEIGHTS:-load}" \
      --steps "${DECODER_STEPS:-2}" --warmup "${DECODER_WARMUP:-1}" --json "$out/decoder-$decoder.r$round.hf.json" >/dev/null
  fi
done

echo
echo "PeftOps against Hugging Face PEFT, $rounds interleaved rounds, $(nproc) cores, $threads threads each, $(date -u '+%Y-%m-%d %H:%M UTC')"
"$hf/py" benchmarks/speed/side_by_side_table.py "$out"
