import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'child_process';

/// The tours the CLI lists: the help panel must list each one.
function builtinTours(): number {
  const cli = process.env.FOTA_CLI;
  if (!cli) throw new Error('FOTA_CLI must point at the fota-sandbox binary (scripts/test.sh sets it)');
  return execFileSync(cli, ['lessons']).toString().split('\n').filter((l) => / tour /.test(l)).length;
}

// Each lesson of the path followed as a student new to LwM2M would, ending with the question
// that student would ask, answered by clicking through the page; the tours of the scenarios;
// the narration following the run; lessons opened from a file; the Results gallery.

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

/** Presses Next until the step says `text` (at most `max` times). */
async function nextUntil(page: Page, text: string | RegExp, max = 10) {
  for (let i = 0; i < max; i++) {
    const now = (await page.getByTestId('tour-step').textContent()) ?? '';
    if (typeof text === 'string' ? now.includes(text) : text.test(now)) return;
    await page.getByTestId('tour-next').click();
  }
  await expect(page.getByTestId('tour-step')).toContainText(text);
}

/** Follows a lesson from its first step to its last: every step has text and its moment. */
async function followAll(page: Page, id: string) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`?lesson=${id}`);
  const count = page.getByTestId('tour').locator('.tour-count');
  await expect(count).toContainText('step 1 of');
  const total = Number(((await count.textContent()) ?? '').split(' of ')[1]);
  for (let i = 1; i < total; i++) {
    await page.getByTestId('tour-next').click();
    await expect(count).toHaveText(`step ${i + 1} of ${total}`);
    await expect(page.getByTestId('tour-missing')).toHaveCount(0);
    expect(((await page.getByTestId('tour-step').textContent()) ?? '').length).toBeGreaterThan(20);
  }
  await expect(page.getByTestId('tour-next')).toBeDisabled();
  expect(errors).toEqual([]);
}

test('every lesson of the path is listed in order and can be followed to its end', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await page.getByTestId('help-button').click();
  const items = page.getByTestId('lesson-list').locator('li');
  await expect(items).toHaveCount(8);
  await expect(items.nth(0)).toContainText('four steps');
  await expect(items.nth(3)).toContainText('States and Update Results');
  await expect(items.nth(7)).toContainText('Limited resources');
  const ids = ['four-steps', 'pull', 'push', 'states-results', 'secure-boot', 'rollback', 'powercut', 'limited-resources'];
  for (const id of ids) await followAll(page, id);
});

test('PULL: how does the device know it has the last block?', async ({ page }) => {
  await page.goto('?lesson=pull');
  await nextUntil(page, 'Block2 option in three parts');
  // The step quotes the run: the block size it names is the one in the request.
  await expect(page.getByTestId('inspector-summary')).toContainText('GET /fw/app-2.0.0.bin');
  await expect(page.getByTestId('inspector')).toContainText('Block2');
  // The field the step talks about is lit, in the options and in the bytes.
  await expect(page.getByTestId('option-row').filter({ hasText: 'Block2' })).toHaveClass(/lit-row/);
  await expect(page.getByTestId('hex-dump').locator('.hx-lit').first()).toBeVisible();
  await nextUntil(page, 'M 0: no more blocks');
  // The answer: the repository's last answer says M = 0 in its Block2 (NUM/M/SZX 63/0/512).
  await expect(page.getByTestId('inspector-summary')).toContainText('Block2 63/0/512');
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('fw-state')).toHaveText('2');
  // A step about a /5 change lights the State in the device panel.
  await expect(page.locator('.value.spotlit')).toContainText('State');
  await shot(page, 'lesson-pull');
});

test('PULL quotes the run: the message ID in the step is the one in the message details', async ({ page }) => {
  await page.goto('?lesson=pull');
  await page.getByTestId('tour-next').click();
  const text = (await page.getByTestId('tour-step').textContent()) ?? '';
  const mid = /Message ID \(MID\), (\d+)/.exec(text)?.[1];
  expect(mid).toBeTruthy();
  await expect(page.getByTestId('inspector')).toContainText(`${mid} (0x`);
});

test('PUSH: why did the server wait 40 seconds before it pushed?', async ({ page }) => {
  await page.goto('?lesson=push');
  await nextUntil(page, 'gt=-90');
  // The answer is on the message: a Write-Attributes with its query, sent by rule SRV-3.
  await expect(page.getByTestId('inspector-summary')).toContainText('PUT /4/0/2 ?gt=-90');
  await expect(page.getByTestId('inspector')).toContainText('SRV-3');
  await expect(page.getByTestId('signal')).toContainText('-105');
  await nextUntil(page, 'Now the PUSH');
  await expect(page.getByTestId('inspector-summary')).toContainText('PUT /5/0/0');
  await expect(page.getByTestId('virtual-time')).toContainText('t = 40.');
});

test('States and Results: the gallery opens each Result where it happens', async ({ page }) => {
  await page.goto('?lesson=states-results');
  const gallery = page.getByTestId('results-gallery');
  await expect(gallery.getByTestId('gallery-result')).toHaveCount(11);
  await nextUntil(page, 'Update Result becomes 11');
  await expect(page.getByTestId('update-result')).toHaveText('11');
  await expect(page.getByTestId('fw-state')).toHaveText('2');
  // "What does Result 7 look like?": the gallery, shown again at the end, opens the scenario
  // that produces it.
  await nextUntil(page, 'Update Result 1, firmware updated successfully');
  await gallery.getByRole('button', { name: /Result 7/ }).click();
  await expect(page.getByTestId('scenario-title')).toContainText('Package URI the repository does not have');
  await expect(page.getByTestId('update-result')).toHaveText('7');
  await expect(page.getByTestId('tour')).toContainText('Tour');
  await shot(page, 'gallery-result-7');
});

test('rollback: why did the old image come back?', async ({ page }) => {
  await page.goto('?lesson=rollback');
  await nextUntil(page, 'swaps it in as a TEST');
  // The bootloader checked the new image before the swap, each check listed.
  await expect(page.getByTestId('bootloader-checks-title').first()).toContainText('secondary');
  await nextUntil(page, 'crashes at once');
  await expect(page.getByTestId('fw-version')).toContainText('2.0.0');
  // Stepping on from the jump: the image fails, the watchdog resets the device.
  const current = page.getByTestId('ladder').locator('.moment.current');
  await page.getByTestId('step').click();
  await expect(current).toContainText(/crash|fail/i);
  await page.getByTestId('step').click();
  await expect(current).toContainText(/watchdog/i);
  await nextUntil(page, 'REVERT');
  await nextUntil(page, 'Update Result 8');
  await expect(page.getByTestId('update-result')).toHaveText('8');
  await expect(page.getByTestId('fw-version')).toContainText('1.0.0');
});

test('power cut: how does the bootloader know where the swap stopped?', async ({ page }) => {
  await page.goto('?lesson=powercut');
  await nextUntil(page, 'The power is cut');
  await expect(page.getByTestId('ladder')).toContainText(/power/i);
  // Where it stopped: the last sector step the ladder shows before the cut.
  await expect(page.getByTestId('ladder')).toContainText(/sector step \d+ of \d+/);
  await nextUntil(page, 'resumes it at the first sector step not recorded');
  await expect(page.getByTestId('tour-step')).toContainText(/\(\d+ sectors, three steps each/);
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('update-result')).toHaveText('1');
  await expect(page.getByTestId('fw-version')).toContainText('2.0.0');
});

test('a lossy link: was a lost request sent again with the same message ID?', async ({ page }) => {
  await page.goto('?lesson=limited-resources');
  await page.getByTestId('tour-next').click();
  const text = (await page.getByTestId('tour-step').textContent()) ?? '';
  const mid = /the same MID, (\d+)/.exec(text)?.[1];
  expect(mid).toBeTruthy();
  // The filter finds every datagram with that MID: the CON and its copies.
  await page.getByTestId('filter').fill(`coap.mid == ${mid} && from == server`);
  await expect(page.getByTestId('filter-count')).toContainText(/^2 of /);
  await page.getByTestId('filter').fill('fate == lost');
  await expect(page.getByTestId('filter-count')).toContainText(/^\d+ of /);
});

test('a scenario opened by itself tells its tour, and the narration follows the run as it plays', async ({ page }) => {
  await page.goto('?scenario=flash-full');
  await expect(page.getByTestId('tour')).toContainText('Tour');
  await expect(page.getByTestId('tour')).toContainText('step 1 of');
  // Playing the run to its end takes the tour to its last moment, by itself.
  await page.keyboard.press('End');
  await expect(page.getByTestId('tour-next')).toBeDisabled();
  await expect(page.getByTestId('tour-step')).toContainText('fail');
  await page.keyboard.press('Home');
  await expect(page.getByTestId('tour').locator('.tour-count')).toContainText('step 1 of');
  // Stepping forward over a step's moment moves the narration with it.
  await page.goto('?lesson=four-steps');
  await expect(page.getByTestId('tour').locator('.tour-count')).toContainText('step 1 of');
  // (The device boots first, in steps of its own, then registers: the first datagram.)
  for (let i = 0; i < 6 && !(((await page.getByTestId('position').textContent()) ?? '').startsWith('1 /')); i++) {
    await page.getByTestId('step').click();
  }
  await expect(page.getByTestId('tour').locator('.tour-count')).toContainText('step 2 of');
  await expect(page.getByTestId('tour-step')).toContainText('registers');
  // Every built-in scenario has a tour of at least three steps.
  await page.getByTestId('help-button').click();
  await expect(page.getByTestId('tour-list').locator('li')).toHaveCount(builtinTours());
});

test('a lesson file opens from disk, and a wrong one names its field', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  const lesson = {
    version: 1,
    id: 'mine',
    title: 'My own look at the URI write',
    scenario: 'invalid-uri',
    steps: [
      { text: 'Watch the Package URI.' },
      { text: 'The server wrote {uri} with message ID {coap.mid}.', anchor: { kind: 'message', filter: 'uri == "/5/0/1" && coap.code == PUT' } },
    ],
  };
  await page.getByTestId('open-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(lesson)) });
  await expect(page.getByTestId('tour')).toContainText('My own look at the URI write');
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText(/The server wrote \/5\/0\/1 with message ID \d+\./);
  await expect(page.getByTestId('inspector-summary')).toContainText('PUT /5/0/1');
  const bad = { ...lesson, steps: [{ text: 'quote {coap.mid}' }] };
  await page.getByTestId('open-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('notice')).toContainText('bad.json: lesson is not usable at `steps[0].text`');
});

test('the side column links straight to Break it', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('?scenario=pull-success&at=20');
  await page.getByTestId('to-break-it').click();
  await expect(page.getByRole('heading', { name: 'Break it' })).toBeInViewport();
});

test('a lesson with its gallery, and the help with its lists, have no serious accessibility violations', async ({ page }) => {
  for (const width of [1440, 360]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('?lesson=states-results');
    await page.getByTestId('tour-next').click();
    await expect(page.getByTestId('results-gallery')).toBeVisible();
    await page.getByTestId('help-button').click();
    await expect(page.getByTestId('help')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
