// Ages in the UI's language: formatAge's layout ("2h 14m") with localized units ("2 ч 14 мин").
// The UI's text builders take `l10n` (vscode.l10n, or a stand-in in unit tests) instead of
// importing vscode at run time, so what they write can be tested in plain Node
// (test/unit/vscode/textSinks.test.ts).
import type * as vscode from 'vscode';
import { formatAge } from '../watchdog/format';
import type { AgeUnit } from '../watchdog/format';

/** What the text builders need of vscode.l10n. */
export type L10n = Pick<typeof vscode.l10n, 't'>;

function localizedUnit(l10n: L10n, value: number, unit: AgeUnit): string {
  switch (unit) {
    case 's':
      return l10n.t('{0}s', value);
    case 'm':
      return l10n.t('{0}m', value);
    case 'h':
      return l10n.t('{0}h', value);
    case 'd':
      return l10n.t('{0}d', value);
  }
}

export function ageText(seconds: number, l10n: L10n): string {
  return formatAge(seconds, (value, unit) => localizedUnit(l10n, value, unit));
}
