// Shareable state, embedding and lessons: the address round-trips every key, malformed addresses
// leave a working page with notes, embed mode hides what it should, a host page drives an iframe
// with postMessage, and every lesson loads and renders.
import { assert, colour_histogram, course_page, open_app, open_page, save_json, screenshot,
         wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

// A non-default value for every URL key (tests/web/test_url_state.cpp checks the same table).
const SAMPLES = {
  data: 'blobs', n: '123', noise: '0.37', classes: '3', split: '0.6', seed: '42',
  layers: '5,7,9', act: 'abs', alpha: '0.2', bn: '1', init: 'glorot_uniform', init_scale: '0.7',
  bias: 'zero', bias_scale: '0.25', loss: 'softmax', opt: 'sgd', lr: '0.003', batch: '64',
  momentum: '0.8', nesterov: '1', beta1: '0.85', beta2: '0.99', wd: '0.01', l1: '0.001',
  l2: '0.002', schedule: 'cosine', step_every: '500', gamma: '0.3', cosine_steps: '7000',
  floor: '0.1', clip: '2.5', pace: '120', speed: '0.5', play: '1', steps: '250', view: '0.5,-1,2.25',
  color: 'gradient', out: '2', layer: '2', neuron: '2.4', edges: '0', boundary: '0',
  points: '0', test: '0', exact: '0', ui_scale: '1.5', theme: 'light', '3d': '1', orbit: '0.5,1.2', embed: '1',
  panels: 'controls,charts', caption: 'Hello, tiles', lesson: 'lines',
};

function keys_of(encoded) {
  const out = {};
  for (const item of encoded.replace(/^[#?]/, '').split('&')) {
    if (!item) continue;
    const eq = item.indexOf('=');
    out[decodeURIComponent(item.slice(0, eq))] = decodeURIComponent(item.slice(eq + 1));
  }
  return out;
}

const hash_of = (keys) => '#' + Object.entries(keys)
  .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

// Distinct colours in the canvas away from the panels.
async function distinct_colours(browser, png, region = { x: 360, y: 40, width: 560, height: 460 }) {
  return (await colour_histogram(browser, png, region)).length;
}

async function wait_for(page, predicate, arg, timeout = 30000) {
  await page.waitForFunction(predicate, arg, { timeout });
}

export const tests = [
  {
    name: 'every URL key read from the address comes back in the state and the address bar',
    async run({ browser, url }) {
      const page = await open_app(browser, url + hash_of(SAMPLES));
      await wait_for(page, () => !window.splinescope.state().playing); // steps=250, then pause
      const s = await state(page);
      await page.waitForTimeout(700); // the address bar follows within half a second
      const address = await page.evaluate(() => location.hash);
      await screenshot(page, 'sharing-every-key');
      save_json('sharing-every-key', { sent: SAMPLES, state: s.url_state, address, notes: s.url_notes });
      assert(s.url_notes.length === 0, `notes: ${s.url_notes.join('; ')}`);
      const back = keys_of(s.url_state);
      for (const [key, value] of Object.entries(SAMPLES))
        assert(back[key] === value, `${key}: sent ${value}, read back ${back[key]}`);
      assert(Object.keys(back).length === Object.keys(SAMPLES).length,
             `extra keys: ${Object.keys(back).filter((k) => !(k in SAMPLES))}`);
      assert(address === '#' + s.url_state, `address bar ${address} vs state ${s.url_state}`);
      // The keys reached the engine and the view, not only the address.
      assert(s.step === 250, `steps=250 trained ${s.step} steps`);
      assert(s.architecture === '2 -> 5 -> 7 -> 9 -> 3 abs', s.architecture);
      assert(s.session.train.learning_rate === 0.003, 'learning rate');
      assert(s.code_layers === 2 && s.render_exact === false && s.embed === true, 'view keys');
      assert(s.caption === 'Hello, tiles' && s.lesson === 'lines', 'caption and lesson');
      assert(s.pace === 120 && s.type.ui_scale === 1.5, `pace ${s.pace}, interface size ${s.type.ui_scale}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a malformed address loads with notes naming the keys and a working page',
    async run({ browser, url }) {
      const page = await open_app(browser,
        url + '?lr=abc&layers=1000,2&foo=bar&data=nope&n=-5&caption=%E2%9C%93%ZZ');
      const s = await state(page);
      await screenshot(page, 'sharing-malformed');
      save_json('sharing-malformed', s.url_notes);
      const named = (key) => s.url_notes.some((n) => n.startsWith(key + ':') || n.includes(`'${key}'`));
      for (const key of ['lr', 'layers', 'foo', 'data', 'n'])
        assert(named(key), `no note names ${key}: ${s.url_notes.join('; ')}`);
      assert(s.notice.includes('not used'), `notice: ${s.notice}`);
      assert(s.architecture.startsWith('2 -> 64 -> 2 ->'), s.architecture);
      assert(s.session.train.learning_rate === 0.01, 'lr kept its default');
      await page.evaluate(() => window.splinescope.step(20));
      assert((await state(page)).step === 20, 'the page does not train');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a thousand random and malformed addresses leave no error and a working page',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      const result = await page.evaluate(async (samples) => {
        let seed = 7;
        const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
        const names = Object.keys(samples).concat(['', 'x', '__proto__', 'constructor', '%', '=']);
        const values = ['', '0', '-1', '1e308', '-1e308', 'NaN', 'Infinity', '-0', '3.5', 'abc',
          '%', '%2', '%zz', '%00', ',,,', '1,2,3,4,5,6,7,8,9', '64,64,64,64,64,64,64,64',
          'relu,abs', '1.2.3', 'true', 'fit', 'none', '99999999999999999999', '9'.repeat(400),
          '\u00e9\u4e2d', '<script>', '"', "'", '0,0,0', '1e-320'].concat(Object.values(samples));
        const started = performance.now();
        const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        let max_notes = 0, through_address = 0;
        for (let i = 0; i < 1000; ++i) {
          let text = '';
          const n = rand(10);
          for (let k = 0; k < n; ++k) {
            text += names[rand(names.length)];
            if (rand(8)) text += '=' + values[rand(values.length)];
            text += rand(10) ? '&' : '#';
          }
          if (rand(4) === 0) text = text.slice(0, rand(text.length + 1));
          if (rand(10) === 0) text = text.replace(/steps=\d+/, 'steps=1'); // keep training short
          // Every 20th through the address bar (the hashchange handler reads it, and frames are
          // drawn with the result); the others through the same reader, without waiting for frames.
          if (i % 20 === 0) {
            location.hash = text;
            await frame();
            ++through_address;
          } else {
            window.splinescope.load_url(text);
          }
          const s = window.splinescope.state();
          if (!s.session || typeof s.url_state !== 'string') return { bad: text };
          max_notes = Math.max(max_notes, s.url_notes.length);
          if (s.playing) window.splinescope.pause();
        }
        return { seconds: (performance.now() - started) / 1000, max_notes, through_address };
      }, SAMPLES);
      save_json('sharing-fuzz', result);
      assert(!result.bad, `state unreadable after ${result.bad}`);
      assert(result.max_notes > 0, 'no address produced a note: the fuzz did not reach the reader');
      assert(page.errors.length === 0, page.errors.join('\n'));
      // Afterwards: a known address loads cleanly, trains and draws.
      const notes = await page.evaluate(() => window.splinescope.load_url('#data=moons&layers=8,8'));
      assert(notes.length === 0, notes.join('; '));
      await page.evaluate(() => window.splinescope.step(200));
      await page.waitForTimeout(500);
      const png = await screenshot(page, 'sharing-after-fuzz');
      const s = await state(page);
      assert(s.step === 200 && Number.isFinite(s.train_loss), `step ${s.step}, loss ${s.train_loss}`);
      assert(await distinct_colours(browser, png) > 8, 'the canvas is nearly blank after the fuzz');
      // Real page loads with malformed queries and fragments.
      for (const bad of ['?layers=-1&n=NaN', '#data=mo%', '?%%%%#&&&==', '#layers=' + '9,'.repeat(500),
                         '?caption=' + 'x'.repeat(5000)]) {
        const p = await open_app(browser, url + bad);
        const ps = await state(p);
        assert(p.errors.length === 0, `${bad}: ${p.errors.join('\n')}`);
        assert(ps.frames > 0 && ps.session, `${bad}: no frame`);
        await p.context().close();
      }
      await page.context().close();
    },
  },
  {
    name: 'embed mode shows only the chosen panels, down to a bare canvas with a play button',
    async run({ browser, url }) {
      const full = await open_app(browser, url);
      await full.evaluate(() => window.splinescope.step(50)); // the charts need a history
      await wait_for(full, () => window.splinescope.state().windows.includes('Charts'), null, 15000)
        .catch(() => {}); // asserted below
      const full_windows = (await state(full)).windows;
      await full.context().close();
      assert(full_windows.includes('SplineScope') && full_windows.includes('Charts'),
             `full page windows: ${full_windows}`);
      assert(!full_windows.includes('##open'), 'the full page links to itself');

      const bare = await open_app(browser, url + '#embed=1&panels=none&caption=Watch%20the%20tiles',
                                  { width: 480, height: 360 });
      await bare.waitForTimeout(300);
      const bare_state = await state(bare);
      const png = await screenshot(bare, 'sharing-embed-bare');
      assert(!bare_state.windows.includes('SplineScope') && !bare_state.windows.includes('Charts'),
             `bare canvas windows: ${bare_state.windows}`);
      for (const w of ['##play', '##caption', '##open'])
        assert(bare_state.windows.includes(w), `bare canvas lacks ${w}: ${bare_state.windows}`);
      assert(await distinct_colours(browser, png, { x: 100, y: 60, width: 280, height: 200 }) > 8,
             'the bare canvas shows no tiles');
      // The play button: move, press and release in separate frames (ImGui sees a press and a
      // release that arrive within one frame as no click, which a slow machine would cause).
      const frames_later = async (n) => {
        const f = (await state(bare)).frames;
        await bare.waitForFunction((g) => window.splinescope.state().frames >= g, f + n, { timeout: 30000 });
      };
      await bare.mouse.move(40, 22);
      await frames_later(2);
      await bare.mouse.down();
      await frames_later(2);
      await bare.mouse.up();
      await wait_for(bare, () => window.splinescope.state().playing, null, 10000).catch(() => {});
      assert((await state(bare)).playing, 'the play button of a bare canvas does not play');
      assert(bare.errors.length === 0, bare.errors.join('\n'));
      await bare.context().close();

      const some = await open_app(browser, url + '#embed=1&panels=controls,charts',
                                  { width: 640, height: 400 });
      await some.evaluate(() => window.splinescope.step(50));
      await wait_for(some, () => window.splinescope.state().windows.includes('Charts'), null, 15000)
        .catch(() => {}); // asserted below
      const some_state = await state(some);
      await screenshot(some, 'sharing-embed-controls-charts');
      assert(some_state.windows.includes('SplineScope') && some_state.windows.includes('Charts'),
             `windows: ${some_state.windows}`);
      assert(!some_state.windows.includes('##play'), 'a second play button');
      await some.context().close();
    },
  },
  {
    name: 'a host page drives an embedded page with postMessage and receives its events',
    async run({ browser, url }) {
      // The host page comes from another origin (its own server), as a course site would.
      const course = await course_page('course-page', `<iframe id="scope" width="800" height="500"
        src="${url}#embed=1&panels=controls&data=moons&layers=8,8"></iframe>`);
      const host = await open_page(browser, course.url, { width: 900, height: 600 });
      const events_of = (name) => host.evaluate((n) => window.events.filter((e) => e.splinescope === n), name);
      await host.waitForFunction(() => window.events.some((e) => e.splinescope === 'ready'), null,
                                 { timeout: 60000 });
      await host.evaluate(() => window.send({ splinescope: 'play' }));
      await host.waitForFunction(() => window.events.filter((e) => e.splinescope === 'step' && e.step > 100).length >= 2,
                                 null, { timeout: 30000 });
      await host.evaluate(() => window.send({ splinescope: 'pause' }));
      await host.waitForTimeout(500);
      const steps = await events_of('step');
      const last = steps[steps.length - 1];
      assert(Number.isFinite(last.train_loss) && last.tiles > 1, `step event: ${JSON.stringify(last)}`);
      assert(steps.every((e, i) => i === 0 || e.step > steps[i - 1].step), 'step events out of order');
      await host.evaluate(() => { window.events = []; window.send({ splinescope: 'state' }); });
      await host.waitForFunction(() => window.events.some((e) => e.splinescope === 'state'));
      const paused = (await events_of('state'))[0];
      assert(!paused.playing, 'pause did not pause');
      await host.evaluate(() => window.send({ splinescope: 'step', steps: 7 }));
      await host.waitForFunction((s) => window.events.some((e) => e.splinescope === 'state' && e.step === s + 7),
                                 paused.step, { timeout: 10000 });
      await host.evaluate(() => window.send({ splinescope: 'reset' }));
      await host.waitForFunction(() => window.events.some((e) => e.splinescope === 'state' && e.step === 0));
      await host.evaluate(() => window.send({ splinescope: 'load', state: 'data=xor&layers=4&lr=oops' }));
      await host.waitForFunction(() => window.events.some((e) => e.splinescope === 'loaded'));
      const loaded = (await events_of('loaded'))[0];
      assert(loaded.notes.length === 1 && loaded.notes[0].startsWith('lr:'), JSON.stringify(loaded));
      const after_load = (await events_of('state')).pop();
      assert(after_load.state.includes('data=xor') && after_load.state.includes('layers=4'),
             `state after load: ${after_load.state}`);
      await host.evaluate(() => window.send({ splinescope: 'fly' }));
      await host.waitForFunction(() => window.events.some((e) => e.splinescope === 'error'));
      const error = (await events_of('error'))[0];
      assert(error.message.includes('unknown command'), JSON.stringify(error));
      save_json('sharing-postmessage', { steps: steps.length, last, loaded, error });
      await screenshot(host, 'sharing-host-page');
      assert(host.errors.length === 0, host.errors.join('\n'));
      await host.context().close();
      course.server.close();
    },
  },
  {
    name: 'every lesson loads, renders and shows its caption',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#lesson=lines');
      const ids = await page.evaluate(() => window.splinescope.lessons().map((l) => l.id));
      assert(ids.length >= 10, `lessons: ${ids}`);
      const report = [];
      for (const id of ids) {
        const notes = await page.evaluate((i) => window.splinescope.load_url('#lesson=' + i), id);
        await page.waitForTimeout(1500);
        await page.evaluate(() => window.splinescope.pause());
        await page.waitForTimeout(300);
        const s = await state(page);
        const png = await screenshot(page, `lesson-${id}`);
        const colours = await distinct_colours(browser, png);
        report.push({ id, step: s.step, tiles: s.tiles, colours, notes });
        assert(notes.length === 0, `${id}: ${notes.join('; ')}`);
        assert(s.lesson === id, `${id}: state says lesson ${s.lesson}`);
        assert(s.windows.includes('##caption'), `${id}: no caption`);
        assert(colours > 8, `${id}: only ${colours} colours on the canvas`);
      }
      save_json('sharing-lessons', report);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the share link reproduces the state in a new page',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      await page.evaluate(() => {
        window.splinescope.load_url('#data=checkerboard&layers=12,12&act=leaky_relu&lr=0.02');
        window.splinescope.set_view(-2, 1, -1, 1.5);
        window.splinescope.highlight_neuron(2, 3);
      });
      const link = await page.evaluate(() => window.splinescope.share_link());
      const snippet = await page.evaluate(() => window.splinescope.embed_snippet());
      const original = (await state(page)).url_state;
      await page.context().close();
      assert(link.startsWith(url) && link.includes('#'), `link: ${link}`);
      assert(snippet.startsWith('<iframe src="') && snippet.includes('embed=1'), `snippet: ${snippet}`);
      const copy = await open_app(browser, link);
      const s = await state(copy);
      save_json('sharing-link', { link, snippet, original, copy: s.url_state });
      assert(s.url_state === original, `copy ${s.url_state} vs original ${original}`);
      assert(s.url_notes.length === 0, s.url_notes.join('; '));
      await copy.context().close();
    },
  },
  {
    name: 'a link carries settings as they were set (0.3, 0.7, 0.05), not as float noise',
    async run({ browser, url }) {
      // The Data section open, so its sliders run every frame; speed is a float in the app.
      const page = await open_app(browser, url + '#noise=0.3&split=0.7&speed=0.05&alpha=0.2&act=leaky_relu');
      await wait_frames(page, 3);
      const link = await page.evaluate(() => window.splinescope.share_link());
      const address = await page.evaluate(() => location.hash);
      await page.context().close();
      for (const text of ['noise=0.3&', 'split=0.7&', 'speed=0.05&', 'alpha=0.2&'])
        assert((link + '&').includes(text), `${text} not in the link ${link}`);
      assert(!/[0-9]{8}/.test(link) && !/[0-9]{8}/.test(address), `digits of float noise: ${link}, ${address}`);
    },
  },
  {
    name: "opening a lesson pushes a history entry: Back returns to the setup before it",
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#data=xor&layers=5,5&lr=0.02');
      await page.evaluate(() => window.splinescope.step(40));
      const before = (await state(page)).url_state;
      const length_before = await page.evaluate(() => history.length);
      assert(await page.evaluate(() => window.splinescope.open_lesson('nope')) !== null, 'unknown lesson opened');
      assert(await page.evaluate(() => window.splinescope.open_lesson('depth')) === null, 'open_lesson failed');
      await wait_frames(page, 2);
      const lesson = await state(page);
      assert(lesson.lesson === 'depth' && lesson.session.dataset.name === 'circles', `lesson: ${lesson.url_state}`);
      assert(await page.evaluate(() => history.length) === length_before + 1, 'no history entry pushed');
      await page.goBack();
      await page.waitForFunction((b) => window.splinescope.state().url_state === b, before, { timeout: 10000 })
        .catch(() => {});
      const back = await state(page);
      assert(back.url_state === before && back.lesson === '', `after Back: ${back.url_state} (wanted ${before})`);
      assert(back.session.dataset.name === 'xor' && back.session.network.hidden.join(',') === '5,5',
             `after Back: ${JSON.stringify(back.session.dataset)}`);
      await page.goForward();
      await page.waitForFunction(() => window.splinescope.state().lesson === 'depth', null, { timeout: 10000 })
        .catch(() => {});
      assert((await state(page)).lesson === 'depth', 'Forward did not reopen the lesson');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the fitted view frames the data beside every panel shown: an 800 x 500 embed and the full page',
    async run({ browser, url }) {
      const report = {};
      for (const [name, hash, size] of [
        ['embed', '#embed=1&panels=controls,charts&data=moons&pace=max&steps=300&caption=The%20boundary%20is%20a%20polyline',
         { width: 800, height: 500 }],
        ['full page', '#data=spiral&pace=max&steps=300', { width: 960, height: 640 }]]) {
        const page = await open_app(browser, url + hash, size);
        await page.waitForFunction(() => window.splinescope.state().step >= 300 &&
                                   window.splinescope.state().windows.includes('Charts'), null, { timeout: 30000 });
        await wait_frames(page, 4);
        const s = await state(page);
        const rows = (await page.evaluate(() => window.splinescope.data_csv())).trim().split('\n').slice(1);
        const [x0, x1, y0, y1] = s.view;
        const pixels = rows.map((r) => r.split(',').map(Number)).map(([x, y]) =>
          [(x - x0) / (x1 - x0) * s.canvas[0], (y1 - y) / (y1 - y0) * s.canvas[1]]);
        const covered = pixels.filter(([px, py]) => Object.values(s.layout).some(([lx, ly, lw, lh]) =>
          px >= lx && px <= lx + lw && py >= ly && py <= ly + lh)).length;
        const inside = pixels.filter(([px, py]) => px >= 0 && px < s.canvas[0] && py >= 0 && py < s.canvas[1]).length;
        await screenshot(page, `sharing-fitted-${name.replace(' ', '-')}`);
        report[name] = { layout: s.layout, view: s.view, points: rows.length, covered, inside };
        assert(s.view_fitted, `${name}: the view is not fitted`);
        assert(inside === rows.length, `${name}: ${rows.length - inside} points off the canvas`);
        assert(covered <= 0.01 * rows.length, `${name}: ${covered} of ${rows.length} points under a panel`);
        await page.context().close();
      }
      save_json('sharing-fitted', report);
    },
  },
];
