// Alembic: Graph webview on 1,000 and 5,000 revisions: the extension-side model (layout, shortest
// ids) and, in headless Chromium, the webview script's first paint and scrolling. Figures only.
// Run: node --import tsx bench/graph-webview.bench.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { RevisionMap } from '../src/core/graph';
import { loadProject } from '../src/core/project';
import { ScriptDirectory } from '../src/core/scripts';
import { graphView } from '../src/extension/graph/model';
import { writeSyntheticProject } from './synthetic';

const root = path.resolve(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

async function main() {
  const tmp = path.join(os.tmpdir(), 'alembic-squash-bench');
  fs.mkdirSync(tmp, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.ALEMBIC_SQUASH_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const css = fs.readFileSync(path.join(root, 'media/graph/graph.css'), 'utf8');
  const js = fs.readFileSync(path.join(root, 'media/graph/graph.js'), 'utf8');
  console.log('| project | model (extension) | first paint | scroll frame median | scroll frame p95 | DOM rows |');
  console.log('|---|---|---|---|---|---|');
  for (const [count, branchy] of [[1000, true], [5000, true], [1000, false], [5000, false]] as const) {
    const dir = writeSyntheticProject(tmp, count, branchy);
    const project = loadProject(path.join(dir, 'alembic.ini'));
    const scripts = await ScriptDirectory.load(project);
    const models: number[] = [];
    let view;
    for (let i = 0; i < 5; i++) {
      const map = new RevisionMap(scripts.map.revisions); // a fresh map: nothing derived or cached yet
      const t = performance.now();
      view = graphView(project, map, [], new Map());
      models.push(performance.now() - t);
    }
    const paints: number[] = [];
    let frames: number[] = [];
    let domRows = 0;
    for (let run = 0; run < 3; run++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.setContent(
        `<!DOCTYPE html><html><head><style>${css}</style></head><body>
<header class="toolbar"><input id="filter"><span id="count"></span><span id="selection"></span><button id="squash">Squash…</button></header>
<div id="reasons" hidden></div><div id="scroller" class="scroller"><div id="sizer" class="sizer"><svg id="lanes" class="lanes"></svg><div id="rows"></div></div></div>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} });</script>
<script>${js}</script></body></html>`,
      );
      const message = { type: 'graph', projectKey: 'bench', view };
      // From the message's arrival to the frame after the rows are in the DOM.
      // Browser-side code as text: the project's type check has no DOM library.
      await page.evaluate(`window.__graph = ${JSON.stringify(message)}`);
      paints.push(
        (await page.evaluate(`new Promise((resolve) => {
          const t = performance.now();
          window.postMessage(window.__graph, '*');
          const wait = () => (document.querySelector('.row') ? requestAnimationFrame(() => resolve(performance.now() - t)) : requestAnimationFrame(wait));
          requestAnimationFrame(wait);
        })`)) as number,
      );
      // Scrolling: 200 steps of 3 rows, then 40 jumps of a viewport; the time of each frame.
      frames = frames.concat(
        (await page.evaluate(`new Promise((resolve) => {
          const scroller = document.getElementById('scroller');
          const out = [];
          let step = 0;
          let last = performance.now();
          const tick = () => {
            const now = performance.now();
            if (step > 0) out.push(now - last);
            last = now;
            if (step >= 240) return resolve(out);
            scroller.scrollTop += step < 200 ? 78 : scroller.clientHeight;
            step++;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        })`)) as number[],
      );
      domRows = (await page.evaluate(`document.querySelectorAll('.row').length`)) as number;
      await page.close();
    }
    console.log(
      `| ${branchy ? 'branchy' : 'linear'}-${count} | ${median(models).toFixed(1)} ms | ${median(paints).toFixed(1)} ms | ${median(frames).toFixed(1)} ms | ${p95(frames).toFixed(1)} ms | ${domRows} |`,
    );
  }
  await browser.close();
}

void main();
