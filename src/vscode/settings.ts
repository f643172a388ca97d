// Reads `procWatchdog.*` and the workspace env file, and feeds the pure resolveConfig. Keys
// the user set explicitly (inspect()) win over the env file, which wins over the defaults.
// Re-resolves on a settings change, an env-file change and a trust change; a problem is
// warned about once (the same text is not repeated on every re-resolve).
import * as vscode from 'vscode';
import { readTextBounded } from '../proc/boundedRead';
import { resolveConfig } from '../watchdog/config';
import { MAX_ENV_FILE_BYTES } from '../watchdog/envFile';
import type { WatchdogConfig } from '../watchdog/types';
import { notify } from './messages';
import { effectiveValue, settingsProblemsText, settingsWarning } from './settingsText';
import type { EnvFileProblem } from './settingsText';

export const SECTION = 'procWatchdog';
const KEYS = [
  'enabled',
  'ageMinutes',
  'patterns',
  'cooldownSeconds',
  'intervalSeconds',
  'orphansOnly',
  'reapers',
  'procRoot',
  'envFile',
  'killGraceSeconds',
] as const;
const DEFAULT_ENV_FILES = ['.env.watchdog', '.env'];

export interface ResolvedSettings {
  readonly config: WatchdogConfig;
  /** The env file that was read, or null. */
  readonly envPath: string | null;
  /** The sidecar's own WATCHDOG_PROC_ENABLED, shown as information; null when unset. */
  readonly sidecarEnabled: boolean | null;
  readonly problemsText: string | null;
}

/** Values the user set explicitly; workspace values of restricted keys only when trusted. */
function explicitSettings(trusted: boolean): { explicit: Record<string, unknown>; ignored: string[] } {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const explicit: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const key of KEYS) {
    const seen = cfg.inspect(key);
    if (seen === undefined) continue;
    const { value, ignored: skipped } = effectiveValue(key, seen, trusted);
    if (value !== undefined) explicit[key] = value;
    if (skipped) ignored.push(key);
  }
  return { explicit, ignored };
}

function firstFolder(): vscode.Uri | null {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? null;
}

function envCandidates(explicitEnvFile: unknown): { uris: vscode.Uri[]; required: boolean } {
  const folder = firstFolder();
  if (typeof explicitEnvFile === 'string' && explicitEnvFile.trim() !== '') {
    const p = explicitEnvFile.trim();
    const uri = p.startsWith('/') || folder === null ? vscode.Uri.file(p) : vscode.Uri.joinPath(folder, p);
    return { uris: [uri], required: true };
  }
  if (folder === null) return { uris: [], required: false };
  return { uris: DEFAULT_ENV_FILES.map((name) => vscode.Uri.joinPath(folder, name)), required: false };
}

type EnvRead = { env: { path: string; text: string } | undefined; problem: EnvFileProblem | null };

/**
 * The first env file that exists: a regular file of at most MAX_ENV_FILE_BYTES, opened
 * O_NONBLOCK (boundedRead.ts), so a FIFO or a symlink to /dev/zero in a cloned repo can
 * neither hang nor exhaust the extension host. Anything else: no values, one problem.
 */
async function readEnv(explicitEnvFile: unknown): Promise<EnvRead> {
  const { uris, required } = envCandidates(explicitEnvFile);
  for (const uri of uris) {
    try {
      return {
        env: { path: uri.fsPath, text: await readTextBounded(uri.fsPath, MAX_ENV_FILE_BYTES) },
        problem: null,
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException | null)?.code ?? 'error';
      if (code === 'ENOENT') continue; // not there: try the next candidate
      const problem: EnvFileProblem =
        code === 'EFTYPE' || code === 'EFBIG'
          ? { kind: 'notRegular', path: uri.fsPath }
          : { kind: 'unreadable', path: uri.fsPath, code };
      return { env: undefined, problem };
    }
  }
  const missing = required ? uris[0]?.fsPath : undefined;
  return { env: undefined, problem: missing === undefined ? null : { kind: 'missing', path: missing } };
}

export class SettingsSource implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private lastWarning: string | null = null;
  private lastIgnored = '';
  private generation = 0;
  private disposed = false;

  constructor(
    private readonly onResolved: (settings: ResolvedSettings) => void,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  /** Resolve now and tell onResolved; later changes re-resolve by themselves. */
  refresh(): void {
    // .then(...).catch: a throw inside onResolved is logged too, never an unhandled rejection.
    void this.resolve()
      .then((settings) => settings !== null && this.onResolved(settings))
      .catch((err: unknown) => this.log.error('settings', err));
  }

  /** Null when a newer resolve started meanwhile (its result wins). */
  async resolve(): Promise<ResolvedSettings | null> {
    const generation = ++this.generation;
    const trusted = vscode.workspace.isTrusted;
    const { explicit, ignored } = explicitSettings(trusted);
    const { env, problem } = trusted ? await readEnv(explicit.envFile) : { env: undefined, problem: null };
    // A newer resolve started meanwhile (its result wins), or the extension was deactivated.
    if (generation !== this.generation || this.disposed) return null;
    this.watchEnvFiles(trusted, explicit.envFile);
    const resolved = resolveConfig(env === undefined ? { explicit } : { explicit, env });
    if (ignored.length > 0 && ignored.join() !== this.lastIgnored)
      this.log.info(
        `untrusted workspace: its values of ${ignored.map((k) => `${SECTION}.${k}`).join(', ')} are ignored`,
      );
    this.lastIgnored = ignored.join();
    const problemsText = settingsProblemsText(problem, resolved.problems, vscode.l10n);
    if (problemsText !== null && problemsText !== this.lastWarning) {
      this.log.warn(`settings: ${problemsText}`);
      const open = vscode.l10n.t('Open Settings');
      void notify('warning', settingsWarning(problemsText, vscode.l10n), open).then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', SECTION);
      });
    }
    this.lastWarning = problemsText;
    this.log.info(
      `settings resolved${env ? ` (env file ${env.path})` : ''}${trusted ? '' : ' (untrusted workspace: env file ignored)'}: ${JSON.stringify(resolved.config)}`,
    );
    return {
      config: resolved.config,
      envPath: env?.path ?? null,
      sidecarEnabled: resolved.sidecar.enabled,
      problemsText,
    };
  }

  private watchedPattern = '';

  // One watcher for the files that can matter now; recreated when envFile or trust changes.
  private watchEnvFiles(trusted: boolean, explicitEnvFile: unknown): void {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const custom = typeof explicitEnvFile === 'string' ? explicitEnvFile.trim() : '';
    const glob = custom !== '' ? custom : `{${DEFAULT_ENV_FILES.join(',')}}`;
    const pattern = trusted && folder !== undefined ? `${folder.uri.toString()}|${glob}` : '';
    if (pattern === this.watchedPattern) return;
    this.watchedPattern = pattern;
    this.watcher?.dispose();
    this.watcher = undefined;
    if (pattern === '' || folder === undefined) return;
    const base = custom.startsWith('/') ? vscode.Uri.file(custom.replace(/\/[^/]*$/, '') || '/') : folder.uri;
    const relative = custom.startsWith('/') ? custom.replace(/^.*\//, '') : glob;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, relative));
    const again = (): void => this.refresh();
    this.watcher.onDidCreate(again);
    this.watcher.onDidChange(again);
    this.watcher.onDidDelete(again);
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
