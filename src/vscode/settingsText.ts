// The words of the settings warning. Pure (`l10n` comes in, see ageText.ts): every value in it
// comes from a workspace someone else may have written (`.vscode/settings.json`, the env file),
// so values are JSON-quoted and capped (quoteValue via formatProblems), paths sanitized; the
// warning is shown through messages.ts, which strips link syntax from the whole text.
import type * as vscode from 'vscode';
import type { ConfigProblem } from '../watchdog/config';
import { formatProblems } from '../watchdog/config';
import { MAX_ENV_FILE_BYTES } from '../watchdog/envFile';
import { quoteValue, sanitize } from '../watchdog/sanitize';

/** What this needs of vscode.l10n (a stand-in in unit tests). */
type L10n = Pick<typeof vscode.l10n, 't'>;

/** Why an env file gave no values: missing (when it was named explicitly), or unusable. */
export type EnvFileProblem =
  | { readonly kind: 'missing'; readonly path: string }
  | { readonly kind: 'notRegular'; readonly path: string }
  | { readonly kind: 'unreadable'; readonly path: string; readonly code: string };

export function envFileProblemText(problem: EnvFileProblem, l10n: L10n): string {
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
