// Image space (web/views/slice_view.h, web/images/): Fashion-MNIST loads with a progress bar when
// a link asks for it, trains in the worker, and the view is the plane through three training
// images. Figures come from state(); the picture's colours and stars from screenshots.
import { assert, colour_histogram, in_image_page, open_app, save_json, screenshot, wait_frames } from './harness.mjs';

const SIZE = { width: 1280, height: 800 };
const state = (page) => page.evaluate(() => window.splinescope.state());
const ASSET_BYTES = 2761528; // 250 training and 100 test images of each class (engine/image_data.h)

// Okabe-Ito, the class colours of shaders/colour_modes.glsl (classes 0-7), and its neutral.
const CLASS_RGB = [[0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 121, 167], [86, 180, 233],
                   [213, 94, 0], [240, 228, 66], [26, 26, 26]];
const NEUTRAL = [242, 242, 237];

function observe_tasks() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

// The classes whose colour, at a confidence of 0.4 or more over the neutral (the output colour
// mode: mix(neutral, class, 0.15 + 0.85 confidence)), covers at least 0.5% of the region.
async function class_colours(browser, png, region) {
  const histogram = await colour_histogram(browser, png, region);
  const counts = new Array(CLASS_RGB.length).fill(0);
  let total = 0;
  for (const [hex, n] of histogram) {
    total += n;
    const p = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    CLASS_RGB.forEach((c, k) => {
      const d = c.map((v, i) => v - NEUTRAL[i]);
      const q = p.map((v, i) => v - NEUTRAL[i]);
      const t = (d[0] * q[0] + d[1] * q[1] + d[2] * q[2]) / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      const residual = Math.hypot(...q.map((v, i) => v - t * d[i]));
      if (t >= 0.4 && t <= 1.02 && residual < 12) counts[k] += n;
    });
  }
  return counts.map((n, k) => [k, n / total]).filter(([, share]) => share >= 0.005);
}

export const tests = [
  {
    name: 'Fashion-MNIST loads with its progress bar when the link asks, trains in the worker above chance in seconds, and the plane shows class colours and three stars',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#panels=controls,data,view,charts`, SIZE);
      // The asset is fetched only now, held back a second so that the bar can be seen.
      let fetched = 0;
      await page.route('**/fashion-mnist.*.bin', async (route) => {
        ++fetched;
        await new Promise((r) => setTimeout(r, 1000));
        await route.continue();
      });
      const before = await state(page);
      assert(before.images.dataset === '' && fetched === 0, `images before they were asked for: ${JSON.stringify(before.images)}`);
      await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&layers=32,32&pace=max&play=1&panels=controls,data,view,charts'));
      await wait_frames(page, 3);
      const loading = await state(page);
      assert(loading.images.loading && loading.images.dataset === 'fashion-mnist', `not loading: ${JSON.stringify(loading.images)}`);
      await screenshot(page, 'images-loading');
      await page.waitForFunction(() => window.splinescope.state().image_plane !== null, null, { timeout: 30000 });
      const loaded = await state(page);
      assert(fetched === 1, `the asset was fetched ${fetched} times`);
      assert(!loaded.images.loading && loaded.images.received === ASSET_BYTES && loaded.images.error === '',
             `loaded: ${JSON.stringify(loaded.images)}`);
      assert(loaded.train_points === 2500 && loaded.test_points === 1000, `points ${loaded.train_points} ${loaded.test_points}`);
      assert(loaded.image_plane.inputs === 784 && loaded.image_plane.shown_inputs === 2,
             `inputs ${loaded.image_plane.inputs} shown ${loaded.image_plane.shown_inputs}`);
      // The default three: a T-shirt, a trouser and a sneaker.
      assert(JSON.stringify(loaded.image_plane.classes) === '[0,1,7]', `classes ${loaded.image_plane.classes}`);
      // Training in the worker: above chance (0.1) within a few seconds.
      const t0 = Date.now();
      await page.waitForFunction(() => {
        const s = window.splinescope.state();
        return s.step > 50 && s.test_accuracy > 0.5;
      }, null, { timeout: 20000 });
      const trained = await state(page);
      assert(trained.training.thread === 'worker', `training in ${trained.training.thread}`);
      const seconds = (Date.now() - t0) / 1000;
      // Predicted class with confidence: at least three class colours over the plane.
      await page.evaluate(() => { window.splinescope.pause(); window.splinescope.set_color_mode('output'); });
      await page.waitForFunction(() => window.splinescope.state().tiles_exact, null, { timeout: 20000 });
      await wait_frames(page, 4);
      const s = await state(page);
      const png = await screenshot(page, 'images-plane-classes');
      const chart = s.layout.Charts || [s.canvas[0], 0, 0, 0];
      const region = { x: Math.round(s.layout.SplineScope[0] + s.layout.SplineScope[2] + 8), y: 8,
                       width: Math.round(chart[0] - s.layout.SplineScope[0] - s.layout.SplineScope[2] - 16),
                       height: s.canvas[1] - 16 };
      const classes = await class_colours(browser, png, region);
      assert(classes.length >= 3, `class colours in the plane: ${JSON.stringify(classes)}`);
      // The stars: each filled with its image's class colour.
      const stars = await in_image_page(browser, async ({ b64, stars }) => {
        const out = [];
        for (const [x, y] of stars) {
          const d = await window.decode_png(b64, { x: Math.round(x) - 1, y: Math.round(y) - 1, width: 3, height: 3 });
          out.push([d[16], d[17], d[18]]);
        }
        return out;
      }, { b64: png.toString('base64'), stars: s.image_plane.stars });
      stars.forEach((rgb, k) => {
        const want = CLASS_RGB[s.image_plane.classes[k]];
        assert(Math.hypot(...rgb.map((v, i) => v - want[i])) < 30, `star ${k} is ${rgb}, its class colour ${want}`);
      });
      save_json('images-plane', { images: loaded.images, seconds_to_half: seconds, step: trained.step,
                                  accuracy: trained.test_accuracy, classes, stars, plane: s.image_plane });
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.close();
    },
  },
  {
    name: 'hovering the plane shows the image there, and at a star it is that star\'s image',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=fashion-mnist&layers=16,16`, SIZE);
      await page.waitForFunction(() => window.splinescope.state().image_plane !== null, null, { timeout: 30000 });
      await wait_frames(page, 3);
      const s = await state(page);
      const [bx, by] = s.image_plane.stars[1]; // b, at (u, w) = (1, 0)
      await page.mouse.move(bx + 40, by - 60);
      await page.mouse.move(bx, by);
      await wait_frames(page, 3);
      const hovered = (await state(page)).image_plane.hover;
      assert(hovered.draws > 0, 'no image was drawn for the hovered point');
      assert(Math.abs(hovered.u - 1) < 0.01 && Math.abs(hovered.w) < 0.01, `hovered (${hovered.u}, ${hovered.w})`);
      assert(Math.abs(hovered.mean_pixel - s.image_plane.means[1]) < 0.01,
             `the image at b has mean ${hovered.mean_pixel}, b's is ${s.image_plane.means[1]}`);
      assert(hovered.top_class >= 0 && hovered.top_class < 10 && hovered.probability > 0.1,
             `class ${hovered.top_class} at ${hovered.probability}`);
      await screenshot(page, 'images-hover');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.close();
    },
  },
  {
    name: 'a link names the plane\'s three images and round-trips them; an image the page does not have is refused with a note',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=fashion-mnist&images=2,5,9&layers=16,16`, SIZE);
      await page.waitForFunction(() => window.splinescope.state().image_plane !== null, null, { timeout: 30000 });
      await wait_frames(page, 3);
      let s = await state(page);
      assert(JSON.stringify(s.image_plane.images) === '[2,5,9]', `images ${s.image_plane.images}`);
      assert(s.url_state.includes('images=2,5,9') && s.url_state.includes('data=fashion-mnist'), `address ${s.url_state}`);
      const generation = s.image_plane.generation;
      await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&images=1,16,6&layers=16,16'));
      await wait_frames(page, 3);
      s = await state(page);
      assert(JSON.stringify(s.image_plane.images) === '[1,16,6]' && s.image_plane.generation > generation,
             `after a new link: ${s.image_plane.images}`);
      // Index 59999 is past the 250 first images of its class: not among the page's images.
      await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&images=1,16,59999&layers=16,16'));
      await wait_frames(page, 3);
      s = await state(page);
      assert(s.notice.includes('training image 59999 is not among the page\'s 2500 images'), `notice: ${s.notice}`);
      assert(JSON.stringify(s.image_plane.classes) === '[0,1,7]', `the default three: ${s.image_plane.classes}`);
      // Orthonormal axes: a at the origin, b on the u axis at its distance from a in pixel space,
      // the three stars still in the fitted view.
      await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&images=1,16,6&plane=orthonormal&layers=16,16'));
      await wait_frames(page, 3);
      s = await state(page);
      const [a, b, c] = s.image_plane.anchors;
      assert(s.image_plane.orthonormal && s.url_state.includes('plane=orthonormal'), `orthonormal: ${s.url_state}`);
      assert(Math.hypot(...a) < 1e-9 && Math.abs(b[1]) < 1e-9 && b[0] > 3 && c[1] > 3,
             `anchors ${JSON.stringify(s.image_plane.anchors)}`);
      for (const [x, y] of s.image_plane.stars)
        assert(x > 0 && y > 0 && x < s.canvas[0] && y < s.canvas[1], `a star off the canvas: ${s.image_plane.stars}`);
      await screenshot(page, 'images-orthonormal');
      // Back to toy data: no plane, points in the plane again.
      await page.evaluate(() => window.splinescope.load_url('#data=moons'));
      await wait_frames(page, 3);
      s = await state(page);
      assert(s.image_plane === null && !s.url_state.includes('images='), `after moons: ${JSON.stringify(s.image_plane)} ${s.url_state}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.close();
    },
  },
  {
    name: 'a setting made while the images load wins over the one that asked for them',
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=moons`, SIZE);
      await page.route('**/fashion-mnist.*.bin', async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&layers=16,16'));
      await wait_frames(page, 2);
      assert((await state(page)).images.loading, 'not loading');
      await page.evaluate(() => window.splinescope.load_url('#data=circles&layers=5'));
      await page.waitForFunction(() => !window.splinescope.state().images.loading, null, { timeout: 30000 });
      await wait_frames(page, 4);
      const s = await state(page);
      assert(s.session.dataset.name === 'circles' && s.image_plane === null && s.url_state.includes('data=circles'),
             `after the images arrived: ${s.session.dataset.name} ${s.url_state}`);
      assert(s.images.received === ASSET_BYTES, `the load went on: ${JSON.stringify(s.images)}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.close();
    },
  },
  {
    name: 'loading Fashion-MNIST and training on it at full pace keep every main-thread task under 50 ms',
    timing: true,
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#data=moons&layers=32,32&pace=max`, SIZE);
      await wait_frames(page, 10);
      await page.evaluate(observe_tasks);
      const asked = await page.evaluate(() => {
        const now = performance.now();
        window.splinescope.load_url('#data=fashion-mnist&layers=32,32&pace=max');
        return now;
      });
      await page.waitForFunction(() => window.splinescope.state().image_plane !== null, null, { timeout: 30000 });
      await wait_frames(page, 10);
      const loaded = await page.evaluate(() => performance.now());
      await page.evaluate(() => window.splinescope.play());
      for (let i = 0; i < 16; ++i) {
        await page.mouse.move(500 + 20 * i, 300 + 10 * (i % 5));
        await page.waitForTimeout(500);
      }
      const s = await state(page);
      const long = await page.evaluate((from) => window.__long.filter((e) => e.at >= from && e.ms > 50), asked);
      save_json('images-tasks', { long, asked, loaded, step: s.step, fps: s.fps, steps_per_second: s.steps_per_second,
                                  images: s.images, timing: s.timing });
      assert(s.step > 100, `only ${s.step} steps`);
      assert(long.length === 0, `main-thread tasks over 50 ms (the images were asked for at ${asked}, ` +
                                `drawn by ${loaded}): ${JSON.stringify(long)}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.close();
    },
  },
];
