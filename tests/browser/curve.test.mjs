// Networks of one input (web/views/curve_view.h): the view is the curve f(x) with its pieces and
// knots. The knots are checked against brute-force sign changes of every neuron, computed here
// from the network's JSON; the curve is found in the picture where the forward pass puts it; the
// lesson trains to a fit; the address, the SVG export and the graph follow.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, assert, blob_bytes, colour_histogram, in_image_page, network_forward, open_app,
         save_json, screenshot, wait_frames } from './harness.mjs';

const SIZE = { width: 1280, height: 800 };
const state = (page) => page.evaluate(() => window.splinescope.state());

// Every hidden neuron's pre-activation and the output at x, from the network's JSON.
const forward = (net, x) => network_forward(net, [x]);

// Where each neuron changes sign over [x0, x1], on a grid of n steps refined by bisection.
function brute_force_knots(net, x0, x1, n = 20000) {
  const knots = [];
  let previous = forward(net, x0).pre;
  for (let i = 1; i <= n; ++i) {
    const x = x0 + ((x1 - x0) * i) / n;
    const current = forward(net, x).pre;
    current.forEach((layer, l) => layer.forEach((v, k) => {
      if ((v > 0) === (previous[l][k] > 0)) return;
      let a = x0 + ((x1 - x0) * (i - 1)) / n, b = x;
      const side = previous[l][k] > 0;
      for (let it = 0; it < 60; ++it) {
        const m = 0.5 * (a + b);
        if ((forward(net, m).pre[l][k] > 0) === side) a = m; else b = m;
      }
      knots.push([0.5 * (a + b), l + 1, k]);
    }));
    previous = current;
  }
  return knots.sort((p, q) => p[0] - q[0]);
}

export const tests = [
  {
    name: 'the lesson on a line trains 1-16-16-1 to fit a sine, and its knots are the neurons\' sign changes',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#lesson=line&pace=max`, SIZE);
      await page.waitForFunction(() => window.splinescope.state().step >= 3000 && !window.splinescope.state().playing,
                                 null, { timeout: 60000 });
      await wait_frames(page, 3);
      const s = await state(page);
      assert(s.curve && s.curve.ok, `no curve: ${JSON.stringify(s.curve)}`);
      assert(s.architecture.startsWith('1 -> 16 -> 16 -> 1'), s.architecture);
      assert(s.test_loss < 0.05, `the sine is not fitted: test loss ${s.test_loss}`);
      const net = await page.evaluate(() => window.splinescope.network());
      const [x0, x1] = s.curve.window;
      assert(Math.abs(x0 - s.view[0]) < 1e-9 && Math.abs(x1 - s.view[1]) < 1e-9, `pieces of ${s.curve.window}, view ${s.view}`);
      const expected = brute_force_knots(net, x0, x1);
      const got = s.curve.knots;
      assert(got.length === expected.length, `${got.length} knots, brute force ${expected.length}`);
      got.forEach((k, i) => assert(Math.abs(k[0] - expected[i][0]) < 1e-6 && k[1] === expected[i][1] && k[2] === expected[i][2],
                                   `knot ${i}: ${k} against ${expected[i]}`));
      const positions = new Set(got.map((k) => k[0].toFixed(9))).size;
      assert(s.curve.pieces === positions + 1 && s.tiles === s.curve.pieces,
             `${s.curve.pieces} pieces, ${positions} knot positions, tiles ${s.tiles}`);
      await screenshot(page, 'curve-lesson');
      save_json('curve-lesson', { test_loss: s.test_loss, pieces: s.curve.pieces, knots: got.length });
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'the curve is drawn where the forward pass puts it, and a click on the plot places a point there',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=sine&layers=16,16&seed=4&steps=800&pace=max&play=1`, SIZE);
      await page.waitForFunction(() => window.splinescope.state().step >= 800 && !window.splinescope.state().playing,
                                 null, { timeout: 60000 });
      await page.evaluate(() => window.splinescope.set_overlays(true, true, false)); // no points over the curve
      await page.keyboard.press('i');
      await wait_frames(page, 3);
      const s = await state(page);
      const net = await page.evaluate(() => window.splinescope.network());
      const png = await screenshot(page, 'curve-drawn');
      const [vx0, vx1, vy0, vy1] = s.view;
      const left = s.layout.SplineScope[0] + s.layout.SplineScope[2] + 10;
      const right = s.layout.Charts ? s.layout.Charts[0] - 10 : s.canvas[0] - 10;
      const samples = [];
      for (let i = 0; i < 12; ++i) {
        const px = Math.round(left + ((right - left) * (i + 0.5)) / 12);
        const x = vx0 + ((px + 0.5) / s.canvas[0]) * (vx1 - vx0);
        const y = forward(net, x).f[0];
        const py = ((vy1 - y) / (vy1 - vy0)) * s.canvas[1];
        if (py < 20 || py > s.canvas[1] - 20) continue;
        samples.push({ px, py: Math.round(py) });
      }
      assert(samples.length >= 6, `the curve is off the canvas: ${JSON.stringify(samples)}`);
      // The curve's dark casing lies within 6 px of where f puts it (rows of a band 9 px wide
      // about the sample's x, whatever the curve's slope there).
      const found = await in_image_page(browser, async ({ b64, samples }) => {
        const out = [];
        for (const { px, py } of samples) {
          const band = await window.decode_png(b64, { x: px - 4, y: py - 50, width: 9, height: 101 });
          const dark = new Set();
          for (let k = 0; k < 101; ++k)
            for (let c = 0; c < 9; ++c) {
              const i = 4 * (k * 9 + c);
              if (band[i] < 40 && band[i + 1] < 40 && band[i + 2] < 50) dark.add(k - 50);
            }
          out.push([...dark]);
        }
        return out;
      }, { b64: png.toString('base64'), samples });
      found.forEach((dark, i) => {
        assert(dark.some((d) => Math.abs(d) <= 6), `no curve near (${samples[i].px}, ${samples[i].py}): dark at ${dark}`);
      });
      // A click on the plot adds the point (x, y) to the training set.
      const px = Math.round((left + right) / 2), py = Math.round(s.canvas[1] * 0.3);
      await page.mouse.move(px, py);
      await wait_frames(page, 1);
      await page.mouse.down();
      await wait_frames(page, 1);
      await page.mouse.up();
      await wait_frames(page, 3);
      const csv = await page.evaluate(() => window.splinescope.data_csv());
      const placed = csv.trim().split('\n').filter((line) => line.endsWith(',hand'));
      assert(placed.length === 1, `placed points: ${placed.length}\n${csv.split('\n').slice(0, 2).join('\n')}`);
      const [x, target] = placed[0].split(',').map(Number);
      const want_x = vx0 + (px / s.canvas[0]) * (vx1 - vx0), want_t = vy1 - (py / s.canvas[1]) * (vy1 - vy0);
      assert(Math.abs(x - want_x) < 0.02 && Math.abs(target - want_t) < 0.02, `placed (${x}, ${target}), clicked (${want_x}, ${want_t})`);
      save_json('curve-drawn', { samples, found, placed: placed[0] });
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'a 1-D page round-trips through its address, exports its spline as SVG, and its graph has one input',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=cubic&layers=8,8&act=abs&seed=3`, SIZE);
      let s = await state(page);
      assert(s.curve && s.curve.ok && JSON.stringify(s.session).includes('"cubic"'), `curve ${JSON.stringify(s.curve)}`);
      assert(s.url_state.includes('data=cubic') && s.url_state.includes('act=abs'), s.url_state);
      const svg = await page.evaluate(() => window.splinescope.export_svg());
      const lines = (svg.match(/<line /g) || []).length;
      assert(svg.startsWith('<svg') || svg.includes('<svg'), 'not an SVG');
      s = await state(page);
      // The SVG is of the view's x range: its pieces are the view's.
      assert(lines === s.curve.pieces, `${lines} lines in the SVG, ${s.curve.pieces} pieces`);
      assert(s.graph.open && s.graph.nodes.filter((n) => n[0] === 0).length === 1, 'the graph does not show one input');
      // The PNG export draws the bands, the knots and the curve: many colours, and the casing.
      const png = await blob_bytes(page, () => window.splinescope.export_png(1280, 800));
      writeFileSync(join(ARTIFACTS, 'curve-export.png'), png);
      const histogram = await colour_histogram(browser, png);
      const casing = histogram.filter(([hex]) => parseInt(hex.slice(1, 3), 16) < 30 && parseInt(hex.slice(3, 5), 16) < 30 &&
                                                 parseInt(hex.slice(5, 7), 16) < 40).reduce((n, [, c]) => n + c, 0);
      const bands = histogram.filter(([, c]) => c > 4000).length;
      assert(bands >= Math.min(6, s.curve.pieces) && casing > 500,
             `PNG: ${bands} colours over 4000 px (pieces ${s.curve.pieces}), ${casing} casing pixels`);
      // Reloading the address gives the same network and the same pieces.
      const again = await open_app(browser, `${url}#${s.url_state}`, SIZE);
      const t = await state(again);
      assert(t.curve.pieces === s.curve.pieces && JSON.stringify(t.curve.knots) === JSON.stringify(s.curve.knots),
             `reloaded: ${t.curve.pieces} pieces, before ${s.curve.pieces}`);
      // Back to the plane: tiles again.
      const error = await page.evaluate(() => window.splinescope.apply_session({ dataset: { name: 'moons' } }));
      assert(error === null, `apply_session: ${error}`);
      await wait_frames(page, 4);
      s = await state(page);
      assert(s.curve === null && s.tiles > 1 && s.tiles_exact, `back in the plane: curve ${JSON.stringify(s.curve)}, tiles ${s.tiles}`);
      assert(page.errors.length === 0 && again.errors.length === 0, [...page.errors, ...again.errors].join('\n'));
    },
  },
];
