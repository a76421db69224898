#!/usr/bin/env bash
# SplineScope setup: installs everything the build and the tests need on a Debian 12 machine.
#
# Idempotent: every step checks first and does nothing when its result is already present, so a
# second run takes seconds. Runs as root without prompts (uses sudo when not root).
#
#   1. Debian packages (emscripten, Eigen, doctest, zlib, cmake, chromium, ...) and the
#      Fashion-MNIST data (dataset-fashion-mnist: four gzip'd IDX files under
#      /usr/share/datasets/fashion-mnist/, read by the CLI, its tests and the image benchmark)
#   2. deb-src entries derived from the machine's own apt sources, when none exist
#   3. the Dear ImGui and SDL2 source packages, unpacked into the cache
#   4. SDL2 built for WebAssembly once, into the cache (keyed by SDL and emcc versions)
#   5. npm ci (playwright-core drives Chromium, puppeteer-core Firefox, in the browser tests)
#
# The cache lives outside the clone: $SPLINESCOPE_CACHE, default ~/.cache/splinescope.
set -euo pipefail

root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache_dir=${SPLINESCOPE_CACHE:-$HOME/.cache/splinescope}
export NODE_PATH=/usr/share/nodejs          # emcc's JS optimizer needs Debian's acorn
export DEBIAN_FRONTEND=noninteractive

step() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[setup] error:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@";
  else fail "need root (or sudo) to run: $*"; fi
}

# --- 1. Debian packages -------------------------------------------------------------------------
packages=(emscripten libeigen3-dev doctest-dev nlohmann-json3-dev zlib1g-dev cmake make g++ python3 python3-fonttools fonts-inter dpkg-dev xz-utils
          chromium firefox-esr xvfb xauth nodejs npm ca-certificates dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come with nodejs from another source; only ask for it when the command is missing.
if command -v npm >/dev/null; then
  missing=("${missing[@]/npm}"); fi
if command -v node >/dev/null; then
  missing=("${missing[@]/nodejs}"); fi
read -r -a missing <<<"${missing[*]:-}"
apt_updated=0
if [ ${#missing[@]} -gt 0 ]; then
  step "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq || fail "apt-get update failed"
  apt_updated=1
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    || fail "apt-get install failed for: ${missing[*]}"
else
  step "Debian packages present"
fi

# --- 2. deb-src entries -------------------------------------------------------------------------
has_deb_src() {
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}
if ! has_deb_src; then
  step "adding deb-src entries derived from the machine's apt sources"
  src_list=/etc/apt/sources.list.d/splinescope-deb-src.sources
  tmp=$(mktemp)
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$tmp"
  elif [ -f /etc/apt/sources.list ]; then
    src_list=/etc/apt/sources.list.d/splinescope-deb-src.list
    sed -nE 's/^deb (.*)/deb-src \1/p' /etc/apt/sources.list >"$tmp"
  fi
  [ -s "$tmp" ] || fail "no apt sources found to derive deb-src entries from"
  as_root install -m 644 "$tmp" "$src_list"
  rm -f "$tmp"
  apt_updated=0
fi

# --- 3. ImGui and SDL2 sources --------------------------------------------------------------------
mkdir -p "$cache_dir/src"
fetch_source() { # package, glob of the unpacked directory
  local pkg=$1 glob=$2
  # shellcheck disable=SC2086
  if compgen -G "$cache_dir/src/$glob" >/dev/null; then return 0; fi
  if [ $apt_updated -eq 0 ]; then
    step "apt-get update (for source packages)"
    as_root apt-get update -qq || fail "apt-get update failed"
    apt_updated=1
  fi
  step "fetching Debian source package $pkg"
  (cd "$cache_dir/src" && apt-get source -q "$pkg" >/dev/null 2>"$cache_dir/src/$pkg.log") \
    || { cat "$cache_dir/src/$pkg.log" >&2; fail "apt-get source $pkg failed"; }
  compgen -G "$cache_dir/src/$glob" >/dev/null || fail "source of $pkg not found after unpacking"
}
fetch_source imgui 'imgui-*/imgui.cpp'
fetch_source libsdl2 'libsdl2-*/include/SDL.h'
imgui_dir=$(dirname "$(compgen -G "$cache_dir/src/imgui-*/imgui.cpp" | head -n1)")
sdl_src=$(dirname "$(dirname "$(compgen -G "$cache_dir/src/libsdl2-*/include/SDL.h" | head -n1)")")

# --- 4. SDL2 for WebAssembly --------------------------------------------------------------------
command -v emcc >/dev/null || fail "emcc not found after installing emscripten"
emcc_version=$(emcc -dumpversion 2>/dev/null || emcc --version | head -n1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -n1)
sdl_version=$(basename "$sdl_src" | sed 's/^libsdl2-//')
sdl_build="$cache_dir/sdl2-wasm-$sdl_version-emcc-$emcc_version"
if [ ! -f "$sdl_build/.done" ]; then
  step "building SDL2 $sdl_version for WebAssembly with emcc $emcc_version (a few minutes, once)"
  rm -rf "$sdl_build"; mkdir -p "$sdl_build"
  (cd "$sdl_build" &&
    emcmake cmake "$sdl_src" -DCMAKE_BUILD_TYPE=Release -DSDL_SHARED=OFF -DSDL_STATIC=ON \
      -DSDL_TEST=OFF -DSDL_THREADS=OFF >build.log 2>&1 &&
    emmake make -j"$(nproc)" >>build.log 2>&1) \
    || { tail -n 40 "$sdl_build/build.log" >&2; fail "SDL2 wasm build failed (log: $sdl_build/build.log)"; }
  touch "$sdl_build/.done"
else
  step "SDL2 for WebAssembly cached in $sdl_build"
fi

# --- 5. npm -----------------------------------------------------------------------------------
cd "$root_dir"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error || fail "npm ci failed"
else
  step "node_modules up to date"
fi

# Paths for the build, read by scripts/build.sh.
mkdir -p "$root_dir/build"
cat >"$root_dir/build/setup.env" <<ENV
IMGUI_DIR=$imgui_dir
SDL2_SOURCE_DIR=$sdl_src
SDL2_BUILD_DIR=$sdl_build
ENV
step "ready (ImGui: $imgui_dir, SDL2: $sdl_build)"
