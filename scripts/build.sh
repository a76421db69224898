#!/usr/bin/env bash
# Builds SplineScope. Usage: scripts/build.sh native|wasm|all
#   native: engine, doctest suite, `splinescope` CLI, benchmarks   -> build/native
#   wasm:   the web app, assembled into the static site             -> dist/
# Expects scripts/setup.sh to have run (it writes build/setup.env).
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
jobs=$(nproc 2>/dev/null || echo 2)
step() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
fail() { printf '\033[31m[build] error:\033[0m %s\n' "$*" >&2; exit 1; }

build_native() {
  step "native build (build/native)"
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >build/native-configure.log 2>&1 \
    || { cat build/native-configure.log >&2; fail "native configure failed"; }
  cmake --build build/native -j"$jobs" || fail "native build failed"
}

build_wasm() {
  [ -f build/setup.env ] || fail "build/setup.env missing: run scripts/setup.sh first"
  # shellcheck disable=SC1091
  . build/setup.env
  export NODE_PATH=/usr/share/nodejs # emcc's JS optimizer needs Debian's acorn
  step "WebAssembly build (build/wasm)"
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    -DIMGUI_DIR="$IMGUI_DIR" -DSDL2_SOURCE_DIR="$SDL2_SOURCE_DIR" \
    -DSDL2_BUILD_DIR="$SDL2_BUILD_DIR" >build/wasm-configure.log 2>&1 \
    || { cat build/wasm-configure.log >&2; fail "wasm configure failed"; }
  cmake --build build/wasm -j"$jobs" || fail "wasm build failed"
  step "assembling dist/"
  rm -rf dist && mkdir -p dist
  cp web/index.html web/favicon.svg dist/
  cp build/wasm/web/index.js build/wasm/web/index.wasm dist/
  printf '[build] dist/: index.js %s KB, index.wasm %s KB\n' \
    "$(( $(stat -c %s dist/index.js) / 1024 ))" "$(( $(stat -c %s dist/index.wasm) / 1024 ))"
}

mkdir -p build
case "${1:-all}" in
  native) build_native ;;
  wasm) build_wasm ;;
  all) build_native; build_wasm ;;
  *) fail "usage: scripts/build.sh native|wasm|all" ;;
esac
