// Touch input: a two-finger pinch zooms the view about the fingers (CDP touch events, the way a
// phone or a touch screen sends them).
import { assert, screenshot } from './harness.mjs';

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
];
