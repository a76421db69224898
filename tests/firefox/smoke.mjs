// smoke.mjs - the built page in Firefox (Debian's firefox-esr, WebGL2 through Mesa's llvmpipe under
// Xvfb), driven by puppeteer-core over WebDriver BiDi: it loads without console errors, trains,
// draws at least 20 tile colours, a lesson opens and runs, a network of one input draws its curve
// and its network graph, compare mode draws two panes in lock step, and Fashion-MNIST loads, trains
// and draws the plane through three images. Prints one line per check and
// "firefox: N passed, N failed"; exit code 1 on failure. Run under a display:
//   xvfb-run -a -s "-screen 0 1280x1024x24" node tests/firefox/smoke.mjs
import puppeteer from 'puppeteer-core';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../../scripts/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const artifacts = join(process.cwd(), 'test-artifacts');
mkdirSync(artifacts, { recursive: true });
const executablePath = process.env.FIREFOX || '/usr/bin/firefox-esr';

let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) ++passed; else ++failed;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'}  firefox: ${name}${detail ? `  (${detail})` : ''}`);
}

if (!existsSync(join(dist, 'index.html')) || !existsSync(executablePath) || !process.env.DISPLAY) {
  console.log(`  FAIL  firefox: needs dist/, ${executablePath} and a display (run under xvfb-run)`);
  console.log('firefox: 0 passed, 1 failed');
  process.exit(1);
}

// The page's state once done(state) holds (read every half second, for at most timeout_ms), and
// half a second more for the frame after it.
async function settled_state(page, done, timeout_ms) {
  const started = Date.now();
  let s;
  do {
    await new Promise((r) => setTimeout(r, 500));
    s = await page.evaluate(() => window.splinescope.state());
  } while (!done(s) && Date.now() - started < timeout_ms);
  await new Promise((r) => setTimeout(r, 500));
  return page.evaluate(() => window.splinescope.state());
}

// Distinct colours (of at least 10 pixels) in a region [x, y, w, h] (CSS px of a 960-wide page) of
// a screenshot, counted in the page.
function colours_in(page, png, region) {
  return page.evaluate(async (b64, region) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const scale = img.width / 960;
    const data = ctx.getImageData(region[0] * scale, region[1] * scale, region[2] * scale, region[3] * scale).data;
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    return [...counts.values()].filter((n) => n >= 10).length;
  }, png, region);
}

const { server, url } = await serve(dist, 0);
let browser;
try {
  browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: false,
                                     protocolTimeout: 120000 });
  const page = await browser.newPage();
  await page.setViewport({ width: 960, height: 640 });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message || e}`));
  const started = Date.now();
  await page.goto(url + '#pace=max');
  await page.waitForFunction(() => window.splinescope && (window.splinescope.ready || window.splinescope.error),
                             { timeout: 90000 });
  const error = await page.evaluate(() => window.splinescope.error);
  check('the page loads and draws its first frame', !error, error || `${Date.now() - started} ms`);
  await page.mouse.move(950, 630); // no tooltip over the picture

  await page.evaluate(() => window.splinescope.play());
  await new Promise((r) => setTimeout(r, 4000));
  const s = await page.evaluate(() => window.splinescope.state());
  await page.evaluate(() => window.splinescope.pause());
  check('it trains', s.step > 100 && Number.isFinite(s.train_loss) && s.frames > 10,
        `step ${s.step}, ${s.steps_per_second.toFixed(0)} steps/s, ${s.fps.toFixed(1)} frames/s, training in the ${s.training.thread}`);

  // Tile colours right of the settings panel, counted in the page from its own screenshot.
  const png = await page.screenshot({ encoding: 'base64' });
  writeFileSync(join(artifacts, 'firefox-trained.png'), Buffer.from(png, 'base64'));
  const colours = await colours_in(page, png, [360, 0, 240, 640]);
  check('it draws at least 20 tile colours', colours >= 20, `${colours} colours`);

  const problem = await page.evaluate(() => window.splinescope.open_lesson('boundary'));
  await new Promise((r) => setTimeout(r, 3000));
  const lesson = await page.evaluate(() => window.splinescope.state());
  writeFileSync(join(artifacts, 'firefox-lesson.png'), await page.screenshot());
  check('a lesson opens and runs', problem === null && lesson.lesson === 'boundary' && lesson.step > 0,
        `${problem || ''} lesson ${lesson.lesson}, step ${lesson.step}`);

  // A network of one input, drawn as its curve, beside the network graph.
  const line = await page.evaluate(() => window.splinescope.open_lesson('line'));
  await new Promise((r) => setTimeout(r, 3000));
  await page.evaluate(() => window.splinescope.load_url('#lesson=line&panels=controls,charts,graph&pace=max'));
  await new Promise((r) => setTimeout(r, 2000));
  const curve = await page.evaluate(() => window.splinescope.state());
  writeFileSync(join(artifacts, 'firefox-curve.png'), await page.screenshot());
  check('a network of one input draws its curve and its graph',
        line === null && curve.curve && curve.curve.pieces > 1 && curve.graph.open && curve.graph.nodes.length === 34,
        `${line || ''} pieces ${curve.curve && curve.curve.pieces}, graph nodes ${curve.graph.nodes.length}`);

  // Compare mode: two panes, each drawn in its own part of the canvas (viewport and scissor).
  await page.evaluate(() => window.splinescope.load_url('#data=moons&panels=controls&compare=bn:0|bn:1&steps=50&pace=max'));
  const compare_started = Date.now();
  const compared = await settled_state(page, (s) => !s.playing && s.step >= 50, 30000);
  const panes = compared.compare ? compared.compare.panes : [];
  const compare_png = await page.screenshot({ encoding: 'base64' });
  writeFileSync(join(artifacts, 'firefox-compare.png'), Buffer.from(compare_png, 'base64'));
  const pane_colours = [];
  for (const p of panes) pane_colours.push(await colours_in(page, compare_png, [p.rect[0] + 4, p.rect[1] + 60, p.rect[2] - 8, p.rect[3] - 64]));
  check('compare mode draws two panes in lock step',
        panes.length === 2 && panes[0].steps === panes[1].steps && panes[0].steps >= 50 && pane_colours.every((n) => n >= 20),
        `panes ${panes.length}, steps ${panes.map((p) => p.steps)} after ${Date.now() - compare_started} ms, ` +
        `${compared.fps.toFixed(0)} frames/s, colours ${pane_colours}`);
  // Image data: the asset fetched with its progress (a stream in Firefox too), trained on in the
  // worker, the plane through three images drawn.
  await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&layers=16,16&panels=controls&pace=max&play=1&steps=200'));
  const imaged = await settled_state(page, (s) => !s.playing && s.step >= 200 && s.image_plane, 60000);
  const images_png = await page.screenshot({ encoding: 'base64' });
  writeFileSync(join(artifacts, 'firefox-images.png'), Buffer.from(images_png, 'base64'));
  const image_colours = await colours_in(page, images_png, [400, 40, 500, 500]);
  check('Fashion-MNIST loads, trains and draws the plane through three images',
        imaged.image_plane !== null && imaged.images.received === 2761528 && imaged.step >= 200 &&
        imaged.test_accuracy > 0.3 && image_colours >= 20,
        `received ${imaged.images.received} bytes in ${imaged.images.ms} ms, step ${imaged.step}, ` +
        `test accuracy ${imaged.test_accuracy}, ${image_colours} colours, plane ${JSON.stringify(imaged.image_plane && imaged.image_plane.classes)}`);
  check('no console errors', errors.length === 0, errors.join('; '));
} catch (e) {
  check('the run completes', false, String(e && e.stack || e).split('\n').slice(0, 3).join(' '));
} finally {
  if (browser) await browser.close().catch(() => {});
  server.close();
}
console.log(`firefox: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
