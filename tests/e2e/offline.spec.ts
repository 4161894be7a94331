import { test, expect } from '@playwright/test';
import { createServer, Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

// Offline after one visit: the service worker caches the build, so the app opens and runs with
// the server gone (stopping the server matters: a browser set offline still lets a worker's
// own fetches through). A new build is offered, and the page reloads only when asked.

// The browser tests run from tests/e2e.
const dist = join('..', '..', 'dist');
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json',
};

/// The dist folder under /course/fota/, with the service worker's version changed on demand
/// (a new build, as far as the browser can tell).
/// It listens on a port of its own, free at the time, and says which.
function serve(state: { newBuild: boolean }): Promise<{ server: Server; base: string }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
    const rel = normalize(path.replace(/^\/course\/fota\//, '') || 'index.html');
    try {
      let body: Buffer | string = await readFile(join(dist, rel.endsWith('/') ? rel + 'index.html' : rel));
      if (rel === 'sw.js' && state.newBuild) body = body.toString().replace(/version: '([^']*)'/, "version: '$1-next'");
      res.writeHead(200, { 'content-type': types[extname(rel)] || 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      done({ server, base: `http://127.0.0.1:${port}/course/fota/` });
    }),
  );
}

test('after one visit the app opens and runs a PULL to the end with the server stopped', async ({ page }) => {
  const { server, base } = await serve({ newBuild: false });
  const sw = await readFile(join(dist, 'sw.js'), 'utf8');
  expect(sw).toMatch(/const BUILD = \{ version: '\d+', files: \[.*"\.\/fota-web-[0-9a-f]+_bg\.wasm"/);
  await page.goto(base + '?scenario=pull-success');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
  await new Promise<void>((done) => server.close(() => done()));
  server.closeAllConnections();
  await page.reload();
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
  await expect(page.getByTestId('campaign')).toHaveText('succeeded');
  // Another address of the app opens from the cache too.
  await page.goto(base + '?challenge=result-7');
  await expect(page.getByTestId('challenge-task')).toContainText('Update Result 7');
});

test('a new build is offered, and the page reloads only when the student asks', async ({ page }) => {
  const state = { newBuild: false };
  const { server, base } = await serve(state);
  await page.goto(base + '?scenario=pull-success&at=40');
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller), { timeout: 20_000 }).toBe(true);
  state.newBuild = true;
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await expect(page.getByTestId('update-banner')).toContainText('A new version of the sandbox is ready');
  // Nothing reloaded by itself: the run is where the student left it.
  await expect(page.getByTestId('position')).toHaveText('40 / 164');
  // Listening before the click: the reload can be over before a later listener starts.
  await Promise.all([page.waitForEvent('load'), page.getByTestId('update-reload').click()]);
  await expect(page.getByTestId('update-banner')).toHaveCount(0);
  const caches = await page.evaluate(() => window.caches.keys());
  expect(caches).toHaveLength(1);
  expect(caches[0]).toMatch(/-next$/);
  server.close();
  server.closeAllConnections();
});
