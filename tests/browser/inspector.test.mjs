// Overlays, the pinned inspector and the charts: edges coloured by the layer that made them (exact
// polygons, per-pixel shader, URL key, SVG), the Inspector window pinned with P whose neuron cells
// select the highlighted neuron, and the accuracy chart of a classification run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, assert, blob_bytes, click_across_frames, colour_histogram, image_difference,
         open_app, save_json, screenshot, wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

async function apply(page, doc) {
  const error = await page.evaluate((d) => window.splinescope.apply_session(d), doc);
  assert(error === null, `apply_session refused: ${error}`);
}

// Okabe-Ito, as engine/code_hash.h layer_colour(): layers 1..8.
const LAYER_COLOURS = [[0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167],
                       [230, 159, 0], [86, 180, 233], [0, 0, 0], [240, 228, 66]];
const CANVAS = { x: 360, y: 10, width: 590, height: 620 }; // right of the settings panel

// Pixels within `tolerance` (every channel) of each layer colour.
async function layer_pixels(browser, png, region = CANVAS, tolerance = 30) {
  const histogram = await colour_histogram(browser, png, region);
  return LAYER_COLOURS.map(([r, g, b]) => histogram
    .filter(([hex]) => Math.abs(parseInt(hex.slice(1, 3), 16) - r) <= tolerance &&
                       Math.abs(parseInt(hex.slice(3, 5), 16) - g) <= tolerance &&
                       Math.abs(parseInt(hex.slice(5, 7), 16) - b) <= tolerance)
    .reduce((n, [, count]) => n + count, 0));
}

// Pixels of the highlighted neuron's orange (panels.cpp geometry_overlays).
async function orange_pixels(browser, png, region = CANVAS) {
  return (await colour_histogram(browser, png, region))
    .filter(([hex]) => parseInt(hex.slice(1, 3), 16) > 230 && parseInt(hex.slice(3, 5), 16) > 90 &&
                       parseInt(hex.slice(3, 5), 16) < 150 && parseInt(hex.slice(5, 7), 16) < 60)
    .reduce((n, [, c]) => n + c, 0);
}

// Centre of neuron cell (layer 1-based, unit) of the Inspector's grid, from state().inspector.
function cell_centre(inspector, layer, unit) {
  const { pitch, per_row, rows } = inspector.grid;
  const [x, y] = rows[layer - 1];
  return [x + (unit % per_row) * pitch + 0.4 * pitch, y + Math.floor(unit / per_row) * pitch +
          0.4 * pitch];
}

export const tests = [
  {
    name: 'edges coloured by layer show each layer in its own colour, exact and per pixel',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 2, dataset: { name: 'xor' }, network: { hidden: [6, 6, 6] } });
      await page.evaluate(() => window.splinescope.set_overlays(true, false, false));
      await wait_frames(page, 3);
      const mono = await screenshot(page, 'inspector-edges-mono');
      assert((await state(page)).edge_color === 'mono', 'edges are not mono by default');
      const mono_png = await blob_bytes(page, () => window.splinescope.export_png());
      const error = await page.evaluate(() => window.splinescope.set_edge_color('layer'));
      assert(error === null, `set_edge_color: ${error}`);
      const bad = await page.evaluate(() => window.splinescope.set_edge_color('rainbow'));
      assert(bad && /rainbow/.test(bad), `a bad edge colour was accepted: ${bad}`);
      await wait_frames(page, 3);
      const layered = await screenshot(page, 'inspector-edges-layer');
      // The PNG export (exact polygons, no panels) colours its edges by layer too.
      const layered_png = await blob_bytes(page, () => window.splinescope.export_png());
      writeFileSync(join(ARTIFACTS, 'inspector-edges-layer-export.png'), layered_png);
      const [in_mono_png, in_layer_png] = [await layer_pixels(browser, mono_png, null),
                                           await layer_pixels(browser, layered_png, null)];
      const s = await state(page);
      assert(s.edge_color === 'layer' && s.tiles_exact, `state ${s.edge_color} ${s.tiles_exact}`);
      assert(/(^|&)edgecolor=layer(&|$)/.test(s.url_state), `url state ${s.url_state}`);
      const [in_mono, in_layer] = [await layer_pixels(browser, mono),
                                   await layer_pixels(browser, layered)];
      const changed = await image_difference(browser, mono, layered, 6, CANVAS);

      // The per-pixel shader colours its edges by the layer of the nearest neuron's zero set.
      await page.evaluate(() => window.splinescope.set_render_exact(false));
      await wait_frames(page, 3);
      const pixels = await screenshot(page, 'inspector-edges-layer-pixels');
      const in_pixels = await layer_pixels(browser, pixels);
      const svg = await page.evaluate(() => window.splinescope.export_svg());
      save_json('inspector-edges', { in_mono, in_layer, in_pixels, in_mono_png, in_layer_png, changed,
                                     tiles: s.tiles });
      assert(changed > 0.01, `only ${(100 * changed).toFixed(2)}% of the canvas changed`);
      for (let l = 0; l < 3; ++l) {
        assert(in_layer[l] > 150, `exact: ${in_layer[l]} pixels of layer ${l + 1}'s colour`);
        assert(in_layer[l] > 5 * in_mono[l] + 50,
               `layer ${l + 1}: ${in_mono[l]} pixels in mono, ${in_layer[l]} by layer`);
        assert(in_pixels[l] > 150, `per pixel: ${in_pixels[l]} pixels of layer ${l + 1}`);
        assert(in_layer_png[l] > 150 && in_layer_png[l] > 5 * in_mono_png[l] + 50,
               `PNG export: layer ${l + 1}: ${in_mono_png[l]} pixels in mono, ${in_layer_png[l]} by layer`);
      }
      for (const hex of ['#0072b2', '#d55e00', '#009e73'])
        assert(svg.includes(`stroke="${hex}"`), `the SVG has no ${hex} edges`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the edgecolor key is read from the address and written back',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=moons&layers=5,5&edgecolor=layer`);
      await wait_frames(page, 2);
      let s = await state(page);
      assert(s.edge_color === 'layer', `edge colour from the address: ${s.edge_color}`);
      assert(s.url_notes.length === 0, `notes: ${s.url_notes.join('; ')}`);
      assert(/(^|&)edgecolor=layer(&|$)/.test(s.url_state), `written back: ${s.url_state}`);
      const notes = await page.evaluate(() => window.splinescope.load_url('#edgecolor=mono'));
      s = await state(page);
      assert(notes.length === 0 && s.edge_color === 'mono', `mono: ${s.edge_color} ${notes}`);
      assert(!/edgecolor/.test(s.url_state), `a default key was written: ${s.url_state}`);
      const bad = await page.evaluate(() => window.splinescope.load_url('#edgecolor=plaid'));
      assert(bad.length === 1 && /^edgecolor:/.test(bad[0]), `notes for a bad value: ${bad}`);
      await page.context().close();
    },
  },
  {
    name: 'P pins the inspector and a click on a neuron cell draws that neuron, live in training',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 2, dataset: { name: 'xor' }, network: { hidden: [8, 8] } });
      await page.evaluate(() => window.splinescope.set_overlays(true, true, false));
      await page.mouse.move(700, 330);
      await wait_frames(page, 2);
      await page.keyboard.press('p');
      await wait_frames(page, 3);
      let s = await state(page);
      assert(s.inspector.open && s.inspector.pinned, `inspector ${JSON.stringify(s.inspector)}`);
      assert(s.windows.includes('Inspector'), `windows: ${s.windows}`);
      // The pinned point is the input-plane point under the cursor.
      const [x0, x1, y0, y1] = s.view;
      const expected = [x0 + 700 / s.canvas[0] * (x1 - x0), y1 - 330 / s.canvas[1] * (y1 - y0)];
      assert(Math.abs(s.inspector.point[0] - expected[0]) < 0.02 &&
             Math.abs(s.inspector.point[1] - expected[1]) < 0.02,
             `pinned ${s.inspector.point}, cursor at ${expected}`);
      assert(s.inspector.tile && s.inspector.tile.corners >= 3 && s.inspector.tile.area > 0,
             `tile ${JSON.stringify(s.inspector.tile)}`);
      assert(s.inspector.grid.rows.length === 2, `grid rows ${s.inspector.grid.rows.length}`);
      assert(s.highlight[0] === 0, `a neuron is highlighted already: ${s.highlight}`);
      // The cursor over the settings panel: no hover outline or tooltip in the pictures.
      await page.mouse.move(100, 100);
      await wait_frames(page, 2);
      const before = await screenshot(page, 'inspector-pinned');
      const [cx, cy] = cell_centre(s.inspector, 2, 3);
      await click_across_frames(page, cx, cy);
      await page.mouse.move(100, 100);
      await wait_frames(page, 2);
      s = await state(page);
      assert(s.highlight[0] === 2 && s.highlight[1] === 3, `highlight ${s.highlight}`);
      assert(/(^|&)neuron=2\.3(&|$)/.test(s.url_state), `url state ${s.url_state}`);
      const after = await screenshot(page, 'inspector-neuron-2-3');
      const [orange_before, orange_after] = [await orange_pixels(browser, before),
                                             await orange_pixels(browser, after)];
      const changed = await image_difference(browser, before, after, 6, CANVAS);

      // Training goes on; the pinned point stays and its values follow the network.
      const f_before = s.inspector.outputs[0];
      await page.evaluate(() => window.splinescope.step(300));
      await wait_frames(page, 3);
      const trained = await state(page);
      await screenshot(page, 'inspector-trained');
      save_json('inspector-pin', { orange_before, orange_after, changed, f_before,
                                   f_after: trained.inspector.outputs[0], point: s.inspector.point,
                                   tile: s.inspector.tile });
      assert(orange_after > orange_before + 300, `orange pixels ${orange_before} -> ${orange_after}`);
      assert(changed > 0.002, `${(100 * changed).toFixed(2)}% of the canvas changed`);
      assert(trained.inspector.pinned && trained.windows.includes('Inspector'),
             'the inspector did not survive training');
      assert(trained.inspector.point[0] === s.inspector.point[0], 'the pinned point moved');
      assert(Math.abs(trained.inspector.outputs[0] - f_before) > 1e-6,
             `f(x) did not follow training: ${f_before} -> ${trained.inspector.outputs[0]}`);
      assert(trained.highlight[0] === 2 && trained.highlight[1] === 3, 'selection lost');

      // A second click on the selected cell clears the selection.
      const [dx, dy] = cell_centre(trained.inspector, 2, 3);
      await click_across_frames(page, dx, dy);
      assert((await state(page)).highlight[0] === 0, 'a second click did not clear it');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'without the inspector panel P pins nothing and the window never shows',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#panels=controls,view`);
      await page.mouse.move(700, 330);
      await wait_frames(page, 2);
      await page.keyboard.press('p');
      await wait_frames(page, 3);
      let s = await state(page);
      assert(!s.inspector.pinned && !s.windows.includes('Inspector'),
             `inspector ${JSON.stringify(s.inspector)} windows ${s.windows}`);
      await page.evaluate(() => window.splinescope.pin_inspector(0.5, 0.5));
      await wait_frames(page, 2);
      s = await state(page);
      assert(!s.windows.includes('Inspector'), 'the window showed without its panel');
      await page.evaluate(() => window.splinescope.load_url('#panels=all'));
      await wait_frames(page, 2);
      s = await state(page);
      assert(s.windows.includes('Inspector') && s.inspector.grid.rows.length === 3,
             `with the panel: ${s.windows} ${JSON.stringify(s.inspector.grid)}`);
      await page.evaluate(() => window.splinescope.pin_inspector());
      await wait_frames(page, 2);
      assert(!(await state(page)).windows.includes('Inspector'), 'pin_inspector() did not close it');
      await page.context().close();
    },
  },
  {
    name: 'the charts plot accuracy for classification and not for regression',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 3, dataset: { name: 'moons' }, network: { hidden: [8, 8] } });
      await page.evaluate(() => window.splinescope.step(400));
      await wait_frames(page, 3);
      const moons = await state(page);
      const classes = await screenshot(page, 'inspector-charts-moons');
      await apply(page, { seed: 3, dataset: { name: 'ripple' }, network: { hidden: [8, 8] } });
      await page.evaluate(() => window.splinescope.step(400));
      await wait_frames(page, 3);
      const ripple = await state(page);
      const regression = await screenshot(page, 'inspector-charts-ripple');
      // The accuracy chart's frame (state().chart_rects) holds the train curve: pixels near the
      // train colour (0, 160, 230), drawn over the test curve; the loss chart above has both.
      const near = (hex, [r, g, b], tolerance) => Math.abs(parseInt(hex.slice(1, 3), 16) - r) <= tolerance &&
        Math.abs(parseInt(hex.slice(3, 5), 16) - g) <= tolerance && Math.abs(parseInt(hex.slice(5, 7), 16) - b) <= tolerance;
      const count = async (png, rect, colour) => {
        const [x, y, width, height] = rect.map(Math.round);
        return (await colour_histogram(browser, png, { x, y, width, height }))
          .filter(([hex]) => near(hex, colour, 40)).reduce((n, [, c]) => n + c, 0);
      };
      const accuracy_rect = moons.chart_rects.accuracy;
      assert(accuracy_rect && accuracy_rect[2] > 100, `accuracy chart at ${accuracy_rect}`);
      const blue_accuracy = await count(classes, accuracy_rect, [0, 160, 230]);
      const blue_loss = await count(classes, moons.chart_rects.loss, [0, 160, 230]);
      const yellow_loss = await count(classes, moons.chart_rects.loss, [240, 200, 60]);
      save_json('inspector-charts', { moons: moons.charts, ripple: ripple.charts, rects: moons.chart_rects,
                                      blue_accuracy, blue_loss, yellow_loss, accuracy: moons.train_accuracy });
      assert(moons.charts.includes('accuracy'), `moons charts: ${moons.charts}`);
      assert(!ripple.charts.includes('accuracy') && ripple.charts.includes('loss') && !ripple.chart_rects.accuracy,
             `ripple charts: ${ripple.charts}`);
      // A curve across the frame: at least a pixel per three columns.
      assert(blue_accuracy > accuracy_rect[2] / 3, `train-colour pixels in the accuracy chart: ${blue_accuracy}`);
      assert(blue_loss > moons.chart_rects.loss[2] / 3 && yellow_loss > 20,
             `loss chart: ${blue_loss} train-colour and ${yellow_loss} test-colour pixels`);
      await page.context().close();
    },
  },
  {
    name: 'a highlighted neuron that draws no line says why: dead, or its zero set outside the view',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#data=moons&layers=4,4', { width: 1280, height: 800 });
      // Neuron 1.2 made dead: h = -1 - 0 x on every input.
      const net = await page.evaluate(() => window.splinescope.network());
      net.layers[0].weights[2] = [0, 0];
      net.layers[0].bias[2] = -1;
      const problem = await page.evaluate((n) => window.splinescope.load_network(n), net);
      assert(problem === null, `load_network: ${problem}`);
      const note_of = async (layer, unit) => {
        await page.evaluate(([l, u]) => window.splinescope.highlight_neuron(l, u), [layer, unit]);
        await wait_frames(page, 3);
        const s = await page.evaluate(() => window.splinescope.state());
        return { note: s.neuron_note, activity: s.neuron_activity };
      };
      const dead = await note_of(1, 2);
      await screenshot(page, 'inspector-dead-neuron');
      assert(/inactive \(h < 0\) on the whole view/.test(dead.note) && /dead neuron/.test(dead.note),
             `dead neuron's note: ${dead.note}`);
      assert(!dead.activity.crosses_view && dead.activity.active_fraction === 0 &&
             dead.activity.active_points === 0 && dead.activity.points > 0, JSON.stringify(dead.activity));
      // A live neuron whose line crosses the view: the note says so, with its active share.
      let crossing = null;
      for (const unit of [0, 1, 3]) {
        const n = await note_of(1, unit);
        if (n.activity.crosses_view) { crossing = { unit, ...n }; break; }
      }
      assert(crossing, 'no first-layer neuron crosses the fitted view');
      assert(/crosses the view/.test(crossing.note), `crossing note: ${crossing.note}`);
      // The same neuron in a window far from its line: one side only, and the note says where.
      await page.evaluate(() => window.splinescope.set_view(40, 41, 40, 41));
      const away = await note_of(1, crossing.unit);
      assert(!away.activity.crosses_view && /on the whole view/.test(away.note) &&
             /lies outside/.test(away.note), `far from its line: ${away.note}`);
      const pinned = await page.evaluate(() => { window.splinescope.pin_inspector(40.5, 40.5); return 1; });
      await wait_frames(page, 2);
      await screenshot(page, 'inspector-neuron-outside-view');
      assert(pinned && page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
];
