#!/usr/bin/env bash
# The fuzzing benchmark: every fuzz target (or those named with --target) for --count cases from --seed.
#   benchmarks/reliability/fuzz.sh --seed 1 --count 20000
#   benchmarks/reliability/fuzz.sh --target spec-yaml --seed 1 --case 471          # one case again
#   benchmarks/reliability/fuzz.sh --target spec-yaml --replay artifacts/fuzz-crashes/spec-yaml-seed1-case471.yaml
# Prints "inputs tried N, handled N" per target and in total; exits 1 when an input was not handled (saved under
# artifacts/fuzz-crashes/ with its exception).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
project="$root/benchmarks/reliability/PeftOps.Reliability/PeftOps.Reliability.csproj"
dotnet build "$project" -c Release --nologo -v quiet >/dev/null
cd "$root"
exec dotnet "$root/benchmarks/reliability/PeftOps.Reliability/bin/Release/net10.0/PeftOps.Reliability.dll" "$@"
