#!/usr/bin/env bash
# The README's second command (npm test): set up, build, run the engine's doctest suite (ctest), the
# same suites under AddressSanitizer and UBSan, the browser tests (headless Chromium against
# dist/) and a Firefox smoke test (under Xvfb). Exits non-zero when anything fails.
set -uo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
fail() { printf '\033[31m[test] error:\033[0m %s\n' "$*" >&2; exit 1; }

bash scripts/setup.sh || fail "setup failed"
bash scripts/build.sh native || fail "native build failed"

printf '\033[1m[test]\033[0m engine tests (ctest)\n'
(cd build/native && ctest --output-on-failure -j2) 2>&1 | tee build/ctest.log
ctest_rc=${PIPESTATUS[0]}

# The same doctest suites built with AddressSanitizer and UBSan: an out-of-bounds write that the
# optimised build survives (a reused workspace, say) fails here with the line that made it.
printf '\033[1m[test]\033[0m engine and URL tests under AddressSanitizer and UBSan (build/asan)\n'
sanitize_rc=0
{ cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
    >build/asan-configure.log 2>&1 \
  && cmake --build build/asan -j"$(nproc 2>/dev/null || echo 2)" --target engine_tests web_tests \
    >build/asan-build.log 2>&1; } || { cat build/asan-configure.log build/asan-build.log >&2; sanitize_rc=1; }
if [ "$sanitize_rc" -eq 0 ]; then
  build/asan/tests/engine_tests 2>&1 | tail -n 40 | tee build/asan.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || sanitize_rc=1
  build/asan/tests/web_tests 2>&1 | tail -n 40 | tee -a build/asan.log
  [ "${PIPESTATUS[0]}" -eq 0 ] || sanitize_rc=1
fi

bash scripts/build.sh wasm || fail "wasm build failed"

printf '\033[1m[test]\033[0m browser tests (headless Chromium)\n'
node tests/browser/run.mjs 2>&1 | tee build/browser.log
browser_rc=${PIPESTATUS[0]}

# Firefox has WebGL2 here only with a display: Xvfb, with Mesa's llvmpipe.
printf '\033[1m[test]\033[0m Firefox smoke test (firefox-esr under Xvfb)\n'
xvfb-run -a -s "-screen 0 1280x1024x24" node tests/firefox/smoke.mjs 2>&1 | tee build/firefox.log
firefox_rc=${PIPESTATUS[0]}

echo
echo "Summary"
grep -E 'tests passed|tests failed out of' build/ctest.log | tail -n 1
if [ "$sanitize_rc" -eq 0 ]; then echo "sanitizers: passed"; else echo "sanitizers: FAILED"; fi
grep -E '^browser: [0-9]+ passed, [0-9]+ failed' build/browser.log | tail -n 1 \
  || echo "browser: 0 passed, 1 failed"
grep -E '^firefox: [0-9]+ passed, [0-9]+ failed' build/firefox.log | tail -n 1 \
  || echo "firefox: 0 passed, 1 failed"
[ "$ctest_rc" -eq 0 ] && [ "$sanitize_rc" -eq 0 ] && [ "$browser_rc" -eq 0 ] && [ "$firefox_rc" -eq 0 ]
