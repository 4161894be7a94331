import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';

// The cost of an update (issue: flash time, energy and battery, queue mode): the Cost panel
// draws the battery and the energy spent from the engine's own meter, its figures are the
// native run's, a branch shows both runs' cost, a queue-mode device's sleep shows on the
// ladder and at the server, and a power cut from Break it lands between two sector steps of
// a swap that now takes time.

function native(id: string) {
  const cli = process.env.FOTA_CLI;
  if (!cli) throw new Error('FOTA_CLI must point at the fota-sandbox binary (scripts/test.sh sets it)');
  return JSON.parse(execFileSync(cli, ['run', id, '--json']).toString());
}

/// The panel's wording of an energy in µJ, as crates/web/src/components/cost.rs writes it.
function mj(uj: number): string {
  const m = uj / 1000;
  if (m >= 1000) return `${(m / 1000).toFixed(2)} J`;
  if (m >= 10) return `${m.toFixed(0)} mJ`;
  return `${m.toFixed(2)} mJ`;
}

function watchForPanics(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the Cost panel draws the run and gives the native run figures, so far and in all', async ({ page }) => {
  const errors = watchForPanics(page);
  const run = native('low-battery-defers');
  await page.goto('?scenario=low-battery-defers&autoplay=1');
  await expect(page.getByTestId('run-status')).toContainText('That is what this scenario shows.');
  const panel = page.getByTestId('cost-panel');
  await panel.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('energy-total')).toHaveText(mj(run.energy.total_uj));
  await expect(page.getByTestId('energy-so-far')).toHaveText(mj(run.energy.total_uj));
  // Both lines drawn from many points; one mark per campaign phase.
  for (const line of ['battery-line', 'energy-line']) {
    const points = (await panel.locator(`polyline.${line}`).getAttribute('points')) ?? '';
    expect(points.trim().split(' ').length).toBeGreaterThan(10);
  }
  await expect(panel.locator('.phase-mark')).toHaveCount(run.energy.phases.length);
  await expect(page.getByTestId('cost-chart')).toHaveAttribute('aria-label', /Battery from 12\.00 %/);
  await page.screenshot({ path: 'test-results/screenshots/cost-panel.png', fullPage: true });
  // Back at the start, nothing has been spent yet and the battery is where it began.
  await page.getByTestId('scrubber').fill('0');
  await expect(page.getByTestId('battery-now')).toHaveText(/^1[12]\.\d\d %$/);
  const early = (await page.getByTestId('energy-so-far').textContent()) ?? '';
  expect(early).not.toBe(mj(run.energy.total_uj));
  expect(errors).toEqual([]);
});

test('a branch compares both runs cost', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await page.getByTestId('scrubber').fill('60');
  await page.getByTestId('repo-down').click();
  await expect(page.getByTestId('branch-banner')).toBeVisible();
  await page.getByTestId('run-to-end').click();
  const compare = page.getByTestId('cost-compare');
  await compare.scrollIntoViewIfNeeded();
  await expect(compare).toContainText('repository link down');
  // The branch waited for the repository to come back: it listened longer and sent more.
  await expect(page.getByTestId('cost-difference')).toHaveText(/^\+/);
});

test('queue mode: the device sleeps on its lifeline, the server holds, and the saving is given', async ({ page }) => {
  const errors = watchForPanics(page);
  const run = native('queue-mode');
  await page.goto('?scenario=queue-mode');
  // Just after the device woke to send its Registration Update: the server has not heard it
  // yet and still holds its poll.
  await page.getByTestId('scrubber').fill('151');
  await expect(page.getByTestId('position')).toHaveText(/^151 \//);
  await expect(page.getByTestId('server-holding')).toContainText('the device sleeps (queue mode)');
  await expect(page.locator('[data-testid=moment-row][data-kind=wake]').last()).toContainText('wakes to send');
  await expect(page.locator('[data-testid=moment-row][data-kind=sleep]').last()).toContainText('radio off');
  await page.screenshot({ path: 'test-results/screenshots/queue-mode.png', fullPage: true });
  // The poll goes out once the server hears the device: nothing is held any more.
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  await expect(page.getByTestId('server-holding')).toHaveCount(0);
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('queue-saving')).toContainText(`${mj(run.energy.queue_mode.saved_uj)} saved`);
  expect(errors).toEqual([]);
});

test('a power cut from Break it in the middle of a swap lands between two sector steps', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await page.getByTestId('scrubber').fill('146');
  const current = page.locator('[data-testid=moment-row].current');
  const atStep = page.locator('[data-testid=moment-row].current[data-kind=sector]', { hasText: 'sector step 10 of' });
  for (let n = 0; n < 60 && (await atStep.count()) === 0; n++) {
    await page.getByTestId('step').click();
  }
  await expect(current).toContainText('sector step 10 of');
  await expect(page.getByTestId('mid-boot-hint')).toHaveCount(0);
  await page.getByTestId('power-cut').click();
  await expect(page.getByTestId('branch-banner')).toContainText('power cut');
  // Stepping through the branch's boot: sector step 10 is the last before the power goes,
  // there is no step 11 before it.
  const atCut = page.locator('[data-testid=moment-row].current[data-kind=power]');
  for (let n = 0; n < 60 && (await atCut.count()) === 0; n++) {
    await page.getByTestId('step').click();
  }
  await expect(current).toHaveAttribute('data-kind', 'power');
  const sectors = page.locator('[data-testid=moment-row][data-kind=sector]');
  await expect(sectors.last()).toContainText('sector step 10 of');
  // The bootloader resumes the swap at the next power-on, and the update succeeds.
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('update-result')).toHaveText('1');
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
});

test('an energy challenge: larger blocks spare the battery, graded by the device meter', async ({ page }) => {
  await page.goto('?challenge=energy-block-size');
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('challenge-status')).toContainText('Not yet');
  await expect(page.getByTestId('goal-told').nth(1)).toContainText('20993 mJ spent by the device (at most 4000)');
  await page.getByTestId('setting-device.block_size').fill('1024');
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('challenge-status')).toContainText('Solved with 1 change (par 1)');
});

test('a yes-or-no setting is a choice: queue mode, with an awake time short enough to sleep', async ({ page }) => {
  await page.goto('?challenge=queue-mode-sleep');
  const choice = page.getByTestId('setting-device.queue_mode');
  await expect(choice.locator('option')).toHaveText(['false', 'true']);
  await choice.selectOption('true');
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('run-to-end').click();
  // Queue mode alone: the server's polls keep the device awake; it never sleeps.
  await expect(page.getByTestId('challenge-status')).toContainText('Not yet');
  await page.getByTestId('setting-device.queue_awake_ms').fill('30000');
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('run-to-end').click();
  await expect(page.getByTestId('challenge-status')).toContainText('Solved with 2 changes (par 2)');
});

test('the low-battery tour shows the update starting as the battery reaches 15 %', async ({ page }) => {
  const errors = watchForPanics(page);
  await page.goto('?lesson=tour-low-battery-defers');
  for (let n = 0; n < 3; n++) await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText('the update started by itself: State 3');
  // The page is at that instant: /3/0/9 reads 15 %, the Device panel and the Cost panel agree.
  await expect(page.getByTestId('battery')).toHaveText('15 %');
  await expect(page.locator('.battery-now')).toContainText('(/3/0/9 reads 15 %)');
  await expect(page.locator('[data-testid=moment-row][data-kind=battery]').last()).toContainText('back at 15 %');
  expect(errors).toEqual([]);
});
