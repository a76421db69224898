// For every student: the canvas has an accessible name and description, a polite live region
// reads the figures a sighted user sees while training, every control is reachable from the
// keyboard, and prefers-reduced-motion holds a link's autoplay until the user presses Play.
import { assert, open_app, save_json, wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());
const live_text = (page) => page.evaluate(() => document.getElementById('live').textContent);
// A key held for a few frames, as a person presses it (ImGui 1.86 reads key state once a frame).
async function press(page, key) {
  await page.keyboard.down(key);
  await wait_frames(page, 2);
  await page.keyboard.up(key);
  await wait_frames(page, 2);
}

export const tests = [
  {
    name: 'the canvas has an accessible name and description, and a polite live region reads the figures while training',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#lesson=boundary');
      const canvas = await page.evaluate(() => {
        const c = document.getElementById('canvas');
        const description = document.getElementById(c.getAttribute('aria-describedby'));
        const live = document.getElementById('live');
        return { label: c.getAttribute('aria-label'), role: c.getAttribute('role'), tabindex: c.tabIndex,
                 description: description && description.textContent.trim(),
                 live: live && live.getAttribute('aria-live') };
      });
      assert(/tiles/.test(canvas.label || '') && canvas.tabindex === 0, `canvas ${JSON.stringify(canvas)}`);
      assert(canvas.description && canvas.description.length > 200 && /Space/.test(canvas.description),
             `description: ${canvas.description}`);
      assert(canvas.live === 'polite', `live region: ${canvas.live}`);
      // The lesson plays at its pace: the region names it, then follows the step.
      await page.waitForFunction(() => /step/.test(document.getElementById('live').textContent), null, { timeout: 10000 });
      const first = await live_text(page);
      const s1 = await state(page);
      await page.waitForTimeout(6500);
      const second = await live_text(page);
      const s2 = await state(page);
      save_json('access-live-region', { first, second, steps: [s1.step, s2.step] });
      assert(/^Lesson: The decision boundary is a polyline\./.test(first), `first announcement: ${first}`);
      assert(second !== first && /Training at step \d+/.test(second) && /Test accuracy \d+ percent/.test(second) &&
             /\d+ tiles/.test(second), `second announcement: ${second}`);
      assert(s2.step > s1.step, `steps ${s1.step} -> ${s2.step}`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'every control is reachable from the keyboard, and the page keys still work after a click on a panel',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      // A click on the settings panel's title focuses it; Space still plays and pauses.
      await page.mouse.click(150, 22);
      await wait_frames(page, 2);
      await press(page, 'Space');
      assert((await state(page)).playing, 'Space after a click on a panel did not play');
      await press(page, 'Space');
      assert(!(await state(page)).playing, 'Space did not pause');
      // Arrows move a visible focus between the controls; Space uses the focused one. Walk down
      // until a setting changes: each control in turn is reached.
      const before = (await state(page)).url_state;
      await press(page, 'ArrowDown');
      let s = await state(page);
      assert(s.keyboard.visible && s.keyboard.window === 'SplineScope', `keyboard focus: ${JSON.stringify(s.keyboard)}`);
      let changed = null;
      for (let i = 0; i < 12 && !changed; ++i) {
        await press(page, 'ArrowDown');
        await press(page, 'Space');
        s = await state(page);
        if (s.url_state !== before) changed = { presses: i + 2, url_state: s.url_state };
        if (s.playing) { await page.evaluate(() => window.splinescope.pause()); } // Play reached
      }
      save_json('access-keyboard', { changed });
      assert(changed, 'twelve arrows and Space changed no setting');
      // Escape leaves the controls: the page's keys are back.
      await press(page, 'Escape');
      await press(page, 'Space');
      assert((await state(page)).playing, 'Space after Escape did not play');
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: "with prefers-reduced-motion a link's autoplay waits until the user presses Play",
    async run({ browser, url }) {
      const report = {};
      for (const reduced of [false, true]) {
        const context = await browser.newContext({ viewport: { width: 960, height: 640 },
                                                   reducedMotion: reduced ? 'reduce' : 'no-preference' });
        const page = await context.newPage();
        await page.goto(url + '#data=moons&play=1');
        await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
        await page.waitForTimeout(1500);
        const s = await state(page);
        report[reduced ? 'reduce' : 'no-preference'] = { playing: s.playing, step: s.step, held: s.autoplay_held,
                                                          notice: s.notice };
        if (!reduced) {
          assert(s.playing && s.step > 0 && !s.reduced_motion, `autoplay without the preference: ${JSON.stringify(s)}`);
        } else {
          assert(s.reduced_motion && !s.playing && s.step === 0 && s.autoplay_held && /Play/.test(s.notice),
                 `with reduced motion: playing ${s.playing}, step ${s.step}, held ${s.autoplay_held}, '${s.notice}'`);
          await page.waitForFunction(() => /Press Play/.test(document.getElementById('live').textContent), null,
                                     { timeout: 5000 });
          await page.evaluate(() => window.splinescope.play());
          await page.waitForFunction(() => window.splinescope.state().step > 0, null, { timeout: 10000 });
          assert(!(await state(page)).autoplay_held, 'still held after Play');
        }
        await context.close();
      }
      save_json('access-reduced-motion', report);
    },
  },
];
