#!/usr/bin/env bash
# The README's test command: set-up (idempotent), every test project in Release, then the package consumer test
# (build/consumer-test.sh: packs, installs the packages and the tool outside the repository, trains, loads on .NET 8).
# Usage: build/test.sh [extra dotnet test arguments]
#   MLNETDEEP_SKIP_CONSUMER_TEST=1 skips the consumer test (about a minute and a half) for a quick local run; CI runs it.
# The tool's tests start a single-node Slurm cluster with build/slurm.sh (as root, installing slurm-wlm and munge when
# missing) and stop it; where Slurm cannot be installed those two tests (cross-validation, tuning) are skipped and say why.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash build/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
status=0
dotnet test MlNetDeep.sln -c Release "$@" || status=$?
if [[ "${MLNETDEEP_SKIP_CONSUMER_TEST:-0}" == 1 ]]; then
  echo "[consumer] skipped (MLNETDEEP_SKIP_CONSUMER_TEST=1)"
elif bash build/consumer-test.sh; then
  echo "consumer test: passed"
else
  echo "consumer test: FAILED (the [consumer] lines above say which step and why)"
  status=1
fi
exit "$status"
