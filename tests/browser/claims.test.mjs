// Lessons that measure their claims (web/share/lesson_claims.h): the claim holds on the lesson's
// own run, read through state().lesson_claim, and a broken setup is detected as not holding.
import { assert, open_app, save_json, screenshot, wait_frames } from './harness.mjs';

const SIZE = { width: 1280, height: 800 };

// Opens an address and waits until its run has stopped at `steps` (or after a few frames).
async function run_to_end(browser, url, address, steps) {
  const page = await open_app(browser, `${url}#${address}`, SIZE);
  await page.waitForFunction((n) => window.splinescope.state().step >= n && !window.splinescope.state().playing,
                             steps, { timeout: 150000 });
  await wait_frames(page, 4);
  return { page, s: await page.evaluate(() => window.splinescope.state()) };
}

// Runs each case to its end and checks its claim holds or not as expected; returns the rows.
async function run_cases(browser, url, cases) {
  const rows = [];
  for (const c of cases) {
    const { page, s } = await run_to_end(browser, url, c.address, c.steps);
    const claim = s.lesson_claim;
    rows.push({ address: c.address, step: s.step, tiles: s.tiles, test_loss: s.test_loss, claim,
                panes: s.compare && s.compare.panes.map((p) => ({ settings: p.settings, steps: p.steps, tiles: p.tiles })) });
    // A comparison is made in lock step: every pane at the lesson's step.
    if (s.compare) assert(s.compare.panes.every((p) => p.steps === s.step), `${c.address}: panes at ${s.compare.panes.map((p) => p.steps)}`);
    console.log(`        ${c.address}: ${claim && claim.holds ? 'holds' : 'does not hold'}: ${claim && claim.measurement}`);
    if (c.shot) await screenshot(page, c.shot);
    assert(claim, `${c.address}: no claim measured`);
    assert(claim.holds === c.holds, `${c.address}: holds ${claim.holds}, expected ${c.holds}: ${claim.measurement}`);
    assert(page.errors.length === 0, page.errors.join('\n'));
    await page.context().close();
  }
  return rows;
}

export const tests = [
  {
    name: 'each measured lesson of the plane and the line shows its claim on its own run, and a broken setup is shown as not holding',
    async run({ browser, url }) {
      const rows = await run_cases(browser, url, [
        { address: 'lesson=lines&pace=max', steps: 3000, holds: true, shot: 'claim-lines' },
        { address: 'lesson=lines&layers=6,6&pace=max', steps: 3000, holds: false },
        { address: 'lesson=depth', steps: 0, holds: true, shot: 'claim-depth' },
        { address: 'lesson=depth&layers=6', steps: 0, holds: false },
        { address: 'lesson=line&pace=max', steps: 3000, holds: true, shot: 'claim-line' },
        { address: 'lesson=line&steps=5&pace=max', steps: 5, holds: false },
        { address: 'lesson=long', steps: 100000, holds: true, shot: 'claim-long' },
        { address: 'lesson=long&wd=0', steps: 100000, holds: false },
        { address: 'lesson=neurons', steps: 0, holds: true, shot: 'claim-neurons' },
        { address: 'lesson=neurons&neuron=1.1', steps: 0, holds: false },
        { address: 'lesson=code', steps: 0, holds: true, shot: 'claim-code' },
        { address: 'lesson=code&act=linear', steps: 0, holds: false },
        // The spline claim holds wherever the tiles are exact (8 x 64 included): its check is
        // shown to fail on a wrong tile in tests/web/test_lesson_claims.cpp.
        { address: 'lesson=spline&pace=max', steps: 4000, holds: true, shot: 'claim-spline' },
        { address: 'lesson=boundary&pace=max', steps: 2000, holds: true, shot: 'claim-boundary' },
        { address: 'lesson=boundary&act=linear&pace=max', steps: 2000, holds: false },
        { address: 'lesson=leaky&pace=max', steps: 2000, holds: true, shot: 'claim-leaky' },
        { address: 'lesson=leaky&act=relu&layers=3&pace=max', steps: 2000, holds: false },
      ]);
      // The measurement is the run's: the lines lesson's tiles are the page's count, within the bound.
      assert(rows[0].tiles <= 22 && rows[0].claim.measurement.startsWith(`${rows[0].tiles} tiles`), JSON.stringify(rows[0]));
      assert(rows[4].test_loss < 0.05 && rows[5].test_loss >= 0.05, `losses ${rows[4].test_loss}, ${rows[5].test_loss}`);
      save_json('lesson-claims', rows);
    },
  },
  {
    name: 'each measured lesson on images, with batch statistics, of width and depth and in compare mode shows its claim, and a broken setup is shown as not holding',
    async run({ browser, url }) {
      const rows = await run_cases(browser, url, [
        // Image data: the three images of the plane predicted as their classes after training.
        { address: 'lesson=images&pace=max', steps: 1500, holds: true, shot: 'claim-images' },
        { address: 'lesson=images&steps=1&pace=max', steps: 1, holds: false },
        { address: 'lesson=bnjitter', steps: 300, holds: true, shot: 'claim-bnjitter' },
        { address: 'lesson=bnjitter&batch=256', steps: 300, holds: false },
        { address: 'lesson=wide&pace=max', steps: 3000, holds: true, shot: 'claim-wide' },
        { address: 'lesson=wide&layers=48,4&pace=max', steps: 3000, holds: false },
        { address: 'lesson=deep&pace=max', steps: 3000, holds: true, shot: 'claim-deep' },
        { address: 'lesson=deep&layers=32&pace=max', steps: 3000, holds: false },
        // Compare mode: pane A against pane B.
        { address: 'lesson=widedeep&pace=max', steps: 3000, holds: true, shot: 'claim-widedeep' },
        { address: 'lesson=widedeep&compare=layers:64|layers:64,8&pace=max', steps: 3000, holds: false },
        { address: 'lesson=batchnorm', steps: 600, holds: true, shot: 'claim-batchnorm' },
        { address: 'lesson=batchnorm&compare=bn:0|bn:0', steps: 600, holds: false },
        { address: 'lesson=init', steps: 0, holds: true, shot: 'claim-init' },
        { address: 'lesson=init&compare=init:uniform;init_scale:0.2|init:uniform;init_scale:0.2', steps: 0, holds: false },
        { address: 'lesson=decay', steps: 100000, holds: true, shot: 'claim-decay' },
        { address: 'lesson=decay&compare=wd:0|wd:0', steps: 100000, holds: false },
      ]);
      save_json('lesson-claims-more', rows);
    },
  },
];
