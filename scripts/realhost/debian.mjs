// The Debian packages the whole test suite needs, and the one place that installs them.
//   chromium                  the browser playwright-core drives for the UI checks (test/host)
//   libkrb5-dev               code-server's kerberos module compiles against it (real host, demo)
//   python3-pytest, python3-pytest-xdist, python3-setproctitle
//                             real pytest runs (/usr/bin/python3 -m pytest -n …) whose xdist
//                             workers retitle themselves
//   prometheus, prometheus-alertmanager
//                             the real engines the exporter is tested against (/usr/bin/prometheus,
//                             /usr/bin/promtool, /usr/bin/prometheus-alertmanager)
// Checked with dpkg-query; only what is missing is installed: one `apt-get update`, then one
// `apt-get install --no-install-recommends`, waiting for a concurrent apt instead of failing on its
// lock. Without root nothing is attempted: the caller gets ONE line naming the exact
// `sudo apt-get install …` to run (issue 7), and nothing else has been touched yet.
//
// CLI (first step of `npm run test:unit`, so of `npm test`):
//   node scripts/realhost/debian.mjs [package…]     default: DEBIAN_PACKAGES
// API: ensureDebianPackages(names, log) -> Promise<void>
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './cleanEnv.mjs';
import { runKeepingTail } from './runTail.mjs';

/** Everything `npm test` needs from Debian (see the header for who uses what). */
export const DEBIAN_PACKAGES = Object.freeze([
  'chromium',
  'libkrb5-dev',
  'python3-pytest',
  'python3-pytest-xdist',
  'python3-setproctitle',
  'prometheus',
  'prometheus-alertmanager',
]);

/** What the real extension host needs: the browser only for tests, libkrb5-dev for code-server. */
export const BROWSER_PACKAGES = Object.freeze(['chromium']);
export const CODE_SERVER_PACKAGES = Object.freeze(['libkrb5-dev']);

/** Seconds apt-get waits for another apt/dpkg holding the lock (unattended-upgrades, a person). */
const LOCK_TIMEOUT_SECONDS = 600;

/**
 * The exact command a user without root runs; also what root runs, minus sudo.
 * @param {readonly string[]} names
 */
export function aptInstallCommand(names) {
  return `apt-get install -y --no-install-recommends ${names.join(' ')}`;
}

/**
 * The one line a user without the rights to install packages gets.
 * @param {readonly string[]} missing
 */
export function sudoMessage(missing) {
  return `missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get update && sudo ${aptInstallCommand(missing)}`;
}

/** @param {string} name */
function isInstalled(name) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', env: cleanEnv() });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/**
 * @param {string[]} args
 * @param {(line: string) => void} log
 * @returns {Promise<void>}
 */
async function runApt(args, log) {
  await runKeepingTail('apt-get', ['-o', `DPkg::Lock::Timeout=${LOCK_TIMEOUT_SECONDS}`, ...args], {
    env: cleanEnv(process.env, { DEBIAN_FRONTEND: 'noninteractive' }),
    log,
    logLines: 20,
    label: `apt-get ${args.join(' ')}`,
  });
}

/**
 * Installs whichever of `names` is missing. Throws (one line) when something is missing and this
 * process is not root, or when apt-get fails.
 * @param {readonly string[]} names
 * @param {(line: string) => void} [log]
 * @param {{ installed?: (name: string) => boolean, isRoot?: () => boolean,
 *   apt?: (args: string[], log: (line: string) => void) => Promise<void> }} [deps] for tests
 */
export async function ensureDebianPackages(names, log = () => {}, deps = {}) {
  const { installed = isInstalled, isRoot = () => process.getuid?.() === 0, apt = runApt } = deps;
  const missing = names.filter((name) => !installed(name));
  if (missing.length === 0) {
    log(`debian: ${names.join(', ')} already installed`);
    return;
  }
  if (!isRoot()) throw new Error(sudoMessage(missing));
  log(`debian: apt-get update (missing: ${missing.join(', ')})`);
  await apt(['update'], log);
  log(`debian: ${aptInstallCommand(missing)}`);
  await apt(['install', '-y', '--no-install-recommends', ...missing], log);
  const still = missing.filter((name) => !installed(name));
  if (still.length > 0) throw new Error(`apt-get did not install ${still.join(', ')}`);
  log(`debian: installed ${missing.join(', ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.length > 2 ? process.argv.slice(2) : DEBIAN_PACKAGES;
  try {
    await ensureDebianPackages(names, (line) => console.log(line));
  } catch (e) {
    console.error(`debian: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
