// Renders media/alembic.svg into the 128×128 extension icon (media/icon.png) with headless Chromium.
// Usage: node scripts/make-icon.mjs [path/to/chromium]
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const svg = readFileSync(join(root, 'media/alembic.svg'), 'utf8');
const out = join(root, 'media/icon.png');
const executablePath = process.argv[2] ?? process.env.CHROMIUM ?? '/usr/bin/chromium';

// The activity-bar glyph draws with currentColor: give it a light stroke on the gallery banner's color.
const html = `<!doctype html><html><body style="margin:0;background:transparent">
<div id="icon" style="width:128px;height:128px;border-radius:24px;background:#2b3a42;display:flex;align-items:center;justify-content:center;color:#f2d479">
${svg.replace('<svg ', '<svg style="width:104px;height:104px" ')}
</div></body></html>`;

const profile = await mkdtemp(join(tmpdir(), 'alembic-squash-icon-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 128, height: 128 },
  deviceScaleFactor: 1,
});
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await page.setContent(html);
  await page.locator('#icon').screenshot({ path: out, omitBackground: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
