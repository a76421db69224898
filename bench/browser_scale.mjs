// browser_scale.mjs - how the page holds up at the sizes it accepts, in headless Chromium
// (SwiftShader WebGL2) against dist/: a table over data sizes x networks on the spiral, training,
// at a 1000 x 700 canvas. For each cell:
//   ready     seconds from navigation to the first drawn frame (splinescope.ready)
//   3 frames  seconds from navigation to the third drawn frame (a page that stalls after its first
//             frame shows here)
//   frames/s, steps/s   over 5 s of training, from the second after the third frame
//   longest   the longest main-thread task (PerformanceObserver 'longtask') in those 5 s, ms
//   wasm MB   the page's wasm memory, and the training worker's
//   thread    where training ran: worker, or page (the in-frame path)
// The default cell (300 points, 2-16^3-1) runs twice: with the worker, and trained in the page's
// frames (splinescope.train_in_page()), to compare the two in one run.
// A cell that does not reach its third frame within the time limit prints '>' and the limit.
//   node bench/browser_scale.mjs [seconds per cell limit, default 60] [filter, e.g. '2-16']
// Needs dist/ (scripts/build.sh wasm). Software WebGL on a shared machine: compare rows of one
// run, not absolute figures across runs.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { launch } from '../tests/browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST || join(here, '..', 'dist'); // DIST: another build
const limit_s = Number(process.argv[2] || 60);
const filter = process.argv[3] || '';
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/ is missing: run scripts/build.sh wasm first');
  process.exit(1);
}

const SIZES = [300, 10000, 100000];
const NETWORKS = [['2-16^3-1', '16,16,16'], ['2-64^4-1', '64,64,64,64'],
                  ['2-64^8-1', '64,64,64,64,64,64,64,64']];

const { server, url } = await serve(dist, 0);
const browser = await launch();

async function cell(n, layers, in_page = false) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const start = Date.now();
  const row = { n, ready: NaN, third: NaN, fps: NaN, steps: NaN, longest: NaN, wasm: NaN,
                worker: NaN, thread: '?' };
  const within = (promise) => Promise.race([promise, new Promise((_, reject) => setTimeout(
    () => reject(new Error('limit')), Math.max(1, limit_s * 1000 - (Date.now() - start))))]);
  try {
    await page.goto(`${url}#data=spiral&n=${n}&layers=${layers}&pace=max&play=1`);
    await within(page.waitForFunction(() => window.splinescope && (window.splinescope.ready ||
                                      window.splinescope.error), null, { timeout: 0 }));
    row.ready = (Date.now() - start) / 1000;
    if (in_page) await page.evaluate(() => window.splinescope.train_in_page());
    else await within(page.waitForFunction(() => window.splinescope.state().training.thread !== 'starting',
                                           null, { timeout: 0 }));
    await within(page.waitForFunction(() => window.splinescope.state().frames >= 3, null,
                                      { timeout: 0, polling: 50 }));
    row.third = (Date.now() - start) / 1000;
    await page.waitForTimeout(1000); // warm-up
    const sample = () => within(page.evaluate(() => {
      const s = window.splinescope.state();
      return { t: performance.now(), frames: s.frames, step: s.step, thread: s.training.thread,
               worker: s.training.worker_memory,
               wasm: window.Module && Module.HEAP8 ? Module.HEAP8.length : NaN };
    }));
    const a = await sample();
    await page.waitForTimeout(5000);
    const b = await sample();
    const seconds = (b.t - a.t) / 1000;
    row.fps = (b.frames - a.frames) / seconds;
    row.steps = (b.step - a.step) / seconds;
    row.wasm = b.wasm / 1048576;
    row.worker = b.thread === 'worker' ? b.worker / 1048576 : NaN;
    row.thread = b.thread;
    row.longest = await within(page.evaluate(({ from, to }) => Math.max(0, ...window.__long
      .filter((e) => e.at >= from && e.at <= to).map((e) => e.ms)), { from: a.t, to: b.t }));
  } catch (e) {
    if (e.message !== 'limit') throw e;
  }
  await context.close().catch(() => {});
  return row;
}

const fixed = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : `>${limit_s}`);
const print = (name, r) => console.log(
  `${name.padEnd(16)} ${String(r.n).padStart(7)}  ${fixed(r.ready).padStart(7)}  ` +
  `${fixed(r.third).padStart(10)}  ${fixed(r.fps).padStart(8)}  ${fixed(r.steps, 0).padStart(7)}  ` +
  `${fixed(r.longest, 0).padStart(10)}  ${fixed(r.wasm).padStart(7)}  ` +
  `${(Number.isFinite(r.worker) ? r.worker.toFixed(1) : '-').padStart(9)}  ${r.thread}`);
console.log('spiral, training, 1000 x 700, headless Chromium (SwiftShader)');
console.log('network           points   ready s  3 frames s  frames/s  steps/s  longest ms  wasm MB  worker MB  thread');
for (const [name, layers] of NETWORKS) {
  for (const n of SIZES) {
    if (filter && !`${name} ${n}`.includes(filter)) continue;
    print(name, await cell(n, layers));
  }
}
if (!filter || '2-16^3-1 300 page'.includes(filter)) print('2-16^3-1 (page)', await cell(300, '16,16,16', true));
await browser.close();
server.close();
