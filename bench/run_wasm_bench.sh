#!/usr/bin/env bash
# run_wasm_bench.sh - build bench/<name>.cpp (default: bench_train) with Emscripten and run it in
# Node, to measure the engine as the browser runs it.
#
#   bench/run_wasm_bench.sh [name [args...]]   # writes build/bench-wasm/<name>.js, runs it with args
#   bench/run_wasm_bench.sh bench_tessellate --no-grid
set -euo pipefail

name="${1:-bench_train}"
shift || true
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build/bench-wasm"
mkdir -p "$out"

# Debian's emscripten finds its node modules only through NODE_PATH.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

# /usr/include (nlohmann/json) is searched after the Emscripten sysroot (-idirafter): as an ordinary
# include directory its host C library headers would shadow the sysroot's and break <cmath>.
# -msimd128: WebAssembly SIMD, as the web app is built (CMakeLists.txt).
em++ -std=c++17 -O3 -DNDEBUG -DEIGEN_MPL2_ONLY -msimd128 \
  -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 \
  -I"$root/engine" -isystem /usr/include/eigen3 -idirafter /usr/include \
  "$root/bench/$name.cpp" "$root"/engine/*.cpp \
  -o "$out/$name.js"

node --no-experimental-fetch "$out/$name.js" "$@"
