// The page: loads without errors, draws the tessellation, matches the engine, fails readably.
import { assert, colour_histogram, image_difference, open_app, open_page, save_json,
         screenshot } from './harness.mjs';

export const tests = [
  {
    name: 'the page loads without console errors and shows at least 20 tile colours',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.waitForTimeout(300);
      const png = await screenshot(page, 'foundation-default');
      // Tile fills are flat colours: count colours covering at least 150 pixels in the part of
      // the canvas right of the panel.
      const histogram = await colour_histogram(browser, png, { x: 350, y: 0, width: 610, height: 640 });
      const tile_colours = histogram.filter(([, n]) => n >= 150);
      save_json('foundation-default-colours', histogram.slice(0, 60));
      assert(tile_colours.length >= 20, `only ${tile_colours.length} tile colours on the canvas`);
      const info = await page.evaluate(() => window.splinescope.info());
      assert(/WebGL 2/.test(info.gl_version), `not a WebGL2 context: ${info.gl_version}`);
      assert(info.architecture === '2 -> 16 -> 16 -> 16 -> 1 relu', `architecture ${info.architecture}`);
      assert(info.grid_tiles >= 20, `the engine counts ${info.grid_tiles} tiles`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'code hashes computed by the shader equal the engine CPU codes away from edges',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      // The generated shader is compiled in the background once the per-pixel pass first needs it
      // (here: the comparison itself); the loop shader draws until then.
      await page.evaluate(() => window.splinescope.compare_codes(8, 8, -1));
      await page.waitForFunction(() => window.splinescope.state().tile_shader === 'unrolled', null,
                                 { timeout: 60000 });
      for (const layers of [1, -1]) {
        const result = await page.evaluate((l) => window.splinescope.compare_codes(320, 240, l), layers);
        save_json(`foundation-compare-codes-layers${layers}`, result);
        assert(result.pixels === 320 * 240, 'wrong pixel count');
        assert(result.shader === 'unrolled', `compared the ${result.shader} shader`);
        assert(result.distinct >= 10, `only ${result.distinct} distinct codes`);
        assert(result.mismatches <= 0.005 * result.pixels,
               `${result.mismatches} of ${result.pixels} pixels disagree`);
        assert(result.mismatches_away_from_edges === 0,
               `${result.mismatches_away_from_edges} pixels disagree away from every edge`);
      }
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a new network changes the picture and the seed reproduces it',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.waitForTimeout(200);
      const first = await screenshot(page, 'foundation-seed1');
      await page.evaluate(() => window.splinescope.new_network(2));
      await page.waitForTimeout(400);
      const second = await screenshot(page, 'foundation-seed2');
      await page.evaluate(() => window.splinescope.new_network(1));
      await page.waitForTimeout(400);
      const again = await screenshot(page, 'foundation-seed1-again');
      const changed = await image_difference(browser, first, second);
      const same = await image_difference(browser, first, again);
      assert(changed > 0.2, `only ${(100 * changed).toFixed(1)}% of pixels changed`);
      assert(same < 0.01, `seed 1 drawn twice differs on ${(100 * same).toFixed(2)}% of pixels`);
      await page.context().close();
    },
  },
  {
    name: 'without WebGL2 the page explains what is missing, and every interface call returns that',
    async run({ browser, url }) {
      const page = await open_page(browser, url, {
        init: () => {
          const original = HTMLCanvasElement.prototype.getContext;
          HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
            return type === 'webgl2' ? null : original.call(this, type, ...rest);
          };
        },
      });
      await page.waitForFunction(() => window.splinescope && window.splinescope.error);
      const text = await page.textContent('#error');
      assert(/WebGL2/.test(text), `error text: ${text}`);
      assert(await page.isVisible('#error'), 'error box hidden');
      await screenshot(page, 'foundation-no-webgl2');
      // The page interface fails soft: each call returns the start-up error instead of throwing.
      const result = await page.evaluate(() => {
        const api = window.splinescope, out = {};
        for (const name of ['state', 'play', 'pause', 'step', 'reset', 'load_url', 'share_link',
                            'export_svg', 'export_png', 'highlight_neuron', 'lessons', 'open_lesson']) {
          try { out[name] = api[name](1); } catch (e) { out[name] = 'threw ' + e.message; }
        }
        return { error: api.error, out };
      });
      for (const [name, value] of Object.entries(result.out))
        assert(value === result.error, `${name}() gave ${JSON.stringify(value)}`);
      await page.context().close();
    },
  },
  {
    name: 'a module that fails to download gives a readable error',
    async run({ browser, url }) {
      const context = await browser.newContext({ viewport: { width: 800, height: 500 } });
      await context.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => window.splinescope && window.splinescope.error,
                                 null, { timeout: 30000 });
      const text = await page.textContent('#error-text');
      assert(/could not be loaded/.test(text) && /404/.test(text), `error text: ${text}`);
      await context.close();
    },
  },
];
