#!/usr/bin/env bash
# Runs the Cake build in build/ (cake.tool is a local dotnet tool, restored here).
# Usage: ./build.sh --target=Test | --target=RegressionGate --adapter=support-intents | ...
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
exec dotnet cake build/build.cake "$@"
