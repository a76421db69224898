// A page for every screen: at phone, tablet, laptop and desktop sizes no panel covers the data at
// start; a phone gets a bar with Play in reach, touch-sized controls and the settings and charts
// as a sheet on demand; text is rasterised at the screen's pixel ratio (sharp at 3x, not scaled).
import { assert, colour_histogram, in_image_page, save_json, screenshot, wait_frames } from './harness.mjs';

const SCREENS = [
  { name: 'phone', width: 390, height: 844, ratio: 3 },
  { name: 'tablet', width: 768, height: 1024, ratio: 2 },
  { name: 'laptop', width: 1280, height: 800, ratio: 1 },
  { name: 'desktop', width: 1920, height: 1080, ratio: 1 },
];

async function open_screen(browser, url, { width, height, ratio, scheme = 'dark' }) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: ratio,
                                             hasTouch: width < 600, isMobile: width < 600,
                                             colorScheme: scheme });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
  await wait_frames(page, 3);
  return page;
}

const state = (page) => page.evaluate(() => window.splinescope.state());

// The data's bounding box on the canvas (CSS px) and the panels that overlap it.
async function data_cover(page) {
  const s = await state(page);
  const rows = (await page.evaluate(() => window.splinescope.data_csv())).trim().split('\n').slice(1);
  const [x0, x1, y0, y1] = s.view;
  const xs = [], ys = [];
  for (const row of rows) {
    const [x, y] = row.split(',').map(Number);
    xs.push((x - x0) / (x1 - x0) * s.canvas[0]);
    ys.push((y1 - y) / (y1 - y0) * s.canvas[1]);
  }
  const box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const over = Object.entries(s.layout).filter(([, [lx, ly, lw, lh]]) =>
    lx < box[2] && lx + lw > box[0] && ly < box[3] && ly + lh > box[1]).map(([n]) => n);
  const inside = box[0] >= 0 && box[1] >= 0 && box[2] <= s.canvas[0] && box[3] <= s.canvas[1];
  return { s, box, over, inside };
}

// Squared differences of neighbouring pixels' grey levels, summed: sharper edges give more.
async function edge_energy(browser, png, region, upscale) {
  return in_image_page(browser, async ({ b64, region, upscale }) => {
    const data = await window.decode_png(b64, region);
    const w = region.width, h = region.height;
    let grey = new Float64Array(w * h);
    for (let i = 0; i < w * h; ++i) grey[i] = 0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2];
    let W = w, H = h;
    if (upscale > 1) { // bilinear, as a browser scales a texture up
      W = w * upscale; H = h * upscale;
      const up = new Float64Array(W * H);
      for (let y = 0; y < H; ++y) for (let x = 0; x < W; ++x) {
        const fx = Math.min(w - 1, Math.max(0, (x + 0.5) / upscale - 0.5)), fy = Math.min(h - 1, Math.max(0, (y + 0.5) / upscale - 0.5));
        const x0 = Math.floor(fx), y0 = Math.floor(fy), x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
        const ax = fx - x0, ay = fy - y0;
        up[y * W + x] = (1 - ay) * ((1 - ax) * grey[y0 * w + x0] + ax * grey[y0 * w + x1]) +
                        ay * ((1 - ax) * grey[y1 * w + x0] + ax * grey[y1 * w + x1]);
      }
      grey = up;
    }
    let energy = 0;
    for (let y = 0; y < H; ++y) for (let x = 0; x + 1 < W; ++x) energy += (grey[y * W + x + 1] - grey[y * W + x]) ** 2;
    for (let y = 0; y + 1 < H; ++y) for (let x = 0; x < W; ++x) energy += (grey[(y + 1) * W + x] - grey[y * W + x]) ** 2;
    return energy;
  }, { b64: png.toString('base64'), region, upscale });
}

export const tests = [
  {
    name: 'at phone, tablet, laptop and desktop sizes no panel covers the data at start, and the type is made for the screen',
    async run({ browser, url }) {
      const report = {};
      for (const screen of SCREENS.flatMap((sc) => ['dark', 'light'].map((scheme) => ({ ...sc, scheme })))) {
        const page = await open_screen(browser, url, screen);
        const { s, box, over, inside } = await data_cover(page);
        await screenshot(page, `screens-${screen.name}-${screen.scheme}`);
        assert(s.light === (screen.scheme === 'light'), `${screen.name}: light ${s.light} for a ${screen.scheme} reader`);
        if (screen.scheme === 'dark') report[screen.name] = { layout: s.layout, mode: s.layout_mode, box, over, type: s.type };
        assert(inside, `${screen.name}: the data (${box.map(Math.round)}) leaves the canvas ${s.canvas}`);
        assert(over.length === 0, `${screen.name}: ${over} cover the data at ${box.map(Math.round)}: ${JSON.stringify(s.layout)}`);
        assert(s.type.pixel_ratio === screen.ratio && s.type.size_px === s.type.size_css * screen.ratio,
               `${screen.name}: type ${JSON.stringify(s.type)}`);
        assert(s.type.greek && s.type.glyphs > 300, `${screen.name}: ${s.type.glyphs} glyphs, Greek ${s.type.greek}`);
        const narrow = screen.width <= 600;
        assert(s.layout_mode === (narrow ? 'narrow' : 'wide'), `${screen.name}: ${s.layout_mode} layout`);
        if (narrow) {
          // The bar with Play at the top, the settings closed, every control touch-sized.
          assert(s.layout['##bar'] && s.layout['##bar'][1] === 0 && !s.layout.SplineScope && s.sheet === 'none',
                 `phone: ${JSON.stringify(s.layout)}, sheet ${s.sheet}`);
          assert(s.type.touch && s.type.frame_height >= 44, `phone: controls ${s.type.frame_height} px tall`);
        } else {
          assert(s.layout.SplineScope && !s.type.touch, `${screen.name}: ${JSON.stringify(s.layout)}`);
        }
        assert(page.errors.length === 0, page.errors.join('\n'));
        await page.context().close();
      }
      save_json('screens-layouts', report);
      const atlas = (n) => report[n].type.atlas[0] * report[n].type.atlas[1];
      assert(atlas('phone') > 1.5 * atlas('laptop'), `atlas ${report.phone.type.atlas} at 3x, ${report.laptop.type.atlas} at 1x`);
    },
  },
  {
    name: 'on a phone the Settings and Charts buttons open one sheet at a time with the data in sight above it',
    async run({ browser, url }) {
      const page = await open_screen(browser, url + '#pace=max&steps=400', SCREENS[0]);
      await page.waitForFunction(() => window.splinescope.state().step >= 400, null, { timeout: 60000 });
      // The buttons' places: Settings and Charts are the fourth and fifth in the bar's first row.
      const tap_button = async (label) => {
        const s = await state(page);
        const [, , bw] = s.layout['##bar'];
        const x = { Settings: 0.61, Charts: 0.8 }[label] * bw;
        await page.touchscreen.tap(x, 30);
        await wait_frames(page, 3);
        return state(page);
      };
      const settings = await tap_button('Settings');
      await screenshot(page, 'screens-phone-settings');
      assert(settings.sheet === 'settings' && settings.layout.SplineScope, `sheet ${settings.sheet}: ${JSON.stringify(settings.layout)}`);
      const [, sy, sw, sh] = settings.layout.SplineScope;
      assert(sw === 390 && sy + sh === 844 && sy > 200, `the sheet at ${settings.layout.SplineScope}`);
      const { over, box } = await data_cover(page);
      assert(over.length === 0, `with the sheet open ${over} cover the data at ${box.map(Math.round)}`);
      const charts = await tap_button('Charts');
      await screenshot(page, 'screens-phone-charts');
      assert(charts.sheet === 'charts' && charts.layout.Charts && !charts.layout.SplineScope &&
             charts.charts.includes('loss'), `sheet ${charts.sheet}: ${JSON.stringify(charts.layout)}, ${charts.charts}`);
      const closed = await tap_button('Charts');
      assert(closed.sheet === 'none' && !closed.layout.Charts, `sheet ${closed.sheet} after a second tap`);
      // Play in the bar.
      await page.touchscreen.tap(0.1 * 390, 30);
      await wait_frames(page, 3);
      assert((await state(page)).playing, 'the bar\'s Play did not start training');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'text is rasterised at the device pixel ratio: a label at 3x is sharper than the 1x one scaled up',
    async run({ browser, url }) {
      const shots = {};
      for (const ratio of [1, 3]) {
        const page = await open_screen(browser, url + '#edges=0&points=0&boundary=0', { width: 960, height: 640, ratio });
        const s = await state(page);
        const [px, py] = s.layout.SplineScope;
        shots[ratio] = { png: await screenshot(page, `screens-type-${ratio}x`), px, py };
        await page.context().close();
      }
      // The live figures' table under the buttons: "step 0 epoch 0 ... train 0.8134 ..."
      const css = { x: shots[1].px + 10, y: shots[1].py + 62, width: 220, height: 60 };
      const at = (r) => ({ x: css.x * r, y: css.y * r, width: css.width * r, height: css.height * r });
      const sharp = await edge_energy(browser, shots[3].png, at(3), 1);
      const scaled = await edge_energy(browser, shots[1].png, at(1), 3);
      save_json('screens-type-sharpness', { region: css, sharp, scaled, ratio: sharp / scaled });
      assert(sharp > 1.5 * scaled, `edge energy at 3x ${sharp.toFixed(0)} vs the 1x label scaled up ${scaled.toFixed(0)}`);
    },
  },
  {
    name: 'the light theme: light panels, lighter tiles with the points and the boundary drawn over them, exports that follow, and auto follows the reader',
    async run({ browser, url }) {
      const luminance = async (png, region) => {
        const histogram = await colour_histogram(browser, png, region);
        let sum = 0, n = 0;
        for (const [hex, count] of histogram) {
          const v = parseInt(hex.slice(1), 16);
          sum += count * (0.299 * (v >> 16) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255));
          n += count;
        }
        return sum / n;
      };
      const svg_luminance = (svg) => {
        const fills = [...svg.matchAll(/<path fill="#([0-9a-f]{6})"/g)].map((m) => parseInt(m[1], 16));
        return fills.reduce((a, v) => a + 0.299 * (v >> 16) + 0.587 * ((v >> 8) & 255) + 0.114 * (v & 255), 0) / fills.length;
      };
      const report = {};
      for (const [name, scheme, hash] of [['auto, reader prefers light', 'light', '#data=moons'],
                                          ['theme=light, reader prefers dark', 'dark', '#data=moons&theme=light'],
                                          ['theme=dark, reader prefers light', 'light', '#data=moons&theme=dark']]) {
        const context = await browser.newContext({ viewport: { width: 960, height: 640 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(url + hash);
        await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
        await wait_frames(page, 4);
        const s = await state(page);
        const png = await screenshot(page, `screens-theme-${s.light ? 'light' : 'dark'}-${scheme}`);
        const [px, py, pw, ph] = s.layout.SplineScope;
        const panel = await luminance(png, { x: px + 4, y: py + 30, width: pw - 8, height: ph - 40 });
        const canvas = await luminance(png, { x: 360, y: 0, width: 600, height: 640 });
        // Points: pixels near the class colours (Okabe-Ito blue and orange) on the canvas.
        const points = (await colour_histogram(browser, png, { x: 360, y: 0, width: 600, height: 640 }))
          .filter(([hex]) => {
            const v = parseInt(hex.slice(1), 16), r = v >> 16, g = (v >> 8) & 255, b = v & 255;
            return (Math.abs(r - 0) < 30 && Math.abs(g - 114) < 30 && Math.abs(b - 178) < 30) ||
                   (Math.abs(r - 230) < 30 && Math.abs(g - 159) < 30 && Math.abs(b - 0) < 30);
          }).reduce((a, [, c]) => a + c, 0);
        const svg = await page.evaluate(() => window.splinescope.export_svg());
        report[name] = { theme: s.theme, light: s.light, panel, canvas, points, svg: svg_luminance(svg) };
        await context.close();
      }
      save_json('screens-theme', report);
      const [auto, light, dark] = Object.values(report);
      assert(auto.light && auto.theme === 'auto' && light.light && !dark.light, JSON.stringify(report));
      for (const r of [auto, light]) {
        assert(r.panel > 170, `light panels: luminance ${r.panel}`);
        assert(r.canvas > dark.canvas + 20, `light tiles ${r.canvas} vs dark ${dark.canvas}`);
        assert(r.points > 300, `points on the light theme: ${r.points} pixels in the class colours`);
        assert(r.svg > dark.svg + 20, `SVG fills: ${r.svg} light vs ${dark.svg} dark`);
      }
      assert(dark.panel < 90, `dark panels: luminance ${dark.panel}`);
    },
  },
  {
    name: 'the Data section shows a thumbnail of every dataset, and a click on one chooses it',
    async run({ browser, url }) {
      const page = await open_screen(browser, url, { width: 1280, height: 800, ratio: 1 });
      let s = await state(page);
      assert(Object.keys(s.dataset_thumbnails).length === 0, 'thumbnails while the Data section is closed');
      // The Data header: the first section under the live figures.
      const [px, py, pw] = s.layout.SplineScope;
      await page.mouse.click(px + pw / 2, py + 164);
      await wait_frames(page, 3);
      s = await state(page);
      const thumbnails = s.dataset_thumbnails;
      const names = Object.keys(thumbnails);
      const png = await screenshot(page, 'screens-dataset-thumbnails');
      const colours = {};
      for (const [name, [x, y, w, h]] of Object.entries(thumbnails)) {
        colours[name] = (await colour_histogram(browser, png, { x: Math.round(x) + 2, y: Math.round(y) + 2,
                                                                width: Math.round(w) - 4, height: Math.round(h) - 4 }))
          .filter(([, n]) => n >= 4).length;
      }
      save_json('screens-dataset-thumbnails', { thumbnails, colours });
      assert(names.length >= 9 && names.includes('spiral') && names.includes('moons'), `thumbnails: ${names}`);
      for (const [name, [x, y, w, h]] of Object.entries(thumbnails)) {
        assert(x >= px && x + w <= px + pw && w >= 40 && h === w, `${name} at ${x},${y} ${w}x${h}`);
        assert(colours[name] >= 3, `${name}: ${colours[name]} colours (the background and the points)`);
      }
      const [mx, my, mw, mh] = thumbnails.moons;
      await page.mouse.click(mx + mw / 2, my + mh / 2);
      await wait_frames(page, 3);
      s = await state(page);
      assert(s.session.dataset.name === 'moons' && /(^|&)data=moons/.test(s.url_state),
             `after the click: ${s.session.dataset.name}, ${s.url_state}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'moving the page to a screen with another pixel ratio makes the type again for it',
    async run({ browser, url }) {
      const page = await open_screen(browser, url, { width: 960, height: 640, ratio: 1 });
      const before = (await state(page)).type;
      // What a browser reports when its window moves to a 2x screen.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setDeviceMetricsOverride', { width: 960, height: 640, deviceScaleFactor: 2, mobile: false });
      await page.waitForFunction(() => window.splinescope.state().type.pixel_ratio === 2, null, { timeout: 10000 });
      await wait_frames(page, 2);
      const moved = await state(page);
      const after = moved.type;
      save_json('screens-ratio-change', { before, after, pixels: moved.pixels });
      assert(moved.pixels[0] === 1920 && moved.pixels[1] === 1280, `the drawing buffer is ${moved.pixels} at 2x`);
      assert(before.pixel_ratio === 1 && before.size_px === 15, `before: ${JSON.stringify(before)}`);
      assert(after.size_px === 30 && after.builds === before.builds + 1 && after.greek,
             `after the move: ${JSON.stringify(after)}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
];
