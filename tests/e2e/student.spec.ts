import { test, expect, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

// What a student does with the page: the keyboard, the scrubber, breaking a message and
// comparing, the operator, files, links, the embed, and whether everyone can use it.

async function position(page: Page): Promise<[number, number]> {
  const text = (await page.getByTestId('position').textContent()) ?? '';
  const [a, b] = text.split('/').map((s) => Number(s.trim()));
  return [a, b];
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png` });
}

test('the keyboard plays, pauses, steps both ways and jumps to the ends', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await expect(page.getByTestId('position')).toHaveText('0 / 164');
  // The first boot comes first: the bootloader validates the primary, then jumps to it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('moment-row')).toHaveCount(2);
  await expect(page.getByTestId('position')).toHaveText('0 / 164');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toHaveText('3 / 164');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('position')).toHaveText('2 / 164');
  await page.keyboard.press('End');
  await expect(page.getByTestId('run-status')).toContainText('That is what this scenario shows.');
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
  await page.keyboard.press('Home');
  await expect(page.getByTestId('position')).toHaveText('0 / 164');
  await expect(page.getByTestId('fw-version')).toHaveText('');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('pause')).toBeVisible();
  await expect.poll(async () => (await position(page))[0]).toBeGreaterThan(2);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('play')).toBeVisible();
});

test('the scrubber goes to any moment and the values follow', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await page.getByTestId('scrubber').fill('100');
  await expect(page.getByTestId('position')).toHaveText('100 / 164');
  await expect(page.getByTestId('fw-state')).toHaveText('1');
  // Before the server's Write of /5/0/1 is answered, the device is still Idle.
  await page.getByTestId('scrubber').fill('5');
  await expect(page.getByTestId('position')).toHaveText('5 / 164');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  await shot(page, 'ladder-and-device');
});

test('a jump away and back draws every row as before, and a focused row keeps the focus as the run steps', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=60');
  await expect(page.getByTestId('position')).toHaveText('60 / 164');
  const rows = page.locator('[data-testid=message-row]');
  const drawn = () => rows.evaluateAll((els) => els.map((e) => `${e.dataset.row} ${e.className} ${e.getAttribute('title')} ${e.textContent}`));
  const before = await drawn();
  expect(before.length).toBeGreaterThan(5);
  // The ladder's elements are rewritten in place on a jump: nothing of row 150 may stay
  // on row 60's line, nor the other way round.
  await page.getByTestId('scrubber').fill('150');
  await expect(page.getByTestId('position')).toHaveText('150 / 164');
  await expect(rows.last()).toHaveAttribute('data-row', '149');
  await page.getByTestId('scrubber').fill('60');
  await expect(page.getByTestId('position')).toHaveText('60 / 164');
  expect(await drawn()).toEqual(before);
  // A row in view stays in its element while the run steps: the keyboard's focus stays on it.
  await page.locator('[data-testid=message-row][data-row="55"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toHaveText('62 / 164');
  expect(await page.evaluate(() => (document.activeElement as HTMLElement).dataset.row)).toBe('55');
});

test('a share link reopens the same scenario, seed and position', async ({ page }) => {
  await page.goto('?scenario=rollback&seed=3');
  await page.getByTestId('scrubber').fill('77');
  const href = await page.getByTestId('share-link').getAttribute('href');
  expect(href).toBe('?scenario=rollback&seed=3&at=77');
  await page.goto(href!);
  await expect(page.getByTestId('position')).toHaveText(/^77 \/ /);
  await expect(page.getByTestId('scenario-title')).toContainText('crashes at boot');
});

test('dropping one message re-runs the world as a branch that can be compared', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=40');
  const row = page.locator('[data-testid=message-row][data-row="30"]');
  // The click goes to the row itself, wherever the ladder is scrolling to as it settles.
  await row.dispatchEvent('click');
  await expect(page.getByTestId('inspector')).toContainText('#30');
  await page.getByTestId('drop-this').click();
  const banner = page.getByTestId('branch-banner');
  await expect(banner).toContainText('Showing the branch');
  await expect(banner).toContainText('message #30 dropped');
  await expect(page.getByTestId('outcome-original')).toContainText('164 datagrams');
  // The lost message costs a retransmission: more datagrams, and still Result 1.
  await expect(page.getByTestId('outcome-branch')).toContainText('Result 1');
  await expect(page.getByTestId('outcome-branch')).not.toContainText('164 datagrams');
  await expect(page.locator('[data-testid=message-row][data-row="30"]')).toHaveClass(/dropped/);
  await expect(page.getByTestId('fate')).toContainText('dropped by a fault');
  await shot(page, 'branch-after-drop');
  await page.getByTestId('swap-runs').click();
  await expect(banner).toContainText('Showing the original run');
  await expect(page.locator('[data-testid=message-row][data-row="30"]')).not.toHaveClass(/dropped/);
});

test('a power cut in the middle of the download: the device resumes and the update succeeds', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=60');
  await page.getByTestId('power-cut').click();
  await expect(page.getByTestId('branch-banner')).toContainText('power cut for 3 s');
  await expect(page.getByTestId('outcome-branch')).toContainText('Result 1');
  await page.keyboard.press('End');
  await expect(page.getByTestId('fw-version')).toHaveText('2.0.0');
  await expect(page.getByTestId('boot-log')).toBeAttached();
});

test('the operator reads a resource and the answer is in the server log', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=30');
  await page.getByTestId('op-read-state').click();
  await expect(page.getByTestId('branch-banner')).toContainText('operator: Read State');
  await page.keyboard.press('End');
  await page.locator('.server details summary').click();
  await expect(page.locator('.server details')).toContainText('operator: Read /5/0/3 answered 2.05 Content');
});

test('a scenario file with an error says which field, and a good one opens', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  const bad = JSON.stringify({
    version: 1,
    id: 'mine',
    title: 'mine',
    image: { version: '2.0.0', size: 8192, path: '/fw/a.bin' },
    network: { loss_percent: 130 },
  });
  await page.getByTestId('open-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
  await expect(page.getByTestId('notice')).toContainText('bad.json: scenario is not usable at `network.loss_percent`: 130 is above 100');
  await shot(page, 'file-error');
  const good = JSON.stringify({
    version: 1,
    id: 'mine',
    title: 'My own slow-link update',
    image: { version: '2.0.0', size: 8192, path: '/fw/a.bin' },
    network: { latency_ms: 150 },
    expect: { result: 1 },
  });
  await page.getByTestId('open-file').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(good) });
  await expect(page.getByTestId('scenario-title')).toHaveText('My own slow-link update');
  await page.keyboard.press('End');
  await expect(page.getByTestId('run-status')).toContainText('That is what this scenario shows.');
});

test('a block-wise transfer folds into one line', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=30');
  const group = page.getByTestId('block-group');
  await expect(group).toHaveCount(1);
  // The press goes to the button itself, wherever the ladder is scrolling to as it settles.
  await group.getByRole('button').dispatchEvent('click');
  await expect(group).toContainText(/Block2 × \d+ \/fw\/app-2.0.0.bin/);
  await expect(group).toHaveClass(/folded/);
});

test('the embed example hears ready, state-changed and scenario-finished', async ({ page }) => {
  await page.goto('embed-example.html');
  const frame = page.frameLocator('#sandbox');
  await expect(frame.getByTestId('fw-state')).toHaveText('0');
  await expect(page.getByTestId('events')).toContainText('"type":"ready"');
  await frame.getByTestId('run-to-end').click();
  await expect(page.getByTestId('events')).toContainText('"type":"state-changed"');
  await expect(page.getByTestId('events')).toContainText('"type":"scenario-finished"');
  await expect(page.getByTestId('events')).toContainText('"outcome":"expectations-met"');
  await expect(page.locator('#verdict')).toHaveText('Done: Update Result 1, firmware 2.0.0.');
  await shot(page, 'embedded-compact');
});

test('bad view and panels parameters explain themselves', async ({ page }) => {
  await page.goto('?view=tiny');
  await expect(page.getByTestId('error-panel')).toContainText('view="tiny" must be compact or full');
  await page.goto('?panels=ladder,chat');
  await expect(page.getByTestId('error-panel')).toContainText('"chat" is not one of');
});

test('360 px wide: nothing spills sideways and the values are readable', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('?scenario=pull-success&at=90');
  await expect(page.getByTestId('fw-state')).toHaveText('1');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, 'phone-360');
});

test('no serious or critical accessibility violations (axe-core)', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=50');
  await page.locator('[data-testid=message-row]').last().click();
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});

test('stepping across the boot moves the slot strips one sector step at a time', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=150');
  await expect(page.getByTestId('slot-primary')).toContainText('image 1.0.0');
  const busy = page.locator('.sector.busy');
  for (let i = 0; i < 40 && (await busy.count()) === 0; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('swap-op')).toContainText('sector step 1 of');
  await expect(busy).toHaveCount(1);
  await shot(page, 'swap-step');
  // Nothing moves by itself: the step stays on screen until the next press.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('swap-op')).toContainText('sector step 1 of');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('swap-op')).toContainText('sector step 2 of');
  await page.keyboard.press('End');
  await expect(page.getByTestId('swap-op')).toHaveCount(0);
  await expect(page.getByTestId('slot-primary')).toContainText('image 2.0.0');
  await expect(page.getByTestId('slot-secondary')).toContainText('image 1.0.0');
});

test('a saved trace file opens again as the same run, and the pcap is a capture', async ({ page }) => {
  await page.goto('?scenario=lossy-link&seed=5');
  const [trace] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-trace').click()]);
  expect(trace.suggestedFilename()).toBe('lossy-link-seed5.trace.json');
  const text = await (await import('node:fs/promises')).readFile((await trace.path())!, 'utf8');
  const file = JSON.parse(text);
  expect(file.format).toBe('fota-sandbox-trace');
  await page.goto('?scenario=pull-success');
  await page.getByTestId('open-file').setInputFiles({ name: 'run.trace.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('scenario-title')).toContainText('30 % of datagrams');
  await expect(page.getByTestId('position')).toHaveText(`0 / ${file.datagrams.length}`);
  await page.keyboard.press('End');
  await expect(page.getByTestId('trace-digest')).toHaveText(file.trace_sha256);
  const [pcap] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-pcap').click()]);
  const bytes = await (await import('node:fs/promises')).readFile((await pcap.path())!);
  expect([...bytes.subarray(0, 4)]).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
});

test('a branch keeps its scenario in the picker and says a link would lose its changes', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=40');
  await page.getByTestId('power-cut').click();
  await expect(page.getByTestId('branch-banner')).toBeVisible();
  await expect(page.getByTestId('scenario-picker')).toHaveValue('pull-success');
  await expect(page.getByTestId('share-link')).toHaveCount(0);
  await expect(page.locator('.picker')).toContainText('changes of your own');
});

test('a message shows the rule its receiver applied, the same as the /5 change it caused', async ({ page }) => {
  // The user defers the update: the Execute meets FU-T10, not FU-T9. (At 148 rows the
  // device has received row 146 and answered it in row 147.)
  await page.goto('?scenario=deferred&at=148');
  await page.locator('[data-testid="message-row"][data-row="146"]').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('Execute /5/0/2 Update');
  await expect(page.getByTestId('row-rule')).toHaveCount(1);
  await expect(page.getByTestId('row-rule')).toContainText('FU-T10');
  await expect(page.getByTestId('last-rule')).toContainText('FU-T10');
  // A Package URI with a scheme the device lacks meets FU-T3, not FU-T2.
  await page.goto('?scenario=unsupported-protocol&at=14');
  await page.locator('[data-testid="message-row"][data-row="12"]').click();
  await expect(page.getByTestId('row-rule')).toContainText('FU-T3');
  await expect(page.getByTestId('last-rule')).toContainText('FU-T3');
  await shot(page, 'rule-applied');
});

test('the state diagram has the seven changes of State, each saying what its rules mean', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=20');
  const edges = page.getByTestId('diagram-edge');
  await expect(edges).toHaveCount(7);
  const update = edges.filter({ hasText: 'T9' });
  await expect(update).toHaveCount(1);
  await expect(update.locator('title')).toContainText('FU-T9 (on Execute /5/0/2 Update)');
  await expect(update.locator('title')).toContainText('then the device reboots');
});

for (const width of [1440, 360]) {
  test(`choosing a message brings its details into view and focus at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    // At 14 rows the ladder shows rows 12 and 13 beside the current one: no scrolling of the
    // virtualized list is needed to reach them.
    await page.goto('?scenario=pull-success&at=14');
    await page.locator('[data-testid="message-row"][data-row="12"]').click();
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toBeFocused();
    await expect(inspector).toBeInViewport();
    await expect(page.getByTestId('inspector-summary')).toContainText('PUT /5/0/1');
    // From the keyboard too: Enter on a focused row.
    await page.locator('[data-testid="message-row"][data-row="13"]').focus();
    await page.keyboard.press('Enter');
    await expect(inspector).toBeFocused();
    await expect(page.getByTestId('inspector-summary')).toContainText('2.04 Changed');
  });
}

test('after picking a scenario, the arrow keys step the run and leave the choice alone', async ({ page }) => {
  await page.goto('?scenario=pull-success');
  await page.getByTestId('scenario-picker').selectOption('rollback');
  await expect(page.getByTestId('scenario-title')).toContainText('crashes at boot');
  // Two moments of the first boot (the validation of the primary, the jump), two datagrams.
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toHaveText(/^2 \/ /);
  await expect(page.getByTestId('scenario-picker')).toHaveValue('rollback');
});

test('a Write-Attributes row shows its query, and the end of a run reads as a sentence', async ({ page }) => {
  await page.goto('?scenario=push-waits-for-signal&at=20');
  await expect(page.getByTestId('message-row').filter({ hasText: 'PUT /4/0/2 ?gt=-90' })).toHaveCount(1);
  await page.goto('?scenario=connection-lost&autoplay=1');
  await expect(page.getByTestId('run-status')).toHaveText(
    'The update failed with Update Result 4: the connection was lost during the download. That is what this scenario shows.',
  );
});

test('terms explain themselves on hover and on keyboard focus, and ? opens the help', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=2');
  await page.locator('[data-testid="message-row"][data-row="0"]').click();
  const inspector = page.getByTestId('inspector');
  const con = inspector.getByTestId('glossary-term').filter({ hasText: 'CON (0)' });
  await expect(con.getByRole('tooltip')).toBeHidden();
  await con.hover();
  await expect(con.getByRole('tooltip')).toBeVisible();
  await expect(con.getByRole('tooltip')).toContainText('acknowledge');
  await expect(con.getByRole('tooltip')).toContainText('RFC 7252 §4.2');
  // The keyboard reaches the same explanation.
  await page.mouse.move(0, 0);
  const token = inspector.getByTestId('glossary-term').filter({ hasText: /^Token/ }).first();
  await token.focus();
  await expect(token.getByRole('tooltip')).toBeVisible();
  await expect(token.getByRole('tooltip')).toContainText('pair a response');
  // The slot strips' trailer flags explain themselves too.
  const imageOk = page.getByTestId('slot-primary').getByTestId('glossary-term').filter({ hasText: 'image_ok' });
  await imageOk.hover();
  await expect(imageOk.getByRole('tooltip')).toContainText('confirm itself');
  await shot(page, 'glossary-term');
  // ? opens the help with the glossary and the rules; Escape closes it.
  await page.mouse.move(0, 0);
  await page.locator('body').press('?');
  const help = page.getByTestId('help');
  await expect(help).toBeVisible();
  await expect(help).toContainText('SZX');
  await expect(help).toContainText('FU-T9');
  await shot(page, 'help');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByTestId('help-button').click();
  await expect(help).toBeVisible();
  await page.getByTestId('help-close').click();
  await expect(help).toBeHidden();
});

test('the filter box marks a mistake, then matches, hides the others and speaks Wireshark', async ({ page }) => {
  await page.goto('?scenario=pull-success&autoplay=1');
  await expect(page.getByTestId('position')).toHaveText('164 / 164');
  const filter = page.getByTestId('filter');
  await filter.fill('coap.tpye == 0');
  await expect(filter).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('filter-error')).toContainText('at 1');
  await expect(page.getByTestId('filter-error')).toContainText('coap.type');
  // Typing in the box leaves the run where it is.
  await expect(page.getByTestId('position')).toHaveText('164 / 164');
  await filter.fill('uri == "/5/0/1"');
  await expect(filter).toHaveAttribute('aria-invalid', 'false');
  await expect(page.getByTestId('filter-count')).toHaveText('2 of 164 messages match');
  await expect(page.getByTestId('wireshark-filter')).toHaveText('coap.opt.uri_path_recon == "/5/0/1"');
  await page.getByTestId('filter-hide').check();
  const rows = page.getByTestId('message-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('PUT /5/0/1');
  await expect(rows.last()).toContainText('2.04 Changed');
  await shot(page, 'filter');
  // A sandbox field filters too, and says it has no Wireshark name.
  await filter.fill('rule == "FU-T5"');
  await expect(page.getByTestId('filter-count')).toHaveText('1 of 164 messages match');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('wireshark-filter')).toContainText('no Wireshark filter');
  await filter.fill('');
  await expect(rows.first()).toBeVisible();
});

test('a folded PUSH sits between the server and the device', async ({ page }) => {
  await page.goto('?scenario=push-success&at=22');
  const chip = page.getByTestId('block-group').filter({ hasText: 'Block1' }).locator('.bracket');
  await expect(chip).toHaveAttribute('style', /left:16\.667%;width:33\.333%/);
});

test('the ladder scrolls back by hand and stays there, and a failure the scenario shows is amber', async ({ page }) => {
  await page.goto('?scenario=pull-success&autoplay=1');
  await expect(page.getByTestId('position')).toHaveText('164 / 164');
  const ladder = page.getByTestId('ladder');
  await ladder.evaluate((el) => el.scrollTo(0, 0));
  await expect(page.locator('[data-testid="message-row"][data-row="0"]')).toBeVisible();
  await page.waitForTimeout(300);
  expect(await ladder.evaluate((el) => el.scrollTop)).toBe(0);
  await expect(page.locator('[data-testid="message-row"][data-row="0"]')).toBeVisible();
  // A step follows the run again.
  await page.keyboard.press('Home');
  await page.keyboard.press('End');
  await expect(page.locator('[data-testid="message-row"][data-row="163"]')).toBeVisible();
  await expect(page.getByTestId('run-status')).toHaveClass(/\bok\b/);
  await page.goto('?scenario=rollback&autoplay=1');
  await expect(page.getByTestId('run-status')).toHaveClass(/\bfailed\b/);
});

test('stepping keeps the current line in the ladder, also once the window grows shorter', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('?scenario=pull-success');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  // Where the current line is against the ladder's visible part, after the frame a step draws.
  const inView = () =>
    page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const list = document.querySelector('[data-testid=ladder]')!.getBoundingClientRect();
      const line = document.querySelector('[data-testid=ladder] > .current')?.getBoundingClientRect();
      return !!line && line.top >= list.top - 1 && line.bottom <= list.bottom + 1;
    });
  for (let i = 0; i < 45; i++) {
    await page.keyboard.press('ArrowRight');
    expect(await inView(), `after step ${i + 1}`).toBe(true);
  }
  // A shorter window makes a shorter ladder: the next steps follow in the list as it now is.
  await page.setViewportSize({ width: 1440, height: 620 });
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('ArrowRight');
    expect(await inView(), `after step ${i + 1} in the shorter window`).toBe(true);
  }
});

test('at 360 px a message opened far below leads back to its row', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto('?scenario=pull-success&at=14');
  await page.locator('[data-testid="message-row"][data-row="12"]').click();
  await expect(page.getByTestId('inspector')).toBeFocused();
  await page.getByTestId('back-to-ladder').click();
  const row = page.locator('[data-testid="message-row"][data-row="12"]');
  await expect(row).toBeFocused();
  await expect(row).toBeInViewport();
});

test('the device panel lists what secure boot checked, in success and in failure', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=150');
  const checks = page.getByTestId('boot-check');
  await expect(page.getByTestId('boot-checks')).toBeVisible();
  // (The text holds each check's explanation between its name and the verdict.)
  await expect(checks.filter({ hasText: /signature[\s\S]* passed: / })).toHaveCount(1);
  await expect(checks.filter({ hasText: /SHA-256[\s\S]* passed: / })).toHaveCount(1);
  await expect(checks.filter({ hasText: ' failed: ' })).toHaveCount(0);
  await shot(page, 'boot-checks');
  await page.goto('?scenario=bad-signature&autoplay=1');
  await expect(checks.last()).toContainText(' failed: ');
  await expect(checks.last()).toContainText('KEYHASH');
});

test('a lesson is told on its run: each step goes to its moment and opens its message', async ({ page }) => {
  await page.goto('?lesson=four-steps');
  await expect(page.getByTestId('tour')).toContainText('The four steps of an update');
  await expect(page.getByTestId('tour-step')).toContainText('four steps');
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText('registers');
  await expect(page.getByTestId('inspector-summary')).toContainText('POST /rd');
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText('Package URI');
  await expect(page.getByTestId('inspector-summary')).toContainText('PUT /5/0/1');
  // The question at the end of this step: what did the server ask the device to fetch?
  await expect(page.getByTestId('inspector')).toContainText('coap://repo.sandbox/fw/app-2.0.0.bin');
  await expect(page.getByTestId('fw-state')).toHaveText('0');
  for (let i = 0; i < 5; i++) await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText('Run and report, last of the four');
  await expect(page.getByTestId('update-result')).toHaveText('1');
  await expect(page.getByTestId('tour-next')).toBeDisabled();
  await shot(page, 'lesson');
  // A lesson that is not there says so, naming the parameter.
  await page.goto('?lesson=nope');
  await expect(page.getByTestId('error-panel')).toContainText('lesson="nope"');
});

test('on a branch without the moment, the lesson says so and offers the original run', async ({ page }) => {
  await page.goto('?lesson=four-steps');
  for (let i = 0; i < 3; i++) await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText('The download, second of the four');
  // A few blocks later another image is published: the ETag changes under the download,
  // which fails, so the branch never reaches Downloaded.
  for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('position')).toHaveText(/^22 \//);
  await page.getByTestId('replace-image').click();
  await expect(page.getByTestId('branch-banner')).toBeVisible();
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-missing')).toContainText('the download never finished');
  await page.getByTestId('tour-missing').getByRole('button').click();
  await expect(page.getByTestId('branch-banner')).toContainText('Showing the original run');
  await expect(page.getByTestId('tour-missing')).toHaveCount(0);
});

test('the secure-boot lesson answers which check refused the image', async ({ page }) => {
  await page.goto('?lesson=secure-boot');
  await page.getByTestId('tour-next').click();
  await page.getByTestId('tour-next').click();
  await expect(page.getByTestId('tour-step')).toContainText('KEYHASH');
  await expect(page.getByTestId('update-result')).toHaveText('5');
  const checks = page.getByTestId('boot-check');
  await expect(checks.last()).toContainText(' failed: ');
  await expect(checks.last()).toContainText('KEYHASH');
  await expect(checks.filter({ hasText: ' passed: ' })).toHaveCount(3);
});

test('the help looks a term up, and the slot strips say what their colours mean', async ({ page }) => {
  await page.goto('?scenario=pull-success&at=10');
  await expect(page.getByTestId('slot-legend')).toContainText('set');
  await page.getByTestId('help-button').click();
  await page.getByTestId('help-search').fill('szx');
  const help = page.getByTestId('help');
  await expect(help.locator('dl.glossary dt')).toHaveCount(1);
  await expect(help).toContainText('block size exponent');
  await page.getByTestId('help-search').fill('FU-T9');
  await expect(help).toContainText('Downloaded + Execute Update');
  // Typing in the search box leaves the run where it is.
  await expect(page.getByTestId('position')).toHaveText(/^10 \//);
});
