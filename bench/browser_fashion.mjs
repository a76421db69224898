// browser_fashion.mjs - image space in the page: the Fashion-MNIST asset's size and load time,
// training steps/s in the worker while the page draws the plane through three images, the test
// accuracy it reaches, and the cost of the plane's geometry (exact tiles, class boundaries and
// local complexity: state().timing.geometry_ms), in headless Chromium (SwiftShader WebGL2).
//   node bench/browser_fashion.mjs [seconds of training, default 10] [layers, default 64,64] [batch, default 64]
//   SPEED=2.5: the worker trains all of its time (at the default speed 1 it trains 40% of it and
//   leaves the rest of a two-core machine to the page's drawing; web/main.cpp, kWorkerShare).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { serve } from '../scripts/serve.mjs';
import { launch } from '../tests/browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST || join(here, '..', 'dist');
const seconds = Number(process.argv[2] || 10);
const layers = process.argv[3] || '64,64';
const batch = Number(process.argv[4] || 64);
const speed = Number(process.env.SPEED || 1);
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/ is missing: run scripts/build.sh wasm first');
  process.exit(1);
}
const asset = readdirSync(dist).find((f) => /^fashion-mnist\.[0-9a-f]{8}\.bin$/.test(f));
const bytes = readFileSync(join(dist, asset));

const { server, url } = await serve(dist, 0);
const browser = await launch();
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${url}#panels=controls,charts`);
  await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
  const asked = Date.now();
  await page.evaluate((hash) => window.splinescope.load_url(hash),
                      `#data=fashion-mnist&layers=${layers}&batch=${batch}&pace=max&speed=${speed}&panels=controls,charts`);
  await page.waitForFunction(() => window.splinescope.state().image_plane !== null, null, { timeout: 60000 });
  const shown_ms = Date.now() - asked;
  const loaded = await page.evaluate(() => window.splinescope.state());
  await page.evaluate(() => window.splinescope.play());
  await page.waitForTimeout(2000); // the worker has the run
  const t0 = Date.now();
  const s0 = await page.evaluate(() => window.splinescope.state());
  const geometry = [];
  for (let t = 0; t < seconds; ++t) {
    await page.waitForTimeout(1000);
    geometry.push((await page.evaluate(() => window.splinescope.state())).timing.geometry_ms);
  }
  const s1 = await page.evaluate(() => window.splinescope.state());
  const elapsed = (Date.now() - t0) / 1000;
  await page.evaluate(() => window.splinescope.pause());
  // Paused: the metrics are added up over every test image.
  await page.waitForFunction(() => { const s = window.splinescope.state(); return s.metric_points[1] === s.test_points; },
                             null, { timeout: 60000 });
  const s2 = await page.evaluate(() => window.splinescope.state());
  const median = geometry.sort((a, b) => a - b)[Math.floor(geometry.length / 2)];
  console.log(`asset ${asset}: ${bytes.length} bytes (${(gzipSync(bytes).length / 1e6).toFixed(2)} MB gzipped), ` +
              `fetched and read in ${loaded.images.ms.toFixed(0)} ms; the plane drawn ${shown_ms} ms after the link`);
  console.log(`784-${layers}-10 ReLU, Adam, batch ${batch}, training in the ${s1.training.thread} at speed ${speed}: ` +
              `${((s1.step - s0.step) / elapsed).toFixed(0)} steps/s over ${elapsed.toFixed(1)} s ` +
              `(${s1.epoch} epochs of 2,500 images), ${s1.fps.toFixed(1)} frames/s`);
  console.log(`test accuracy on the page's 1,000 test images after ${s2.step} steps: ${s2.test_accuracy.toFixed(3)}`);
  console.log(`the plane's geometry (exact tiles, class boundaries, LC at a, b, c): ` +
              `${median.toFixed(1)} ms a refresh (median of ${geometry.length} readings), ${s2.grid_tiles} tiles` +
              `${s2.tiles_exact ? ' (exact)' : ''}`);
} finally {
  await browser.close();
  server.close();
}
