import { test, expect, Page } from '@playwright/test';

// The boot as steps of the timeline: in the rollback scenario, each press of Step across the
// boot adds one line to the ladder (the reset, the bootloader's validation, each sector step
// of the swap, the jump, the crash, the watchdog reset, the revert), the slot strips follow
// the step shown, and the bootloader's checklist appears where it validated. Nothing moves by
// itself.

async function shown(page: Page): Promise<number> {
  const text = (await page.getByTestId('position').textContent()) ?? '';
  return Number(text.split('/')[0]);
}

/// Moments of the device shown so far (the ladder draws only the lines in view).
async function momentsShown(page: Page): Promise<number> {
  return Number(await page.getByTestId('position').getAttribute('data-moments'));
}

/// Presses Step and checks that exactly one line was added: a datagram or a moment.
async function stepOne(page: Page) {
  const [rows, moments] = [await shown(page), await momentsShown(page)];
  await page.getByTestId('step').click();
  await expect
    .poll(async () => (await shown(page)) - rows + (await momentsShown(page)) - moments)
    .toBe(1);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

for (const width of [1440, 360]) {
  test(`at ${width} px, stepping across the rollback boot moves one step at a time`, async ({ page }) => {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 780 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('?scenario=rollback');
    // Before the update: well before the Execute of /5/0/2.
    await page.getByTestId('scrubber').fill('140');
    await expect(page.getByTestId('position')).toHaveText(/^140 \//);
    const moments = page.getByTestId('moment-row');
    const current = page.locator('[data-testid=moment-row].current');
    const primary = page.getByTestId('slot-primary-image');
    await expect(primary).toHaveText(/^image 1\.0\.0/);

    // Step to the reset for the update.
    const atReset = page.locator('[data-testid=moment-row].current[data-kind=reset]');
    for (let n = 0; n < 40 && (await atReset.count()) === 0; n++) {
      await stepOne(page);
    }
    await expect(current).toHaveAttribute('data-kind', 'reset');
    await expect(current).toContainText('for the update');
    const rows = await shown(page);

    // The bootloader validates the secondary: its checklist, every check passed.
    await stepOne(page);
    await expect(current).toHaveAttribute('data-kind', 'validated');
    await expect(current).toContainText('validated the secondary');
    await expect(current).toContainText('BOOT-5');
    const checks = page.getByTestId('bootloader-check');
    await expect(page.getByTestId('bootloader-checks-title')).toContainText('secondary');
    await expect(checks).toHaveCount(7);
    await expect(page.locator('[data-testid=bootloader-check].pass')).toHaveCount(7);
    await expect(checks.filter({ hasText: 'hash' }).first()).toContainText('computed SHA-256');
    await expect(page.locator('[data-testid=bootloader-check][data-check=key]')).toContainText('KEYHASH');
    if (width > 800) await shot(page, `boot-validated-${width}`);

    // The swap starts; the primary still holds the old image.
    await stepOne(page);
    await expect(current).toContainText('starting a TEST swap');
    await expect(primary).toHaveText(/^image 1\.0\.0/);

    // Sector by sector: each step one line, the sector it wrote lit, the strips following.
    const images: string[] = [];
    for (let s = 1; s <= 24; s++) {
      await stepOne(page);
      await expect(current).toHaveAttribute('data-kind', 'sector');
      await expect(current).toContainText(`sector step ${s} of 24`);
      await expect(page.locator('.sector.busy')).toHaveCount(1);
      await expect(page.getByTestId('swap-op')).toContainText(`sector step ${s} of 24`);
      images.push((await primary.textContent()) ?? '');
      if (s === 12) await shot(page, `boot-mid-swap-${width}`);
    }
    // The first moves go past the end of the old image, which stays whole; then neither
    // image is whole until the last step down; then the primary holds the new one.
    expect(images[0]).toMatch(/^image 1\.0\.0/);
    const broken = images.findIndex((t) => !t.startsWith('image 1.0.0'));
    expect(broken).toBeGreaterThan(0);
    expect(images[broken]).toContain('swap under way');
    expect(images[23]).toMatch(/^image 2\.0\.0/);
    expect(images.slice(broken).some((t) => t.startsWith('image 1.0.0'))).toBe(false);
    // No datagram went by while the boot was stepped through.
    expect(await shown(page)).toBe(rows);

    // The primary validated again, then the jump, then the crash.
    // The primary validated again: its checklist joins the secondary's, that boot's two.
    await stepOne(page);
    await expect(page.getByTestId('bootloader-checks-title')).toHaveCount(2);
    await expect(page.getByTestId('bootloader-checks-title').last()).toContainText('primary');
    await expect(page.getByTestId('bootloader-checks-title').first()).toContainText('secondary');
    await stepOne(page);
    await expect(current).toHaveAttribute('data-kind', 'jump');
    await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
    await stepOne(page);
    await expect(current).toHaveAttribute('data-kind', 'failed');
    await expect(current).toContainText('BOOT-2');
    await stepOne(page);
    await expect(current).toHaveAttribute('data-kind', 'reset');
    await expect(current).toContainText('watchdog');
    await shot(page, `boot-watchdog-${width}`);

    // Back across the swap, one step at a time: the strips go back with it.
    for (let s = 0; s < 4 + 12; s++) {
      await page.getByTestId('step-back').click();
    }
    await expect(current).toContainText('sector step 12 of 24');
    await expect(primary).toHaveText(images[11]);
    for (let s = 0; s < 14; s++) {
      await page.getByTestId('step-back').click();
    }
    await expect(current).toHaveAttribute('data-kind', 'reset');
    await expect(primary).toHaveText(/^image 1\.0\.0/);
    await expect(page.getByTestId('fw-version')).toHaveText('1.0.0');
    expect(errors).toEqual([]);
  });
}

test('the ladder keeps still between presses: nothing animates by itself', async ({ page }) => {
  await page.goto('?scenario=rollback');
  // Just after the boot that swapped: the device panel once replayed its flash operations
  // here on a timer.
  await page.getByTestId('scrubber').fill('151');
  await expect(page.getByTestId('position')).toHaveText(/^151 \//);
  const before = await page.locator('.panel.device').innerHTML();
  await page.waitForTimeout(700);
  const after = await page.locator('.panel.device').innerHTML();
  expect(after).toBe(before);
});
