// The live view: real training, tiles that move, editing points, the layer view, divergence, and
// the two render paths (shader and engine) agreeing on a network loaded through the page interface.
import { assert, click_across_frames, colour_histogram, image_difference, open_app, save_json,
         screenshot, wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

async function apply(page, doc) {
  const error = await page.evaluate((d) => window.splinescope.apply_session(d), doc);
  assert(error === null, `apply_session refused: ${error}`);
}

export const tests = [
  {
    name: 'training on circles lowers the loss within seconds and moves the tiles',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 4, dataset: { name: 'circles', n: 200, noise: 0.05 },
                          network: { hidden: [16, 16] } });
      await page.waitForTimeout(300);
      const before = await state(page);
      const first = await screenshot(page, 'visualizer-train-0');
      await page.evaluate(() => window.splinescope.play());
      const start = Date.now();
      let now = before;
      while (Date.now() - start < 20000) {
        await page.waitForTimeout(500);
        now = await state(page);
        if (now.step >= 1500 && now.train_loss < 0.5 * before.train_loss) break;
      }
      await page.evaluate(() => window.splinescope.pause());
      await page.waitForTimeout(400);
      const later = await screenshot(page, 'visualizer-train-later');
      save_json('visualizer-train', { before, after: now, seconds: (Date.now() - start) / 1000 });
      assert(now.step > 0, 'no training step happened');
      assert(now.train_loss < 0.5 * before.train_loss,
             `train loss ${before.train_loss} -> ${now.train_loss} after ${now.step} steps`);
      assert(now.test_accuracy > 0.85, `test accuracy ${now.test_accuracy}`);
      const changed = await image_difference(browser, first, later);
      assert(changed > 0.1, `only ${(100 * changed).toFixed(1)}% of the pixels changed`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a click adds a point of the chosen class and a shift-click removes it',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { dataset: { name: 'moons' } });
      await wait_frames(page);
      const before = await state(page);
      await click_across_frames(page, 760, 560);
      const added = await state(page);
      assert(added.user_points === 1, `user points ${added.user_points}`);
      assert(added.train_points === before.train_points + 1, 'the training set did not grow');
      await page.keyboard.down('Shift');
      await click_across_frames(page, 760, 560);
      await page.keyboard.up('Shift');
      await wait_frames(page);
      const removed = await state(page);
      assert(removed.user_points === 0, `user points after removal ${removed.user_points}`);
      assert(removed.train_points === before.train_points, 'the training set did not shrink');
      await page.context().close();
    },
  },
  {
    name: 'colouring by the first layer only shows fewer tiles than all layers',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.waitForTimeout(200);
      const all = await screenshot(page, 'visualizer-layers-all');
      await page.keyboard.press('1');
      await page.waitForTimeout(400);
      const one = await screenshot(page, 'visualizer-layers-1');
      const region = { x: 350, y: 0, width: 610, height: 640 };
      const count = async (png) => (await colour_histogram(browser, png, region))
        .filter(([, n]) => n >= 100).length;
      const [n_all, n_one] = [await count(all), await count(one)];
      save_json('visualizer-layers', { n_all, n_one });
      assert((await state(page)).code_layers === 1, 'key 1 did not select layer 1');
      assert(n_one < n_all, `layer 1 shows ${n_one} colours, all layers ${n_all}`);
      assert(await image_difference(browser, all, one) > 0.2, 'the picture did not change');
      await page.context().close();
    },
  },
  {
    name: 'a diverging learning rate pauses training with a message and restorable weights',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { dataset: { name: 'ripple' }, network: { hidden: [32, 32, 32] },
                          train: { optimizer: 'sgd', learning_rate: 10 } });
      await page.evaluate(() => window.splinescope.play());
      await page.waitForFunction(() => window.splinescope.state().diverged, null,
                                 { timeout: 30000 });
      await page.waitForTimeout(400);
      const s = await state(page);
      await screenshot(page, 'visualizer-diverged');
      assert(!s.playing, 'still playing after divergence');
      assert(/step \d+/.test(s.divergence_message), `message: ${s.divergence_message}`);
      const weights = await page.evaluate(() => window.splinescope.network());
      const finite = weights.layers.every((l) => l.weights.every((r) => r.every(Number.isFinite)));
      assert(finite, 'the shown weights are not finite');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a loaded network is drawn with the same codes by the shader and the engine',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      // A fixed 2-6-5-1 network with leaky ReLU, given as JSON through the page interface.
      const row = (k, n, s) => Array.from({ length: n }, (_, j) => Math.sin(7 * k + 3 * j + s) * 1.3);
      const net = {
        format: 'splinescope-network', version: 1, input_dim: 2,
        layers: [
          { activation: 'leaky_relu', alpha: 0.1,
            weights: Array.from({ length: 6 }, (_, k) => row(k, 2, 1)),
            bias: Array.from({ length: 6 }, (_, k) => Math.cos(k) * 0.8) },
          { activation: 'leaky_relu', alpha: 0.1,
            weights: Array.from({ length: 5 }, (_, k) => row(k, 6, 2)),
            bias: Array.from({ length: 5 }, (_, k) => Math.sin(k) * 0.5) },
          { activation: 'linear', alpha: 0.01, weights: [row(0, 5, 3)], bias: [0.1] },
        ],
      };
      const error = await page.evaluate((n) => window.splinescope.load_network(n), net);
      assert(error === null, `load_network: ${error}`);
      await page.evaluate(() => window.splinescope.set_view(-3, 3, -2, 2));
      const result = await page.evaluate(() => window.splinescope.compare_codes(600, 400, -1));
      save_json('visualizer-loaded-network-codes', result);
      await page.waitForTimeout(300);
      await screenshot(page, 'visualizer-loaded-network');
      assert(result.distinct >= 10, `only ${result.distinct} codes`);
      assert(result.mismatches <= 0.005 * result.pixels,
             `${result.mismatches} of ${result.pixels} pixels disagree`);
      assert(result.mismatches_away_from_edges === 0,
             `${result.mismatches_away_from_edges} pixels disagree away from edges`);
      const bad = await page.evaluate(() => window.splinescope.load_network('{"format": 3}'));
      assert(bad && bad.length > 0, 'a malformed network was accepted');
      assert((await state(page)).architecture === '2 -> 6 -> 5 -> 1 leaky_relu',
             'the malformed network replaced the loaded one');
      await page.context().close();
    },
  },
  {
    name: 'hovering the canvas shows the inspector and I hides it',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.mouse.move(640, 420);
      await page.waitForTimeout(600);
      const shown = await screenshot(page, 'visualizer-inspector');
      await page.keyboard.press('i');
      await page.mouse.move(641, 421);
      await page.waitForTimeout(600);
      const hidden = await screenshot(page, 'visualizer-inspector-off');
      const region = { x: 600, y: 380, width: 340, height: 220 };
      const dark = async (png) => (await colour_histogram(browser, png, region))
        .filter(([hex]) => parseInt(hex.slice(1, 3), 16) < 60 && parseInt(hex.slice(3, 5), 16) < 60)
        .reduce((n, [, count]) => n + count, 0);
      const [with_tip, without] = [await dark(shown), await dark(hidden)];
      save_json('visualizer-inspector', { with_tip, without });
      assert(with_tip > without + 5000, `dark pixels near the cursor: ${with_tip} vs ${without}`);
      await page.context().close();
    },
  },
  {
    name: 'a lost WebGL context is restored with the settings, weights and points kept',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 5, dataset: { name: 'moons' }, network: { hidden: [12, 12] },
                          train: { learning_rate: 0.02 } });
      await page.evaluate(() => window.splinescope.step(100));
      await page.mouse.click(700, 500);
      await page.waitForTimeout(200);
      const before = await state(page);
      const weights_before = await page.evaluate(() => window.splinescope.network());
      assert(before.user_points === 1, 'the click did not add a point');
      const reloaded = page.waitForEvent('load', { timeout: 60000 });
      await page.evaluate(() => {
        const gl = document.getElementById('canvas').getContext('webgl2');
        const ext = gl.getExtension('WEBGL_lose_context');
        ext.loseContext();
        setTimeout(() => ext.restoreContext(), 300);
      });
      await reloaded;
      await page.waitForFunction(() => window.splinescope && window.splinescope.ready &&
                                 window.splinescope.state().user_points === 1,
                                 null, { timeout: 60000 });
      await page.waitForTimeout(300);
      const after = await state(page);
      await screenshot(page, 'visualizer-context-restored');
      const weights_after = await page.evaluate(() => window.splinescope.network());
      assert(after.session.dataset.name === 'moons', `dataset ${after.session.dataset.name}`);
      assert(JSON.stringify(after.session.network.hidden) === '[12,12]', 'architecture lost');
      assert(after.session.train.learning_rate === 0.02, 'learning rate lost');
      assert(JSON.stringify(weights_after.layers) === JSON.stringify(weights_before.layers),
             'weights changed');
      assert(/restored/.test(after.notice), `notice: ${after.notice}`);
      await page.context().close();
    },
  },
  {
    name: 'the exact tessellation counts the tiles and draws a chosen neuron\'s bent hyperplane',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 2, dataset: { name: 'xor' }, network: { hidden: [8, 8] } });
      await page.waitForTimeout(500);
      const s = await state(page);
      assert(s.tiles_exact, 'the tile count is not exact');
      // The exact count is at least the number of codes a pixel grid sees over the same view.
      const grid = await page.evaluate(() => window.splinescope.compare_codes(480, 320, -1));
      assert(s.tiles >= grid.distinct, `exact ${s.tiles} < grid ${grid.distinct}`);
      const plain = await screenshot(page, 'visualizer-neuron-off');
      await page.evaluate(() => window.splinescope.highlight_neuron(2, 3));
      await page.waitForTimeout(400);
      const lit = await screenshot(page, 'visualizer-neuron-2-3');
      const orange = async (png) => (await colour_histogram(browser, png))
        .filter(([hex]) => parseInt(hex.slice(1, 3), 16) > 230 && parseInt(hex.slice(3, 5), 16) > 90 &&
                           parseInt(hex.slice(3, 5), 16) < 150 && parseInt(hex.slice(5, 7), 16) < 60)
        .reduce((n, [, c]) => n + c, 0);
      const [before, after] = [await orange(plain), await orange(lit)];
      save_json('visualizer-neuron', { before, after, tiles: s.tiles, grid: grid.distinct });
      assert(after > before + 300, `orange pixels ${before} -> ${after}`);
      await page.context().close();
    },
  },
  {
    name: 'exact polygons and the per-pixel shader paint the same tiles',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.evaluate(() => window.splinescope.set_overlays(false, false, false));
      await page.evaluate(() => window.splinescope.set_render_exact(true));
      await page.waitForTimeout(500);
      const exact = await screenshot(page, 'visualizer-paths-exact');
      await page.evaluate(() => window.splinescope.set_render_exact(false));
      // The finished picture: the generated shader (compiled in the background) at full resolution.
      await page.waitForFunction(() => {
        const s = window.splinescope.state();
        return s.tile_shader === 'unrolled' && s.pixels_refined === 1;
      }, null, { timeout: 60000 });
      await wait_frames(page, 2);
      const pixels = await screenshot(page, 'visualizer-paths-pixels');
      const region = { x: 350, y: 0, width: 610, height: 640 };
      const differ = await image_difference(browser, exact, pixels, 6, region);
      const s = await state(page);
      save_json('visualizer-paths', { differ, tiles: s.tiles });
      assert(s.tiles_exact && s.tiles > 100, `tiles ${s.tiles}`);
      // Rasterised polygon edges and per-pixel codes may disagree only along tile boundaries.
      assert(differ < 0.02, `${(100 * differ).toFixed(2)}% of the pixels differ`);
      await page.context().close();
    },
  },
  {
    name: 'the timeline replays earlier weights and play returns to the live network',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 3, dataset: { name: 'moons' }, network: { hidden: [12, 12] } });
      await page.evaluate(() => window.splinescope.step(600));
      await page.waitForTimeout(400);
      const live = await screenshot(page, 'visualizer-timeline-live');
      const s = await state(page);
      assert(s.snapshots >= 10, `only ${s.snapshots} snapshots`);
      await page.evaluate(() => window.splinescope.replay(0));
      await page.waitForTimeout(400);
      const first = await screenshot(page, 'visualizer-timeline-start');
      const replaying = await state(page);
      assert(replaying.replay === 0 && !replaying.playing, 'not replaying the first snapshot');
      const region = { x: 350, y: 0, width: 250, height: 640 };
      assert(await image_difference(browser, live, first, 6, region) > 0.2,
             'the first snapshot looks like the live network');
      await page.evaluate(() => window.splinescope.play());
      await page.waitForTimeout(300);
      const back = await state(page);
      assert(back.replay === -1 && back.step > s.step, 'play did not return to live training');
      await page.context().close();
    },
  },
  {
    name: "a lesson's run starts at step 0 with 50+ snapshots, and replay shows one step's figures",
    async run({ browser, url }) {
      // A long run on the boundary lesson's settings, then the lesson itself.
      const page = await open_app(browser, url + '#data=moons&layers=8,8');
      await page.evaluate(() => window.splinescope.step(20000));
      const start = await page.evaluate(() => { // in one task: no frame trains in between
        const problem = window.splinescope.open_lesson('boundary');
        window.splinescope.pause();
        return { problem, ...window.splinescope.state() };
      });
      assert(start.problem === null, start.problem);
      assert(start.step === 0 && start.snapshots === 1, `the lesson starts at step ${start.step}`);
      await page.evaluate(() => window.splinescope.step(2000)); // the lesson's steps=2000
      const s = await state(page);
      assert(s.snapshots >= 50, `${s.snapshots} snapshots over the lesson's 2,000 steps`);
      await page.evaluate(() => window.splinescope.replay(5));
      await wait_frames(page, 2);
      const r = await state(page);
      await screenshot(page, 'visualizer-replay-figures');
      assert(r.replay === 5 && r.shown_step > 0 && r.shown_step < r.step,
             `replay 5: shown step ${r.shown_step}, live step ${r.step}`);
      assert(r.shown_train_loss > 1.2 * r.train_loss,
             `the replayed loss ${r.shown_train_loss} is not the early one (live ${r.train_loss})`);
      await page.evaluate(() => window.splinescope.replay(-1));
      await wait_frames(page, 2);
      const live = await state(page);
      assert(live.shown_step === live.step && live.shown_train_loss === live.train_loss, 'back to live');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a page call that blocks for seconds does not show as a frame rate of about one',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.waitForTimeout(1500); // a measured frame rate first
      const before = (await state(page)).fps;
      assert(before >= 5, `only ${before.toFixed(1)} frames/s before the stall`);
      // step(n) runs synchronously: blocks the page for at least 1.5 s.
      const blocked = await page.evaluate(() => {
        const t0 = performance.now();
        let steps = 0;
        while (performance.now() - t0 < 1500) {
          window.splinescope.step(2000);
          steps += 2000;
        }
        return { ms: performance.now() - t0, steps };
      });
      // The first frames after it: a window that spans the stall would give at most a third of
      // the rate before (half a second of frames over two seconds).
      await wait_frames(page, 2);
      const just_after = (await state(page)).fps;
      const samples = [];
      for (let i = 0; i < 3; ++i) {
        await page.waitForTimeout(600);
        samples.push((await state(page)).fps);
      }
      save_json('visualizer-stall', { before, blocked, just_after, samples });
      assert((await state(page)).step === blocked.steps, 'the steps were not all trained');
      assert(just_after >= before / 2,
             `${just_after.toFixed(1)} frames/s right after the stall, ${before.toFixed(1)} before`);
      assert(samples.every((fps) => fps >= 3),
             `frames/s after a ${blocked.ms.toFixed(0)} ms stall: ${samples.map((f) => f.toFixed(1))}`);
      await page.context().close();
    },
  },
  {
    name: 'a network of 8 x 64 keeps drawing while it trains, and a still picture refines band by band',
    async run({ browser, url }) {
      // Before the per-pixel pass had a budget, such a page drew one frame and then stalled for
      // about two minutes in a software renderer.
      const context = await browser.newContext({ viewport: { width: 640, height: 400 } });
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(url + '#layers=64,64,64,64,64,64,64,64&play=1');
      await page.waitForFunction(() => window.splinescope && window.splinescope.ready &&
                                 window.splinescope.state().frames >= 3, null, { timeout: 60000, polling: 100 });
      const third_frame_s = (Date.now() - started) / 1000;
      const a = await state(page);
      await page.waitForTimeout(3000);
      const b = await state(page);
      await screenshot(page, 'visualizer-large-network');
      assert(third_frame_s < 10, `the third frame came after ${third_frame_s} s`);
      assert(b.frames - a.frames >= 6 && b.step > a.step && Number.isFinite(b.train_loss),
             `in 3 s: ${b.frames - a.frames} frames, steps ${a.step} -> ${b.step}`);
      await context.close();
      // Paused, per-pixel: a coarse picture at once, then full resolution a band of rows a frame.
      const still = await open_app(browser, url + '#layers=64,64,64,64&exact=0', { width: 320, height: 240 });
      const first = await state(still);
      await still.waitForFunction(() => window.splinescope.state().pixels_refined >= 1, null,
                                  { timeout: 60000, polling: 200 });
      const done = await state(still);
      const png = await screenshot(still, 'visualizer-large-network-refined');
      const colours = (await colour_histogram(browser, png, { x: 0, y: 0, width: 320, height: 240 }))
        .filter(([, n]) => n >= 10).length;
      assert(first.pixels_refined < 1 && done.frames > first.frames, `refined ${first.pixels_refined} at first`);
      assert(colours > 20, `${colours} colours in the refined picture`);
      assert(still.errors.length === 0, still.errors.join('\n'));
      await still.context().close();
    },
  },
  {
    name: 'a dataset of 100,000 points is drawn as small dots, still in its class colours',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#data=moons&n=100000&edges=0&boundary=0', { width: 960, height: 640 });
      await wait_frames(page, 3);
      const s = await state(page);
      const png = await screenshot(page, 'visualizer-100k-points');
      assert(s.train_points + s.test_points === 100000, `${s.train_points} + ${s.test_points} points`);
      assert(s.point_radius === 1.25, `point radius ${s.point_radius}`);
      // Blue (class 0) and orange (class 1) dots cover the moons: count pixels near each colour.
      const hist = await colour_histogram(browser, png, { x: 350, y: 0, width: 610, height: 640 });
      const near = ([r, g, b]) => hist.filter(([hex]) => {
        const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        return Math.abs(c[0] - r) + Math.abs(c[1] - g) + Math.abs(c[2] - b) < 40;
      }).reduce((n, [, count]) => n + count, 0);
      const blue = near([0, 114, 178]), orange = near([230, 159, 0]);
      assert(blue > 2000 && orange > 2000, `class pixels: blue ${blue}, orange ${orange}`);
      await page.context().close();
    },
  },
];
