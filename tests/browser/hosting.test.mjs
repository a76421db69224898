// Where course pages put SplineScope: served under a strict Content-Security-Policy, and embedded
// in sandboxed iframes on another origin, with and without Access-Control-Allow-Origin.
import { assert, course_page, open_app, open_page, save_json, screenshot, wait_frames } from './harness.mjs';

// A common strict policy that still allows WebAssembly, and the smallest one the page needs
// (docs/embedding.md, "For site administrators").
const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' " +
               "'unsafe-inline'; img-src 'self' data: blob:";
const SMALLEST = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
const NO_WASM = "default-src 'self'; script-src 'self'";

// True when the policy is in force in the page: an inline script does not run.
const inline_refused = (page) => page.evaluate(() => {
  const script = document.createElement('script');
  script.textContent = 'window.__inline_ran = true;';
  document.head.appendChild(script);
  return window.__inline_ran !== true;
});

// What the error box says, and whether the loading spinner is still shown.
const error_box = (frame) => frame.evaluate(() => ({
  error: window.splinescope && window.splinescope.error,
  text: document.getElementById('error').innerText,
  error_shown: getComputedStyle(document.getElementById('error')).display !== 'none',
  loading_shown: getComputedStyle(document.getElementById('loading')).display !== 'none',
}));

async function events_of(host, name) {
  return host.evaluate((n) => window.events.filter((e) => e.splinescope === n), name);
}

async function wait_event(host, predicate_source, arg, timeout = 30000) {
  await host.waitForFunction(({ source, arg }) =>
    window.events.some((e) => (new Function('e', 'arg', `return (${source})(e, arg);`))(e, arg)),
  { source: predicate_source.toString(), arg }, { timeout });
}

export const tests = [
  {
    name: 'under a strict Content-Security-Policy the page starts, trains and loads every lesson',
    async run({ browser, serve: serve_dist }) {
      const report = {};
      for (const [label, policy] of [['strict', STRICT], ['smallest', SMALLEST]]) {
        const site = await serve_dist('/', { headers: { 'Content-Security-Policy': policy } });
        const page = await open_app(browser, site.url + '#pace=max');
        await page.evaluate(() => window.splinescope.play());
        await page.waitForFunction(() => window.splinescope.state().step > 200, null, { timeout: 30000 });
        await page.evaluate(() => window.splinescope.pause());
        const trained = await page.evaluate(() => window.splinescope.state());
        assert(Number.isFinite(trained.train_loss) && trained.tiles > 1,
               `${label}: step ${trained.step}, loss ${trained.train_loss}, tiles ${trained.tiles}`);
        // The documented policies let the training worker start (worker-src falls back to
        // script-src 'self').
        assert(trained.training.thread === 'worker',
               `${label}: training ran in ${trained.training.thread}: ${trained.training.reason}`);
        const ids = await page.evaluate(() => window.splinescope.lessons().map((l) => l.id));
        assert(ids.length >= 10, `${label}: lessons ${ids}`);
        const loaded = [];
        for (const id of ids) {
          const notes = await page.evaluate((i) => window.splinescope.load_url('#lesson=' + i), id);
          await wait_frames(page, 2);
          const s = await page.evaluate(() => window.splinescope.state());
          assert(notes.length === 0 && s.lesson === id, `${label}: lesson ${id}: ${s.lesson}, ${notes}`);
          if (s.playing) await page.evaluate(() => window.splinescope.pause());
          loaded.push(id);
        }
        if (label === 'strict') await screenshot(page, 'hosting-strict-csp');
        assert(page.errors.length === 0, `${label}: ${page.errors.join('\n')}`);
        // Last (it logs a violation): the policy was in force.
        assert(await inline_refused(page), `${label}: the policy is not in force (inline scripts run)`);
        report[label] = { policy, step: trained.step, tiles: trained.tiles, lessons: loaded };
        await page.context().close();
        site.server.close();
      }
      save_json('hosting-csp', report);
    },
  },
  {
    name: "without 'wasm-unsafe-eval' the page names the missing permission instead of spinning",
    async run({ browser, serve: serve_dist }) {
      const site = await serve_dist('/', { headers: { 'Content-Security-Policy': NO_WASM } });
      const page = await open_page(browser, site.url);
      await page.waitForFunction(() => window.splinescope && window.splinescope.error, null,
                                 { timeout: 30000 });
      const box = await error_box(page);
      await screenshot(page, 'hosting-csp-no-wasm');
      assert(box.error.includes("'wasm-unsafe-eval'") && box.error.includes('Content-Security-Policy'),
             `error: ${box.error}`);
      assert(box.error_shown && !box.loading_shown, `error box ${box.error_shown}, spinner ${box.loading_shown}`);
      assert(box.text.includes('For site administrators'), `hint: ${box.text}`);
      // The interface fails soft: calls return the error.
      const calls = await page.evaluate(() => [window.splinescope.play(), window.splinescope.state()]);
      assert(calls.every((c) => c === box.error), `calls returned ${JSON.stringify(calls)}`);
      await page.context().close();
      site.server.close();
    },
  },
  {
    name: 'in an iframe sandboxed without allow-same-origin on another origin, postMessage drives it',
    async run({ browser, url }) {
      const course = await course_page('hosting-sandboxed', `<iframe sandbox="allow-scripts"
        width="800" height="500" src="${url}#embed=1&panels=controls&data=moons&layers=8,8"></iframe>`);
      const host = await open_page(browser, course.url, { width: 900, height: 600 });
      await wait_event(host, (e) => e.splinescope === 'ready' || e.splinescope === 'error', null, 60000);
      const frame = host.frames().find((f) => f.url().startsWith(url));
      assert(frame, `no frame of ${url}: ${host.frames().map((f) => f.url())}`);
      const inside = await frame.evaluate(() => ({
        origin: String(window.origin), error: window.splinescope.error, ready: window.splinescope.ready,
      }));
      assert(inside.origin === 'null', `the frame's origin is ${inside.origin}, not opaque`);
      assert(inside.ready && !inside.error, `frame: ${JSON.stringify(inside)}`);
      await host.evaluate(() => window.send({ splinescope: 'play' }));
      await wait_event(host, (e) => e.splinescope === 'step' && e.step > 100);
      await host.evaluate(() => window.send({ splinescope: 'pause' }));
      await host.waitForTimeout(300);
      await host.evaluate(() => { window.events = []; window.send({ splinescope: 'state' }); });
      await wait_event(host, (e) => e.splinescope === 'state');
      const paused = (await events_of(host, 'state'))[0];
      assert(!paused.playing && paused.step > 100 && Number.isFinite(paused.train_loss),
             `state: ${JSON.stringify(paused)}`);
      // A frame without an origin may not start a worker from the site's address; it starts one
      // from a blob: copy of the script instead.
      assert(paused.training === 'worker', `training ran in ${paused.training}: ${
        await frame.evaluate(() => window.splinescope.state().training.reason)}`);
      await host.evaluate(() => window.send({ splinescope: 'step', steps: 7 }));
      await wait_event(host, (e, s) => e.splinescope === 'state' && e.step === s + 7, paused.step);
      // A lost and restored graphics context reloads the page, which tries to keep the session in
      // sessionStorage: here storage throws, so the page must start afresh without an error.
      await host.evaluate(() => { window.events = []; });
      await frame.evaluate(() => {
        const gl = document.getElementById('canvas').getContext('webgl2');
        const ext = gl.getExtension('WEBGL_lose_context');
        ext.loseContext();
        setTimeout(() => ext.restoreContext(), 200);
      });
      await wait_event(host, (e) => e.splinescope === 'ready' || e.splinescope === 'error', null, 60000);
      const after = (await host.evaluate(() => window.events))
        .find((e) => e.splinescope === 'ready' || e.splinescope === 'error');
      assert(after.splinescope === 'ready', `after the context came back: ${JSON.stringify(after)}`);
      await screenshot(host, 'hosting-sandboxed');
      assert(host.errors.length === 0, host.errors.join('\n'));
      save_json('hosting-sandboxed', { inside, paused, after });
      await host.context().close();
      course.server.close();
    },
  },
  {
    name: 'without Access-Control-Allow-Origin a sandboxed frame names both fixes, and the snippet works',
    async run({ browser, serve: serve_dist }) {
      const site = await serve_dist('/', { cors: false });
      const sandboxed = await course_page('hosting-no-cors', `<iframe sandbox="allow-scripts"
        width="800" height="500" src="${site.url}#embed=1"></iframe>`);
      const host = await open_page(browser, sandboxed.url, { width: 900, height: 600 });
      const frame = () => host.frames().find((f) => f.url().startsWith(site.url));
      for (let i = 0; i < 100 && !frame(); ++i) await host.waitForTimeout(100);
      await frame().waitForFunction(() => window.splinescope && window.splinescope.error, null,
                                    { timeout: 30000 });
      const box = await error_box(frame());
      await screenshot(host, 'hosting-no-cors');
      assert(box.error_shown && !box.loading_shown, `error box ${box.error_shown}, spinner ${box.loading_shown}`);
      for (const words of ['Access-Control-Allow-Origin: *', 'allow-same-origin', 'sandbox'])
        assert(box.error.includes(words) && box.text.includes(words), `"${words}" missing: ${box.text}`);
      await host.context().close();
      sandboxed.server.close();

      // The share dialog's snippet (with its sandbox flags) works from the same host.
      const page = await open_app(browser, site.url + '#data=moons&layers=8,8');
      const snippet = await page.evaluate(() => window.splinescope.embed_snippet());
      await page.context().close();
      assert(/ sandbox="allow-scripts allow-same-origin[^"]*"/.test(snippet), `snippet: ${snippet}`);
      const embedding = await course_page('hosting-snippet', snippet);
      const host2 = await open_page(browser, embedding.url, { width: 900, height: 600 });
      await wait_event(host2, (e) => e.splinescope === 'ready' || e.splinescope === 'error', null, 60000);
      const first = (await host2.evaluate(() => window.events))[0];
      assert(first.splinescope === 'ready' && first.state.includes('data=moons'),
             `the snippet's frame: ${JSON.stringify(first)}`);
      assert(host2.errors.length === 0, host2.errors.join('\n'));
      await host2.context().close();
      embedding.server.close();
      site.server.close();
      save_json('hosting-no-cors', { error: box.error, snippet });
    },
  },
];
