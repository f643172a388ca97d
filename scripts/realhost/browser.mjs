// Debian's Chromium driven by playwright-core (no browser download), headless, with a fresh
// profile inside the run's scratch folder and nothing that phones home.
import { chromium } from 'playwright-core';
import { onCleanup } from './cleanup.mjs';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches Chromium with a persistent (but scratch) profile; returns the context and its first page.
 * Playwright starts the browser in its own process group and kills it when this process exits;
 * cleanup.mjs also closes it on SIGINT/SIGTERM.
 * @param {{ chromiumPath: string, scratch: import('./scratch.mjs').Scratch,
 *   viewport?: { width: number, height: number } }} options
 */
export async function launchBrowser({ chromiumPath, scratch, viewport = { width: 1440, height: 900 } }) {
  const context = await chromium.launchPersistentContext(scratch.sub('chromium-profile'), {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    env: scratch.env,
    viewport,
    // Clipboard reads are used by the copy-report check; harmless otherwise.
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    unregister();
    await context.close().catch(() => {});
  };
  const unregister = onCleanup('chromium', close);
  // Playwright's 30 s default is too short for a first workbench load on a busy 2-core machine
  // (a cold-cache CI run timed out in page.goto at load 20); a real failure still ends here.
  context.setDefaultNavigationTimeout(120_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close };
}
