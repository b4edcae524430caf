#!/usr/bin/env bash
# The README's test command: set-up (idempotent), then every test project in Release.
# Usage: build/test.sh [extra dotnet test arguments]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash build/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test MlNetDeep.sln -c Release "$@"
