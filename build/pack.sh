#!/usr/bin/env bash
# Release packing: every MlNetDeep package into one folder, with the mlnetdeep tool for every platform.
#   MlNetDeep.Core, .Trainers, .Transforms, .Evaluation (.nupkg + .snupkg, net8.0 and net10.0), MlNetDeep.Cli (the
#   package users install) and MlNetDeep.Cli.<rid> for each platform (the tool with that platform's libtorch).
# A plain `dotnet pack MlNetDeep.sln -c Release` packs the tool for this machine's platform only (what
# build/consumer-test.sh installs); this script restores all three libtorch packages (~270 MB) to pack all of them.
# Usage: build/pack.sh [OUTPUT_DIR] [extra dotnet pack arguments, e.g. -p:VersionSuffix=beta.1]
#   default OUTPUT_DIR: artifacts/packages; MLNETDEEP_TOOL_RIDS overrides the platforms ("linux-x64;win-x64;osx-arm64").
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/artifacts/packages}"
[[ $# -gt 0 ]] && shift
rids="${MLNETDEEP_TOOL_RIDS:-linux-x64;win-x64;osx-arm64}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$out"
# the quotes keep the semicolons inside one MSBuild property
dotnet pack "$repo/MlNetDeep.sln" -c Release -o "$out" "-p:MlNetDeepToolRuntimeIdentifiers=\"$rids\"" "$@"
ls -l "$out"
