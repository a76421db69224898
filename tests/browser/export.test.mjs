// Export and static deployment: SVG, PNG, JSON and CSV exports read back and checked against the
// app, files loaded by name, drop and picker (bad ones change nothing), WebM recording, the
// download path of the Export panel, and the built site served from a sub-path.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, assert, blob_bytes, colour_histogram, image_difference, open_app, open_page,
         save_json, screenshot, wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

async function apply(page, doc) {
  const error = await page.evaluate((d) => window.splinescope.apply_session(d), doc);
  assert(error === null, `apply_session refused: ${error}`);
}

// Width and height of a PNG from its header.
function png_size(png) {
  assert(png.subarray(1, 4).toString('latin1') === 'PNG', 'not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

// What the app persists of itself: settings with weights, and the points placed by hand.
const snapshot = (page) => page.evaluate(() => ({
  session: window.splinescope.export_session(), points: window.splinescope.points_csv(),
}));

export const tests = [
  {
    name: 'the SVG export is XML with one path per exact tile, in the colours the canvas shows',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 2, dataset: { name: 'moons' }, network: { hidden: [10, 10] } });
      await page.evaluate(() => window.splinescope.step(200));
      await page.waitForTimeout(500);
      const s = await state(page);
      assert(s.tiles_exact, 'the tile count is not exact');
      const svg = await page.evaluate(() => window.splinescope.export_svg());
      writeFileSync(join(ARTIFACTS, 'export-tiles.svg'), svg);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const error = doc.querySelector('parsererror');
        const fills = [...doc.querySelectorAll('#tiles > path')].map((p) => p.getAttribute('fill'));
        return {
          error: error ? error.textContent : null, root: doc.documentElement.nodeName,
          viewBox: doc.documentElement.getAttribute('viewBox'), tiles: fills.length,
          fills: [...new Set(fills)], boundary: doc.querySelectorAll('#boundary path').length,
          points: doc.querySelectorAll('#points circle').length,
        };
      }, svg);
      save_json('export-svg', { ...parsed, fills: parsed.fills.length, state_tiles: s.tiles });
      assert(parsed.error === null, `the SVG does not parse: ${parsed.error}`);
      assert(parsed.root === 'svg', `root element ${parsed.root}`);
      assert(parsed.tiles === s.tiles, `${parsed.tiles} tile paths, the engine counts ${s.tiles}`);
      assert(parsed.boundary === 1, 'no decision boundary in the SVG');
      assert(parsed.points === s.train_points + s.test_points,
             `${parsed.points} points in the SVG, ${s.train_points + s.test_points} in the app`);
      const [x0, y0, w, h] = parsed.viewBox.split(' ').map(Number);
      assert(Math.abs(x0 - s.view[0]) < 1e-6 && Math.abs(w - (s.view[1] - s.view[0])) < 1e-6 &&
             Math.abs(y0 + s.view[3]) < 1e-6 && Math.abs(h - (s.view[3] - s.view[2])) < 1e-6,
             `viewBox ${parsed.viewBox} is not the view ${s.view}`);
      // Palette: every colour covering a tile-sized area (overlays off) of the canvas, between the
      // panel and the charts, and of the PNG export is a fill of the SVG.
      await page.evaluate(() => window.splinescope.set_overlays(false, false, false));
      await page.waitForTimeout(400);
      const canvas = await screenshot(page, 'export-svg-canvas');
      const png = await blob_bytes(page, () => window.splinescope.export_png());
      writeFileSync(join(ARTIFACTS, 'export-svg-png.png'), png);
      const fills = new Set(parsed.fills.map((f) => f.toLowerCase()));
      // Multisampling blends the two tiles along an edge in quarters of coverage, so a long edge
      // gives hundreds of pixels of one blend: those are not foreign colours.
      const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const fill_rgb = [...fills].map(rgb);
      const blend_of_fills = (hex) => {
        const c = rgb(hex);
        return fill_rgb.some((a) => fill_rgb.some((b) => [0.25, 0.5, 0.75].some((t) =>
          c.every((v, k) => Math.abs(v - (a[k] + t * (b[k] - a[k]))) <= 2))));
      };
      const palette = {};
      for (const [name, image, region] of [['canvas', canvas, { x: 350, y: 0, width: 260, height: 600 }],
                                           ['png', png, null]]) {
        const big = (await colour_histogram(browser, image, region)).filter(([, n]) => n >= 200)
          .map(([hex]) => hex);
        const other = big.filter((hex) => !fills.has(hex));
        palette[name] = { big, blends: other.filter(blend_of_fills),
                          foreign: other.filter((hex) => !blend_of_fills(hex)) };
      }
      save_json('export-svg-palette', palette);
      for (const [name, { big, foreign }] of Object.entries(palette)) {
        assert(big.length >= 10, `only ${big.length} tile colours in the ${name}`);
        assert(foreign.length === 0, `${name} colours missing from the SVG: ${foreign.join(' ')}`);
      }
      // A highlighted neuron is in the SVG too, orange on a dark casing, and its path lies on
      // that neuron's zero set: checked with a forward pass of the exported network.
      await page.evaluate(() => window.splinescope.set_overlays(true, true, true));
      await page.evaluate(() => window.splinescope.highlight_neuron(2, 3));
      await page.waitForTimeout(300);
      const with_neuron = await page.evaluate(() => window.splinescope.export_svg());
      writeFileSync(join(ARTIFACTS, 'export-tiles-neuron.svg'), with_neuron);
      const neuron = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return [...doc.querySelectorAll('#neuron > path')].map((p) => ({
          stroke: p.getAttribute('stroke'), width: Number(p.getAttribute('stroke-width')),
          d: p.getAttribute('d') }));
      }, with_neuron);
      assert(neuron.length === 2 && neuron[0].stroke === '#0d0d14' && neuron[1].stroke === '#ff7814' &&
             neuron[0].width > neuron[1].width, `neuron paths ${JSON.stringify(neuron.map((n) => n.stroke))}`);
      assert(!/id="neuron"/.test(svg), 'a neuron in the SVG exported with none highlighted');
      const net = JSON.parse(await page.evaluate(() => window.splinescope.export_network()));
      const pre = (x, layer, unit) => { // pre-activation h(layer)_unit at the input x
        let z = x;
        for (let l = 0; ; ++l) {
          const { weights, bias, activation, alpha } = net.layers[l];
          assert(!net.layers[l].batch_norm, 'the oracle has no batch norm');
          const h = weights.map((row, k) => row.reduce((a, w, j) => a + w * z[j], bias[k]));
          if (l === layer) return h[unit];
          z = h.map((v) => activation === 'relu' ? Math.max(v, 0) : activation === 'leaky_relu'
            ? (v > 0 ? v : alpha * v) : activation === 'abs' ? Math.abs(v) : v);
        }
      };
      const numbers = neuron[1].d.split(/[MLZ ]+/).filter((t) => t !== '').map(Number);
      const points = [];
      for (let i = 0; i + 1 < numbers.length; i += 2) points.push([numbers[i], numbers[i + 1]]);
      const worst = Math.max(...points.map((p) => Math.abs(pre(p, 1, 3)))); // layer 2, unit 3 (0-based)
      const inside = points.every(([x, y]) => x >= s.view[0] - 1e-6 && x <= s.view[1] + 1e-6 &&
                                              y >= s.view[2] - 1e-6 && y <= s.view[3] + 1e-6);
      save_json('export-svg-neuron', { points: points.length, worst_preactivation: worst });
      assert(points.length >= 2 && inside, `${points.length} neuron points, inside the view: ${inside}`);
      assert(worst < 1e-6, `the neuron's path is off its zero set: |h| up to ${worst}`);
      // Look at them: the SVGs drawn by the browser.
      const viewer = await open_page(browser, 'about:blank', { width: 960, height: 640 });
      await viewer.setContent(`<body style="margin:0">${svg}</body>`);
      await screenshot(viewer, 'export-svg-rendered');
      await viewer.setContent(`<body style="margin:0">${with_neuron}</body>`);
      await screenshot(viewer, 'export-svg-neuron-rendered');
      await viewer.context().close();
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a PNG export decodes to the requested size and looks like the canvas, on both render paths',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.evaluate(() => window.splinescope.highlight_neuron(2, 1));
      await page.waitForTimeout(500);
      const s = await state(page);
      const canvas = await screenshot(page, 'export-png-canvas');
      // 1x: the same picture as the canvas right of the panel.
      const one = await blob_bytes(page, () => window.splinescope.export_png());
      writeFileSync(join(ARTIFACTS, 'export-png-1x.png'), one);
      const size1 = png_size(one);
      assert(size1.width === s.canvas[0] && size1.height === s.canvas[1],
             `1x is ${size1.width} x ${size1.height}, the canvas ${s.canvas}`);
      const region = { x: 350, y: 0, width: 610, height: 640 };
      const differ = await image_difference(browser, canvas, one, 40, region);
      // Odd sizes, a different aspect ratio, and beyond the canvas resolution.
      const odd = await blob_bytes(page, () => window.splinescope.export_png(1234, 567));
      writeFileSync(join(ARTIFACTS, 'export-png-1234x567.png'), odd);
      const size_odd = png_size(odd);
      const colours = (await colour_histogram(browser, odd)).filter(([, n]) => n >= 100);
      const two = await blob_bytes(page, () => window.splinescope.export_png(1920, 1280));
      writeFileSync(join(ARTIFACTS, 'export-png-2x.png'), two);
      // The per-pixel path (the shader draws edges and boundary).
      await page.evaluate(() => window.splinescope.set_render_exact(false));
      const pixels = await blob_bytes(page, () => window.splinescope.export_png(800, 600));
      writeFileSync(join(ARTIFACTS, 'export-png-pixels.png'), pixels);
      const pixel_colours = (await colour_histogram(browser, pixels)).filter(([, n]) => n >= 100);
      const too_big = await page.evaluate(() => window.splinescope.export_png(5000, 100).then(
        () => null, (e) => e.message));
      save_json('export-png', { size1, differ, size_odd, colours: colours.length,
                                pixel_colours: pixel_colours.length, too_big });
      assert(differ < 0.06, `the 1x export differs from the canvas on ${(100 * differ).toFixed(1)}%`);
      assert(size_odd.width === 1234 && size_odd.height === 567, `size ${JSON.stringify(size_odd)}`);
      assert(colours.length >= 20, `only ${colours.length} colours in the exported PNG`);
      assert(png_size(two).width === 1920 && png_size(two).height === 1280, 'the 2x size is wrong');
      assert(pixel_colours.length >= 20, `only ${pixel_colours.length} colours, per-pixel path`);
      assert(/4096/.test(too_big || ''), `a 5000-pixel export gave: ${too_big}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a network exported as JSON loads back into the identical network',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 6, dataset: { name: 'xor' }, network: { hidden: [7, 5], activation: 'leaky_relu' } });
      await page.evaluate(() => window.splinescope.step(120));
      const text = await page.evaluate(() => window.splinescope.export_network());
      writeFileSync(join(ARTIFACTS, 'export-network.json'), text);
      await page.evaluate(() => window.splinescope.new_network(9));
      const other = await page.evaluate(() => window.splinescope.export_network());
      assert(other !== text, 'a new network has the same weights');
      const error = await page.evaluate((t) => window.splinescope.load_file_text('net.json', t), text);
      assert(error === null, `loading the export failed: ${error}`);
      const back = await page.evaluate(() => window.splinescope.export_network());
      assert(back === text, 'the network read back differs from the one written');
      const s = await state(page);
      assert(s.architecture === '2 -> 7 -> 5 -> 1 leaky_relu', `architecture ${s.architecture}`);
      assert(/Loaded net\.json/.test(s.notice), `notice: ${s.notice}`);
      await page.context().close();
    },
  },
  {
    name: 'a session export loads back, and bad files give an error and change nothing',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 8, dataset: { name: 'moons', n: 150 }, network: { hidden: [9, 6] },
                          train: { learning_rate: 0.03, optimizer: 'momentum' } });
      await page.evaluate(() => window.splinescope.import_points('x,y,label\n0.5,0.25,1\n-1,1,0\n'));
      await page.evaluate(() => window.splinescope.step(80));
      const saved = await snapshot(page);
      writeFileSync(join(ARTIFACTS, 'export-session.json'), saved.session);
      await apply(page, { seed: 1, dataset: { name: 'circles' }, network: { hidden: [4] } });
      const error = await page.evaluate((t) => window.splinescope.load_file_text('s.json', t),
                                        saved.session);
      assert(error === null, `loading the session failed: ${error}`);
      const loaded = await snapshot(page);
      assert(loaded.session === saved.session, 'the session read back differs');
      // Bad files: each one is refused with a message naming it, and nothing changes.
      const net = JSON.parse(await page.evaluate(() => window.splinescope.export_network()));
      const wrong_outputs = JSON.stringify({ ...net, layers: [net.layers[0], {
        activation: 'linear', alpha: 0.01, weights: [net.layers[0].weights.map(() => 0.5).slice(0, 9),
          net.layers[0].weights.map(() => 0.5).slice(0, 9)], bias: [0, 0] }] });
      const bad = [
        ['cut.json', saved.session.slice(0, saved.session.length / 2), /cut\.json: .*JSON/],
        ['net.json', '{"format": "splinescope-network", "version": 1, "input_dim": 2, "layers": []}',
         /net\.json: /],
        ['two-outputs.json', wrong_outputs, /two-outputs\.json: .*outputs/],
        ['other.json', '{"format": "someone-else", "version": 3}', /other\.json: .*someone-else/],
        ['settings.json', '{"seed": 3}', /settings\.json: .*format/],
        ['session.json', '{"format": "splinescope-session", "version": 1, "network": {"hidden": [0]}}',
         /session\.json: /],
        ['points.csv', 'x,y,label\n1,2,0\n3,4,9\n', /points\.csv: line 3/],
        ['all.csv', 'x,y,label,split,source\n1,2,0,train,hand\n', /all\.csv: .*points CSV/],
        ['empty.csv', '  \n', /empty\.csv is empty/],
      ];
      const results = [];
      for (const [name, text, expect] of bad) {
        const message = await page.evaluate(([n, t]) => window.splinescope.load_file_text(n, t),
                                            [name, text]);
        const after = await snapshot(page);
        const s = await state(page);
        results.push({ name, message, notice: s.notice });
        assert(message && expect.test(message), `${name}: ${message}`);
        assert(s.notice.startsWith('Not loaded: ') && s.notice.includes(name), `notice ${s.notice}`);
        assert(after.session === saved.session && after.points === saved.points,
               `${name} changed the session or the points`);
      }
      save_json('export-bad-files', results);
      await screenshot(page, 'export-bad-file-notice');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a file dropped on the page or chosen in the file picker is opened',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      const drop = (name, text) => page.evaluate(([n, t]) => {
        const data = new DataTransfer();
        data.items.add(new File([t], n, { type: 'application/octet-stream' }));
        const target = document.getElementById('canvas');
        for (const type of ['dragenter', 'dragover', 'drop'])
          target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }, [name, text]);
      await drop('hand.csv', 'x,y,label\n0.5,0.5,1\n1.5,-0.5,0\n-2,0.25,1\n');
      await page.waitForFunction(() => window.splinescope.state().user_points === 3, null,
                                 { timeout: 5000 });
      assert(/3 points/.test((await state(page)).notice), 'no notice after the drop');
      await drop('broken.json', '{"format": ');
      await page.waitForFunction(() => /broken\.json/.test(window.splinescope.state().notice), null,
                                 { timeout: 5000 });
      await page.waitForTimeout(200);
      await screenshot(page, 'export-drop-error');
      assert((await state(page)).user_points === 3, 'a bad drop changed the points');
      // The file picker (what "Open file..." shows).
      const [chooser] = await Promise.all([
        page.waitForEvent('filechooser', { timeout: 10000 }),
        page.evaluate(() => window.splinescope.open_file()),
      ]);
      const net = await page.evaluate(() => {
        const n = window.splinescope.network();
        n.layers[0].bias = n.layers[0].bias.map((b) => b + 0.25);
        return JSON.stringify(n);
      });
      await chooser.setFiles({ name: 'shifted.json', mimeType: 'application/json', buffer: Buffer.from(net) });
      await page.waitForFunction(() => /shifted\.json/.test(window.splinescope.state().notice), null,
                                 { timeout: 5000 });
      const now = await page.evaluate(() => window.splinescope.export_network());
      assert(JSON.stringify(JSON.parse(now)) === JSON.stringify(JSON.parse(net)),
             'the chosen network was not loaded');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the points and history CSVs have their headers and one row per point and record',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await apply(page, { seed: 4, dataset: { name: 'circles', n: 200, noise: 0.05 },
                          network: { hidden: [8, 8] } });
      await page.evaluate(() => window.splinescope.import_points('x,y,label\n0.1,0.2,1\n'));
      await page.evaluate(() => window.splinescope.run(300));
      await page.waitForFunction(() => {
        const s = window.splinescope.state();
        return s.step >= 300 && !s.playing;
      }, null, { timeout: 60000 });
      await page.waitForTimeout(300);
      const s = await state(page);
      const { data, history } = await page.evaluate(() => ({
        data: window.splinescope.data_csv(), history: window.splinescope.history_csv() }));
      writeFileSync(join(ARTIFACTS, 'export-points.csv'), data);
      writeFileSync(join(ARTIFACTS, 'export-history.csv'), history);
      const rows = data.trim().split('\n').map((l) => l.split(','));
      assert(rows[0].join(',') === 'x,y,label,split,source', `points header ${rows[0]}`);
      const body = rows.slice(1);
      assert(body.length === s.train_points + s.test_points,
             `${body.length} rows for ${s.train_points} + ${s.test_points} points`);
      assert(body.filter((r) => r[3] === 'test').length === s.test_points, 'wrong test row count');
      const hand = body.filter((r) => r[4] === 'hand');
      assert(hand.length === 1 && hand[0][0] === '0.10000000000000001' && hand[0][2] === '1',
             `hand-placed rows ${JSON.stringify(hand)}`);
      assert(body.every((r) => r.length === 5 && Number.isFinite(Number(r[0])) &&
                               Number.isFinite(Number(r[1])) && /^[01]$/.test(r[2])), 'a malformed row');
      const lines = history.trim().split('\n').map((l) => l.split(','));
      assert(lines[0].join(',') ===
             'step,train_loss,test_loss,train_accuracy,test_accuracy,tiles,lc_train,lc_test,lc_boundary',
             `history header ${lines[0]}`);
      const steps = lines.slice(1).map((r) => Number(r[0]));
      // The session records every 5th step at the start (it thins the series only past 1024
      // records): steps 0, 5, ..., 300.
      const every5 = steps.every((step, i) => step === 5 * i);
      assert(every5 && steps.length === s.step / 5 + 1 && steps.at(-1) === s.step,
             `history steps ${steps[0]}..${steps.at(-1)} (${steps.length} rows) at step ${s.step}`);
      const last = lines.at(-1);
      assert(Math.abs(Number(last[1]) - s.train_loss) < 1e-6 * Math.max(1, s.train_loss),
             `last train loss ${last[1]} vs ${s.train_loss}`);
      assert(lines.slice(1).some((r) => Number(r[5]) > 0), 'no tile count in the history');
      save_json('export-csv', { points: body.length, history: steps.length, last });
      await page.context().close();
    },
  },
  {
    name: 'recording the canvas while training gives a WebM video',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      const supported = await page.evaluate(() => typeof MediaRecorder !== 'undefined' &&
        MediaRecorder.isTypeSupported('video/webm'));
      // Headless Chromium here has MediaRecorder with WebM; a browser without it must say so.
      assert(supported, 'this Chromium cannot record WebM: the recording test cannot run');
      const started = await page.evaluate(() => window.splinescope.record_start());
      assert(started === null, `record_start: ${started}`);
      assert(await page.evaluate(() => window.splinescope.recording), 'not recording');
      await page.evaluate(() => window.splinescope.play());
      await page.waitForTimeout(2500);
      const video = await blob_bytes(page, () => window.splinescope.record_stop());
      const type = await page.evaluate(() => window.__last_blob.type);
      writeFileSync(join(ARTIFACTS, 'export-recording.webm'), video);
      // The browser itself decodes it: a video of the canvas's size.
      const decoded = await page.evaluate(() => new Promise((resolve) => {
        const v = document.createElement('video');
        v.muted = true;
        v.onloadeddata = () => resolve({ width: v.videoWidth, height: v.videoHeight });
        v.onerror = () => resolve({ error: v.error && v.error.message });
        v.src = URL.createObjectURL(window.__last_blob);
      }));
      const s = await state(page);
      save_json('export-recording', { bytes: video.length, type, decoded });
      assert(decoded.width === s.pixels[0] && decoded.height === s.pixels[1],
             `the video decodes as ${JSON.stringify(decoded)}, the canvas is ${s.pixels}`);
      assert(type === 'video/webm', `type ${type}`);
      assert(video.length > 2000, `only ${video.length} bytes`);
      assert(video.readUInt32BE(0) === 0x1a45dfa3, 'not a Matroska/WebM file (no EBML header)');
      assert(!(await page.evaluate(() => window.splinescope.recording)), 'still recording');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'without MediaRecorder, recording explains why instead of failing silently',
    async run({ browser, url }) {
      const page = await open_app(browser, url, { init: () => { delete window.MediaRecorder; } });
      const message = await page.evaluate(() => window.splinescope.record_start());
      assert(/cannot record video/.test(message || ''), `record_start: ${message}`);
      assert((await state(page)).notice === message, 'the message is not shown in the app');
      assert(!(await page.evaluate(() => window.splinescope.recording)), 'recording anyway');
      await page.context().close();
    },
  },
  {
    name: 'the Export panel\'s downloads save the exports as files',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.evaluate(() => window.splinescope.step(10));
      // The history point of step 10 takes the tile count and local complexity of the frame that
      // draws that network, and the fitted view moves beside the charts that step 10 brings:
      // compare the files with the exports after both.
      await wait_frames(page, 5);
      const expected = await page.evaluate(() => ({
        network: window.splinescope.export_network(), history: window.splinescope.history_csv(),
        svg: window.splinescope.export_svg() }));
      const names = {};
      for (const [kind, pattern] of [['network', /^splinescope-step10-network\.json$/],
                                     ['history', /^splinescope-step10-history\.csv$/],
                                     ['svg', /^splinescope-step10-tiles\.svg$/],
                                     ['png', /^splinescope-step10\.png$/]]) {
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 30000 }),
          page.evaluate((k) => window.splinescope.download(k, 640, 480), kind),
        ]);
        const name = download.suggestedFilename();
        const bytes = readFileSync(await download.path());
        names[kind] = { name, bytes: bytes.length };
        assert(pattern.test(name), `${kind}: file name ${name}`);
        if (kind === 'png') {
          const { width, height } = png_size(bytes);
          assert(width === 640 && height === 480, `png ${width} x ${height}`);
        } else {
          assert(bytes.toString('utf8') === expected[kind], `${kind}: the file differs from the export`);
        }
      }
      save_json('export-downloads', names);
      await page.context().close();
    },
  },
  {
    name: 'the built site works from a sub-path with content-hashed assets and no 404',
    async run({ browser, serve }) {
      const dist = join(process.cwd(), 'dist');
      const files = readdirSync(dist);
      const hashed = {};
      for (const [base, ext] of [['index', 'js'], ['index', 'wasm'], ['page', 'js'], ['files', 'js'],
                                 ['page', 'css']]) {
        const found = files.filter((f) => new RegExp(`^${base}\\.[0-9a-f]{8}\\.${ext}$`).test(f));
        assert(found.length === 1, `${base}.<hash>.${ext}: dist/ holds ${files.join(', ')}`);
        assert(!files.includes(`${base}.${ext}`), `unhashed ${base}.${ext} in dist/`);
        hashed[`${base}.${ext}`] = found[0];
      }
      // The image data: hashed and named too, but fetched only when chosen.
      const images = files.filter((f) => /^fashion-mnist\.[0-9a-f]{8}\.bin$/.test(f));
      assert(images.length === 1 && !files.includes('fashion-mnist.bin'), `the image asset: dist/ holds ${files.join(', ')}`);
      const js = [hashed['index.js']], wasm = [hashed['index.wasm']];
      const html = readFileSync(join(dist, 'index.html'), 'utf8');
      for (const name of Object.values(hashed))
        assert(html.includes(`"${name}"`), `index.html does not name ${name}`);
      assert(!/(src|href)="\//.test(html), 'an absolute path in index.html');
      assert(!/<script>|<style>|\son[a-z]+=/.test(html), 'inline script, style or event handler in index.html');

      const prefix = '/courses/deep-learning/splinescope/';
      const { server, url } = await serve(prefix);
      try {
        const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
        const page = await context.newPage();
        const failures = [], requests = [], errors = [];
        page.on('response', (r) => { requests.push(r.url()); if (r.status() >= 400) failures.push(`${r.status()} ${r.url()}`); });
        page.on('requestfailed', (r) => failures.push(`failed ${r.url()}`));
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        const response = await page.goto(url);
        await page.waitForFunction(() => window.splinescope && (window.splinescope.ready ||
                                   window.splinescope.error), null, { timeout: 60000 });
        const error = await page.evaluate(() => window.splinescope.error);
        await page.waitForTimeout(300);
        await screenshot(page, 'export-subpath');
        const wasm_response = await context.request.get(url + wasm[0]);
        const caching = wasm_response.headers()['cache-control'];
        save_json('export-subpath', { url, requests, failures, errors, caching });
        assert(response.status() === 200, `index.html: HTTP ${response.status()}`);
        assert(error === null, `the app reported: ${error}`);
        assert(failures.length === 0, failures.join('\n'));
        assert(errors.length === 0, errors.join('\n'));
        for (const asset of [...Object.values(hashed), 'favicon.svg'])
          assert(requests.includes(url + asset), `${asset} was not requested under ${prefix}`);
        assert(html.includes(`"${images[0]}"`), `index.html does not name ${images[0]}`);
        assert(!requests.includes(url + images[0]), 'the image asset was fetched before image data was chosen');
        await page.evaluate(() => window.splinescope.load_url('#data=fashion-mnist&layers=8'));
        await page.waitForFunction(() => window.splinescope.state().image_plane !== null, null, { timeout: 30000 });
        assert(requests.includes(url + images[0]), `${images[0]} was not requested under ${prefix}`);
        assert(failures.length === 0, failures.join('\n'));
        assert(/immutable/.test(caching || ''), `hashed assets served with Cache-Control ${caching}`);
        await context.close();
      } finally {
        server.close();
      }
    },
  },
];
