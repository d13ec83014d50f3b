#!/usr/bin/env bash
# The data-check figures of benchmarks/README.md, printed: counts on BANKING77 and CLINC150 (train against test),
# the time of `peftops data check` on BANKING77's 10,003 training rows, and recall and precision of each check on
# a copy of adapters/support-intents with seeded errors placed in it (inject.py, scored by score.py).
#   benchmarks/data-checks/run.sh                 # datasets from ../shared/datasets beside the checkout
#   DATASETS=/path/to/datasets benchmarks/data-checks/run.sh
#   BANKING77_DTYPES="float32 bf16" (default: both, timed one after the other) CLINC150=0 (skips CLINC150)
set -euo pipefail
cd "$(dirname "$0")/../.."
DATASETS=${DATASETS:-../shared/datasets}
OUT=artifacts/data-checks-bench
PEFTOPS=(dotnet src/PeftOps.Cli/bin/Release/net10.0/peftops.dll)
dotnet build src/PeftOps.Cli -c Release -v q -nologo > /dev/null
rm -rf "$OUT" && mkdir -p "$OUT"

if [ -d "$DATASETS/banking77" ] && [ -d "$DATASETS/clinc150" ]; then
  D=$(realpath "$DATASETS")
  export PEFTOPS_DATA_ROOTS=$D
  # the specs name ../../../shared/datasets; --set points them at $DATASETS wherever the checkout is
  for DTYPE in ${BANKING77_DTYPES:-float32 bf16}; do
    # data_checks.dtype: the encoder's dtype (bf16 where libtorch runs bfloat16 matmuls natively)
    echo "== BANKING77, data_checks.dtype=$DTYPE (load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
    /usr/bin/time -f "time: %e s wall, %U s user, %M kB peak" "${PEFTOPS[@]}" data check benchmarks/banking77 --out "$OUT/banking77-$DTYPE" \
      --set "data.train=$D/banking77/train.csv" --set "evaluation.target[0].data=$D/banking77/test.csv" \
      --set "evaluation.non_target[0].data=$D/stsb/sts-test.open.tsv" --set "data_checks.dtype=$DTYPE" > "$OUT/banking77-$DTYPE.log" 2>&1 \
      || { cat "$OUT/banking77-$DTYPE.log"; exit 1; }
    grep -E "^(read|embedded|near duplicates|label errors|time:)" "$OUT/banking77-$DTYPE.log" || true
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 benchmarks/data-checks/score.py counts "$OUT/banking77-$DTYPE/data.json"
  done
  if [ "${CLINC150:-1}" = 1 ]; then   # CLINC150=0: BANKING77 only (CLINC150 embeds 20,598 texts)
    echo "== CLINC150"
    J="$D/clinc150/data_full.json"
    /usr/bin/time -f "time: %e s wall, %U s user, %M kB peak" "${PEFTOPS[@]}" data check benchmarks/clinc150 --out "$OUT/clinc150" \
      --set "data.train=$J#train" --set "data.validation=$J#val" --set "scope.out_of_scope.data=$J#oos_train" \
      --set "scope.out_of_scope.validation=$J#oos_val" --set "evaluation.target[0].data=$J#test" \
      --set "evaluation.non_target[0].data=$J#oos_test" --set "evaluation.non_target[1].data=$D/stsb/sts-test.open.tsv" > /dev/null
    python3 benchmarks/data-checks/score.py counts "$OUT/clinc150/data.json"
  fi
else
  echo "skipped BANKING77 and CLINC150: $DATASETS/banking77 or $DATASETS/clinc150 not found (set DATASETS)"
fi

echo "== support-intents with placed errors"
python3 benchmarks/data-checks/inject.py adapters/support-intents "$OUT/injected/support-intents"
/usr/bin/time -f "time: %e s wall, %U s user" "${PEFTOPS[@]}" data check "$OUT/injected/support-intents" --out "$OUT/injected/check" > /dev/null
python3 benchmarks/data-checks/score.py recall "$OUT/injected/support-intents/truth.json" "$OUT/injected/check/data.json"
