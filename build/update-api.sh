#!/usr/bin/env bash
# Rewrites the public-API baselines (test/MlNetDeep.Api.Tests/PublicApi/<assembly>.txt) from the current build of the
# four packaged libraries. Run it when you change a public signature or a CustomMapping contract on purpose, review
# `git diff test/MlNetDeep.Api.Tests/PublicApi`, add a line to CHANGELOG.md, and commit both.
# Merging two branches that both changed the API: take either side of the conflicting baseline, then run this.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
MLNETDEEP_UPDATE_API=1 dotnet test "$repo/test/MlNetDeep.Api.Tests" -c Release --filter "FullyQualifiedName~PublicApi_EqualsCheckedInBaseline" >/dev/null
git -C "$repo" status --short -- test/MlNetDeep.Api.Tests/PublicApi
git -C "$repo" diff --stat -- test/MlNetDeep.Api.Tests/PublicApi
