// Suite runner loaded by the extension host as `extensionTestsPath` (the same contract as
// @vscode/test-electron): bundled by test/host/buildSuite.mjs to .cache/host-suite/index.js, next
// to every compiled `*.test.js`. Mocha stays external and resolves from the repo's node_modules.
//
// The spec reporter's lines go to console.log, which the extension host forwards to the workbench
// (and from there to codeAutomationLog in the smoke-test driver route). They are also written to
// $PW_HOST_RESULTS when set, so a runner can read the summary even if forwarding drops lines.
import { appendFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

function resultsWriter(): ((line: string) => void) | null {
  const file = process.env.PW_HOST_RESULTS;
  return file ? (line) => appendFileSync(file, `${line}\n`) : null;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const write = resultsWriter();
  if (write) {
    // The spec reporter prints through Base.consoleLog: tee every line into the results file.
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const original = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => {
      original(...args);
      write(format(...args));
    };
  }
  const files = readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  return new Promise((resolve, reject) => {
    if (files.length === 0) {
      reject(new Error(`no *.test.js next to ${__filename}`));
      return;
    }
    mocha.run((failures) => {
      const summary = `host suite: ${files.length} file(s), ${failures} failure(s)`;
      console.log(summary);
      write?.(summary);
      if (failures > 0) reject(new Error(`${failures} host test(s) failed`));
      else resolve();
    });
  });
}
