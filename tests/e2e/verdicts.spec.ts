import { test, expect } from '@playwright/test';

// The campaign's verdict follows the device (SRV-8, SRV-9, SRV-10), and the page says so in
// the words a student reads: a device that never comes back is called bricked, a failure
// the device later disproves becomes "succeeded (late)", a server that gives up leaves the
// device Idle.

test('overwrite-only and a crashing image: the campaign fails and the device is bricked', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('?scenario=overwrite-bricked');
  await expect(page.getByTestId('bricked')).toHaveCount(0);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('campaign')).toContainText('failed: the device did not come back within 300 s');
  await expect(page.getByTestId('bricked')).toContainText('overwrite-only bootloader');
  await expect(page.getByTestId('fw-state')).toHaveText('3');
  await page.screenshot({ path: 'test-results/screenshots/overwrite-bricked.png', fullPage: true });
  expect(errors).toEqual([]);
});

test('the server gives up too early and the device proves it wrong: succeeded (late)', async ({ page }) => {
  await page.goto('?scenario=late-success');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('campaign')).toContainText('succeeded (late)');
  await expect(page.getByTestId('campaign')).toContainText('the device stopped answering');
  await expect(page.getByTestId('update-result')).toHaveText('1');
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
});

test('a server that gives up cancels, and the device ends Idle with Result 10', async ({ page }) => {
  await page.goto('?scenario=server-gives-up');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('campaign')).toContainText('failed: the device stopped answering');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  await expect(page.getByTestId('update-result')).toHaveText('10');
  await page.locator('.server details summary').click();
  await expect(page.locator('.server details')).toContainText('cancelling the update so that the device is left Idle');
  await expect(page.locator('.server details')).toContainText('the device cancelled the update: it is Idle');
});

test('16-byte flash writes: the update succeeds (BOOT-8)', async ({ page }) => {
  await page.goto('?scenario=flash-align-16');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('campaign')).toHaveText('succeeded');
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
});
