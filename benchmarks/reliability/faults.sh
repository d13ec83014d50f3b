#!/usr/bin/env bash
# The registry's fault matrix, as a benchmark rather than a test: every step of release (with and without a plain
# request tag on origin), promote, rollback, unassign, deregister and deprecate is killed with SIGKILL
# (PEFTOPS_FAULT=COMMAND:STEP, docs/cli.md), then the same command is run again. A fault counts as recovered when the
# killed run died of SIGKILL, the rerun exits 0, the clone and the bare origin hold the same tags, no pending record is
# left and `registry verify` passes for every version. Every command runs with a planted storage connection string;
# its key must appear in no stdout or stderr.
#
#   dotnet build src/PeftOps.Cli -c Release && benchmarks/reliability/faults.sh
#
# Trains adapters/support-intents once (1 epoch) on a folder store with a bare origin in a temp folder; RUN_DIR=PATH
# reuses a gated run folder of support-intents instead.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/src/PeftOps.Cli/bin/Release/net10.0/peftops.dll"
[ -f "$cli" ] || { echo "faults.sh: $cli is missing; run: dotnet build src/PeftOps.Cli -c Release" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/peftops-faults.XXXXXX")
trap 'rm -rf "$work"' EXIT
planted="PlantedKey$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')=="
export PEFTOPS_AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=https;AccountName=planted;AccountKey=$planted;EndpointSuffix=core.windows.net"
export GITHUB_ACTIONS=""
mkdir -p "$work/outputs"
runs=0 tried=0 recovered=0 last=0

# peftops DIR FAULT ARGS...: runs the CLI in DIR, keeps its stdout and stderr, sets $last to its exit code
peftops() {
  local dir=$1 fault=$2; shift 2
  runs=$((runs + 1))
  # the braces keep bash's "Killed" job report out of the benchmark's output
  { (cd "$dir" && PEFTOPS_FAULT="$fault" exec dotnet "$cli" "$@") >"$work/outputs/$runs.out" 2>"$work/outputs/$runs.err"; } 2>/dev/null
  last=$?
}
must() { peftops "$@"; [ "$last" -eq 0 ] || { echo "faults.sh: setup step failed ($last): ${*:3}" >&2; cat "$work/outputs/$runs.err" >&2; exit 1; }; }

# template: the adapter committed in a repository of its own, trained, evaluated and gated once
template="$work/template"
mkdir -p "$template/adapters"
cp -r "$root/adapters/support-intents" "$root/adapters/adapter.schema.json" "$template/adapters/"
printf 'artifacts/\n' >"$template/.gitignore"
printf 'stages: [staging, production]\n' >"$template/.gto"
git -C "$template" init -q -b main
git -C "$template" add -A
git -C "$template" -c user.name=bench -c user.email=bench@example.com commit -q -m "support-intents"
if [ -n "${RUN_DIR:-}" ]; then
  mkdir -p "$template/artifacts" && cp -r "$RUN_DIR" "$template/artifacts/support-intents"
else
  echo "training adapters/support-intents once (1 epoch)..."
  must "$template" "" train adapters/support-intents --out artifacts/support-intents --set training.epochs=1
  must "$template" "" evaluate adapters/support-intents --adapter artifacts/support-intents/adapter --out artifacts/support-intents/eval
  peftops "$template" "" gate adapters/support-intents --candidate artifacts/support-intents/eval/eval.json --out artifacts/support-intents/gate
fi

fresh() {
  case_dir="$work/case"
  rm -rf "$case_dir" && mkdir -p "$case_dir"
  cp -r "$template" "$case_dir/repo"
  git init -q --bare -b main "$case_dir/remote.git"
  git -C "$case_dir/repo" remote add origin "$case_dir/remote.git"
  git -C "$case_dir/repo" push -q origin main
  git -C "$case_dir/repo" config user.name "Release Manager"
  git -C "$case_dir/repo" config user.email rm@example.com
  store="file://$case_dir/store"
}
registry() { peftops "$case_dir/repo" "$1" registry "${@:2}" --registry "$store"; }
release() { registry "$1" release support-intents --version "$2" --from artifacts/support-intents --retrained --force --reason "fault drill" --approved-by bench; }
setup() { registry "" "$@"; [ "$last" -eq 0 ] || { echo "faults.sh: setup failed ($last): $*" >&2; cat "$work/outputs/$runs.err" >&2; exit 1; }; }

# agree VERSIONS...: clone and origin hold the same tags, nothing pending, every version verifies
agree() {
  local tags_here tags_there
  tags_here=$(git -C "$case_dir/repo" for-each-ref --format='%(refname) %(objectname)' refs/tags)
  tags_there=$(git -C "$case_dir/remote.git" for-each-ref --format='%(refname) %(objectname)' refs/tags)
  [ "$tags_here" = "$tags_there" ] || return 1
  [ ! -e "$case_dir/repo/.git/peftops-pending/support-intents.json" ] || return 1
  for version in "$@"; do
    registry "" verify support-intents --version "$version"
    [ "$last" -eq 0 ] || return 1
  done
}

# fault NAME FAULT COMMAND...: kill COMMAND at FAULT, run it again, check that everything agrees
fault() {
  local name=$1 at=$2; shift 2
  tried=$((tried + 1))
  "$@" "$at"; local killed=$last
  "$@" ""; local rerun=$last
  if [ "$killed" -eq 137 ] && [ "$rerun" -eq 0 ] && agree 1.0.0; then
    recovered=$((recovered + 1)); echo "recovered  $name"
  else
    echo "STUCK      $name (killed run exit $killed, rerun exit $rerun): $(cat "$work/outputs/$runs.err")"
  fi
}
release_v1() { release "$1" 1.0.0; }
promote_prod() { registry "$1" promote support-intents --version 1.1.0 --stage production; }
rollback_prod() { registry "$1" rollback support-intents --stage production; }
unassign_prod() { registry "$1" unassign support-intents --stage production --reason "fault drill"; }
deregister_v11() { registry "$1" deregister support-intents --version 1.1.0 --reason "fault drill"; }
deprecate_all() { registry "$1" deprecate support-intents --reason "fault drill"; }

for step in after-files after-manifest after-tag after-push; do
  fresh; fault "release:$step" "release:$step" release_v1
  fresh
  git -C "$case_dir/repo" tag support-intents@v1.0.0 && git -C "$case_dir/repo" push -q origin support-intents@v1.0.0
  fault "release:$step (plain request tag on origin)" "release:$step" release_v1
done
staged() { # v1.0.0 and v1.1.0 released, production held by v1.0.0 then v1.1.0 when $1 says so
  fresh; setup release support-intents --version 1.0.0 --from artifacts/support-intents --retrained --force --reason r --approved-by b
  setup release support-intents --version 1.1.0 --from artifacts/support-intents --retrained --force --reason r --approved-by b
  setup promote support-intents --version 1.0.0 --stage production
  [ "$1" = both ] && setup promote support-intents --version 1.1.0 --stage production
  return 0
}
for step in after-verify after-tag after-push; do
  staged one; fault "promote:$step" "promote:$step" promote_prod
  staged both; fault "rollback:$step" "rollback:$step" rollback_prod
done
for step in after-tag after-push; do
  staged both; fault "unassign:$step" "unassign:$step" unassign_prod
  staged one; fault "deregister:$step" "deregister:$step" deregister_v11
  staged one; fault "deprecate:$step" "deprecate:$step" deprecate_all
done

# the connection string in use: a store that does not answer (exit 5), and the string given on the command line (exit 2)
dead="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$planted;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;"
PEFTOPS_AZURE_STORAGE_CONNECTION_STRING="$dead" peftops "$template" "" registry candidate fetch adapters/support-intents --out fetched --registry azure://devstoreaccount1/models
echo "azure store that does not answer: exit $last, $(head -c 160 "$work/outputs/$runs.err")..."
peftops "$template" "" registry show support-intents --registry "$dead"
echo "connection string as --registry: exit $last, $(head -c 160 "$work/outputs/$runs.err")..."

secrets=$(grep -l -F "$planted" "$work"/outputs/* 2>/dev/null | wc -l)
echo "faults tried $tried, recovered $recovered"
echo "secrets found in outputs $secrets ($runs commands' stdout and stderr scanned for the planted AccountKey)"
[ "$recovered" -eq "$tried" ] && [ "$secrets" -eq 0 ]
