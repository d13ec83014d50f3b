#!/usr/bin/env bash
# Runs the Cake build in build/ (cake.tool is a local dotnet tool, restored here).
# Usage: ./build.sh --target=Test | --target=RegressionGate --adapter=support-intents | ...
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# the compiled script is kept in build/tools/cache under a hash of its text, so only a changed script compiles again
export CAKE_SETTINGS_ENABLESCRIPTCACHE=true
dotnet tool restore >/dev/null
exec dotnet cake build/build.cake "$@"
