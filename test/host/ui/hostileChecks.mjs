// UI checks for outside text that tries to plant a clickable command (issue 8), in the real
// workbench of uiChecks.mjs: VS Code renders `[label](command:id?args)` in notification text as
// a link that runs the command. A process whose command line carries such a link, and a
// workspace setting whose value is one, must each produce a toast whose message holds no <a>.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnOrphanedPytest } from './fakePytest.mjs';

/** Command ids that exist and are harmless, so a link that did form would be clickable but safe. */
const ARGV_LINK = '[Fix now](command:workbench.action.openSettings)';
const SETTING_LINK = '[Reset now](command:workbench.action.openSettings)';

/**
 * The cloned repo's `.vscode/settings.json`: a hostile value for a setting every workspace may
 * set (cooldownSeconds is not restricted), so the warning about it appears at activation.
 */
export function writeHostileWorkspace(folder) {
  mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'procWatchdog.cooldownSeconds': SETTING_LINK }, null, 2)}\n`,
  );
}

/** The toast's message, its text and how many links VS Code rendered in it. */
async function toastLinks(toast) {
  const message = toast.locator('.notification-list-item-message');
  return {
    text: (await message.innerText()).trim(),
    anchors: await message.locator('a').count(),
  };
}

/**
 * Starts watching for the settings warning as soon as the workbench is open: a warning toast
 * hides itself after a while, so it is read (DOM only, no mouse) the moment it shows.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ text: string, anchors: number } | null>}
 */
export function watchSettingsWarning(page) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Reset now' }).first();
  return toast
    .waitFor({ timeout: 90_000 })
    .then(() => toastLinks(toast))
    .catch(() => null);
}

/**
 * @param {{ page: import('playwright-core').Page, scratch: { sub: (n: string) => string },
 *   settingsWarning: Promise<{ text: string, anchors: number } | null>,
 *   check: (name: string, fn: () => Promise<string | void>) => Promise<boolean>,
 *   shot: (name: string) => Promise<string>, log: (line: string) => void,
 *   toastWith: (page: import('playwright-core').Page, ...texts: string[]) => import('playwright-core').Locator,
 *   clearToasts: () => Promise<unknown> }} ui
 * @returns {Promise<{ kill: () => void } | undefined>} the hostile process, for cleanup
 */
export async function runHostileChecks({
  page,
  scratch,
  settingsWarning,
  check,
  shot,
  log,
  toastWith,
  clearToasts,
}) {
  await check('a hostile workspace setting value is warned about with no clickable link', async () => {
    const seen = await settingsWarning;
    if (seen === null) throw new Error('no warning mentioning "Reset now" appeared within 90 s');
    const { text, anchors } = seen;
    if (anchors !== 0) throw new Error(`the warning renders ${anchors} link(s): "${text}"`);
    if (!text.includes('procWatchdog.cooldownSeconds'))
      throw new Error(`the warning does not name the setting: "${text}"`);
    if (text.includes('[Reset now](command:')) throw new Error(`link syntax survived: "${text}"`);
    return `"${text}", 0 links`;
  });

  let hostile;
  await check(
    'a process whose argv carries [Fix now](command:…) notifies with no clickable link',
    async () => {
      await clearToasts();
      hostile = await spawnOrphanedPytest({
        dir: scratch.sub('fake-hostile'),
        testArgs: ['tests/test_hostile.py', ARGV_LINK, '-x'],
      });
      log(`  fake pytest with a link in its argv: PID ${hostile.pid} (${hostile.argv.join(' ')})`);
      const toast = toastWith(page, 'Fix now');
      await toast.waitFor({ timeout: 60_000 });
      const { text, anchors } = await toastLinks(toast);
      await shot('10-hostile-argv-notification');
      if (anchors !== 0) throw new Error(`the notification renders ${anchors} link(s): "${text}"`);
      if (!text.includes(`PID ${hostile.pid}`))
        throw new Error(`the notification is not about the hostile process: "${text}"`);
      if (text.includes('[Fix now](command:')) throw new Error(`link syntax survived: "${text}"`);
      return `"${text}", 0 links`;
    },
  );
  return hostile;
}
