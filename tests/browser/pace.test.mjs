// A watchable pace: training goes at a pace in steps per second, chosen by default so that the
// default network takes tens of seconds to fit the spiral; the worker and the page both keep it;
// pace=max trains as fast as the machine goes; the loss chart has a log axis.
import { assert, open_app, save_json, screenshot, wait_frames } from './harness.mjs';

const state = (page) => page.evaluate(() => window.splinescope.state());

// Steps taken over `ms` of play, from the first step on.
async function steps_over(page, ms) {
  await page.evaluate(() => window.splinescope.play());
  await page.waitForFunction(() => window.splinescope.state().step >= 1, null, { timeout: 30000 });
  const a = await state(page);
  const t0 = Date.now();
  await page.waitForTimeout(ms);
  const b = await state(page);
  const seconds = (Date.now() - t0) / 1000;
  await page.evaluate(() => window.splinescope.pause());
  return { steps: b.step - a.step, seconds, thread: b.training.thread };
}

export const tests = [
  {
    name: 'the default pace fits the spiral in tens of seconds: 0.95 test accuracy within its first minute of steps, not its first 3 s',
    async run({ browser, url }) {
      const page = await open_app(browser, url);
      const s0 = await state(page);
      const pace = s0.pace;
      assert(pace >= 1 && pace <= 100, `default pace ${pace} steps/s`);
      assert(s0.session.dataset.name === 'spiral', `default data ${s0.session.dataset.name}`);
      // Counted in steps, not seconds, so the machine's speed does not matter: step(n) trains n
      // steps of the same run the pace would.
      const by_step = [];
      let reached = -1;
      for (let step = 0; step < 60 * pace; step += Math.ceil(pace)) {
        const s = await state(page);
        by_step.push({ step: s.step, test_accuracy: s.test_accuracy, test_loss: s.test_loss });
        if (reached < 0 && s.test_accuracy >= 0.95) reached = s.step;
        if (s.step >= 3 * pace && reached >= 0) break;
        await page.evaluate((n) => window.splinescope.step(n), Math.ceil(pace));
      }
      save_json('pace-default', { pace, reached, seconds: reached / pace, by_step });
      assert(reached >= 0, `0.95 test accuracy not reached within ${60 * pace} steps (60 s at the pace)`);
      assert(reached > 3 * pace, `0.95 reached at step ${reached}: within the first 3 s at ${pace} steps/s`);
      assert(reached / pace >= 10, `0.95 reached after ${reached / pace} s: not tens of seconds`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'the pace is honoured by the worker and in the page, and pace=max trains far faster',
    async run({ browser, url }) {
      const report = {};
      const page = await open_app(browser, url);
      await page.waitForFunction(() => window.splinescope.state().training.thread !== 'starting', null,
                                 { timeout: 30000 });
      const pace = (await state(page)).pace;
      report.default_worker = await steps_over(page, 5000);
      report.default_worker.pace = pace;
      await page.evaluate(() => window.splinescope.load_url('#pace=40'));
      report.pace40_worker = await steps_over(page, 3000);
      await page.evaluate(() => window.splinescope.load_url('#pace=max'));
      report.max_worker = await steps_over(page, 3000);
      await page.evaluate(() => window.splinescope.train_in_page());
      await page.evaluate(() => window.splinescope.load_url('#pace=40'));
      report.pace40_page = await steps_over(page, 3000);
      save_json('pace-rates', report);
      const within = (r, p, label) => {
        // The budget: the pace over the time, plus the first step and a quarter second of credit.
        assert(r.steps <= p * r.seconds + 1 + 0.25 * p, `${label}: ${r.steps} steps in ${r.seconds} s at ${p}/s`);
        assert(r.steps >= 0.6 * p * r.seconds, `${label}: only ${r.steps} steps in ${r.seconds} s at ${p}/s`);
      };
      assert(report.default_worker.thread === 'worker', `trained in the ${report.default_worker.thread}`);
      within(report.default_worker, pace, 'default pace, worker');
      within(report.pace40_worker, 40, 'pace 40, worker');
      assert(report.pace40_page.thread === 'page', `trained in the ${report.pace40_page.thread}`);
      within(report.pace40_page, 40, 'pace 40, page');
      assert(report.max_worker.steps / report.max_worker.seconds > 10 * 40,
             `pace max: ${report.max_worker.steps} steps in ${report.max_worker.seconds} s`);
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
  {
    name: 'a long run keeps its loss readable: the loss chart has a log axis and the figures are not 0.0000',
    async run({ browser, url }) {
      const page = await open_app(browser, url + '#pace=max&steps=6000');
      await page.waitForFunction(() => window.splinescope.state().step >= 6000 &&
                                       !window.splinescope.state().playing, null, { timeout: 60000 });
      await wait_frames(page, 3);
      const s = await state(page);
      await screenshot(page, 'pace-long-run-charts');
      assert(s.charts.includes('loss') && s.charts_log === true, `charts ${s.charts}, log ${s.charts_log}`);
      assert(s.train_loss < 1e-3, `train loss ${s.train_loss}: not a long run`);
      // The figures keep their significant digits: 3.09e-06, not 0.0000.
      const figures = s.charts_loss_label.match(/train (\S+) test (\S+)/);
      assert(figures, `loss label '${s.charts_loss_label}'`);
      for (const [text, value] of [[figures[1], s.train_loss], [figures[2], s.test_loss]]) {
        // (the chart's last sample may be a few steps before the session's current figure)
        assert(Number(text) > 0.5 * value && Number(text) < 2 * value && /\d{2}/.test(text.replace(/^0\.0*/, '')),
               `the chart prints ${text} for a loss of ${value}`);
      }
      save_json('pace-long-run', { step: s.step, train_loss: s.train_loss, test_loss: s.test_loss });
      assert(page.errors.length === 0, page.errors.join('\n'));
      await page.context().close();
    },
  },
];
