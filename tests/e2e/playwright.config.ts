import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  reporter: 'list',
  webServer: {
    command: 'node serve.mjs',
    url: 'http://127.0.0.1:8090/course/fota/',
    reuseExistingServer: false,
    env: { PORT: '8090' },
  },
  use: {
    baseURL: 'http://127.0.0.1:8090/course/fota/',
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download cannot run here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
