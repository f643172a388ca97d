// Runs extension integration tests in code-server's real extension host through the smoke-test
// driver's payload route: the workbench URL carries extensionDevelopmentPath/extensionTestsPath as
// vscode-remote URIs, the host loads the extension from that folder and calls the tests' run(), and
// when the host exits the page calls window.codeAutomationExit(code, logs). Log lines arrive via
// window.codeAutomationLog(level, message). Both are exposed with Playwright's exposeFunction.
import { format } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { remoteUri, startCodeServer, workbenchUrl } from './codeServer.mjs';

/**
 * @param {{ paths: import('./ensure.mjs').RealHostPaths, scratch: import('./scratch.mjs').Scratch,
 *   extensionDevelopmentPath: string, extensionTestsPath: string, folder: string,
 *   extensionEnvironment?: Record<string, string>, settings?: Record<string, unknown>,
 *   userDataDir?: string, extensionsDir?: string, timeoutMs?: number, log?: (line: string) => void, onHostLog?: (level: string, message: string) => void }} options
 * @returns {Promise<{ exitCode: number, logs: { relativePath: string, contents: string }[] }>}
 */
export async function runExtensionTests({
  paths,
  scratch,
  extensionDevelopmentPath,
  extensionTestsPath,
  folder,
  extensionEnvironment,
  settings = {},
  userDataDir,
  extensionsDir,
  timeoutMs = 180_000,
  log = () => {},
  onHostLog = () => {},
}) {
  const server = await startCodeServer({
    paths,
    scratch,
    settings,
    smokeTestDriver: true,
    userDataDir,
    extensionsDir,
    log,
  });
  let browser;
  try {
    browser = await launchBrowser({ chromiumPath: paths.chromiumPath, scratch });
    const { page } = browser;
    /** @typedef {{ exitCode: number, logs: { relativePath: string, contents: string }[] }} Exit */
    /** @type {(v: Exit) => void} */
    let finish = () => {};
    /** @type {Promise<Exit>} */
    const done = new Promise((resolve) => (finish = resolve));
    // The workbench passes the console call's arguments (format string first) as an array.
    await page.exposeFunction(
      'codeAutomationLog',
      (/** @type {unknown} */ level, /** @type {unknown} */ args) => {
        /** @type {unknown[]} */
        const parts = Array.isArray(args) ? args : [args];
        onHostLog(String(level), format(...parts));
      },
    );
    await page.exposeFunction(
      'codeAutomationExit',
      (/** @type {unknown} */ code, /** @type {unknown} */ logs) => {
        finish({
          exitCode: typeof code === 'number' ? code : 1,
          logs: Array.isArray(logs) ? /** @type {Exit['logs']} */ (logs) : [],
        });
      },
    );
    page.on('pageerror', (e) => log(`page error: ${e.message}`));

    const payload = [
      ['extensionDevelopmentPath', remoteUri(server, extensionDevelopmentPath)],
      ['extensionTestsPath', remoteUri(server, extensionTestsPath)],
    ];
    if (extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(extensionEnvironment)]);
    const url = workbenchUrl(server, { folder, payload });
    log(`opening workbench with test payload (${extensionTestsPath})`);
    await page.goto(url, { waitUntil: 'domcontentloaded' });

    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    /** @type {Promise<null>} */
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    if (result === null) {
      log(
        `no codeAutomationExit within ${timeoutMs} ms; code-server output tail:\n${server.output().slice(-2000)}`,
      );
      return { exitCode: 1, logs: [] };
    }
    return result;
  } finally {
    await browser?.close();
    await server.stop();
  }
}
