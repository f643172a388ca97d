// Starts code-server safely for tests and the demo: its own process group (killed as a GROUP,
// since killing the leader alone leaves the extension host running for its 3 h reconnection
// grace), every home/XDG/temp folder inside a scratch dir, --auth none on a free 127.0.0.1 port,
// and a seeded User/settings.json. Resolves once /healthz answers.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { groupAlive, onCleanup, stopGroup, trackGroup } from './cleanup.mjs';

/** Settings every run gets: clean screenshots, no AI/chat panels, no telemetry. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  // The chat panel would otherwise open in the secondary side bar and crowd the screenshots.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Asks the kernel for a free TCP port on 127.0.0.1.
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} url
 * @returns {Promise<number>}
 */
function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/**
 * @typedef {{ userDataDir?: string | undefined, extensionsDir?: string | undefined }} Profile
 * @typedef {{ userDataDir: string, extensionsDir: string, configPath: string }} ProfileDirs
 */

/**
 * The folders code-server is pointed at: inside the scratch dir unless given (Electron-style args).
 * @param {import('./scratch.mjs').Scratch} scratch
 * @param {Profile} [profile]
 * @returns {ProfileDirs}
 */
function profileDirs(scratch, { userDataDir, extensionsDir } = {}) {
  if (userDataDir) mkdirSync(userDataDir, { recursive: true });
  if (extensionsDir) mkdirSync(extensionsDir, { recursive: true });
  return {
    userDataDir: userDataDir ?? scratch.sub('user-data'),
    extensionsDir: extensionsDir ?? scratch.sub('extensions'),
    configPath: path.join(scratch.dir, 'config.yaml'),
  };
}

/** @param {ProfileDirs} dirs */
function commonArgs({ userDataDir, extensionsDir, configPath }) {
  return ['--config', configPath, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/**
 * Writes User/settings.json: BASE_SETTINGS, then what the file already holds, then the run's own.
 * @param {string} userDataDir
 * @param {Record<string, unknown>} [settings]
 */
function seedSettings(userDataDir, settings = {}) {
  const userDir = path.join(userDataDir, 'User');
  const file = path.join(userDir, 'settings.json');
  mkdirSync(userDir, { recursive: true });
  /** @type {Record<string, unknown>} */
  let existing = {};
  if (existsSync(file)) {
    try {
      /** @type {unknown} */
      const parsed = JSON.parse(readFileSync(file, 'utf8'));
      existing = /** @type {Record<string, unknown>} */ (parsed);
    } catch {
      existing = {}; // JSONC with comments: replaced, as the run's settings must apply
    }
  }
  writeFileSync(file, JSON.stringify({ ...BASE_SETTINGS, ...existing, ...settings }, null, 2));
}

/**
 * `code-server --install-extension x.vsix` into the scratch profile.
 * @param {import('./ensure.mjs').RealHostPaths} paths
 * @param {import('./scratch.mjs').Scratch} scratch
 * @param {string} vsixPath
 * @param {Profile} [profile]
 */
export function installVsix(paths, scratch, vsixPath, profile = {}) {
  const dirs = profileDirs(scratch, profile);
  writeFileSync(dirs.configPath, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const r = spawnSync(
    paths.node24Bin,
    [paths.codeServerEntry, ...commonArgs(dirs), '--install-extension', vsixPath],
    {
      env: scratch.env,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (r.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsixPath} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`,
    );
  }
  return r.stdout.trim();
}

/**
 * @typedef {{ host: string, port: number, baseUrl: string, pid: number, userDataDir: string,
 *   extensionsDir: string, output: () => string, stop: () => Promise<void>,
 *   exited: Promise<number | null> }} CodeServer
 */

/**
 * Starts code-server; the caller must `await server.stop()` (cleanup.mjs also does it on exit/signals).
 * @param {{ paths: import('./ensure.mjs').RealHostPaths, scratch: import('./scratch.mjs').Scratch,
 *   settings?: Record<string, unknown>, smokeTestDriver?: boolean, readyTimeoutMs?: number,
 *   userDataDir?: string, extensionsDir?: string, port?: number, log?: (line: string) => void }} options
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({
  paths,
  scratch,
  settings = {},
  smokeTestDriver = false,
  readyTimeoutMs = 60_000,
  userDataDir,
  extensionsDir,
  port: wantedPort,
  log = () => {},
}) {
  const dirs = profileDirs(scratch, { userDataDir, extensionsDir });
  seedSettings(dirs.userDataDir, settings);
  // Loopback only: the server runs with --auth none.
  const host = '127.0.0.1';
  const port = wantedPort ?? (await freePort());
  writeFileSync(dirs.configPath, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const args = [
    paths.codeServerEntry,
    ...commonArgs(dirs),
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const child = spawn(paths.node24Bin, args, {
    env: scratch.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = /** @type {number} */ (child.pid);
  const untrack = trackGroup(pid);
  let output = '';
  const keep = (/** @type {Buffer} */ chunk) => {
    output = (output + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    unregister();
    await stopGroup(pid);
    untrack();
    if (groupAlive(pid)) log(`code-server group ${pid} still alive after SIGKILL`);
  };
  const unregister = onCleanup(`code-server ${pid}`, stop);

  const baseUrl = `http://${host}:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  /** @type {number | null | undefined} */
  let exitCode;
  void exited.then((code) => (exitCode = code));
  for (;;) {
    if ((await httpStatus(`${baseUrl}/healthz`)) === 200) break;
    if (exitCode !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(
        `code-server did not become ready (${exitCode !== undefined ? `exited ${exitCode}` : `timeout ${readyTimeoutMs} ms`}):\n${output.slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(
    `code-server on Node 24 ready at ${baseUrl} (pid/pgid ${pid}${smokeTestDriver ? ', smoke-test driver' : ''})`,
  );
  return {
    host,
    port,
    baseUrl,
    pid,
    userDataDir: dirs.userDataDir,
    extensionsDir: dirs.extensionsDir,
    output: () => output,
    stop,
    exited,
  };
}

/**
 * The workbench URL for a folder, optionally with the smoke-test driver's payload.
 * @param {Pick<CodeServer, 'baseUrl'>} server
 * @param {{ folder?: string, payload?: unknown }} [where]
 */
export function workbenchUrl(server, { folder, payload } = {}) {
  const url = new URL(`${server.baseUrl}/`);
  if (folder) url.searchParams.set('folder', folder);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/**
 * `vscode-remote://host:port/abs/path`: how the browser-side workbench names a server path.
 * @param {Pick<CodeServer, 'host' | 'port'>} server
 * @param {string} absPath
 */
export function remoteUri(server, absPath) {
  return `vscode-remote://${server.host}:${server.port}${path.resolve(absPath)}`;
}
