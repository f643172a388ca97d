// Ages in the UI's language: formatAge's layout ("2h 14m") with localized units ("2 ч 14 мин"),
// and the `Words` the pure text builders (notificationText.ts) take: l10n.t and these ages.
import * as vscode from 'vscode';
import { formatAge } from '../watchdog/format';
import type { AgeUnit } from '../watchdog/format';
import type { Words } from '../watchdog/notificationText';

function localizedUnit(value: number, unit: AgeUnit): string {
  switch (unit) {
    case 's':
      return vscode.l10n.t('{0}s', value);
    case 'm':
      return vscode.l10n.t('{0}m', value);
    case 'h':
      return vscode.l10n.t('{0}h', value);
    case 'd':
      return vscode.l10n.t('{0}d', value);
  }
}

export function ageText(seconds: number): string {
  return formatAge(seconds, localizedUnit);
}

/** The UI's language for src/watchdog's text builders. */
export const UI_WORDS: Words = {
  t: (message, ...args) => vscode.l10n.t(message, ...args),
  age: ageText,
};
