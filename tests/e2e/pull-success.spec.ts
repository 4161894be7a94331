import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The native run of the same scenario and seed, from the CLI.
function nativeRun(seed: number) {
  const cli = process.env.FOTA_CLI;
  if (!cli) throw new Error('FOTA_CLI must point at the fota-sandbox binary (scripts/test.sh sets it)');
  const out = execFileSync(cli, ['run', 'pull-success', '--seed', String(seed), '--json']);
  return JSON.parse(out.toString());
}

/// How many datagrams the ladder shows, from the "rows / total" readout (the ladder itself
/// draws only the rows in view).
async function shown(page: Page): Promise<number> {
  const text = (await page.getByTestId('position').textContent()) ?? '';
  return Number(text.split('/')[0]);
}

function watchForPanics(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('autoplay runs pull-success to State 0, Result 1 and the new version', async ({ page }) => {
  const errors = watchForPanics(page);
  await page.goto('?scenario=pull-success&autoplay=1');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  await expect(page.getByTestId('update-result')).toHaveText('1');
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
  await expect(page.getByTestId('run-status')).toContainText('That is what this scenario shows.');
  await expect(page.getByTestId('position')).toHaveText('164 / 164');
  await expect(page.getByTestId('last-rule')).toContainText('FU-T11');
  await expect(page.getByTestId('panic-panel')).toHaveCount(0);
  expect(errors).toEqual([]);
});

for (const seed of [1, 4242]) {
  test(`seed ${seed}: the browser sends the same bytes as the native CLI`, async ({ page }) => {
    const native = nativeRun(seed);
    await page.goto(`?scenario=pull-success&seed=${seed}&autoplay=1`);
    await expect(page.getByTestId('position')).toHaveText(`${native.datagrams} / ${native.datagrams}`);
    await expect(page.getByTestId('trace-digest')).toHaveText(native.trace_sha256);
  });
}

test('step adds exactly one line per press: a moment of the device or a datagram', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  const rows = page.getByTestId('message-row');
  const moments = page.getByTestId('moment-row');
  await expect(rows).toHaveCount(0);
  for (let n = 1; n <= 8; n++) {
    await page.getByTestId('step').click();
    await expect.poll(async () => (await rows.count()) + (await moments.count())).toBe(n);
    const positioned = await page.getByTestId('position').getAttribute('data-moments');
    expect(Number(positioned) + (await rows.count())).toBe(n);
    await expect(page.getByTestId('position')).toHaveText(`${await rows.count()} / 164`);
  }
  // The first boot: the bootloader validates the primary, jumps to it; then the Register.
  await expect(moments).toHaveCount(2);
  await expect(moments.first()).toContainText('validated the primary');
  await expect(rows.first()).toContainText('POST /rd');
  await page.getByTestId('reset').click();
  await expect(rows).toHaveCount(0);
  await expect(moments).toHaveCount(0);
  await expect(page.getByTestId('fw-state')).toHaveText('0');
});

test('State shows Downloading once the Package URI write is answered (FU-T2)', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  const rows = page.getByTestId('message-row');
  const write = rows.filter({ hasText: 'PUT /5/0/1' });
  // Step until the server's Write of /5/0/1 is on the ladder: State is still Idle.
  for (let n = 1; n <= 45 && (await write.count()) === 0; n++) {
    const before = await shown(page);
    await page.getByTestId('step').click();
    await expect.poll(async () => (await shown(page)) - before).toBeLessThanOrEqual(1);
  }
  await expect(write).toHaveCount(1);
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  // One more step: the device's 2.04, and State goes to Downloading at once.
  await page.getByTestId('step').click();
  await expect(rows.last()).toContainText('2.04 Changed');
  await expect(page.getByTestId('fw-state')).toHaveText('1');
  await expect(page.getByTestId('update-result')).toHaveText('0');
  await expect(page.getByTestId('fw-version')).toHaveText('1.0.0');
});

test('opening a message shows its header, options and hex bytes', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  // The first boot's two moments, then the Register.
  for (let n = 0; n < 3; n++) await page.getByTestId('step').click();
  await page.getByTestId('message-row').first().click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('LwM2M Register (ep=sbx-001&lt=300&lwm2m=1.1&b=U)');
  await expect(inspector).toContainText('Uri-Query');
  await expect(inspector).toContainText('</5>;ver=1.1');
  const hex = page.getByTestId('hex-dump');
  await expect(hex).toBeVisible();
  // Version 1, CON, token length 4 is 0x44; POST is 0x02.
  const bytes = hex.locator('.hx-bytes > span');
  await expect(bytes.nth(0)).toHaveText('44');
  await expect(bytes.nth(1)).toHaveText('02');
  const heading = await inspector.locator('h3', { hasText: /^Bytes · \d+$/ }).textContent();
  const total = Number(heading!.split('·')[1]);
  await expect(bytes).toHaveCount(total);
});

test('play advances by itself and pause stops it', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await page.getByTestId('play').click();
  await expect.poll(() => shown(page)).toBeGreaterThan(3);
  await page.getByTestId('pause').click();
  const frozen = await shown(page);
  await page.waitForTimeout(800);
  expect(await shown(page)).toBe(frozen);
});

test('a link to an unknown scenario or a bad seed explains itself on screen', async ({ page }) => {
  await page.goto('?scenario=no-such-thing');
  await expect(page.getByTestId('error-panel')).toContainText('no scenario named "no-such-thing"');
  await expect(page.getByTestId('error-panel')).toContainText('pull-success');
  await page.goto('?seed=banana');
  await expect(page.getByTestId('error-panel')).toContainText('seed="banana"');
});

test('a crashing image is rolled back: Result 8 and the old version', async ({ page }) => {
  await page.goto('?scenario=rollback&autoplay=1');
  await expect(page.getByTestId('update-result')).toHaveText('8');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  await expect(page.getByTestId('fw-version')).toHaveText('1.0.0');
  await expect(page.getByTestId('run-status')).toContainText('That is what this scenario shows.');
});

// Every built-in scenario, as the CLI lists it, meets its expectations in the browser too.
const scenarioIds: string[] = process.env.FOTA_CLI
  ? execFileSync(process.env.FOTA_CLI, ['list']).toString().trim().split('\n').map((l) => l.split(/\s+/)[0])
  : [];

// The golden digests the native tests keep (crates/sim/tests/golden.txt): "id seed rows sha256".
const golden = new Map(
  readFileSync(join(__dirname, '..', '..', 'crates', 'sim', 'tests', 'golden.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .filter(([, seed]) => seed === '1')
    .map(([id, , , digest]) => [id, digest]),
);

for (const id of scenarioIds) {
  test(`scenario ${id} meets its expectations by autoplay, with its golden trace`, async ({ page }) => {
    const native = JSON.parse(execFileSync(process.env.FOTA_CLI!, ['run', id, '--json']).toString());
    expect(native.trace_sha256).toBe(golden.get(id));
    await page.goto(`?scenario=${id}&autoplay=1`);
    await expect(page.getByTestId('run-status')).toContainText('That is what this scenario shows.');
    await expect(page.getByTestId('fw-state')).toHaveText(String(native.final.state));
    await expect(page.getByTestId('update-result')).toHaveText(String(native.final.result));
    await expect(page.getByTestId('trace-digest')).toHaveText(native.trace_sha256);
  });
}

test('the scenario list is not empty', () => {
  expect(scenarioIds.length).toBeGreaterThanOrEqual(10);
});
