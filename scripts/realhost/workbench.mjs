// Opens a real workbench for UI checks and the demo: the extension INSTALLED from the .vsix into a
// scratch profile, code-server WITHOUT the smoke-test driver (it hides notification toasts), and
// headless Chromium on the folder. Also small polling helpers: waits poll with a deadline, no sleeps.
import { launchBrowser } from './browser.mjs';
import { installVsix, startCodeServer, workbenchUrl } from './codeServer.mjs';

/**
 * Installs the vsix and starts code-server (no browser): what the demo needs.
 * @param {{ paths: import('./ensure.mjs').RealHostPaths,
 *   scratch: import('./scratch.mjs').Scratch, vsixPath: string,
 *   settings?: Record<string, unknown>, port?: number, log?: (line: string) => void }} options
 */
export async function startWithVsix({ paths, scratch, vsixPath, settings = {}, port, log = () => {} }) {
  const installed = installVsix(paths, scratch, vsixPath);
  log(installed.split('\n').pop() ?? installed);
  return startCodeServer({ paths, scratch, settings, port, log });
}

/**
 * @param {{ paths: import('./ensure.mjs').RealHostPaths,
 *   scratch: import('./scratch.mjs').Scratch, vsixPath: string, folder: string,
 *   settings?: Record<string, unknown>, log?: (line: string) => void }} options
 */
export async function openWorkbench({ paths, scratch, vsixPath, folder, settings = {}, log = () => {} }) {
  const server = await startWithVsix({ paths, scratch, vsixPath, settings, log });
  const browser = await launchBrowser({ chromiumPath: paths.chromiumPath, scratch });
  const { page } = browser;
  await page.goto(workbenchUrl(server, { folder }), { waitUntil: 'domcontentloaded' });
  const domContentLoadedAtMs = Date.now();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const workbenchAtMs = Date.now();
  log(
    `workbench loaded ${((workbenchAtMs - domContentLoadedAtMs) / 1000).toFixed(1)} s after DOMContentLoaded`,
  );
  const close = async () => {
    await browser.close();
    await server.stop();
  };
  return { server, page, close, timing: { domContentLoadedAtMs, workbenchAtMs } };
}

/**
 * Polls `probe` until it returns a truthy value; throws `what` with the last value on timeout.
 * @template T
 * @param {string} what
 * @param {() => Promise<T | null | undefined | false> | T | null | undefined | false} probe a check
 *   that reads the page is async; one that reads /proc or a counter need not be
 * @param {{ timeoutMs?: number, intervalMs?: number }} [options]
 * @returns {Promise<T>}
 */
export async function pollFor(what, probe, { timeoutMs = 30_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e instanceof Error ? e.message : e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
