// browser_frame_cost.mjs - where the CPU goes per frame in headless Chromium (SwiftShader
// WebGL2): CPU time of the page's renderer process (wasm, JS, the page's main thread), the GPU
// process (SwiftShader draws there) and the browser process, per drawn frame, while the default
// network trains on the spiral at 800 x 600. Unlike wall time, CPU time per frame changes little
// with other work on the machine, so builds and settings can be compared.
//   node bench/browser_frame_cost.mjs [seconds, default 20] ['#keys' ...]   (several: compared)
//   DIST=/path/to/another/dist node bench/browser_frame_cost.mjs ...  (another build)
//   SIZE=1280x800 node bench/browser_frame_cost.mjs ...   (another page size; 800x600 by default)
// The network graph's cost: at 1280x800 it opens by itself; a panels list without it closes it:
//   SIZE=1280x800 node bench/browser_frame_cost.mjs 10 '' '#panels=controls,data,network,optimizer,view,export,charts,lessons,inspector'

// A variant may end in '!part,part' to skip the GL draws of those parts (fills, lines, points,
// interface, blit), e.g. '!interface' or '#panels=none!fills,lines': what each part costs.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../scripts/serve.mjs';
import { launch } from '../tests/browser/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST || join(here, '..', 'dist');
const seconds = Number(process.argv[2] || 20);
const variants = process.argv.length > 3 ? process.argv.slice(3) : [''];
if (!existsSync(join(dist, 'index.html'))) {
  console.error('dist/ is missing: run scripts/build.sh wasm first');
  process.exit(1);
}
const ticks = 100; // USER_HZ
const [width, height] = (process.env.SIZE || '800x600').split('x').map(Number);

// CPU seconds (user + system) of every chromium process, by its --type (browser when none).
function cpu_by_type() {
  const out = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd, stat;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch { continue; }
    if (!cmd.includes('chrom')) continue;
    const m = /--type=([a-z-]+)/.exec(cmd);
    const type = m ? m[1] : 'browser';
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const seconds_used = (Number(fields[11]) + Number(fields[12])) / ticks;
    out[type] = (out[type] || 0) + seconds_used;
  }
  return out;
}

const { server, url } = await serve(dist, 0);
const browser = await launch();
console.log(`CPU ms per drawn frame, ${seconds} s of training each, ${width} x ${height}`);
console.log('variant                      fps  steps/s  renderer      gpu  browser  (train, geometry ms/frame)');
for (const keys of variants) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const [address, skipped = ''] = keys.split('!');
  await page.goto(url + '#' + ['data=spiral&pace=max', address.replace(/^#/, '')].filter(Boolean).join('&'));
  await page.waitForFunction(() => window.splinescope && window.splinescope.ready, null,
                             { timeout: 60000 });
  await page.evaluate(() => window.splinescope.play());
  await page.evaluate((parts) => {
    const gl = Module.ctx;
    const skip = (name, when) => {
      const call = gl[name].bind(gl);
      gl[name] = (...a) => (when(...a) ? undefined : call(...a));
    };
    // Which program draws: the points' is the one with a u_radius uniform.
    let points_program = false;
    const programs = new Map();
    const use = gl.useProgram.bind(gl);
    gl.useProgram = (p) => {
      if (p && !programs.has(p)) programs.set(p, gl.getUniformLocation(p, 'u_radius') !== null);
      points_program = !!p && programs.get(p);
      return use(p);
    };
    const tris = (mode) => mode === gl.TRIANGLES;
    if (parts.includes('fills')) skip('drawArrays', (m, f, n) => tris(m) && n > 3 && !points_program);
    if (parts.includes('blit')) skip('drawArrays', (m, f, n) => tris(m) && n === 3);
    if (parts.includes('lines')) skip('drawArrays', (m) => m === gl.LINES);
    if (parts.includes('points')) skip('drawArrays', (m) => tris(m) && points_program);
    if (parts.includes('interface')) skip('drawElements', () => true);
  }, skipped.split(','));
  await page.waitForTimeout(4000); // warm-up
  const state = () => page.evaluate(() => {
    const s = window.splinescope.state();
    return { t: performance.now(), frames: s.frames, step: s.step, timing: s.timing, graph: s.graph.open };
  });
  const a = await state(), ca = cpu_by_type();
  await page.waitForTimeout(seconds * 1000);
  const b = await state(), cb = cpu_by_type();
  const frames = b.frames - a.frames, dt = (b.t - a.t) / 1000;
  const per = (k) => (1000 * ((cb[k] || 0) - (ca[k] || 0)) / Math.max(1, frames)).toFixed(1);
  console.log(`${(keys || '(default)').padEnd(26)} ${(frames / dt).toFixed(1).padStart(5)} ` +
              `${((b.step - a.step) / dt).toFixed(0).padStart(8)} ${per('renderer').padStart(9)} ` +
              `${per('gpu-process').padStart(8)} ${per('browser').padStart(8)}  ` +
              `(${b.timing.train_ms.toFixed(1)}, ${b.timing.geometry_ms.toFixed(1)})` +
              (b.graph ? `  graph open, panels ${b.timing.panels_ms.toFixed(2)} ms/frame` : ''));
  await context.close();
}
await browser.close();
server.close();
