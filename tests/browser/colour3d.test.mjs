// Colour modes and the 3-D surface: every mode repaints the tiles, the exact polygons and the
// per-pixel shader paint the same colours, and the 3-D view shows a surface that orbits, with
// a grid standing in beyond the tile budget.
import { assert, click_across_frames, colour_histogram, image_difference, in_image_page, open_app,
         save_json, screenshot, wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());
const CANVAS = { x: 350, y: 0, width: 610, height: 640 }; // right of the settings panel
const MODES = ['gradient', 'output', 'class'];

async function apply(page, doc) {
  const error = await page.evaluate((d) => window.splinescope.apply_session(d), doc);
  assert(error === null, `apply_session refused: ${error}`);
}

async function set_mode(page, name, output = 0) {
  const error = await page.evaluate(([n, k]) => window.splinescope.set_color_mode(n, k),
                                    [name, output]);
  assert(error === null, `set_color_mode(${name}): ${error}`);
}

// Colours covering at least `min_pixels` pixels of the region.
async function colours(browser, png, region, min_pixels = 100) {
  return (await colour_histogram(browser, png, region)).filter(([, n]) => n >= min_pixels).length;
}

// Rows of a region (between the settings panel and the charts window) in which at least
// `min_pixels` pixels differ from the background by more than a few levels.
async function filled_rows(browser, png, region, min_pixels = 40) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const rows = await page.evaluate(async ({ b64, r, min_pixels }) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const ctx = new OffscreenCanvas(r.width, r.height).getContext('2d');
    ctx.drawImage(img, -r.x, -r.y);
    const d = ctx.getImageData(0, 0, r.width, r.height).data;
    const background = [0x1b, 0x1d, 0x24];
    let count = 0;
    for (let y = 0; y < r.height; ++y) {
      let filled = 0;
      for (let x = 0; x < r.width; ++x) {
        const i = 4 * (y * r.width + x);
        if (Math.abs(d[i] - background[0]) + Math.abs(d[i + 1] - background[1]) +
            Math.abs(d[i + 2] - background[2]) > 12) ++filled;
      }
      if (filled >= min_pixels) ++count;
    }
    return count;
  }, { b64: png.toString('base64'), r: region, min_pixels });
  await context.close();
  return rows;
}

// A fixed 2-8-6-C leaky ReLU network in the network format (C = 1: one logit; C >= 2: classes).
function fixed_network(outputs) {
  const row = (k, n, s) => Array.from({ length: n }, (_, j) => Math.sin(7 * k + 3 * j + s) * 1.3);
  const layer = (width, fan_in, s, activation) => ({
    activation, alpha: 0.1,
    weights: Array.from({ length: width }, (_, k) => row(k, fan_in, s)),
    bias: Array.from({ length: width }, (_, k) => Math.cos(k + s) * 0.7),
  });
  return {
    format: 'splinescope-network', version: 1, input_dim: 2,
    layers: [layer(8, 2, 1, 'leaky_relu'), layer(6, 8, 2, 'leaky_relu'),
             layer(outputs, 6, 3, 'linear')],
  };
}

// Waits until the app has drawn three more frames, so a screenshot shows the latest weights and
// colours even when a loaded machine draws only a few frames a second.
async function settle(page) {
  const frames = await page.evaluate(() => window.splinescope.state().frames);
  await page.waitForFunction((f) => window.splinescope.state().frames >= f + 3, frames,
                             { timeout: 30000 });
}

export const tests = [
  {
    name: 'every colour mode repaints the tiles with several colours',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 4, dataset: { name: 'circles', n: 200, noise: 0.05 },
                          network: { hidden: [16, 16] } });
      await page.evaluate(() => window.splinescope.step(300));
      await settle(page);
      const code = await screenshot(page, 'colour-mode-code');
      const figures = { code: await colours(browser, code, CANVAS) };
      for (const mode of MODES) {
        await set_mode(page, mode);
        await settle(page);
        const png = await screenshot(page, `colour-mode-${mode}`);
        const s = await state(page);
        assert(s.color_mode === mode, `state().color_mode is ${s.color_mode}, not ${mode}`);
        const changed = await image_difference(browser, code, png, 6, CANVAS);
        const distinct = await colours(browser, png, CANVAS);
        figures[mode] = { changed, distinct };
        assert(changed > 0.3, `${mode}: only ${(100 * changed).toFixed(1)}% of the pixels changed`);
        assert(distinct >= 6, `${mode}: only ${distinct} colours`);
      }
      save_json('colour-modes', figures);
      const refused = await page.evaluate(() => window.splinescope.set_color_mode('rainbow', 0));
      assert(refused && /unknown colour mode/.test(refused), `unknown mode: ${refused}`);
      assert((await state(page)).color_mode === 'class', 'an unknown mode changed the colours');
      await set_mode(page, 'code');
      await settle(page);
      const back = await screenshot(page, 'colour-mode-code-again');
      const same = await image_difference(browser, code, back, 2, CANVAS);
      assert(same < 0.001, `code colours after a round trip differ in ${(100 * same).toFixed(2)}%`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'exact polygons and the per-pixel shader paint the same colours in every mode',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      const figures = {};
      // One logit (sigmoid confidence) on the default data, then three and ten classes on blobs
      // (outputs 8 and 9 travel in a vertex attribute and a shader variable of their own; with
      // ten, the gradient and output modes show output 9).
      for (const outputs of [1, 3, 10]) {
        if (outputs > 1) await apply(page, { dataset: { name: 'blobs', classes: outputs } });
        const error = await page.evaluate((n) => window.splinescope.load_network(n),
                                          fixed_network(outputs));
        assert(error === null, `load_network: ${error}`);
        await page.evaluate(() => {
          window.splinescope.set_view(-3, 3, -2, 2);
          window.splinescope.set_overlays(false, false, false);
        });
        for (const mode of MODES) {
          await set_mode(page, mode, outputs - 1);
          await page.evaluate(() => window.splinescope.set_render_exact(true));
          await settle(page);
          const exact = await screenshot(page, `colour-paths-${outputs}-${mode}-exact`);
          await page.evaluate(() => window.splinescope.set_render_exact(false));
          await settle(page);
          const pixels = await screenshot(page, `colour-paths-${outputs}-${mode}-pixels`);
          const differ = await image_difference(browser, exact, pixels, 8, CANVAS);
          const distinct = await colours(browser, exact, CANVAS);
          figures[`${outputs}-${mode}`] = { differ, distinct };
          assert(distinct >= 4, `${outputs} outputs, ${mode}: only ${distinct} colours`);
          // Colours may differ only along tile boundaries (rasterised polygon edges against
          // per-pixel codes) and where they jump there (gradient and class modes).
          assert(differ < 0.02, `${outputs} outputs, ${mode}: ${(100 * differ).toFixed(2)}% differ`);
          if (mode === 'output') assert(differ < 0.005, `output mode: ${(100 * differ).toFixed(2)}%`);
        }
      }
      save_json('colour-paths', figures);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the 3-D view shows the surface of a regression network, orbits, and clicks add no points',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 3, dataset: { name: 'ripple' }, network: { hidden: [20, 20, 20, 20] } });
      await page.evaluate(() => window.splinescope.step(1500));
      await page.keyboard.press('i'); // no inspector tooltip in the 2-D pictures compared below
      await settle(page);
      const flat = await screenshot(page, 'surface-2d');
      await page.mouse.move(500, 600);
      await page.keyboard.press('v');
      await settle(page);
      const s3 = await state(page);
      assert(s3.view_3d && s3.surface === 'exact', `view_3d ${s3.view_3d}, surface ${s3.surface}`);
      const surface = await screenshot(page, 'surface-3d');
      const region = { x: 350, y: 360, width: 610, height: 280 }; // below the charts window
      const changed = await image_difference(browser, flat, surface, 6, region);
      const distinct = await colours(browser, surface, region, 50);
      // Seen edge-on, a flat tiling would shrink to a line; the surface stands up from the floor.
      await page.evaluate(() => window.splinescope.set_view_3d(true, -1.15, 0.05));
      await settle(page);
      const side = await screenshot(page, 'surface-3d-side');
      const tall = await filled_rows(browser, side, { x: 350, y: 0, width: 260, height: 640 });
      // Orbit with the mouse: drag on the canvas, then the wheel.
      await page.evaluate(() => window.splinescope.set_view_3d(true, -1.15, 0.62));
      await settle(page);
      const before = await state(page);
      const start = await screenshot(page, 'surface-3d-start');
      await page.mouse.move(520, 560);
      await page.mouse.down();
      for (let i = 1; i <= 10; ++i) await page.mouse.move(520 + 12 * i, 560 - 3 * i);
      await page.mouse.up();
      await settle(page);
      const orbited = await screenshot(page, 'surface-3d-orbited');
      const after = await state(page);
      await page.mouse.wheel(0, -300);
      await settle(page);
      const zoomed = await state(page);
      await screenshot(page, 'surface-3d-zoomed');
      const moved = await image_difference(browser, start, orbited, 6, region);
      save_json('surface-3d', { changed, distinct, tall, moved, before: before.orbit,
                                after: after.orbit, zoomed: zoomed.orbit });
      assert(changed > 0.3, `3-D changed only ${(100 * changed).toFixed(1)}% of the pixels`);
      assert(distinct >= 20, `the surface shows only ${distinct} colours`);
      assert(tall > 100, `seen from the side the scene is only ${tall} pixels tall`);
      assert(after.orbit[0] !== before.orbit[0], 'dragging did not turn the camera');
      assert(moved > 0.2, `orbiting changed only ${(100 * moved).toFixed(1)}% of the pixels`);
      assert(zoomed.orbit[2] < after.orbit[2], 'the wheel did not bring the camera closer');
      assert(after.user_points === before.user_points, 'a drag in 3-D added a point');
      await click_across_frames(page, 600, 560);
      assert((await state(page)).user_points === before.user_points, 'a click in 3-D added a point');
      // V returns to the plane, which looks as before.
      await page.keyboard.press('v');
      await settle(page);
      const back = await screenshot(page, 'surface-2d-again');
      assert(!(await state(page)).view_3d, 'V did not leave the 3-D view');
      const restored = await image_difference(browser, flat, back, 6, region);
      assert(restored < 0.01, `the plane after 3-D differs in ${(100 * restored).toFixed(2)}%`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'beyond the tile budget the 3-D surface is a grid, in every colour mode',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      // 3-D first: the per-pixel plane of a network this size is very slow in a software renderer.
      await page.evaluate(() => window.splinescope.set_view_3d(true, -1.15, 0.62));
      await apply(page, { seed: 3, dataset: { name: 'ripple' },
                          network: { hidden: [64, 64, 64, 64, 64, 64, 64, 64] } });
      await page.waitForFunction(() => window.splinescope.state().surface === 'grid', null,
                                 { timeout: 60000 });
      await settle(page);
      const s = await state(page);
      assert(!s.tiles_exact, 'the tessellation fit the budget');
      const code = await screenshot(page, 'surface-grid-code');
      const region = { x: 350, y: 360, width: 610, height: 280 };
      const distinct = await colours(browser, code, region, 20);
      await set_mode(page, 'output');
      await settle(page);
      const output = await screenshot(page, 'surface-grid-output');
      const changed = await image_difference(browser, code, output, 6, region);
      save_json('surface-grid', { tiles: s.tiles, distinct, changed });
      assert(distinct >= 30, `the grid surface shows only ${distinct} colours`);
      assert(changed > 0.2, `output colours changed only ${(100 * changed).toFixed(1)}%`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'colouring by more layers keeps each tile in its parent tile\'s hue family (shader and SVG)',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#data=moons&layers=8,8,8,8&seed=4');
      await page.evaluate(() => window.splinescope.step(150));
      await page.evaluate(() => window.splinescope.set_overlays(false, false, false));
      const region = { x: 350, y: 0, width: 260, height: 640 }; // between the panel and the charts
      const shots = [];
      for (const layers of [1, 2, 3]) {
        await page.evaluate((l) => window.splinescope.set_code_layers(l), layers);
        await wait_frames(page, 3);
        shots.push(await screenshot(page, `colour-layers-${layers}`));
      }
      // Hue distance (turns) between the same pixels of two pictures, over tile pixels only.
      const hue_steps = (a, b) => in_image_page(browser, async ({ a, b, region }) => {
        const pa = await window.decode_png(a, region), pb = await window.decode_png(b, region);
        const hue = (r, g, b) => {
          const mx = Math.max(r, g, b), mn = Math.min(r, g, b), d = mx - mn;
          if (d === 0) return 0;
          const h = mx === r ? ((g - b) / d + 6) % 6 : mx === g ? (b - r) / d + 2 : (r - g) / d + 4;
          return h / 6;
        };
        const tile_pixel = (p, i) => Math.max(p[i], p[i + 1], p[i + 2]) >= 130 &&
          Math.max(p[i], p[i + 1], p[i + 2]) - Math.min(p[i], p[i + 1], p[i + 2]) >= 25;
        const d = [];
        for (let i = 0; i < pa.length; i += 4) {
          if (!tile_pixel(pa, i) || !tile_pixel(pb, i)) continue;
          const x = Math.abs(hue(pa[i], pa[i + 1], pa[i + 2]) - hue(pb[i], pb[i + 1], pb[i + 2]));
          d.push(Math.min(x, 1 - x));
        }
        d.sort((x, y) => x - y);
        const changed = d.filter((x) => x > 0.002).length;
        return { pixels: d.length, median: d[d.length >> 1], p95: d[Math.floor(0.95 * d.length)], changed };
      }, { a: a.toString('base64'), b: b.toString('base64'), region });
      const one_two = await hue_steps(shots[0], shots[1]);
      const two_three = await hue_steps(shots[1], shots[2]);
      // A layer-2 child moves its parent's hue by at most 0.03 of a turn, a layer-3 one by 0.015
      // (plus 8-bit rounding); colours unrelated to the parent's would differ by 0.25 on average.
      assert(one_two.pixels > 50000, `only ${one_two.pixels} tile pixels`);
      assert(one_two.p95 <= 0.04 && two_three.p95 <= 0.025,
             `hue steps: 1->2 ${JSON.stringify(one_two)}, 2->3 ${JSON.stringify(two_three)}`);
      assert(one_two.changed > 0.3 * one_two.pixels, 'layer 2 did not vary its children at all');
      // The shader and the engine agree: every colour of the canvas at 2 layers is a fill of the
      // SVG export of the 2-layer tiling (within rounding).
      const svg = await page.evaluate(() => { window.splinescope.set_code_layers(2); return window.splinescope.export_svg(); });
      const fills = [...new Set([...svg.matchAll(/<path fill="(#[0-9a-f]{6})"/g)].map((m) => m[1]))];
      const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const big = (await colour_histogram(browser, shots[1], region)).filter(([, n]) => n >= 300).map(([h]) => h);
      const foreign = big.filter((hex) => !fills.some((f) => rgb(f).every((v, k) => Math.abs(v - rgb(hex)[k]) <= 2)));
      save_json('colour-layers', { one_two, two_three, fills: fills.length, big: big.length, foreign });
      assert(big.length >= 8 && fills.length >= 8, `${big.length} canvas colours, ${fills.length} fills`);
      assert(foreign.length === 0, `canvas colours that no SVG fill has: ${foreign.join(' ')}`);
      await page.context().close();
    },
  },
  {
    name: 'the 3-D view shows the data points on the surface',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#data=moons&3d=1');
      await wait_frames(page, 3);
      const s = await state(page);
      await screenshot(page, 'colour3d-points');
      assert(s.view_3d && s.surface_points === s.train_points + s.test_points,
             `${s.surface_points} points on the surface of ${s.train_points} + ${s.test_points}`);
      await page.evaluate(() => window.splinescope.set_overlays(true, true, false));
      await wait_frames(page, 3);
      assert((await state(page)).surface_points === 0, 'points shown with the points overlay off');
      await page.context().close();
    },
  },
];
