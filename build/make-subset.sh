#!/usr/bin/env bash
# Regenerates the embedded data subset (src/Samples/data) from the full data sets installed by build/setup.sh:
# the first 4,000 training and 1,000 test Fashion-MNIST images (gzip idx files), and 300 ham + 300 spam
# SpamAssassin mails, whole files spread evenly over each group in proportion to its size (one zip).
# Deterministic: the same installed data give the same selection. See src/Samples/data/README.md.
# Usage: build/make-subset.sh   (honours MLNETDEEP_DATA like build/setup.sh)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project src/Samples -c Release -- make-subset --out "$repo/src/Samples/data"
