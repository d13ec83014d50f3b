#!/usr/bin/env bash
# The data-check figures of benchmarks/README.md, printed: counts on BANKING77 and CLINC150 (train against test),
# the time of `peftops data check` on BANKING77's 10,003 training rows, and recall and precision of each check on
# a copy of adapters/support-intents with seeded errors placed in it (inject.py, scored by score.py).
#   benchmarks/data-checks/run.sh                 # datasets from ../shared/datasets beside the checkout
#   DATASETS=/path/to/datasets benchmarks/data-checks/run.sh
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
  echo "== BANKING77 (load average before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
  /usr/bin/time -f "time: %e s wall, %U s user, %M kB peak" "${PEFTOPS[@]}" data check benchmarks/banking77 --out "$OUT/banking77" \
    --set "data.train=$D/banking77/train.csv" --set "evaluation.target[0].data=$D/banking77/test.csv" \
    --set "evaluation.non_target[0].data=$D/stsb/sts-test.open.tsv" > /dev/null
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 benchmarks/data-checks/score.py counts "$OUT/banking77/data.json"
  echo "== CLINC150"
  J="$D/clinc150/data_full.json"
  /usr/bin/time -f "time: %e s wall, %U s user, %M kB peak" "${PEFTOPS[@]}" data check benchmarks/clinc150 --out "$OUT/clinc150" \
    --set "data.train=$J#train" --set "data.validation=$J#val" --set "scope.out_of_scope.data=$J#oos_train" \
    --set "scope.out_of_scope.validation=$J#oos_val" --set "evaluation.target[0].data=$J#test" \
    --set "evaluation.non_target[0].data=$J#oos_test" --set "evaluation.non_target[1].data=$D/stsb/sts-test.open.tsv" > /dev/null
  python3 benchmarks/data-checks/score.py counts "$OUT/clinc150/data.json"
else
  echo "skipped BANKING77 and CLINC150: $DATASETS/banking77 or $DATASETS/clinc150 not found (set DATASETS)"
fi

echo "== support-intents with placed errors"
python3 benchmarks/data-checks/inject.py adapters/support-intents "$OUT/injected/support-intents"
/usr/bin/time -f "time: %e s wall, %U s user" "${PEFTOPS[@]}" data check "$OUT/injected/support-intents" --out "$OUT/injected/check" > /dev/null
python3 benchmarks/data-checks/score.py recall "$OUT/injected/support-intents/truth.json" "$OUT/injected/check/data.json"
