#!/usr/bin/env bash
# The README's main command: set-up (idempotent), then the overfitting lab.
# Usage: build/lab.sh <experiment|all|list> [--full] [--data DIR] [--out DIR] [--seed N] [--budget tiny|normal]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash build/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run -c Release --project src/Samples -- "$@"
