// Measures the built app in headless Chromium and prints figures (never asserts them):
// bundle sizes, time to first render, time to run pull-success to the end, the time a step, a
// jump and a scrub take on a run of about 20,000 datagrams, whether the page works offline and
// follows a dark setting, and the native run against its floor (the simulation benchmark's
// summary). Beside the bundle and the first render it prints the floor: a Yew hello world
// (crates/floor) built in this run with the same Trunk and wasm-opt settings, and the ratio of
// the two; at the end, every measure in one table with its floor and its goal. With --shots DIR
// it also saves screenshots. Run: node tests/e2e/measure.mjs [--shots DIR] (after a build, with
// trunk on PATH: `source scripts/tools.sh` puts it there).
import { chromium } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const shots = process.argv.includes('--shots') ? process.argv[process.argv.indexOf('--shots') + 1] : null;
const port = 8091;
const floorPort = 8092;
const root = join(here, '..', '..');
const floorDist = join(root, 'target', 'floor-dist');

// The floor, built now by the same Trunk.toml (release, wasm-opt -Oz, hashed names).
const built = spawnSync('trunk', ['build', '--offline', '--release', '--dist', floorDist, 'www/floor/index.html'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) throw new Error('the floor (www/floor) did not build: is trunk on PATH? (source scripts/tools.sh)');

// What a browser loads to open the page: the HTML, the JS (the worker too), the wasm, the CSS.
const loaded = (dir) => readdirSync(dir).filter((f) => /\.(wasm|js|css)$/.test(f) || f === 'index.html');
const gzipped = (dir) => loaded(dir).reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
for (const f of readdirSync(dist)) {
  const bytes = readFileSync(join(dist, f));
  console.log(`${f.padEnd(40)} ${String(statSync(join(dist, f)).size).padStart(8)} B raw ${String(gzipSync(bytes, { level: 9 }).length).padStart(8)} B gzip`);
}
const [bundle, floorBundle] = [gzipped(dist), gzipped(floorDist)];
console.log(`bundle gzip: ${bundle} B (${loaded(dist).join(', ')}); floor (a Yew hello world, built alike): ${floorBundle} B`);
console.log(`bundle/floor gzip ratio: ${(bundle / floorBundle).toFixed(2)}`);
// The table, printed at the end: each measure, the floor beside it, and the goal.
const table = [['dist/ gzipped (wasm + JS + CSS + HTML)', `${(bundle / 1000).toFixed(0)} KB`, 'Yew hello world', `${(floorBundle / 1000).toFixed(0)} KB`, `ratio ${(bundle / floorBundle).toFixed(2)}, goal at most 4.5`]];

const server = spawn('node', [join(here, 'serve.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
const floorServer = spawn('node', [join(here, 'serve.mjs')], { env: { ...process.env, PORT: String(floorPort), FOTA_DIST: floorDist }, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 400));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  // No service worker: the app and the floor load alike, from the server each time.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const base = `http://127.0.0.1:${port}/course/fota/`;
  const loads = [];
  const floorLoads = [];
  for (let i = 0; i < 5; i++) {
    let t0 = Date.now();
    await page.goto(base + '?scenario=pull-success');
    await page.getByTestId('step').waitFor();
    loads.push(Date.now() - t0);
    t0 = Date.now();
    await page.goto(`http://127.0.0.1:${floorPort}/course/fota/`);
    await page.getByTestId('ready').waitFor();
    floorLoads.push(Date.now() - t0);
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
  const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
  console.log(`load to first render: median ${median(loads)} ms (${loads.join(', ')}); floor: median ${median(floorLoads)} ms (${floorLoads.join(', ')})`);
  console.log(`first-render/floor ratio: ${(median(loads) / median(floorLoads)).toFixed(2)}`);
  table.push(['load to first render, median', `${median(loads)} ms`, 'Yew hello world', `${median(floorLoads)} ms`, `ratio ${(median(loads) / median(floorLoads)).toFixed(2)}, goal at most 1.5`]);
  console.log(`run pull-success to the end and render: median ${median(runs)} ms (${runs.join(', ')})`);

  // A run of about 20,000 datagrams: a 320 KiB image in 32-byte blocks, opened as a file.
  const long = {
    version: 1, id: 'long-run', title: 'About 20,000 datagrams',
    device: { slot_size: 524288, block_size: 32 },
    image: { version: '2.0.0', size: 327680, path: '/fw/big.bin' },
    time_limit_s: 3600,
  };
  await page.goto(base + '?scenario=pull-success');
  await page.getByTestId('step').waitFor();
  const t0 = Date.now();
  await page.getByTestId('open-file').setInputFiles({ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(long)) });
  await page.getByTestId('scenario-title').filter({ hasText: 'About 20,000 datagrams' }).waitFor({ timeout: 120000 });
  const computed = Date.now() - t0;
  const rows = (await page.getByTestId('position').textContent()).split('/')[1].trim();
  // Each action is timed in the page: from the key to the end of the re-render it causes.
  const timed = (key, n) => page.evaluate(async ([key, n]) => {
    const out = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      out.push(performance.now() - t);
    }
    return out;
  }, [key, n]);
  await page.getByTestId('scrubber').fill('10000');
  const steps = await timed('ArrowRight', 200);
  const backs = await timed('ArrowLeft', 200);
  const scrubs = await page.evaluate(async (total) => {
    const input = document.querySelector('[data-testid=scrubber]');
    const out = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      input.value = String((i * 7919) % total);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
      out.push(performance.now() - t);
    }
    return out;
  }, Number(rows));
  // A filter typed over the whole run: from the input to the ladder drawn with it (the
  // evaluation over every row, the count and the dimmed rows), then hiding the others.
  const filters = await page.evaluate(async () => {
    const input = document.querySelector('[data-testid=filter]');
    const out = [];
    const texts = ['coap.code == 2.31', 'uri contains "/fw/" && coap.opt.block_number >= 100', 'fate == lost || lwm2m.state == Downloaded', 'Block2', ''];
    for (let round = 0; round < 4; round++) {
      for (const text of texts) {
        const t = performance.now();
        input.value = text;
        input.dispatchEvent(new InputEvent('input', { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(performance.now() - t);
      }
    }
    return out;
  });
  const f = (xs) => `median ${median(xs).toFixed(1)} ms, 95th percentile ${pct(xs, 0.95).toFixed(1)} ms`;
  console.log(`  a filter typed over the whole run, evaluated and the ladder redrawn: ${f(filters)}`);
  console.log(`${rows}-datagram run: computed and shown in ${computed} ms`);
  console.log(`  step forward: ${f(steps)}; step back: ${f(backs)}; scrub to an arbitrary point: ${f(scrubs)}`);
  table.push(['step forward / back / scrub, 95th percentile', [steps, backs, scrubs].map((xs) => `${pct(xs, 0.95).toFixed(1)} ms`).join(' / '), 'one 60 Hz frame', '16.7 ms', 'at most 16 ms each']);

  // Offline: a context that lets the worker run, a server of its own that is stopped once the
  // worker controls the page, then a reload and the PULL run to its end.
  const offlinePort = 8093;
  let offlineServer = spawn('node', [join(here, 'serve.mjs')], { env: { ...process.env, PORT: String(offlinePort) }, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 400));
  const swContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const swPage = await swContext.newPage();
  let offline = 'no';
  try {
    await swPage.goto(`http://127.0.0.1:${offlinePort}/course/fota/?scenario=pull-success`);
    await swPage.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 20000 });
    offlineServer.kill();
    offlineServer = null;
    await new Promise((r) => setTimeout(r, 300));
    await swPage.reload();
    await swPage.getByTestId('run-to-end').click();
    await swPage.getByTestId('fw-version').filter({ hasText: '2.0.0' }).waitFor({ timeout: 20000 });
    offline = 'yes (reloaded with the server stopped, PULL run to 2.0.0)';
  } catch (e) {
    offline = `no (${e.message.split('\n')[0]})`;
  } finally {
    offlineServer?.kill();
    await swContext.close();
  }
  console.log(`offline after the first load: ${offline}`);
  table.push(['offline after the first load', offline.split(' ')[0], '', '', 'yes']);

  // Themes: the page's background (on the root element) under each setting of the reader's.
  const background = async (scheme) => {
    const c = await browser.newContext({ colorScheme: scheme, serviceWorkers: 'block' });
    const p = await c.newPage();
    await p.goto(base + '?scenario=pull-success');
    await p.getByTestId('step').waitFor();
    const bg = await p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await c.close();
    return bg;
  };
  const luminance = (rgb) => { const [r, g, b] = rgb.match(/\d+/g).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
  const [light, dark] = [await background('light'), await background('dark')];
  const themed = luminance(dark) < 0.3 && luminance(light) > 0.7 ? 'yes' : 'no';
  console.log(`dark theme: ${themed} (background ${dark} in dark, ${light} in light)`);
  table.push(['dark theme', themed, '', '', 'yes']);
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

  // The native run against its floor, by the simulation's own benchmark (its summary alone).
  const bench = spawnSync('cargo', ['bench', '-q', '-p', 'fota-sim', '--bench', 'run', '--', '--summary'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const pull = (bench.stdout || '').split('\n').find((l) => l.includes(' 0 % loss'));
  if (pull) {
    console.log(`native: ${pull.trim()}`);
    const ratio = pull.match(/ratio ([\d.]+)/)[1];
    const [sim, fl] = [...pull.matchAll(/([\d]+) datagrams\/s/g)].map((m) => m[1]);
    table.push(['256 KiB PULL simulated natively, datagrams/s', sim, 'decode+encode each, hash+verify once', fl, `ratio ${ratio}, goal at most 3`]);
  } else {
    console.log('native: not measured (cargo bench -p fota-sim --bench run -- --summary gave no summary)');
  }

  console.log('\n== the table ==');
  console.log('| measure | now | floor | floor now | against the goal |\n|---|---|---|---|---|');
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
} finally {
  await browser.close();
  server.kill();
  floorServer.kill();
}
