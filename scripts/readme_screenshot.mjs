// readme_screenshot.mjs - makes docs/screenshot.png, the README's picture: a 2-16-16-1 ReLU
// network trained on circles, with the charts, the network graph lit by the pinned inspector's point, and one neuron's bent
// hyperplane. Needs dist/ (scripts/build.sh wasm).
//   node scripts/readme_screenshot.mjs [output, default docs/screenshot.png]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { launch, wait_frames } from '../tests/browser/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const output = process.argv[2] || join(root, 'docs', 'screenshot.png');
const { server, url } = await serve(join(root, 'dist'), 0);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto(url);
await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null,
                           { timeout: 60000 });
const error = await page.evaluate(() => window.splinescope.apply_session(
  { seed: 4, dataset: { name: 'circles', n: 300, noise: 0.08 }, network: { hidden: [16, 16] } }));
if (error) throw new Error(`apply_session refused: ${error}`);
await page.evaluate(() => window.splinescope.step(2500));
await page.evaluate(() => window.splinescope.highlight_neuron(2, 5));
await page.evaluate(() => window.splinescope.pin_inspector(0.35, -0.2));
await wait_frames(page, 60); // the fps figure settles
await page.screenshot({ path: output });
console.log(`wrote ${output}`);
await browser.close();
server.close();
