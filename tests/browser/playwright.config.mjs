// Playwright drives Debian's Chromium (never a downloaded browser) against demo/server.mjs,
// which serves the repo with the strict CSP the widget must live under.
import { defineConfig } from '@playwright/test';

export const PORT = Number(process.env.SEALDESK_TEST_PORT) || 8391;
// The demo server hands this token to the agent console; specs start relays that accept it.
export const AGENT_TOKEN = 'sealdesk-test-agent-token-0123456789';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  outputDir: '../../build/playwright',
  reporter: [['list']],
  workers: 2,
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
  webServer: {
    command: `node ../../demo/server.mjs --tests --port ${PORT} --agent-token ${AGENT_TOKEN}`,
    url: `http://localhost:${PORT}/js/sealdesk.js`,
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});
