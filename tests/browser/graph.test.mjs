// The network graph (web/panels/network_graph.h): one node per neuron, pictures that differ between
// neurons, the code at the cursor lit (checked against a forward pass written here, from the
// network's JSON), a hovered node's zero set drawn on the canvas and selected by a click, a
// link's weight, the panels key and the G key.
import { assert, click_across_frames, colour_histogram, in_image_page, network_forward, open_app,
         save_json, screenshot, wait_frames } from './harness.mjs';

const SIZE = { width: 1280, height: 800 };
const state = (page) => page.evaluate(() => window.splinescope.state());

async function apply(page, doc) {
  const error = await page.evaluate((d) => window.splinescope.apply_session(d), doc);
  assert(error === null, `apply_session refused: ${error}`);
  await wait_frames(page, 4);
}

// The pre-activations of every hidden layer at x, from the network's JSON.
const pre_activations = (net, x) => network_forward(net, x).pre;

// The plane point under a canvas point (CSS px), from state().view and the canvas size.
function plane_point(s, px, py) {
  const [x0, x1, y0, y1] = s.view;
  return [x0 + (px / s.canvas[0]) * (x1 - x0), y1 - (py / s.canvas[1]) * (y1 - y0)];
}

const centre = (node) => [node[2] + node[4] / 2, node[3] + node[5] / 2];

// Pixels close to the hovered neuron's white line (panels.cpp geometry_overlays: 250, 250, 255).
async function white_pixels(browser, png, region) {
  return (await colour_histogram(browser, png, region))
    .filter(([hex]) => parseInt(hex.slice(1, 3), 16) >= 240 && parseInt(hex.slice(3, 5), 16) >= 240 &&
                       parseInt(hex.slice(5, 7), 16) >= 245)
    .reduce((n, [, c]) => n + c, 0);
}

// The data's part of the canvas: between the settings panel and the graph and charts.
function data_region(s) {
  const left = s.layout.SplineScope, graph = s.layout['Network graph'];
  const x = left[0] + left[2] + 4;
  return { x, y: 0, width: graph[0] - 4 - x, height: s.canvas[1] };
}

// Records main-thread tasks of 50 ms and more.
function observe_tasks() {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

export const tests = [
  {
    name: 'the graph draws one node per neuron for 2-8-8-1 and 2-64-64-1, with pictures that differ between neurons',
    async run({ browser, url }) {
      const page = await open_app(browser, url, SIZE);
      const figures = {};
      for (const hidden of [[8, 8], [64, 64]]) {
        await apply(page, { seed: 3, dataset: { name: 'moons' }, network: { hidden } });
        await page.waitForFunction(() => window.splinescope.state().graph.pictures.refreshes > 0 ||
                                         !window.splinescope.state().graph.pictures.shown);
        await wait_frames(page, 3);
        const s = await state(page);
        const g = s.graph;
        const expected = [2, ...hidden, 1];
        assert(g.open, 'the graph is not open at 1280 x 800');
        assert(g.nodes.length === expected.reduce((a, b) => a + b, 0),
               `${hidden}: ${g.nodes.length} nodes`);
        expected.forEach((n, layer) => {
          const units = g.nodes.filter((node) => node[0] === layer).map((node) => node[1]);
          assert(units.length === n && units.every((u, i) => u === i), `${hidden}: layer ${layer}: ${units}`);
        });
        const box = s.layout['Network graph'];
        for (const node of g.nodes)
          assert(node[2] >= box[0] && node[3] >= box[1] && node[2] + node[4] <= box[0] + box[2] &&
                 node[3] + node[5] <= box[1] + box[3], `node ${node} outside the window ${box}`);
        // Nodes do not overlap: same column, sorted by y, or a new sub-column.
        for (let i = 1; i < g.nodes.length; ++i) {
          const a = g.nodes[i - 1], b = g.nodes[i];
          assert(b[3] >= a[3] + a[5] || b[2] >= a[2] + a[4], `nodes ${a} and ${b} overlap`);
        }
        const all_links = hidden[0] * 2 + hidden[0] * hidden[1] + hidden[1];
        assert(g.links.total === all_links, `${g.links.total} links, not ${all_links}`);
        if (hidden[0] === 8) assert(g.links.drawn === all_links, `${g.links.drawn} of ${all_links} drawn`);
        else assert(g.links.drawn < all_links && g.links.drawn >= 256, `${g.links.drawn} of ${all_links} drawn`);
        const png = await screenshot(page, `graph-${hidden.join('-')}`);
        // The hidden nodes' pictures as drawn: every pair of the first layer's differs.
        const regions = g.nodes.filter((n) => n[0] === 1).slice(0, 8)
          .map((n) => ({ x: Math.round(n[2]) + 1, y: Math.round(n[3]) + 1,
                         width: Math.floor(n[4]) - 2, height: Math.floor(n[5]) - 2 }));
        const differing = await in_image_page(browser, async ({ b64, regions }) => {
          const pictures = [];
          for (const r of regions) pictures.push(await window.decode_png(b64, r));
          let pairs = 0, differ = 0;
          for (let i = 0; i < pictures.length; ++i)
            for (let j = i + 1; j < pictures.length; ++j) {
              ++pairs;
              let d = 0;
              for (let k = 0; k < pictures[i].length; ++k) d += Math.abs(pictures[i][k] - pictures[j][k]) > 24 ? 1 : 0;
              if (d > pictures[i].length / 40) ++differ;
            }
          return { pairs, differ };
        }, { b64: png.toString('base64'), regions });
        figures[hidden.join('-')] = { nodes: g.nodes.length, links: g.links, pitch: g.pitch,
                                      pictures: g.pictures, differing };
        assert(g.pictures.shown && g.pictures.exact_lines === hidden[0] + hidden[1],
               `pictures: ${JSON.stringify(g.pictures)}`);
        assert(differing.differ === differing.pairs, `pictures that differ: ${JSON.stringify(differing)}`);
      }
      save_json('graph-nodes', figures);
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'hovering the canvas lights exactly the neurons active at the cursor',
    async run({ browser, url }) {
      const page = await open_app(browser, url, SIZE);
      await apply(page, { seed: 5, dataset: { name: 'circles' }, network: { hidden: [8, 8, 8] } });
      const net = await page.evaluate(() => window.splinescope.network());
      let s = await state(page);
      assert(s.graph.probe === null && s.graph.nodes.every((n) => !n[6]), 'nodes lit with no cursor');
      const region = data_region(s);
      const rows = [];
      for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.4], [0.7, 0.65], [0.45, 0.2]]) {
        const px = Math.round(region.x + fx * region.width), py = Math.round(region.y + fy * region.height);
        await page.mouse.move(px - 3, py - 3);
        await page.mouse.move(px, py);
        await wait_frames(page, 2);
        s = await state(page);
        const [x, y] = plane_point(s, px, py);
        assert(s.graph.probe && Math.abs(s.graph.probe[0] - x) < 1e-6 * (1 + Math.abs(x)) &&
               Math.abs(s.graph.probe[1] - y) < 1e-6 * (1 + Math.abs(y)), `probe ${s.graph.probe} at (${x}, ${y})`);
        const h = pre_activations(net, [x, y]);
        let lit = 0;
        for (const node of s.graph.nodes.filter((n) => n[0] >= 1 && n[0] <= 3)) {
          const v = h[node[0] - 1][node[1]];
          if (Math.abs(v) < 1e-9) continue;
          assert(node[6] === v > 0, `neuron ${node[0]}.${node[1]}: h = ${v}, lit ${node[6]}`);
          lit += node[6] ? 1 : 0;
        }
        const bits = h.map((layer) => layer.map((v) => (v > 0 ? '1' : '0')).join('')).join('.');
        assert(s.graph.code === bits, `code ${s.graph.code}, forward pass ${bits}`);
        rows.push({ x, y, code: bits, lit });
      }
      assert(new Set(rows.map((r) => r.code)).size >= 2, `one code at every point: ${JSON.stringify(rows)}`);
      await screenshot(page, 'graph-lit');
      save_json('graph-lit', rows);
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'hovering a node draws its zero set on the canvas, a click selects it, and a link shows its weight',
    async run({ browser, url }) {
      const page = await open_app(browser, url, SIZE);
      await apply(page, { seed: 7, dataset: { name: 'xor' }, network: { hidden: [8, 8] } });
      await page.keyboard.press('i'); // no tooltip over the canvas
      let s = await state(page);
      const region = data_region(s);
      const box = s.layout['Network graph'];
      // The mouse rests on the graph's title: nothing hovered.
      await page.mouse.move(box[0] + 40, box[1] + 8);
      await wait_frames(page, 3);
      const before = await screenshot(page, 'graph-hover-before');
      const white_before = await white_pixels(browser, before, region);
      // A second-layer neuron whose zero set crosses the view (a bent line).
      let chosen = null, white_after = 0;
      for (const node of s.graph.nodes.filter((n) => n[0] === 2)) {
        await page.mouse.move(...centre(node));
        await wait_frames(page, 3);
        s = await state(page);
        assert(s.graph.hovered && s.graph.hovered[0] === 2 && s.graph.hovered[1] === node[1],
               `hovered ${s.graph.hovered}, not 2.${node[1]}`);
        assert(s.graph.preview[0] === 2 && s.graph.preview[1] === node[1], `preview ${s.graph.preview}`);
        const after = await screenshot(page, 'graph-hover-node');
        white_after = await white_pixels(browser, after, region);
        if (white_after > white_before + 150) { chosen = node; break; }
      }
      assert(chosen, `no second-layer node drew a line: ${white_before} -> ${white_after} white pixels`);
      await click_across_frames(page, ...centre(chosen));
      s = await state(page);
      assert(s.highlight[0] === 2 && s.highlight[1] === chosen[1], `highlight ${s.highlight}`);
      assert(s.graph.selection.includes(`neuron 2.${chosen[1]}`), `selection: ${s.graph.selection}`);
      assert(/neuron=2\.\d+/.test(s.url_state) || s.url_state.includes('neuron='), `address: ${s.url_state}`);
      // Away from the node: the preview goes, the selection's orange line stays.
      await page.mouse.move(box[0] + 40, box[1] + 8);
      await wait_frames(page, 3);
      s = await state(page);
      assert(s.graph.preview[0] === 0, `preview after leaving: ${s.graph.preview}`);

      // A link: the middle of the one from input 1 to neuron 1.0 is hovered; the graph reports a
      // link whose weight is the network's.
      const net = await page.evaluate(() => window.splinescope.network());
      const from = s.graph.nodes.find((n) => n[0] === 0 && n[1] === 0);
      const to = s.graph.nodes.find((n) => n[0] === 1 && n[1] === 3);
      const a = [from[2] + from[4], from[3] + from[5] / 2], b = [to[2], to[3] + to[5] / 2];
      await page.mouse.move((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
      await wait_frames(page, 3);
      s = await state(page);
      const link = s.graph.hovered_link;
      assert(link, 'no link hovered at the middle of a link');
      const w = net.layers[link.layer].weights[link.to][link.from];
      assert(Math.abs(link.weight - w) < 1e-5 * (1 + Math.abs(w)), `link weight ${link.weight}, network ${w}`);
      await click_across_frames(page, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
      s = await state(page);
      assert(s.graph.selection.startsWith('weight '), `selection after a link click: ${s.graph.selection}`);
      await screenshot(page, 'graph-link');
      save_json('graph-hover', { chosen, white_before, white_after, link, w });
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    // 2-32-32-1: more links than the graph draws (1,088), pictures of 64 neurons, and the exact
    // tiles refreshed every frame. (2-64-64-1's own tessellation of about 7,500 tiles comes near
    // the bar on a busy machine, graph or not: responsive.test.mjs covers the largest settings.)
    name: 'training 2-32-32-1 at full pace with the graph open and the cursor on the canvas, no main-thread task takes over 50 ms',
    timing: true,
    async run({ browser, url }) {
      const page = await open_app(browser, `${url}#layers=32,32&pace=max`, { ...SIZE, init: observe_tasks });
      let s = await state(page);
      assert(s.graph.open, 'the graph is not open');
      const region = data_region(s);
      await page.mouse.move(region.x + region.width / 2, region.y + region.height / 2);
      await page.evaluate(() => window.splinescope.play());
      await page.waitForTimeout(1500); // the worker's start
      const before = await page.evaluate(() => ({ t: performance.now(), ...window.splinescope.state() }));
      for (let i = 0; i < 25; ++i) { // the cursor moves: the lit nodes follow
        await page.mouse.move(region.x + region.width / 2 + 6 * i, region.y + region.height / 2 + 3 * i);
        await page.waitForTimeout(200);
      }
      const after = await page.evaluate(() => ({ t: performance.now(), ...window.splinescope.state() }));
      const long = await page.evaluate(({ from, to }) => window.__long.filter((e) => e.at >= from && e.at <= to && e.ms > 50),
                                       { from: before.t, to: after.t });
      const figures = { steps: after.step - before.step, fps: after.fps, long,
                        picture_refreshes: after.graph.pictures.refreshes - before.graph.pictures.refreshes,
                        link_refreshes: after.graph.links.refreshes - before.graph.links.refreshes,
                        picture_ms: after.graph.pictures.refresh_ms, link_ms: after.graph.links.refresh_ms,
                        lit: after.graph.nodes.filter((n) => n[6]).length };
      console.log(`        ${figures.steps} steps, ${after.fps.toFixed(1)} frames/s, pictures ${figures.picture_refreshes}x ` +
                  `(${figures.picture_ms.toFixed(1)} ms), links ${figures.link_refreshes}x (${figures.link_ms.toFixed(1)} ms)`);
      save_json('graph-training', figures);
      await screenshot(page, 'graph-training');
      assert(long.length === 0, `main-thread tasks over 50 ms: ${long.map((e) => Math.round(e.ms))}`);
      assert(figures.steps > 500, `${figures.steps} steps in 5 s`);
      assert(figures.picture_refreshes >= 5 && figures.link_refreshes >= 3,
             `the graph did not follow training: ${JSON.stringify(figures)}`);
      assert(figures.lit > 0 && after.graph.probe, 'no node lit under the cursor');
      assert(page.errors.length === 0, page.errors.join('\n'));
    },
  },
  {
    name: 'the panels key opens the graph on any screen, G toggles it, and a narrow page leaves it closed',
    async run({ browser, url }) {
      let page = await open_app(browser, `${url}#panels=controls,graph`, { width: 800, height: 600 });
      let s = await state(page);
      assert(s.graph.open && s.layout['Network graph'], `panels=controls,graph: ${JSON.stringify(s.layout)}`);
      assert(s.url_state.includes('panels=controls,graph'), `address: ${s.url_state}`);
      await page.mouse.move(400, 300);
      await page.keyboard.press('g');
      await wait_frames(page, 2);
      s = await state(page);
      assert(!s.graph.open && !s.layout['Network graph'], 'G did not close the graph');
      await page.keyboard.press('g');
      await wait_frames(page, 2);
      assert((await state(page)).graph.open, 'G did not open the graph again');
      await page.context().close();
      page = await open_app(browser, url, { width: 800, height: 600 });
      s = await state(page);
      assert(!s.graph.open, 'the graph opened by itself at 800 px');
      await page.context().close();
      page = await open_app(browser, `${url}#panels=controls,charts`, SIZE);
      s = await state(page);
      assert(!s.graph.open, 'the graph opened though the panels key leaves it out');
      await page.keyboard.press('g');
      await wait_frames(page, 2);
      assert(!(await state(page)).graph.open, 'G opened a graph the panels key leaves out');
      await page.context().close();
    },
  },
];
