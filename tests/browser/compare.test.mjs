// Compare mode (web/compare/compare.h): two to four panes side by side, the same data and seed,
// each the page's settings with its own changes. Every figure is read through state(); the panes'
// pictures are read from screenshots of their rectangles.
import { assert, blob_bytes, colour_histogram, open_app, save_json, screenshot, wait_frames } from './harness.mjs';

const SIZE = { width: 1280, height: 800 };
const state = (page) => page.evaluate(() => window.splinescope.state());

// Records main-thread tasks of 50 ms and more.
function observe_tasks() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const overlap = (a, b) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];

// The panes lie inside the canvas, apart from each other and from the settings panel.
function check_rects(s, count) {
  const panes = s.compare && s.compare.panes;
  assert(panes && panes.length === count, `expected ${count} panes: ${JSON.stringify(s.compare)}`);
  for (const p of panes) {
    const [x, y, w, h] = p.rect;
    assert(x >= 0 && y >= 0 && x + w <= s.canvas[0] && y + h <= s.canvas[1] && w > 100 && h > 100,
           `pane ${p.letter} at ${p.rect} in a canvas of ${s.canvas}`);
    if (s.layout.SplineScope) assert(!overlap(p.rect, s.layout.SplineScope), `pane ${p.letter} under the settings`);
  }
  for (let i = 0; i < panes.length; ++i)
    for (let j = i + 1; j < panes.length; ++j)
      assert(!overlap(panes[i].rect, panes[j].rect), `panes ${i} and ${j} overlap: ${panes[i].rect} ${panes[j].rect}`);
  return panes;
}

// Distinct colours inside a pane's rectangle (below its label), from a screenshot.
async function pane_colours(browser, png, rect) {
  const region = { x: rect[0] + 4, y: rect[1] + 60, width: rect[2] - 8, height: rect[3] - 64 };
  const histogram = await colour_histogram(browser, png, region);
  return histogram.filter(([, n]) => n >= 20).length;
}

export const tests = [
  {
    name: 'two panes with batch norm off and on draw side by side, train in lock step and differ where their settings do',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=moons&seed=3&pace=max&compare=bn:0|bn:1`, SIZE);
      await page.evaluate(() => window.splinescope.step(300));
      await wait_frames(page, 4);
      const s = await state(page);
      const panes = check_rects(s, 2);
      assert(panes.every((p) => p.steps === 300), `steps ${panes.map((p) => p.steps)}`);
      assert(panes[0].session.network.batch_norm === false && panes[1].session.network.batch_norm === true,
             `batch norm ${panes.map((p) => p.session.network.batch_norm)}`);
      // The same data and seed: everything else alike.
      const strip = (p) => JSON.stringify({ ...p.session, network: { ...p.session.network, batch_norm: null } });
      assert(strip(panes[0]) === strip(panes[1]), `the panes differ beyond batch norm:\n${strip(panes[0])}\n${strip(panes[1])}`);
      assert(panes.every((p) => p.tiles_exact && p.tiles > 10), `tiles ${panes.map((p) => p.tiles)}`);
      assert(panes[0].tiles !== panes[1].tiles, `the same tile count with and without batch norm: ${panes[0].tiles}`);
      assert(panes[0].train_loss !== panes[1].train_loss, 'the same loss with and without batch norm');
      // Each pane draws its own tiles.
      const png = await screenshot(page, 'compare-two-panes');
      const colours = [];
      for (const p of panes) colours.push(await pane_colours(browser, png, p.rect));
      assert(colours.every((n) => n >= 20), `colours in the panes: ${colours}`);
      // The PNG export is pane A's view, at its size.
      const exported = await blob_bytes(page, () => window.splinescope.export_png());
      const size = { width: exported.readUInt32BE(16), height: exported.readUInt32BE(20) };
      assert(size.width === panes[0].rect[2] && size.height === panes[0].rect[3],
             `the export is ${size.width} x ${size.height}, pane A ${panes[0].rect}`);
      const exported_colours = (await colour_histogram(browser, exported)).filter(([, n]) => n >= 20).length;
      assert(exported_colours >= 20, `the export has ${exported_colours} colours`);
      // Playing keeps them in lock step.
      await page.evaluate(() => window.splinescope.run(200));
      await page.waitForFunction(() => !window.splinescope.state().playing, null, { timeout: 60000 });
      const after = (await state(page)).compare.panes;
      assert(after.every((p) => p.steps === 500), `after run(200): steps ${after.map((p) => p.steps)}`);
      assert(s.charts.includes('loss') && s.charts_loss_label.startsWith('A ') && s.charts_loss_label.includes(' B '),
             `the charts: ${s.charts} "${s.charts_loss_label}"`);
      save_json('compare-two-panes', { panes: after, colours });
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'a drag in one pane moves the view of every pane, and the address round-trips the panes',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=xor&compare=layers:8;lr:0.003|layers:4,4,4`, SIZE);
      await wait_frames(page, 3);
      const s = await state(page);
      const panes = check_rects(s, 2);
      assert(panes[0].architecture.startsWith('2 -> 8 -> 1') && panes[1].architecture.startsWith('2 -> 4 -> 4 -> 4 -> 1'),
             panes.map((p) => p.architecture).join(' / '));
      assert(panes[0].session.train.learning_rate === 0.003 && panes[1].session.train.learning_rate !== 0.003,
             'the learning rate is pane A\'s own');
      const before = panes[1].view;
      const [x, y, w] = panes[1].rect;
      const cx = x + w / 2, cy = y + panes[1].rect[3] / 2;
      await page.mouse.move(cx, cy);
      await wait_frames(page, 1);
      await page.mouse.down();
      for (let i = 1; i <= 6; ++i) {
        await page.mouse.move(cx + 10 * i, cy + 5 * i);
        await wait_frames(page, 1);
      }
      await page.mouse.up();
      await wait_frames(page, 3);
      const moved = (await state(page)).compare.panes;
      const dx = (before[1] - before[0]) * 60 / w;
      assert(Math.abs(moved[1].view[0] - (before[0] - dx)) < 0.02 * (before[1] - before[0]),
             `pane B's view ${moved[1].view}, before ${before}, expected x0 ${before[0] - dx}`);
      assert(moved.every((p) => JSON.stringify(p.view) === JSON.stringify(moved[0].view)),
             `the views differ: ${moved.map((p) => p.view).join(' / ')}`);
      const address = (await state(page)).url_state;
      const written = new URLSearchParams(address).get('compare');
      assert(written === 'layers:8;lr:0.003|layers:4,4,4', `address: ${address}`);
      const again = await open_app(browser, `${url}#${address}`, SIZE);
      await wait_frames(again, 3);
      const t = await state(again);
      const reread = check_rects(t, 2);
      assert(reread.map((p) => p.settings).join('|') === panes.map((p) => p.settings).join('|'),
             `settings ${reread.map((p) => p.settings)} against ${panes.map((p) => p.settings)}`);
      assert(reread.every((p) => Math.abs(p.view[0] - moved[0].view[0]) < 1e-6 * (before[1] - before[0]) + 1e-9) ||
             Math.abs((reread[0].view[0] + reread[0].view[1]) / 2 - (moved[0].view[0] + moved[0].view[1]) / 2) < 1e-6,
             `the view after reading the address: ${reread[0].view} against ${moved[0].view}`);
      // Back to one pane.
      await again.evaluate(() => window.splinescope.load_url('#data=xor'));
      await wait_frames(again, 3);
      assert((await state(again)).compare === null, 'compare mode stays after a state without it');
      assert(page.errors.length === 0 && again.errors.length === 0, [...page.errors, ...again.errors].join('\n'));
    },
  },
  {
    name: 'four panes of the default network train at full pace with no main-thread task over 50 ms',
    timing: true,
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#compare=act:relu|act:leaky_relu|act:abs|layers:64&pace=max`,
                                  { ...SIZE, init: observe_tasks });
      await page.waitForTimeout(1500); // start-up (shaders, the first tessellations) is not measured
      await page.evaluate(() => { window.__long = []; window.splinescope.play(); });
      const t0 = Date.now();
      const s0 = await state(page);
      const panes0 = check_rects(s0, 4);
      // The cursor moves over the panes (the tooltip and the tile outline follow it).
      for (let i = 0; Date.now() - t0 < 8000; ++i) {
        const p = panes0[i % 4];
        await page.mouse.move(p.rect[0] + p.rect[2] * 0.3 + (i % 7) * 9, p.rect[1] + p.rect[3] * 0.6);
        await page.waitForTimeout(120);
      }
      await page.evaluate(() => window.splinescope.pause());
      await wait_frames(page, 2);
      const s = await state(page);
      const long = await page.evaluate(() => window.__long);
      const panes = s.compare.panes;
      await screenshot(page, 'compare-four-panes');
      save_json('compare-four-panes', { panes, long, fps: s.fps, timing: s.timing });
      assert(panes.every((p) => p.steps === panes[0].steps) && panes[0].steps > 1000,
             `steps ${panes.map((p) => p.steps)}`);
      assert(new Set(panes.map((p) => p.tiles)).size >= 3, `tile counts ${panes.map((p) => p.tiles)}`);
      assert(long.length === 0, `main-thread tasks over 50 ms: ${long.map((e) => Math.round(e.ms)).join(', ')}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'an embed of compare mode shows both panes, and a pane cannot change the data',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#embed=1&panels=none&compare=act:relu|act:abs|data:xor&steps=100&pace=max`,
                                  { width: 720, height: 420 });
      await page.waitForFunction(() => window.splinescope.state().step >= 100, null, { timeout: 60000 });
      await wait_frames(page, 3);
      const s = await state(page);
      const panes = check_rects(s, 3);
      assert(s.url_notes.some((n) => n.includes('data')), `no note about data: ${s.url_notes}`);
      assert(panes.every((p) => p.session.dataset.name === s.session.dataset.name), 'a pane changed the data');
      const png = await screenshot(page, 'compare-embed');
      for (const p of panes) {
        const n = await pane_colours(browser, png, p.rect);
        assert(n >= 10, `pane ${p.letter}: ${n} colours`);
      }
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
];
