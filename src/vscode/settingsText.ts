// Settings from a workspace someone else may have written (`.vscode/settings.json`, the env
// file): which values count in an untrusted workspace, and the words of the warning. Pure
// (`l10n` comes in, see ageText.ts). Values in the warning are JSON-quoted and capped
// (quoteValue via formatProblems), paths sanitized; the warning is shown through messages.ts,
// which strips link syntax from the whole text.
import type * as vscode from 'vscode';
import type { ConfigProblem } from '../watchdog/config';
import { formatProblems } from '../watchdog/config';
import { MAX_ENV_FILE_BYTES } from '../watchdog/envFile';
import { quoteValue, sanitize } from '../watchdog/sanitize';

/** What this needs of vscode.l10n (a stand-in in unit tests). */
type L10n = Pick<typeof vscode.l10n, 't'>;

/**
 * package.json capabilities.untrustedWorkspaces.restrictedConfigurations (and `"restricted":
 * true` on each): in an untrusted workspace only the user's own values count. patterns and
 * reapers decide what the kill offers and refuses, so a cloned repo must not widen them.
 */
export const RESTRICTED = new Set<string>(['procRoot', 'envFile', 'patterns', 'reapers']);
/** What one key's inspect() says, as far as the choice below needs it. */
export interface InspectedValue {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

/**
 * The value that counts for `key`: the most specific one the user set, where workspace and
 * folder values of a restricted key count only in a trusted workspace. `ignored` says that a
 * workspace value was set and skipped.
 */
export function effectiveValue(
  key: string,
  seen: InspectedValue,
  trusted: boolean,
): { value: unknown; ignored: boolean } {
  const fromWorkspace = seen.workspaceFolderValue ?? seen.workspaceValue;
  if (trusted || !RESTRICTED.has(key)) return { value: fromWorkspace ?? seen.globalValue, ignored: false };
  return { value: seen.globalValue, ignored: fromWorkspace !== undefined };
}

/** Why an env file gave no values: missing (when it was named explicitly), or unusable. */
export type EnvFileProblem =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'notRegular'; readonly path: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly code: string };

function envFileProblemText(problem: EnvFileProblem, l10n: L10n): string {
  const path = quoteValue(problem.path, 200);
  switch (problem.kind) {
    case 'missing':
      return l10n.t('env file {0} not found', path);
    case 'notRegular':
      return l10n.t(
        'env file {0} is not a regular file of at most {1} KiB: its values are ignored',
        path,
        MAX_ENV_FILE_BYTES / 1024,
      );
    case 'unreadable':
      return l10n.t(
        'env file {0} cannot be read ({1}): its values are ignored',
        path,
        sanitize(problem.code, 20),
      );
  }
}

/** All problems of one resolve in one text, or null when there are none. */
export function settingsProblemsText(
  envProblem: EnvFileProblem | null,
  problems: readonly ConfigProblem[],
  l10n: L10n,
): string | null {
  const parts: string[] = [];
  if (envProblem !== null) parts.push(envFileProblemText(envProblem, l10n));
  if (problems.length > 0) parts.push(formatProblems(problems));
  return parts.length > 0 ? parts.join('; ') : null;
}

/** The one warning for them. */
export function settingsWarning(problemsText: string, l10n: L10n): string {
  return l10n.t(
    "Proc Watchdog: invalid values ignored (the env file's value or the default applies instead): {0}",
    problemsText,
  );
}
