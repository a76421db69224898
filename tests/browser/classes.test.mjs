// Ten classes: a 10-class toy dataset trains, and the page paints every class in its own colour
// (web/views/class_colours.h: Okabe-Ito's eight, then wine and pink for classes 8 and 9) in the
// predicted-class colour mode, through the exact polygons and the per-pixel shader alike, with
// the decision boundary between every pair of neighbouring classes, 8 and 9 included.
import { assert, in_image_page, open_app, save_json, screenshot, wait_frames } from './harness.mjs';

// kClassColours, 0-255.
const CLASS_COLOURS = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167],
                       [86, 180, 233], [213, 94, 0], [240, 228, 66], [26, 26, 26],
                       [136, 34, 85], [255, 170, 187]];
const NEUTRAL = [242, 242, 237]; // kNeutral of colour_modes.glsl: the colour of a tie

const state = (page) => page.evaluate(() => window.splinescope.state());

// Waits for the finished picture: per-pixel, the generated shader (compiled in the background) at
// full resolution (it refines a band of rows a frame).
async function finished(page, exact) {
  if (!exact)
    await page.waitForFunction(() => {
      const s = window.splinescope.state();
      return s.tile_shader === 'unrolled' && s.pixels_refined === 1;
    }, null, { timeout: 60000 });
  await wait_frames(page, 3);
}

// The plane's pixels not under the settings panel or the charts window.
async function plane_mask(page) {
  const s = await state(page);
  const rects = [s.layout.SplineScope];
  const charts = Object.values(s.chart_rects);
  if (charts.length) {
    const x0 = Math.min(...charts.map((r) => r[0]));
    const x1 = Math.max(...charts.map((r) => r[0] + r[2]));
    const y1 = Math.max(...charts.map((r) => r[1] + r[3]));
    rects.push([x0 - 20, 0, x1 - x0 + 40, y1 + 40]); // the window's frame, title and slider
  }
  return { width: s.canvas[0], height: s.canvas[1], rects: rects.map((r) => r.map(Math.round)) };
}

// Per picture: the pixels of each class's predicted-class colour (output mode: a mix of the
// neutral and the class colour, at least `min_t` of the way), and the pixels of the decision
// boundary (dark in `with_boundary`, not in `without`) with the classes found within 4 pixels of
// them in `without`.
function analyse(browser, { with_boundary, without, mask, min_t = 0.6 }) {
  return in_image_page(browser, async ({ a, b, mask, colours, neutral, min_t }) => {
    const pa = a ? await window.decode_png(a) : null;
    const pb = await window.decode_png(b);
    const { width, height, rects } = mask;
    const inside = (x, y) => !rects.some(([rx, ry, rw, rh]) => x >= rx && x < rx + rw &&
                                                               y >= ry && y < ry + rh);
    const classify = (i, t_min) => {
      let best = -1, best_d = 8; // at most 8 levels from the class's line from the neutral
      for (let c = 0; c < colours.length; ++c) {
        const d = colours[c].map((v, k) => v - neutral[k]);
        const p = [0, 1, 2].map((k) => pb[i + k] - neutral[k]);
        const t = Math.min(1, Math.max(0, (p[0] * d[0] + p[1] * d[1] + p[2] * d[2]) /
                                             (d[0] * d[0] + d[1] * d[1] + d[2] * d[2])));
        if (t < t_min) continue;
        const e = Math.hypot(p[0] - t * d[0], p[1] - t * d[1], p[2] - t * d[2]);
        if (e < best_d) { best_d = e; best = c; }
      }
      return best;
    };
    const counts = new Array(colours.length).fill(0);
    for (let y = 0; y < height; ++y)
      for (let x = 0; x < width; ++x) {
        if (!inside(x, y)) continue;
        const c = classify(4 * (y * width + x), min_t);
        if (c >= 0) ++counts[c];
      }
    if (!pa) return { counts };
    let boundary = 0;
    const pairs = {}; // "a|b": boundary pixels with classes a and b (a < b) within 4 pixels
    for (let y = 4; y < height - 4; ++y)
      for (let x = 4; x < width - 4; ++x) {
        if (!inside(x, y) || !inside(x - 4, y - 4) || !inside(x + 4, y + 4)) continue;
        const i = 4 * (y * width + x);
        const dark = Math.max(pa[i], pa[i + 1], pa[i + 2]) <= 50;
        const moved = Math.abs(pa[i] - pb[i]) + Math.abs(pa[i + 1] - pb[i + 1]) +
                      Math.abs(pa[i + 2] - pb[i + 2]) > 60;
        if (!dark || !moved) continue;
        ++boundary;
        const near = new Set();
        for (let dy = -4; dy <= 4; ++dy)
          for (let dx = -4; dx <= 4; ++dx) {
            const c = classify(4 * ((y + dy) * width + x + dx), 0.3);
            if (c >= 0) near.add(c);
          }
        const list = [...near].sort((p, q) => p - q);
        for (let m = 0; m < list.length; ++m)
          for (let n = m + 1; n < list.length; ++n) {
            const key = `${list[m]}|${list[n]}`;
            pairs[key] = (pairs[key] || 0) + 1;
          }
      }
    return { counts, boundary, pairs };
  }, { a: with_boundary ? with_boundary.toString('base64') : null, b: without.toString('base64'),
       mask, colours: CLASS_COLOURS, neutral: NEUTRAL, min_t });
}

// Pixels of exactly (within 3 levels) each class colour: the data points' fills.
function exact_colour_counts(browser, png, mask) {
  return in_image_page(browser, async ({ b64, mask, colours }) => {
    const p = await window.decode_png(b64);
    const { width, height, rects } = mask;
    const counts = new Array(colours.length).fill(0);
    for (let y = 0; y < height; ++y)
      for (let x = 0; x < width; ++x) {
        if (rects.some(([rx, ry, rw, rh]) => x >= rx && x < rx + rw && y >= ry && y < ry + rh))
          continue;
        const i = 4 * (y * width + x);
        for (let c = 0; c < colours.length; ++c)
          if ([0, 1, 2].every((k) => Math.abs(p[i + k] - colours[c][k]) <= 3)) ++counts[c];
      }
    return counts;
  }, { b64: png.toString('base64'), mask, colours: CLASS_COLOURS });
}

export const tests = [
  {
    name: 'a 10-class blobs dataset trains; the class colours of all ten and their boundaries show',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#data=blobs&classes=10&seed=3');
      const net = await page.evaluate(() => window.splinescope.network());
      const outputs = net.layers[net.layers.length - 1].weights.length;
      assert(outputs === 10, `the network has ${outputs} outputs, not 10`);
      const before = await state(page);
      assert(before.session.dataset.classes === 10 && before.url_notes.length === 0,
             `classes ${before.session.dataset.classes}, notes ${before.url_notes.join('; ')}`);
      await page.evaluate(() => window.splinescope.step(2000));
      const trained = await state(page);
      assert(trained.test_accuracy > 0.9, `test accuracy ${trained.test_accuracy} at step 2000`);

      // The points: every class's points in its own colour (over the code colours).
      await page.evaluate(() => window.splinescope.set_overlays(false, false, true));
      await wait_frames(page, 3);
      const mask = await plane_mask(page);
      const with_points = await screenshot(page, 'ten-classes-points');
      const points = await exact_colour_counts(browser, with_points, mask);
      await page.evaluate(() => window.splinescope.set_overlays(false, false, false));
      await wait_frames(page, 3);
      const code = await screenshot(page, 'ten-classes-code');
      const no_points = await exact_colour_counts(browser, code, mask);
      const point_pixels = points.map((n, c) => n - no_points[c]);

      // Output mode (predicted class, light at a tie): each class's region in its colour.
      const err = await page.evaluate(() => window.splinescope.set_color_mode('output', 0));
      assert(err === null, `set_color_mode: ${err}`);
      const figures = { accuracy: trained.test_accuracy, point_pixels };
      for (const exact of [true, false]) {
        const path = exact ? 'exact' : 'pixels';
        await page.evaluate((e) => {
          window.splinescope.set_render_exact(e);
          window.splinescope.set_overlays(false, true, false);
        }, exact);
        await finished(page, exact);
        const with_boundary = await screenshot(page, `ten-classes-output-${path}`);
        await page.evaluate(() => window.splinescope.set_overlays(false, false, false));
        await finished(page, exact);
        const without = await screenshot(page, `ten-classes-output-${path}-no-boundary`);
        figures[path] = await analyse(browser, { with_boundary, without, mask });
      }
      save_json('ten-classes', figures);

      for (let c = 0; c < 10; ++c)
        assert(point_pixels[c] >= 30, `class ${c}'s points: ${point_pixels[c]} pixels`);
      for (const path of ['exact', 'pixels']) {
        const { counts, boundary, pairs } = figures[path];
        const shown = counts.filter((n) => n >= 500).length;
        assert(shown >= 8, `${path}: ${shown} class colours cover 500 pixels: ${counts.join(' ')}`);
        assert(counts[8] >= 500 && counts[9] >= 500,
               `${path}: classes 8 and 9 cover ${counts[8]} and ${counts[9]} pixels`);
        assert(boundary >= 300, `${path}: only ${boundary} pixels of decision boundary`);
        // The boundary between the regions of classes 8 and 9 (a tie of outputs 8 and 9) and
        // between 9 and 0 (the blobs lie on a circle) is drawn.
        assert((pairs['8|9'] || 0) >= 15 && (pairs['0|9'] || 0) >= 15,
               `${path}: boundary pixels between 8|9: ${pairs['8|9']}, 0|9: ${pairs['0|9']}`);
      }
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
];
