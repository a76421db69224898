// The canvas on real screens: drawn at device resolution on a HiDPI display (with input mapped
// to the point under the cursor), and filled again after the window is resized.
import { assert, click_across_frames, colour_histogram, save_json, screenshot,
         wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

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
];
