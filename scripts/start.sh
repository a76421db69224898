#!/usr/bin/env bash
# The README's first command (npm start): set up, build the web app, serve dist/ on loopback.
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
bash scripts/setup.sh
bash scripts/build.sh wasm
exec node scripts/serve.mjs dist
