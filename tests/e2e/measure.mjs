// Measures the built app in headless Chromium and prints figures (never asserts them):
// bundle sizes, time to first render, time to run pull-success to the end. With --shots DIR
// it also saves screenshots. Run: node tests/e2e/measure.mjs [--shots DIR] (after a build).
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const shots = process.argv.includes('--shots') ? process.argv[process.argv.indexOf('--shots') + 1] : null;
const port = 8091;

for (const f of readdirSync(dist)) {
  const bytes = readFileSync(join(dist, f));
  console.log(`${f.padEnd(40)} ${String(statSync(join(dist, f)).size).padStart(8)} B raw ${String(gzipSync(bytes, { level: 9 }).length).padStart(8)} B gzip`);
}

const server = spawn('node', [join(here, 'serve.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 400));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const base = `http://127.0.0.1:${port}/course/fota/`;
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await page.goto(base + '?scenario=pull-success');
    await page.getByTestId('step').waitFor();
    loads.push(Date.now() - t0);
  }
  const runs = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(base + '?scenario=pull-success');
    await page.getByTestId('step').waitFor();
    const t0 = Date.now();
    await page.getByTestId('run-to-end').click();
    await page.getByTestId('trace-digest').waitFor();
    runs.push(Date.now() - t0);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`load to first render: median ${median(loads)} ms (${loads.join(', ')})`);
  console.log(`run pull-success to the end and render: median ${median(runs)} ms (${runs.join(', ')})`);
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.goto(base + '?scenario=pull-success');
    for (let i = 0; i < 12; i++) await page.getByTestId('step').click();
    await page.getByTestId('message-row').nth(6).click();
    await page.screenshot({ path: join(shots, 'stepping.png') });
    await page.goto(base + '?scenario=pull-success&autoplay=1');
    await page.getByTestId('trace-digest').waitFor();
    await page.getByTestId('message-row').nth(137).click();
    await page.screenshot({ path: join(shots, 'finished.png') });
    await page.setViewportSize({ width: 640, height: 800 });
    await page.screenshot({ path: join(shots, 'narrow.png') });
    await page.goto(base + '?scenario=nope');
    await page.screenshot({ path: join(shots, 'bad-link.png') });
  }
} finally {
  await browser.close();
  server.kill();
}
