#!/usr/bin/env bash
# The README's second command (npm test): set up, build, run the engine's doctest suite (ctest) and
# the browser tests (headless Chromium against dist/). Exits non-zero when anything fails.
set -uo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
fail() { printf '\033[31m[test] error:\033[0m %s\n' "$*" >&2; exit 1; }

bash scripts/setup.sh || fail "setup failed"
bash scripts/build.sh native || fail "native build failed"

printf '\033[1m[test]\033[0m engine tests (ctest)\n'
(cd build/native && ctest --output-on-failure -j2) 2>&1 | tee build/ctest.log
ctest_rc=${PIPESTATUS[0]}

bash scripts/build.sh wasm || fail "wasm build failed"

printf '\033[1m[test]\033[0m browser tests (headless Chromium)\n'
node tests/browser/run.mjs 2>&1 | tee build/browser.log
browser_rc=${PIPESTATUS[0]}

echo
echo "Summary"
grep -E 'tests passed|tests failed out of' build/ctest.log | tail -n 1
grep -E '^browser: [0-9]+ passed, [0-9]+ failed' build/browser.log | tail -n 1 \
  || echo "browser: 0 passed, 1 failed"
[ "$ctest_rc" -eq 0 ] && [ "$browser_rc" -eq 0 ]
