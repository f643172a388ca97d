// The editor's scan source: the kept scanner (src/proc/keptScanner.ts, shared with the CLI) on a
// worker thread (src/proc/workerScanner.ts), so reading /proc never holds the extension host's
// event loop; the open workspace folders; and lineage kept in workspaceState so processes tests
// left behind are still recognized after a window reload (issue 13). Keys are pid:starttime of
// one boot on one machine, as for AlertStore; the state carries the boot id.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LineageState } from '../proc/lineage';
import { WorkerScanner } from '../proc/workerScanner';

const STORAGE_KEY = 'procWatchdog.lineage';

/** Next to dist/extension.js (esbuild.mjs bundles src/scanWorker.ts there). */
const WORKER_SCRIPT = path.join(__dirname, 'scanWorker.js');

export function createScanSource(memento: vscode.Memento): WorkerScanner & vscode.Disposable {
  return new WorkerScanner({
    script: WORKER_SCRIPT,
    workspaces: () =>
      (vscode.workspace.workspaceFolders ?? [])
        .filter((f) => f.uri.scheme === 'file')
        .map((f) => f.uri.fsPath),
    store: {
      load: () => memento.get<unknown>(STORAGE_KEY),
      save: (state: LineageState) => {
        // A failed write is retried when lineage changes next (never an unhandled rejection).
        memento.update(STORAGE_KEY, state).then(undefined, () => undefined);
      },
    },
  });
}
