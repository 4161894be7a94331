import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// Light and dark: the page follows the reader's setting, `?theme=` overrides it for a course
// page, and both themes pass axe's contrast and other serious checks, on a run with a message
// open and on a challenge.

const background = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.querySelector('.top')!).backgroundColor);

async function noSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('the page follows a dark setting, and ?theme=light overrides it', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('?scenario=pull-success');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  expect(await background(page)).toBe('rgb(31, 31, 31)');
  await page.goto('?scenario=pull-success&theme=light');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  expect(await background(page)).toBe('rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('?scenario=pull-success&theme=dark');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  expect(await background(page)).toBe('rgb(31, 31, 31)');
});

test('a theme the page does not have is told, naming the parameter', async ({ page }) => {
  await page.goto('?theme=blue');
  await expect(page.getByTestId('error-panel')).toContainText('theme="blue" must be light or dark');
});

for (const theme of ['light', 'dark']) {
  test(`no serious or critical accessibility violations in the ${theme} theme`, async ({ page }) => {
    await page.goto(`?scenario=rollback&at=150&theme=${theme}`);
    await page.locator('[data-testid=message-row]').last().click();
    await noSeriousViolations(page);
    await page.screenshot({ path: `test-results/screenshots/theme-${theme}.png`, fullPage: true });
    await page.goto(`?challenge=lossy-30&theme=${theme}`);
    await page.getByTestId('check').click();
    await expect(page.getByTestId('challenge-status')).toContainText('Not yet', { timeout: 60_000 });
    await page.getByTestId('show-hint').click();
    await noSeriousViolations(page);
    await page.screenshot({ path: `test-results/screenshots/theme-${theme}-challenge.png`, fullPage: true });
  });
}
