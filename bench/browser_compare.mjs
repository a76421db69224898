// browser_compare.mjs - compare mode's cost: frames/s and steps/s per pane with 1, 2 and 4 panes
// of the default network (the spiral, 2-16-16-16-1), training at pace max in headless Chromium
// (SwiftShader WebGL2), in one run: the variants take turns, round after round, so that other work
// on the machine falls on all of them alike.
//   node bench/browser_compare.mjs [seconds per measurement, default 6] [rounds, default 2]
//   SIZE=1280x800 (the default) or another page size.
// One pane trains in the worker; compare mode trains its panes in the page, in lock step.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { launch } from '../tests/browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST || join(here, '..', 'dist');
const seconds = Number(process.argv[2] || 6);
const rounds = Number(process.argv[3] || 2);
const [width, height] = (process.env.SIZE || '1280x800').split('x').map(Number);
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/ is missing: run scripts/build.sh wasm first');
  process.exit(1);
}

// The default network in every pane (act:relu is the default activation).
const variants = [
  { panes: 1, hash: '#pace=max' },
  { panes: 2, hash: '#pace=max&compare=act:relu|act:relu' },
  { panes: 4, hash: '#pace=max&compare=act:relu|act:relu|act:relu|act:relu' },
];

const { server, url } = await serve(dist, 0);
const browser = await launch();
const results = variants.map(() => []);
try {
  for (let round = 0; round < rounds; ++round) {
    for (const [i, v] of variants.entries()) {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(url + v.hash);
      await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
      await page.waitForFunction(() => window.splinescope.state().training.thread !== 'starting', null, { timeout: 30000 });
      await page.evaluate(() => window.splinescope.play());
      await page.waitForTimeout(1500); // shaders, first tessellations, the rate estimates
      const read = () => page.evaluate(() => {
        const s = window.splinescope.state();
        return { t: performance.now(), frames: s.frames, steps: s.compare ? s.compare.panes.map((p) => p.steps) : [s.step] };
      });
      const a = await read();
      await page.waitForTimeout(seconds * 1000);
      const b = await read();
      const dt = (b.t - a.t) / 1000;
      results[i].push({ fps: (b.frames - a.frames) / dt,
                        steps: b.steps.map((s, k) => (s - a.steps[k]) / dt),
                        lock_step: b.steps.every((s) => s === b.steps[0]) });
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}

const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
console.log(`compare mode, ${width}x${height}, ${rounds} rounds of ${seconds} s, default network at pace max`);
console.log('panes  frames/s  steps/s per pane           total steps/s  lock step');
for (const [i, v] of variants.entries()) {
  const r = results[i];
  const per_pane = r[0].steps.map((_, k) => mean(r.map((x) => x.steps[k])));
  console.log(`${String(v.panes).padStart(5)}  ${mean(r.map((x) => x.fps)).toFixed(1).padStart(8)}  ` +
              `${per_pane.map((s) => s.toFixed(0)).join(' / ').padEnd(25)}  ` +
              `${per_pane.reduce((s, x) => s + x, 0).toFixed(0).padStart(13)}  ${r.every((x) => x.lock_step) ? 'yes' : 'no'}`);
}
