// Input: a two-finger pinch zooms the view about the fingers (CDP touch events, the way a phone or
// a touch screen sends them); a press that starts on a panel never reaches the canvas (mouse and
// touch, at full and at throttled frame rates); placed points can be cleared and edits undone.
import { assert, open_app, screenshot, wait_frames } from './harness.mjs';

// Points on the main window's Play, Step and Reset buttons and its "by layer" checkbox, from the
// window's rectangle in state().layout (offsets of ImGui's default layout at scale 1).
async function panel_targets(page) {
  const layout = (await page.evaluate(() => window.splinescope.state())).layout;
  const w = layout.SplineScope;
  assert(w, `no main window in ${JSON.stringify(layout)}`);
  return [['Play', w[0] + 43, w[1] + 36], ['Step', w[0] + 103, w[1] + 36],
          ['Reset', w[0] + 151, w[1] + 36], ['checkbox', w[0] + 83, w[1] + 286]];
}
const placed = (page) => page.evaluate(() => window.splinescope.state().user_points);

export const tests = [
  {
    name: 'spreading two fingers zooms in about them and pinching zooms back out',
    async run({ browser, url }) {
      const context = await browser.newContext({ viewport: { width: 960, height: 640 }, hasTouch: true });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
      const view = () => page.evaluate(() => window.splinescope.state().view);
      const cdp = await context.newCDPSession(page);
      const centre = { x: 600, y: 320 };
      const touch = (type, d) => cdp.send('Input.dispatchTouchEvent', {
        type, touchPoints: type === 'touchEnd' ? [] : [
          { x: centre.x - d, y: centre.y, id: 1 }, { x: centre.x + d, y: centre.y, id: 2 }] });
      async function pinch(from, to) {
        await touch('touchStart', from);
        const step = from < to ? 5 : -5;
        for (let d = from + step; step > 0 ? d <= to : d >= to; d += step) {
          await touch('touchMove', d);
          await page.waitForTimeout(16);
        }
        await touch('touchEnd', 0);
        await page.waitForTimeout(300);
      }
      const before = await view();
      // The input point under the fingers' centre.
      const at = (v) => v[0] + (centre.x / 960) * (v[1] - v[0]);
      await pinch(40, 200);
      const zoomed = await view();
      await screenshot(page, 'input-pinch-zoomed');
      const width = (v) => v[1] - v[0];
      assert(width(zoomed) < 0.7 * width(before), `spread: width ${width(before)} -> ${width(zoomed)}`);
      assert(Math.abs(at(zoomed) - at(before)) < 0.15 * width(before),
             `the point under the fingers moved from ${at(before)} to ${at(zoomed)}`);
      await pinch(200, 40);
      const back = await view();
      assert(width(back) > 1.4 * width(zoomed), `pinch: width ${width(zoomed)} -> ${width(back)}`);
      assert(errors.length === 0, errors.join('\n'));
      await context.close();
    },
  },
  {
    name: 'a quick click or tap on Play, Step, Reset or a checkbox never adds a point under the panel',
    async run({ browser, url }) {
      const report = [];
      for (const throttle of [1, 6]) {
        const page = await open_app(browser, url, { width: 1280, height: 800 });
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        for (const [name, x, y] of await panel_targets(page)) {
          await page.mouse.move(700, 400); // resting on the canvas
          await wait_frames(page, 2);
          await page.mouse.click(x, y); // move, press and release at once
          await wait_frames(page, 2);
          report.push({ throttle, name, placed: await placed(page) });
          assert(await placed(page) === 0, `x${throttle}: a click on ${name} at (${x}, ${y}) added a point`);
        }
        // The same quick click on the canvas does add one (the check above can fail).
        await page.mouse.move(700, 400);
        await wait_frames(page, 2);
        await page.mouse.click(760, 560);
        await wait_frames(page, 2);
        assert(await placed(page) === 1, `x${throttle}: a click on the canvas added ${await placed(page)} points`);
        await page.context().close();
      }
      // Touch: the first tap on a button, after a tap that placed a point on the canvas.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null, { timeout: 60000 });
      await page.touchscreen.tap(760, 560);
      await wait_frames(page, 3);
      assert(await placed(page) === 1, `a tap on the canvas placed ${await placed(page)} points`);
      for (const [name, x, y] of await panel_targets(page)) {
        await page.touchscreen.tap(x, y);
        await wait_frames(page, 3);
        report.push({ touch: true, name, placed: await placed(page) });
        assert(await placed(page) === 1, `a tap on ${name} at (${x}, ${y}) added a point`);
      }
      await context.close();
      console.log('        ' + JSON.stringify(report.filter((r) => r.name === 'Step')));
    },
  },
  {
    name: 'placed points can be cleared, and every point edit undone with the button or Ctrl+Z',
    async run({ browser, url }) {
      const page = await open_app(browser, url, { width: 1280, height: 800 });
      const data_size = () => page.evaluate(() => {
        const s = window.splinescope.state();
        return s.train_points + s.test_points;
      });
      const original = await data_size();
      for (const [x, y] of [[700, 300], [800, 420], [900, 600]]) {
        await page.mouse.click(x, y);
        await wait_frames(page, 2);
      }
      assert(await placed(page) === 3 && await data_size() === original + 3, `placed ${await placed(page)}`);
      // Placed points are diamonds in the SVG (and on the canvas), the others discs and rings.
      const shapes = await page.evaluate(() => {
        const doc = new DOMParser().parseFromString(window.splinescope.export_svg(), 'image/svg+xml');
        return { diamonds: doc.querySelectorAll('#points path').length,
                 discs: doc.querySelectorAll('#points circle').length };
      });
      assert(shapes.diamonds === 3 && shapes.discs === original, `SVG points: ${JSON.stringify(shapes)}`);
      assert(await page.evaluate(() => window.splinescope.clear_points()), 'clear_points() did nothing');
      await wait_frames(page, 2);
      assert(await placed(page) === 0 && await data_size() === original, 'clear left points');
      assert(!(await page.evaluate(() => window.splinescope.clear_points())), 'cleared nothing twice');
      // Ctrl+Z (the canvas has the keyboard) brings the three back; the next undoes one placement.
      await page.keyboard.press('Control+z');
      await wait_frames(page, 2);
      assert(await placed(page) === 3, `after Ctrl+Z: ${await placed(page)} placed`);
      assert(await page.evaluate(() => window.splinescope.undo_points()), 'undo_points() did nothing');
      await wait_frames(page, 2);
      assert(await placed(page) === 2, `after undo: ${await placed(page)} placed`);
      const s = await page.evaluate(() => window.splinescope.state());
      assert(s.undoable_point_edits === 2 && s.train_points + s.test_points === original + 2,
             `${s.undoable_point_edits} edits to undo, ${s.train_points} + ${s.test_points} points`);
      await page.context().close();
    },
  },
  {
    name: 'a wheel notch zooms the canvas by 0.8 about the cursor, and a trackpad step in proportion',
    async run({ browser, url }) {
      const page = await open_app(browser, url, { width: 1280, height: 800 });
      const width = async () => { const v = (await page.evaluate(() => window.splinescope.state())).view; return v[1] - v[0]; };
      // The fitted view follows the panels while their sizes settle in the first frames: measure
      // once it has stopped moving.
      let before = await width();
      for (let i = 0; i < 20; ++i) {
        await wait_frames(page, 3);
        const now = await width();
        if (now === before) break;
        before = now;
      }
      await page.mouse.move(800, 400);
      await wait_frames(page, 2);
      await page.mouse.wheel(0, -100); // one notch towards the user: zoom in
      await wait_frames(page, 2);
      const notch = await width();
      await page.mouse.wheel(0, 25); // a quarter notch out
      await wait_frames(page, 2);
      const quarter = await width();
      // Over a panel the wheel scrolls the panel, not the view.
      await page.mouse.move(100, 300);
      await wait_frames(page, 1);
      await page.mouse.wheel(0, -100);
      await wait_frames(page, 2);
      const over_panel = await width();
      assert(Math.abs(notch / before - 0.8) < 1e-6, `a notch: ${notch / before}`);
      assert(Math.abs(quarter / notch - Math.pow(0.8, -0.25)) < 1e-6, `a quarter notch: ${quarter / notch}`);
      assert(over_panel === quarter, 'the wheel over the panel zoomed the view');
      await page.context().close();
    },
  },
];
