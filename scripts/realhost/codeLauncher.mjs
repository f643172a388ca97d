#!/usr/bin/env node
// A stand-in for the VS Code executable, accepted by @vscode/test-electron's
// `runTests({ vscodeExecutablePath })` (and @vscode/test-cli's `useInstallation.fromPath`): it takes
// the Electron-style arguments, starts code-server on Node 24 with the smoke-test driver, opens the
// payload URL in headless Chromium and exits with the extension host's exit code. Host console
// output (mocha's spec reporter) is printed to stdout, as VS Code's own stdout would carry it.
//
//   codeLauncher.mjs [folder] --extensionDevelopmentPath=DIR --extensionTestsPath=FILE
//                    [--user-data-dir=DIR] [--extensions-dir=DIR] [other VS Code flags: ignored]
import { statSync } from 'node:fs';
import path from 'node:path';
import { runCleanup } from './cleanup.mjs';
import { ensureRealHost } from './ensure.mjs';
import { runExtensionTests } from './runPayload.mjs';
import { makeScratch } from './scratch.mjs';

/** Flags with a value we use; all other `--flag[=value]` are VS Code/Electron options we accept and ignore. */
const VALUE_FLAGS = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'];

/**
 * Parses Electron-style argv (`--k=v` or `--k v` for the flags above, positionals = folders).
 * @param {readonly string[]} argv
 * @returns {{ values: Record<string, string[]>, positionals: string[], ignored: string[] }}
 */
export function parseLaunchArgs(argv) {
  /** @type {Record<string, string[]>} */
  const values = {};
  /** @type {string[]} */
  const positionals = [];
  /** @type {string[]} */
  const ignored = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!VALUE_FLAGS.includes(name)) {
      ignored.push(arg);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${arg} needs a value`);
    (values[name] ??= []).push(value);
  }
  return { values, positionals, ignored };
}

/** @param {string} p */
function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** @param {string | undefined} p */
const resolved = (p) => (p ? path.resolve(p) : undefined);

async function main() {
  const { values, positionals, ignored } = parseLaunchArgs(process.argv.slice(2));
  const say = (/** @type {string} */ line) => console.log(`[launcher] ${line}`);
  const devPath = values.extensionDevelopmentPath?.[0];
  const devPaths = values.extensionDevelopmentPath ?? [];
  let testsPath = values.extensionTestsPath?.[0];
  if (devPath === undefined || !testsPath) {
    throw new Error('need --extensionDevelopmentPath=DIR and --extensionTestsPath=FILE');
  }
  if (devPaths.length > 1) say(`only the first extensionDevelopmentPath is loaded (${devPaths[0]})`);
  // VS Code `require`s the tests path, so a folder means its index.js; the payload needs the file.
  testsPath = path.resolve(testsPath);
  if (isDir(testsPath)) testsPath = path.join(testsPath, 'index.js');
  if (ignored.length > 0) say(`ignoring VS Code flags: ${ignored.join(' ')}`);

  const paths = await ensureRealHost({ log: (line) => say(line) });
  const scratch = makeScratch('pw-launch-');
  const folder = positionals.map((p) => path.resolve(p)).find(isDir) ?? scratch.sub('workspace');
  const { exitCode } = await runExtensionTests({
    paths,
    scratch,
    extensionDevelopmentPath: path.resolve(devPath),
    extensionTestsPath: testsPath,
    folder,
    userDataDir: resolved(values['user-data-dir']?.[0]),
    extensionsDir: resolved(values['extensions-dir']?.[0]),
    log: say,
    onHostLog: (level, message) => (level === 'error' ? console.error(message) : console.log(message)),
  });
  say(`extension host exited with ${exitCode}`);
  return exitCode;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`[launcher] ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await runCleanup();
}
