// The editor's side of the kept scanner (src/proc/keptScanner.ts, shared with the CLI): the
// matcher of the pipeline, the open workspace folders, and lineage kept in workspaceState so
// processes tests left behind are still recognized after a window reload (issue 13). Keys are
// pid:starttime of one boot on one machine, as for AlertStore; the state carries the boot id.
import * as vscode from 'vscode';
import { KeptScanner } from '../proc/keptScanner';
import type { LineageState } from '../proc/lineage';
import { createMatcher } from '../watchdog/match';

const STORAGE_KEY = 'procWatchdog.lineage';

export function createScanSource(memento: vscode.Memento): KeptScanner & vscode.Disposable {
  return new KeptScanner({
    createMatcher,
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
