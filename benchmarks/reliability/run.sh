#!/usr/bin/env bash
# The reliability benchmark: the registry fault matrix (every step of release, promote, rollback, unassign,
# deregister and deprecate killed, then run again) and the fuzzers, one after the other. Prints
#   faults tried N, recovered N
#   secrets found in outputs 0 (...)
#   inputs tried N, handled N            (per fuzz target, then in total)
# and exits 1 when a fault was not recovered, a secret was printed or an input was not handled.
#   benchmarks/reliability/run.sh [--seed 1] [--count 3000]     (arguments go to fuzz.sh)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dotnet build "$here/../../src/PeftOps.Cli" -c Release --nologo -v quiet >/dev/null || exit 1
"$here/faults.sh"; faults=$?
"$here/fuzz.sh" "$@"; fuzz=$?
[ "$faults" -eq 0 ] && [ "$fuzz" -eq 0 ]
