// harness.mjs - what every browser test shares: Chromium with WebGL2 (SwiftShader), the served
// site, a page that records console errors, and image helpers.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../../scripts/serve.mjs';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

// Every context prefers a dark colour scheme unless a test asks otherwise (colorScheme): the page's
// default theme follows the preference, and the tests' colours were chosen on the dark theme.
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ], // playwright gives every launch a fresh, empty user data directory
  });
  const new_context = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => new_context({ colorScheme: 'dark', ...options });
  return browser;
}

// Opens a page at url; collects console errors and page errors in page.errors.
export async function open_page(browser, url, { width = 960, height = 640, init } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return page;
}

// Opens the app and waits for its first drawn frame.
export async function open_app(browser, url, options = {}) {
  const page = await open_page(browser, url, options);
  await page.waitForFunction(() => window.splinescope && (window.splinescope.ready ||
                                                           window.splinescope.error),
                             null, { timeout: 60000 });
  const error = await page.evaluate(() => window.splinescope.error);
  if (error) throw new Error(`the app reported an error: ${error}`);
  return page;
}

export async function screenshot(page, name) {
  const png = await page.screenshot();
  writeFileSync(join(ARTIFACTS, `${name}.png`), png);
  return png;
}

// Runs fn(arg) in a blank page where window.decode_png(b64, region) gives the RGBA bytes of a
// PNG (decoded by the browser itself), optionally of a region {x, y, width, height} only.
export async function in_image_page(browser, fn, arg) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.evaluate(() => {
    window.decode_png = async (b64, region) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const r = region || { x: 0, y: 0, width: img.width, height: img.height };
      const canvas = new OffscreenCanvas(r.width, r.height);
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, -r.x, -r.y);
      return ctx.getImageData(0, 0, r.width, r.height).data;
    };
  });
  const result = await page.evaluate(fn, arg);
  await context.close();
  return result;
}

// Colour histogram of a PNG: [[rgb hex, pixel count], ...] sorted by count. region: optional
// {x, y, width, height} in pixels.
export async function colour_histogram(browser, png, region) {
  return in_image_page(browser, async ({ b64, region }) => {
    const data = await window.decode_png(b64, region);
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])
      .map(([k, n]) => ['#' + k.toString(16).padStart(6, '0'), n]);
  }, { b64: png.toString('base64'), region });
}

// Fraction of pixels that differ (some channel by more than `tolerance`) between two PNGs of the
// same size; region: optional {x, y, width, height}.
export async function image_difference(browser, png_a, png_b, tolerance = 0, region = null) {
  return in_image_page(browser, async ({ a, b, tolerance, region }) => {
    const pa = await window.decode_png(a, region), pb = await window.decode_png(b, region);
    if (pa.length !== pb.length) return 1;
    let differ = 0;
    for (let i = 0; i < pa.length; i += 4) {
      if (Math.abs(pa[i] - pb[i]) > tolerance || Math.abs(pa[i + 1] - pb[i + 1]) > tolerance ||
          Math.abs(pa[i + 2] - pb[i + 2]) > tolerance) ++differ;
    }
    return differ / (pa.length / 4);
  }, { a: png_a.toString('base64'), b: png_b.toString('base64'), tolerance, region });
}

// Waits until the app has drawn n more frames (events are handled at the start of a frame, so
// after two frames an input has had its effect and been drawn, however slow the machine).
export async function wait_frames(page, n = 2) {
  const f = await page.evaluate(() => window.splinescope.state().frames);
  await page.waitForFunction((g) => window.splinescope.state().frames >= g, f + n,
                             { timeout: 60000 });
}

// Presses and releases the mouse button in separate frames (ImGui 1.86 misses a click whose
// press and release arrive in one frame).
export async function click_across_frames(page, x, y, button = 'left') {
  await page.mouse.move(x, y);
  await wait_frames(page, 1);
  await page.mouse.down({ button });
  await wait_frames(page, 1);
  await page.mouse.up({ button });
  await wait_frames(page, 2);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

export function save_json(name, value) {
  writeFileSync(join(ARTIFACTS, `${name}.json`), JSON.stringify(value, null, 2));
}

// A Blob made in the page, as a Node Buffer.
export async function blob_bytes(page, expression_returning_blob_promise, arg) {
  const b64 = await page.evaluate(async ({ source, arg }) => {
    const blob = await (new Function('arg', `return (${source})(arg);`))(arg);
    window.__last_blob = blob;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }, { source: expression_returning_blob_promise.toString(), arg });
  return Buffer.from(b64, 'base64');
}

// A course page on another origin (its own server, from test-artifacts/<name>/) holding the HTML
// `iframe`: window.events collects the SplineScope messages it receives, window.send(m) posts
// one to the frame. Returns serve()'s { server, url }.
export async function course_page(name, iframe) {
  const dir = join(ARTIFACTS, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), `<!doctype html><link rel="icon" href="data:,">
    <script>
    window.events = [];
    window.addEventListener('message', (e) => {
      if (e.data && e.data.splinescope) window.events.push(e.data);
    });
    window.send = (m) => document.querySelector('iframe').contentWindow.postMessage(m, '*');
    </script>${iframe}`);
  return serve(dir, 0);
}

// An oracle for tests: the network's forward pass at the point x (an array of its inputs), from
// the network's JSON (window.splinescope.network(); no batch norm): every hidden layer's
// pre-activations and the outputs.
export function network_forward(net, x) {
  let z = x;
  const pre = [];
  for (let l = 0; l < net.layers.length; ++l) {
    const layer = net.layers[l];
    const h = layer.weights.map((row, i) => row.reduce((s, w, j) => s + w * z[j], layer.bias[i]));
    if (l + 1 === net.layers.length) return { pre, f: h };
    pre.push(h);
    const slope = (v) => v > 0 ? 1 : layer.activation === 'relu' ? 0 : layer.activation === 'abs' ? -1
                                     : layer.activation === 'leaky_relu' ? layer.alpha : 1;
    z = h.map((v) => slope(v) * v);
  }
  return { pre, f: z };
}
