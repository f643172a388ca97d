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
 * @returns {{ values: Record<string, string[]>, positionals: string[], ignored: string[] }}
 */
export function parseLaunchArgs(argv) {
  const values = {};
  const positionals = [];
  const ignored = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
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

function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

async function main() {
  const { values, positionals, ignored } = parseLaunchArgs(process.argv.slice(2));
  const say = (line) => console.log(`[launcher] ${line}`);
  const devPaths = values.extensionDevelopmentPath ?? [];
  let testsPath = values.extensionTestsPath?.[0];
  if (devPaths.length === 0 || !testsPath) {
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
    extensionDevelopmentPath: path.resolve(devPaths[0]),
    extensionTestsPath: testsPath,
    folder,
    userDataDir: values['user-data-dir']?.[0] && path.resolve(values['user-data-dir'][0]),
    extensionsDir: values['extensions-dir']?.[0] && path.resolve(values['extensions-dir'][0]),
    log: say,
    onHostLog: (level, message) => (level === 'error' ? console.error(message) : console.log(message)),
  });
  say(`extension host exited with ${exitCode}`);
  return exitCode;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`[launcher] ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  await runCleanup();
}
