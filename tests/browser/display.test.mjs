// The canvas on real screens: drawn at device resolution on a HiDPI display (with input mapped
// to the point under the cursor), filled again after the window is resized, and the fitted view
// that keeps the data beside the settings panel.
import { assert, click_across_frames, colour_histogram, save_json, screenshot,
         wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

// Canvas column of the plane's origin, and plane units per CSS pixel, of a state's view.
const origin_column = (s) => (0 - s.view[0]) / (s.view[1] - s.view[0]) * s.canvas[0];
const per_px = (s) => (s.view[1] - s.view[0]) / s.canvas[0];

async function open_at(browser, url, viewport, scale) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: scale });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null,
                             { timeout: 60000 });
  await wait_frames(page, 2);
  return page;
}

// Distinct colours in a region of a screenshot (tiles: many; a cleared or stretched area: few).
async function distinct(browser, png, region) {
  return (await colour_histogram(browser, png, region)).filter(([, n]) => n >= 20).length;
}

export const tests = [
  {
    name: 'on a HiDPI screen the canvas draws at device resolution and a click lands under the cursor',
    async run({ browser, url }) {
      const page = await open_at(browser, url, { width: 900, height: 600 }, 2);
      let s = await state(page);
      assert(s.canvas[0] === 900 && s.canvas[1] === 600, `canvas ${s.canvas}`);
      assert(s.pixels[0] === 1800 && s.pixels[1] === 1200, `drawing buffer ${s.pixels}`);
      // The screenshot has device pixels: the tiles must reach the bottom-right corner (a GL
      // viewport in CSS pixels would fill only the bottom-left quarter).
      const png = await screenshot(page, 'display-hidpi');
      const corner = await distinct(browser, png, { x: 1300, y: 700, width: 480, height: 480 });
      // A click at a CSS position adds a point at the plane point drawn there.
      s = await state(page);
      const [x0, x1, y0, y1] = s.view;
      const at = { x: 700, y: 450 };
      const expected = [x0 + (at.x / 900) * (x1 - x0), y1 - (at.y / 600) * (y1 - y0)];
      await click_across_frames(page, at.x, at.y);
      const rows = (await page.evaluate(() => window.splinescope.points_csv())).trim().split('\n');
      const placed = rows.length > 1 ? rows[rows.length - 1].split(',').map(Number) : [NaN, NaN];
      const tolerance = 2 * (x1 - x0) / 900; // two CSS pixels
      save_json('display-hidpi', { pixels: s.pixels, corner, expected, placed, view: s.view });
      assert(corner >= 10, `only ${corner} colours in the bottom-right corner at 2x`);
      assert(rows.length === 2, `placed points: ${rows.length - 1}`);
      assert(Math.abs(placed[0] - expected[0]) < tolerance &&
             Math.abs(placed[1] - expected[1]) < tolerance,
             `the point went to (${placed[0]}, ${placed[1]}), the cursor was over (${expected})`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'resizing the window resizes the canvas and the tiles fill it again',
    async run({ browser, url }) {
      const page = await open_at(browser, url, { width: 800, height: 600 }, 1);
      await page.setViewportSize({ width: 1100, height: 520 });
      await page.waitForFunction(() => window.splinescope.state().canvas[0] === 1100, null,
                                 { timeout: 30000 });
      await wait_frames(page, 3);
      const s = await state(page);
      const png = await screenshot(page, 'display-resized');
      // The strip that did not exist before the resize shows tiles too.
      const strip = await distinct(browser, png, { x: 820, y: 300, width: 270, height: 210 });
      save_json('display-resize', { canvas: s.canvas, pixels: s.pixels, strip });
      assert(s.canvas[0] === 1100 && s.canvas[1] === 520, `canvas ${s.canvas}`);
      assert(s.pixels[0] === 1100 && s.pixels[1] === 520, `drawing buffer ${s.pixels}`);
      assert(strip >= 10, `only ${strip} colours in the area the resize added`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the fitted view puts the data beside the settings panel and follows the canvas until moved',
    async run({ browser, url }) {
      const page = await open_at(browser, url, { width: 960, height: 640 }, 1);
      let s = await state(page);
      const fitted = { view: s.view, origin: origin_column(s), per_px: per_px(s) };
      // The panel spans columns 12..342 (state().layout): the radius-3 disk about the origin fills
      // the free columns right of it (8 px apart), centred there.
      const [px, , pw] = s.layout.SplineScope;
      const free = px + pw + 8;
      assert(free > 300 && free < 400, `the settings panel ends at column ${px + pw}`);
      assert(s.view_fitted && !/(^|&)view=/.test(s.url_state), `fitted ${s.view_fitted}, ${s.url_state}`);
      assert(Math.abs(fitted.origin - (free + 960) / 2) < 3, `origin at column ${fitted.origin}`);
      assert(Math.abs(fitted.per_px - 6 / (960 - free)) < 1e-4, `${fitted.per_px} units per pixel`);
      // Nearly every data point is drawn where the panel does not cover it.
      const rows = (await page.evaluate(() => window.splinescope.data_csv())).trim().split('\n').slice(1);
      const columns = rows.map((r) => (Number(r.split(',')[0]) - s.view[0]) / fitted.per_px);
      const beside = columns.filter((x) => x >= free && x < 960).length / columns.length;
      await screenshot(page, 'display-fitted');

      // A drag pans: the view is the user's now, and the address says where it is.
      await page.mouse.move(700, 300);
      await wait_frames(page, 1);
      await page.mouse.down();
      for (let i = 1; i <= 6; ++i) {
        await page.mouse.move(700 + 10 * i, 300 + 5 * i);
        await wait_frames(page, 1);
      }
      await page.mouse.up();
      await wait_frames(page, 2);
      s = await state(page);
      const panned = { fitted: s.view_fitted, origin: origin_column(s), url: s.url_state };
      // F fits again.
      await page.keyboard.press('f');
      await wait_frames(page, 2);
      s = await state(page);
      const refitted = { fitted: s.view_fitted, view: s.view };
      // While fitted, a resize fits the new canvas.
      await page.setViewportSize({ width: 1200, height: 700 });
      await page.waitForFunction(() => window.splinescope.state().canvas[0] === 1200, null,
                                 { timeout: 30000 });
      await wait_frames(page, 3);
      s = await state(page);
      const resized = { origin: origin_column(s), per_px: per_px(s) };
      save_json('display-fitted', { fitted, beside, panned, refitted, resized });
      assert(beside >= 0.97, `only ${(100 * beside).toFixed(1)}% of the points beside the panel`);
      assert(!panned.fitted && Math.abs(panned.origin - fitted.origin - 60) < 3 &&
             /(^|&)view=/.test(panned.url), `after the drag: ${JSON.stringify(panned)}`);
      assert(refitted.fitted && refitted.view.every((v, i) => Math.abs(v - fitted.view[i]) < 1e-9),
             `F gave ${refitted.view}, the fitted view is ${fitted.view}`);
      assert(Math.abs(resized.origin - (350 + 1200) / 2) < 3 && Math.abs(resized.per_px - 6 / 700) < 1e-4,
             `after the resize: ${JSON.stringify(resized)}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();

      // Without the settings panel the origin is the canvas centre, and an explicit view is kept
      // as given (the canvas centre at its x, y).
      for (const [hash, fit] of [['#panels=none', true], ['#view=0,0,3', false]]) {
        const other = await open_at(browser, url + hash, { width: 960, height: 640 }, 1);
        const o = await state(other);
        assert(o.view_fitted === fit && Math.abs(origin_column(o) - 480) < 1 &&
               Math.abs(per_px(o) - 6 / 640) < 1e-9, `${hash}: ${JSON.stringify(o.view)} fitted ${o.view_fitted}`);
        await other.context().close();
      }
    },
  },
];
