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

# The page's Fashion-MNIST images (engine/image_data.h), written by the native CLI from the IDX files
# the setup installed: build/assets/fashion-mnist.bin. Only the CLI is built for it, once.
build_image_asset() {
  local out=build/assets/fashion-mnist.bin
  if [ ! -x build/native/cli/splinescope ]; then
    step "native CLI for the image asset (build/native)"
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >build/native-configure.log 2>&1 \
      || { cat build/native-configure.log >&2; fail "native configure failed"; }
    cmake --build build/native --target splinescope -j"$jobs" || fail "the native CLI failed to build"
  fi
  mkdir -p build/assets
  build/native/cli/splinescope image-asset --out "$out.tmp" >/dev/null \
    || fail "could not write the Fashion-MNIST asset (is dataset-fashion-mnist installed? scripts/setup.sh installs it)"
  mv "$out.tmp" "$out"
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
  build_image_asset
  step "assembling dist/"
  # A static site that works from any host and any sub-path: relative names only, and every script,
  # style sheet and the wasm named by its content (index.<hash>.js, page.<hash>.js, ...) so that a
  # host may cache them for ever while index.html, which names them, stays small and revalidated.
  # The image asset is named the same way and fetched only when a page chooses image data.
  # Nothing runs inline, so the page starts under a strict Content-Security-Policy.
  rm -rf dist && mkdir -p dist
  cp web/favicon.svg dist/
  local html file name hashed
  html=$(cat web/shell/index.html)
  for file in build/wasm/web/index.js build/wasm/web/index.wasm build/wasm/web/trainer.js \
              build/wasm/web/trainer.wasm web/shell/page.js web/shell/files.js web/shell/page.css \
              build/assets/fashion-mnist.bin; do
    name=$(basename "$file")
    hashed="${name%.*}.$(sha256sum "$file" | cut -c1-8).${name##*.}"
    cp "$file" "dist/$hashed"
    grep -q "\"$name\"" web/shell/index.html || fail "web/shell/index.html does not name $name"
    html=${html//\"$name\"/\"$hashed\"}
    printf '[build] dist/%s %s KB\n' "$hashed" "$(( ($(stat -c %s "dist/$hashed") + 1023) / 1024 ))"
  done
  printf '%s\n' "$html" >dist/index.html
}

mkdir -p build
case "${1:-all}" in
  native) build_native ;;
  wasm) build_wasm ;;
  all) build_native; build_wasm ;;
  *) fail "usage: scripts/build.sh native|wasm|all" ;;
esac
