#!/usr/bin/env bash
# Consumer test: MlNetDeep as a user gets it, from the packages, not the projects (run by build/test.sh, so by CI).
#
#  0. packs every package (dotnet pack MlNetDeep.sln) into a fresh local folder feed and checks the nuspecs: each
#     library has net8.0 + net10.0, XML docs, a README without relative links, symbols and the repository commit;
#     MlNetDeep.Core and MlNetDeep.Transforms depend on neither TorchSharp, libtorch nor ONNX Runtime.
#  Then, outside the repository (a temp folder), with an empty NuGet package cache (NUGET_PACKAGES; third-party packages
#  are read from the machine's cache through a fallback folder that leaves out every MlNetDeep package, so a stale
#  package can never leak in) and the feed mapped as the only source of MlNetDeep.* packages:
#  a. a fresh net10.0 console app adds the packages as the README's Install section says, trains a DenseNetwork on
#     synthetic data, evaluates it, saves model.zip and its own predictions for 50 probe rows;
#  b. a fresh net8.0 console app adds only MlNetDeep.Core, is published self-contained for linux-x64 (so it runs on
#     the .NET 8 runtime; this machine has only .NET 10), loads the zip, predicts in a `using` PredictionEngine: its
#     predictions must equal (a)'s bit for bit, its publish folder must hold no torch or ONNX Runtime file, and its
#     sizes (self-contained and framework-dependent) are printed;
#  b2. a fresh net8.0 app adds MlNetDeep.Core and MlNetDeep.Transforms (a load-only app for a text model), loads (a)'s
#     bag-of-words model and must predict the same bits, and fits the same vocabulary on .NET 8 as (a) on .NET 10;
#  c. `dotnet tool install -g MlNetDeep.Cli` (into a temp DOTNET_CLI_HOME), then `mlnetdeep train` on a small CSV and
#     `mlnetdeep predict` with the model it wrote.
#  Finally every `dotnet add package` / `dotnet tool install` line of the README's Install section must be one this
#  test ran, and the other way round.
#
# Usage: build/consumer-test.sh [--keep]     (--keep leaves the temp folder; it is always kept when a step fails)
# Environment: MLNETDEEP_CONSUMER_DIR=DIR to work in DIR instead of a new temp folder.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep=0
[[ "${1:-}" == "--keep" ]] && keep=1

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64; libtorch=libtorch-cpu-linux-x64 ;;
  *) echo "[consumer] this test publishes for linux-x64 and runs the result: run it on Linux x64"; exit 1 ;;
esac

work="${MLNETDEEP_CONSUMER_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/mlnetdeep-consumer.XXXXXX")}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
case "$work/" in "$repo"/*) echo "[consumer] $work is inside the repository; the apps must be built outside it"; exit 1 ;; esac
feed="$work/feed"
logs="$work/logs"
rm -rf "$feed" "$logs" "$work/packages" "$work/fallback" "$work/model" "$work/train" "$work/load" "$work/text" "$work/tool" "$work/home"
mkdir -p "$feed" "$logs"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started=$SECONDS
step_started=$SECONDS
current=""
ran_commands=()

say() { printf '[consumer] %s\n' "$*"; }
mb() { du -sb "$1" | awk '{printf "%.1f MB", $1 / 1e6}'; }
fail() { say "FAIL: $*"; exit 1; }
on_exit() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    say "FAILED${current:+ in step '$current'} after $((SECONDS - started)) s; everything is kept in $work"
    if [[ -n "$current" && -s "$logs/$current.log" ]]; then
      say "last lines of $logs/$current.log:"
      tail -n 40 "$logs/$current.log" | sed 's/^/    /'
    fi
  elif [[ $keep -eq 0 && -z "${MLNETDEEP_CONSUMER_DIR:-}" ]]; then
    rm -rf "$work"
  else
    say "kept $work"
  fi
}
trap on_exit EXIT

# step NAME: starts a step whose commands log to $logs/NAME.log; done_step prints its time
step() { current="$1"; step_started=$SECONDS; say "$current ..."; : > "$logs/$current.log"; }
done_step() { say "$current: ok ($((SECONDS - step_started)) s)${1:+; $1}"; current=""; }
# run CMD...: runs a command in the current step, output to the step's log
run() { printf '\n$ %s\n' "$*" >> "$logs/$current.log"; "$@" >> "$logs/$current.log" 2>&1; }
# user CMD...: a command the README's Install section shows (recorded for the final comparison)
user() { ran_commands+=("$*"); run "$@"; }

# ---------------------------------------------------------------------------------------------------------------- 0
step pack
run dotnet pack "$repo/MlNetDeep.sln" -c Release -o "$feed"
version="$(ls "$feed"/MlNetDeep.Core.*.nupkg | sed -E 's#.*/MlNetDeep\.Core\.(.*)\.nupkg#\1#')"
done_step "version $version: $(cd "$feed" && ls -1 | tr '\n' ' ')"

step nuspecs
nuspec() { unzip -p "$feed/$1.$version.nupkg" "$1.nuspec"; }
for id in MlNetDeep.Core MlNetDeep.Trainers MlNetDeep.Transforms MlNetDeep.Evaluation; do
  pkg="$feed/$id.$version.nupkg"
  [[ -f "$pkg" ]] || fail "$id.$version.nupkg was not packed"
  [[ -f "$feed/$id.$version.snupkg" ]] || fail "$id has no symbol package (.snupkg)"
  files="$(unzip -Z1 "$pkg")"
  for f in lib/net8.0/$id.dll lib/net8.0/$id.xml lib/net10.0/$id.dll lib/net10.0/$id.xml README.md; do
    grep -qx "$f" <<< "$files" || fail "$id.$version.nupkg lacks $f"
  done
  spec="$(nuspec "$id")"
  grep -q '<description>Package Description</description>' <<< "$spec" && fail "$id has no description"
  grep -q '<readme>README.md</readme>' <<< "$spec" || fail "$id's nuspec names no readme"
  grep -qE '<repository type="git" url="https://[^"]+"' <<< "$spec" || fail "$id's nuspec has no repository URL"
  if git -C "$repo" rev-parse HEAD >/dev/null 2>&1; then
    grep -q "commit=\"$(git -C "$repo" rev-parse HEAD)\"" <<< "$spec" || fail "$id's nuspec does not name the commit $(git -C "$repo" rev-parse HEAD)"
  fi
  echo "$id: $(grep -oE '<dependency id="[^"]+" version="[^"]+"' <<< "$spec" | sed -E 's/<dependency id="([^"]+)" version="([^"]+)"/\1 \2/' | sort -u | paste -sd ',' | sed 's/,/, /g')" >> "$logs/nuspecs.log"
done
for id in MlNetDeep.Core MlNetDeep.Transforms; do
  if nuspec "$id" | grep -oiE '<dependency id="[^"]*(torch|onnx)[^"]*"'; then
    fail "$id must not depend on TorchSharp, libtorch or ONNX Runtime (a load-only app references it)"
  fi
done
grep -qiE '<dependency id="libtorch' <<< "$(nuspec MlNetDeep.Trainers)" && fail "MlNetDeep.Trainers must not depend on a libtorch runtime package (the application picks one)"
for pkg in "$feed"/*.nupkg; do
  # rendered on the package page: relative links and images would break there
  if unzip -p "$pkg" README.md | grep -oE '\]\([^)]*\)' | grep -vE '^\]\((https?://|#)' ; then
    fail "$(basename "$pkg")'s README.md has relative links (shown above); the package page cannot resolve them"
  fi
done
grep -q '<packageType name="DotnetTool"' <<< "$(nuspec MlNetDeep.Cli)" || fail "MlNetDeep.Cli is not a DotnetTool package"
[[ -f "$feed/MlNetDeep.Cli.$rid.$version.nupkg" ]] || fail "MlNetDeep.Cli.$rid.$version.nupkg (the tool for this platform) was not packed"
sed 's/^/    /' "$logs/nuspecs.log"
done_step

# ----------------------------------------------------------------------------------------------- isolation
# the apps live outside the repository; these empty files stop MSBuild from importing anything above the temp folder
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"
export NUGET_PACKAGES="$work/packages"
mkdir -p "$NUGET_PACKAGES" "$work/fallback"
machine_cache="${MLNETDEEP_MACHINE_NUGET_PACKAGES:-$HOME/.nuget/packages}"
if [[ -d "$machine_cache" ]]; then
  for d in "$machine_cache"/*; do
    case "$(basename "$d")" in mlnetdeep.*) ;; *) ln -s "$d" "$work/fallback/$(basename "$d")" ;; esac
  done
fi
cat > "$work/nuget.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="mlnetdeep-local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <!-- MlNetDeep packages only from the fresh feed, everything else from nuget.org -->
  <packageSourceMapping>
    <packageSource key="mlnetdeep-local"><package pattern="MlNetDeep.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
  <fallbackPackageFolders>
    <clear />
    <add key="machine-cache-without-mlnetdeep" value="$work/fallback" />
  </fallbackPackageFolders>
</configuration>
EOF

# ----------------------------------------------------------------------------------------------- a: training app
step train-app
mkdir -p "$work/train"
cd "$work/train"
run dotnet new console --framework net10.0 --name TrainApp --output . --no-restore
cp "$repo/build/consumer/TrainApp.cs" Program.cs
user dotnet add package MlNetDeep.Trainers
user dotnet add package "$libtorch" --version 2.10.0
user dotnet add package MlNetDeep.Transforms
user dotnet add package MlNetDeep.Evaluation
run dotnet build -c Release
run dotnet run -c Release --no-build -- "$work/model"
[[ -s "$work/model/model.zip" && -s "$work/model/expected.txt" ]] || fail "the training app wrote no model.zip or expected.txt"
grep -E '^(test accuracy|vocabulary)' "$logs/train-app.log" | sed 's/^/    /'
done_step

# ----------------------------------------------------------------------------------------------- b: load-only app
step load-app
mkdir -p "$work/load"
cd "$work/load"
# the .NET 10 SDK's template offers only net10.0: create with it and retarget, as a user on this SDK would
run dotnet new console --framework net10.0 --name LoadApp --output . --no-restore
sed -i 's#<TargetFramework>net10.0</TargetFramework>#<TargetFramework>net8.0</TargetFramework>#' LoadApp.csproj
grep -q '<TargetFramework>net8.0</TargetFramework>' LoadApp.csproj || fail "could not retarget LoadApp.csproj to net8.0"
cp "$repo/build/consumer/LoadApp.cs" Program.cs
user dotnet add package MlNetDeep.Core
run dotnet publish -c Release -r "$rid" --self-contained true -o "$work/load/publish-self-contained"
run dotnet publish -c Release -r "$rid" --self-contained false -o "$work/load/publish-framework-dependent"
run "$work/load/publish-self-contained/LoadApp" "$work/model/model.zip" "$work/model/probe.csv" "$work/model/actual.txt"
grep -q '^\.NET 8\.' "$logs/load-app.log" || fail "the load-only app did not run on .NET 8 (see $logs/load-app.log)"
if ! diff -u --label "training app (net10.0, fitted model)" --label "load-only app (net8.0, loaded zip)" "$work/model/expected.txt" "$work/model/actual.txt" > "$work/model/predictions.diff"; then
  head -n 30 "$work/model/predictions.diff" | sed 's/^/    /'
  fail "the load-only app's predictions differ from the training app's (diff above, all of it in $work/model/predictions.diff)"
fi
for dir in publish-self-contained publish-framework-dependent; do
  heavy="$(cd "$work/load/$dir" && find . -type f \( -iname '*torch*' -o -iname '*onnx*' \) | sort)"
  [[ -z "$heavy" ]] || fail "the load-only publish ($dir) contains torch/ONNX files: $heavy"
done
deps="$(sed -n '/"libraries"/,$p' "$work/load/obj/project.assets.json" | grep -oE '"[A-Za-z0-9.]+/[0-9][^"]*": \{' | tr -d '"{: ' | sort | paste -sd ' ')"
size_sc="$(mb "$work/load/publish-self-contained")"
size_fd="$(mb "$work/load/publish-framework-dependent")"
say "    $(grep -m1 '^\.NET 8\.' "$logs/load-app.log")"
say "    load-only publish ($rid): self-contained $size_sc, framework-dependent $size_fd; no torch or ONNX Runtime file"
say "    packages restored for the load-only app: $deps"
done_step "$(wc -l < "$work/model/actual.txt") predictions identical to the training app's"

# ----------------------------------------------------------------------------------------------- b2: load-only text app
step text-app
mkdir -p "$work/text"
cd "$work/text"
run dotnet new console --framework net10.0 --name TextApp --output . --no-restore
sed -i 's#<TargetFramework>net10.0</TargetFramework>#<TargetFramework>net8.0</TargetFramework>#' TextApp.csproj
cp "$repo/build/consumer/TextApp.cs" Program.cs
user dotnet add package MlNetDeep.Core
user dotnet add package MlNetDeep.Transforms
run dotnet publish -c Release -r "$rid" --self-contained true -o "$work/text/publish-self-contained"
run "$work/text/publish-self-contained/TextApp" "$work/model/text-model.zip" "$work/model/texts.txt" "$work/model"
grep -q '^\.NET 8\.' "$logs/text-app.log" || fail "the text app did not run on .NET 8 (see $logs/text-app.log)"
if ! diff -u --label "training app (net10.0, fitted text model)" --label "load-only text app (net8.0, loaded zip)" "$work/model/text-expected.txt" "$work/model/text-actual.txt" > "$work/model/text-predictions.diff"; then
  head -n 30 "$work/model/text-predictions.diff" | sed 's/^/    /'
  fail "the load-only text app's predictions differ from the training app's (diff above)"
fi
if ! diff -u --label "vocabulary fitted on net10.0" --label "vocabulary fitted on net8.0" "$work/model/vocabulary.txt" "$work/model/vocabulary-net8.txt" > "$work/model/vocabulary.diff"; then
  head -n 30 "$work/model/vocabulary.diff" | sed 's/^/    /'
  fail "MlNetDeep.Transforms' net8.0 build counts another vocabulary than its net10.0 build (diff above)"
fi
heavy="$(cd "$work/text/publish-self-contained" && find . -type f \( -iname '*torch*' -o -iname '*onnx*' \) | sort)"
[[ -z "$heavy" ]] || fail "the load-only text app's publish contains torch/ONNX files: $heavy"
say "    load-only publish with MlNetDeep.Transforms ($rid, self-contained): $(mb "$work/text/publish-self-contained")"
done_step "40 text predictions and the vocabulary identical on .NET 8"

# ----------------------------------------------------------------------------------------------- c: the tool
step tool
mkdir -p "$work/tool"
cd "$work/tool"
# `-g` installs under DOTNET_CLI_HOME/.dotnet/tools: a temp home keeps the machine's own tools untouched
export DOTNET_CLI_HOME="$work/home"
export PATH="$DOTNET_CLI_HOME/.dotnet/tools:$PATH"
user dotnet tool install -g MlNetDeep.Cli
command -v mlnetdeep > /dev/null || fail "mlnetdeep is not on the PATH after dotnet tool install -g"
# a small binary file: is a loan approved, from income, debt and age (Park-Miller generator: exact in awk's doubles)
awk 'BEGIN { print "income,debt,age,approved"; s = 12345;
  for (i = 0; i < 400; i++) {
    s = (s * 16807) % 2147483647; income = 20 + s % 100;
    s = (s * 16807) % 2147483647; debt = s % 50;
    s = (s * 16807) % 2147483647; age = 18 + s % 60;
    s = (s * 16807) % 2147483647; noise = s % 11 - 5;
    printf "%d,%d,%d,%s\n", income, debt, age, (income - 1.5 * debt + 0.1 * age + noise > 40) ? "yes" : "no" } }' > loans.csv
head -n 21 loans.csv | cut -d, -f1-3 > new-loans.csv
run mlnetdeep train --data loans.csv --label approved --time 30s --out model
[[ -s model/model.zip && -s model/report.md ]] || fail "mlnetdeep train wrote no model/model.zip or model/report.md"
accuracy="$(grep -m1 -E '^\| Accuracy \|' model/report.md | awk -F'|' '{ gsub(/ /, "", $3); print $3 }')"
[[ -n "$accuracy" ]] || fail "model/report.md has no Accuracy row"
# 54% of the rows are 'no': a tool that installed and trained learns far more than that (0.92 with a good rate)
awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.75) }' || fail "mlnetdeep train's model has test accuracy $accuracy < 0.75 on a nearly linear rule (see $work/tool/model/report.md)"
run mlnetdeep predict --model model/model.zip --data new-loans.csv --out predictions.csv
[[ "$(head -n 1 predictions.csv)" == "PredictedClass,PredictedLabel,Probability,Score" ]] || fail "mlnetdeep predict's header is '$(head -n 1 predictions.csv)'; expected 'PredictedClass,PredictedLabel,Probability,Score'"
[[ "$(wc -l < predictions.csv)" -eq 21 ]] || fail "mlnetdeep predict wrote $(wc -l < predictions.csv) lines to predictions.csv; expected a header and 20 rows"
if tail -n +2 predictions.csv | grep -vE '^(yes,true|no,false),[0-9.E-]+,-?[0-9.E-]+$' > /dev/null; then
  fail "mlnetdeep predict wrote an unexpected row: $(tail -n +2 predictions.csv | grep -vE '^(yes,true|no,false),[0-9.E-]+,-?[0-9.E-]+$' | head -n 3)"
fi
done_step "test accuracy $accuracy; model.zip, report.md and 20 predictions"

# ----------------------------------------------------------------------------------------------- provenance
step provenance
restored=0
for dir in "$NUGET_PACKAGES"/mlnetdeep.*/*/; do
  [[ -d "$dir" ]] || continue
  id="$(basename "$(dirname "$dir")")"; v="$(basename "$dir")"
  fed="$(ls "$feed" | grep -ixF "$id.$v.nupkg" || true)"
  [[ -n "$fed" ]] || fail "$id $v was restored but is not in this run's feed"
  cmp -s "$dir/$id.$v.nupkg" "$feed/$fed" || fail "$id $v in the package cache differs from the one packed in this run"
  restored=$((restored + 1))
done
[[ $restored -ge 4 ]] || fail "expected MlNetDeep.Core, .Trainers, .Transforms and .Evaluation in the fresh package cache; found $restored package(s)"
done_step "$restored MlNetDeep packages restored, each byte-identical to this run's feed"

# ----------------------------------------------------------------------------------------------- README
step readme
install_section="$(awk '/^## Install/ { on = 1; next } /^## / { on = 0 } on' "$repo/README.md")"
[[ -n "$install_section" ]] || fail "README.md has no '## Install' section"
mapfile -t documented < <(grep -E '^(dotnet add package|dotnet tool install)' <<< "$install_section" | sed 's/[[:space:]]*$//' | sort -u)
mapfile -t ran < <(printf '%s\n' "${ran_commands[@]}" | sort -u)
missing="$(comm -13 <(printf '%s\n' "${ran[@]}") <(printf '%s\n' "${documented[@]}"))"
unshown="$(comm -23 <(printf '%s\n' "${ran[@]}") <(printf '%s\n' "${documented[@]}"))"
[[ -z "$missing" ]] || fail "README's Install section shows commands this test does not run: $missing"
[[ -z "$unshown" ]] || fail "this test runs install commands README's Install section does not show: $unshown"
done_step "${#documented[@]} install commands match"

say "passed in $((SECONDS - started)) s"
