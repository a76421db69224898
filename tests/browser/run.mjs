// run.mjs - runs every tests/browser/*.test.mjs against dist/ served on loopback, in headless
// Chromium. Each test file exports `tests`: [{ name, run({ browser, url, serve }), timing }].
// Prints one line per test and closes with "browser: N passed, N failed". Exit code 1 on failure.
// A test marked `timing: true` measures time on this shared machine (main-thread tasks over
// 50 ms, frame rates compared): when it fails it runs once more, and passes only if that run does;
// the first failure is printed. A real regression fails both runs.
//   node tests/browser/run.mjs [filter]
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serve } from '../../scripts/serve.mjs';
import { launch } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const filter = process.argv[2] || '';

if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/ is missing: run scripts/build.sh wasm first');
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}

const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
const { server, url } = await serve(dist, 0);
const browser = await launch();
let passed = 0, failed = 0;
const per_test_timeout_ms = 180000;

for (const file of files) {
  const { tests } = await import(pathToFileURL(join(here, file)).href);
  for (const test of tests) {
    const name = `${file.replace('.test.mjs', '')}: ${test.name}`;
    if (filter && !name.includes(filter)) continue;
    const start = Date.now();
    const attempt = async () => {
      let timer;
      await Promise.race([
        test.run({ browser, url, serve: (prefix, options) => serve(dist, 0, prefix || '/', options) }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${per_test_timeout_ms / 1000} s`)),
                             per_test_timeout_ms);
        }),
      ]).finally(async () => {
        clearTimeout(timer);
        // A failed test leaves its pages open: close them, or they load the next tests.
        for (const context of browser.contexts()) await context.close().catch(() => {});
      });
    };
    const shown = (e) => String(e && e.stack || e).split('\n').join('\n        ');
    try {
      try {
        await attempt();
      } catch (e) {
        if (!test.timing) throw e;
        console.log(`  again ${name}: a timing test failed once on this shared machine\n        ${shown(e)}`);
        await attempt();
      }
      ++passed;
      console.log(`  ok    ${name}  (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    } catch (e) {
      ++failed;
      console.log(`  FAIL  ${name}\n        ${shown(e)}`);
    }
  }
}

await browser.close();
server.close();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
