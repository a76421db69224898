// browser_soak.mjs - the live view under a long training run, in headless Chromium (SwiftShader
// WebGL2) against dist/: the spiral with the default network (2-16-16-16-1 ReLU, Adam, batch 32) at an
// 800 x 600 canvas with the exact tiles, training on. Prints, every 30 s: frames/s, optimiser
// steps/s, tiles per frame, JS heap and wasm memory; then the growth after warm-up.
//   node bench/browser_soak.mjs [minutes, default 10] [URL keys, e.g. '#panels=none&edges=0']
// Needs dist/ (scripts/build.sh wasm). Software WebGL: compare ratios, not absolute figures.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { launch } from '../tests/browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST || join(here, '..', 'dist'); // DIST: another build
const minutes = Number(process.argv[2] || 10);
const keys = process.argv[3] || '';
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/ is missing: run scripts/build.sh wasm first');
  process.exit(1);
}

const { server, url } = await serve(dist, 0);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
const page = await context.newPage();
// The setup: the spiral (the app opens on circles), everything else the defaults.
await page.goto(url + '#' + ['data=spiral&pace=max', keys.replace(/^#/, '')].filter(Boolean).join('&'));
await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
await page.evaluate(() => window.splinescope.play());

const sample = () => page.evaluate(() => {
  const s = window.splinescope.state();
  return { t: performance.now(), step: s.step, frames: s.frames, tiles: s.tiles, timing: s.timing,
           heap: performance.memory ? performance.memory.usedJSHeapSize : NaN,
           wasm: window.Module && Module.HEAP8 ? Module.HEAP8.length : NaN };
});
const mb = (b) => (b / 1048576).toFixed(1);
console.log(`spiral, default network${keys ? ', ' + keys : ''}, 800x600, training for ${minutes} min`);
console.log('  time   frames/s   steps/s   tiles   JS heap MB   wasm MB');
let previous = await sample();
const rows = [];
const end = Date.now() + minutes * 60000;
while (Date.now() < end) {
  await page.waitForTimeout(Math.min(30000, Math.max(1000, end - Date.now())));
  const now = await sample();
  const dt = (now.t - previous.t) / 1000;
  const row = { fps: (now.frames - previous.frames) / dt,
                steps: (now.step - previous.step) / dt, tiles: now.tiles, heap: now.heap, wasm: now.wasm };
  rows.push(row);
  console.log(`  ${String(Math.round(rows.length * 30)).padStart(4)} s ${row.fps.toFixed(1).padStart(9)} ${row.steps.toFixed(0).padStart(9)} ${String(row.tiles).padStart(7)} ${mb(row.heap).padStart(12)} ${mb(row.wasm).padStart(9)}`);
  const t = now.timing;
  console.log(`         main thread per frame: ${t.frame_ms.toFixed(1)} ms between frames; training ${t.train_ms.toFixed(1)}, tessellation ${t.geometry_ms.toFixed(1)}, building the panels ${t.panels_ms.toFixed(1)}; GL calls: tiles ${t.tiles_ms.toFixed(1)}, points ${t.points_ms.toFixed(1)}, panels ${t.ui_ms.toFixed(1)} ms`);
  previous = now;
}
const after_warmup = rows.slice(Math.min(2, rows.length - 1));
const mean = (k) => after_warmup.reduce((a, r) => a + r[k], 0) / after_warmup.length;
const first = after_warmup[0], last = rows[rows.length - 1];
console.log(`mean after warm-up: ${mean('fps').toFixed(1)} frames/s, ${mean('steps').toFixed(0)} steps/s, ${mean('tiles').toFixed(0)} tiles`);
console.log(`memory from the first sample after warm-up to the end: JS heap ${mb(first.heap)} -> ${mb(last.heap)} MB, wasm ${mb(first.wasm)} -> ${mb(last.wasm)} MB`);
console.log(`steps trained: ${previous.step}`);
await browser.close();
server.close();
