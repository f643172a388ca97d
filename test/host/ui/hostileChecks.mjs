// UI checks for outside text that tries to plant a clickable command (issue 8), in a workbench of
// their own (so the hostile process and setting do not change what uiChecks.mjs's session sees):
// VS Code renders `[label](command:id?args)` in notification text as a link that runs the
// command. A workspace setting whose value is such a link, and a process whose command line
// carries one, must produce notifications in which no link but our own (the live notification's
// Show / Kill… / Snooze…) is rendered.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeScratch } from '../../../scripts/realhost/scratch.mjs';
import { spawnOrphanedPytest } from '../../../scripts/realhost/fakePytest.mjs';
import { openWorkbench, pollFor } from '../../../scripts/realhost/workbench.mjs';
import { recorder } from './uiHelpers.mjs';

/** Command ids that exist and are harmless: a link that did form would be clickable but safe. */
const ARGV_LINK = '[Fix now](command:workbench.action.openSettings)';
const SETTING_LINK = '[Reset now](command:workbench.action.openSettings)';
/** The live notification's own links (src/watchdog/notificationText.ts). */
const OUR_LINKS = new Set(['Show', 'Kill…', 'Snooze…']);

/**
 * The first toast whose message contains `text`: its text and the texts of its rendered links.
 * @param {import('playwright-core').Page} page
 * @param {string} text
 * @returns {Promise<{ text: string, links: string[] }>}
 */
async function toastWith(page, text) {
  const message = page
    .locator('.notifications-toasts .notification-toast .notification-list-item-message', { hasText: text })
    .first();
  await message.waitFor({ timeout: 60_000 });
  return {
    text: (await message.innerText()).trim(),
    links: (await message.locator('a').allInnerTexts()).map((/** @type {string} */ t) => t.trim()),
  };
}

/**
 * @param {{ paths: import('../../../scripts/realhost/ensure.mjs').RealHostPaths, vsixPath: string,
 *   settings: Record<string, unknown>, outDir: string, log?: (line: string) => void }} options
 * @returns {Promise<{ name: string, ok: boolean, detail: string }[]>}
 */
export async function runHostileChecks({ paths, vsixPath, settings, outDir, log = console.log }) {
  /** @type {{ name: string, ok: boolean, detail: string }[]} */
  const results = [];
  const scratch = makeScratch('pw-ui-hostile-');
  /** @type {{ page: import('playwright-core').Page, close: () => Promise<void> } | undefined} */
  let wb;
  /** @type {{ pid: number, alive: () => boolean, kill: () => void } | undefined} */
  let hostile;
  /** @type {{ shot: (name: string) => Promise<unknown>, check: (name: string, fn: () => Promise<string>) => Promise<boolean> }} */
  const { shot, check } = recorder({ results, log, page: () => wb?.page, outDir });
  try {
    // A cloned repo's `.vscode/settings.json`: a hostile value for a setting any workspace may
    // set (cooldownSeconds is not restricted), warned about at activation.
    const folder = scratch.sub('workspace');
    mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    writeFileSync(
      path.join(folder, '.vscode', 'settings.json'),
      `${JSON.stringify({ 'procWatchdog.cooldownSeconds': SETTING_LINK }, null, 2)}\n`,
    );
    const spawned = await spawnOrphanedPytest({ dir: scratch.sub('fake-hostile'), testArgs: [ARGV_LINK] });
    hostile = spawned;
    log(`  orphaned fake pytest with a link in its argv: PID ${spawned.pid}`);
    wb = await openWorkbench({ paths, scratch, vsixPath, folder, settings, log: (l) => log(`  ${l}`) });
    const { page } = wb;
    // Both toasts may show at once and hide after a while: read each as soon as it shows.
    /** @param {unknown} e */
    const asError = (e) => (e instanceof Error ? e : new Error(String(e)));
    const warning = toastWith(page, 'Reset now').catch(asError);
    const notification = toastWith(page, 'Fix now').catch(asError);

    await check('a hostile workspace setting value is warned about with no clickable link', async () => {
      const seen = await warning;
      if (seen instanceof Error) throw seen;
      await shot('20-hostile-setting-warning');
      if (seen.links.length !== 0) throw new Error(`links ${JSON.stringify(seen.links)} in "${seen.text}"`);
      if (!seen.text.includes('procWatchdog.cooldownSeconds'))
        throw new Error(`the warning does not name the setting: "${seen.text}"`);
      if (seen.text.includes('[Reset now](command:')) throw new Error(`link syntax survived: "${seen.text}"`);
      return `"${seen.text}", no link`;
    });

    await check(
      'a process whose argv carries [Fix now](command:…) notifies with no link of its own',
      async () => {
        const seen = await notification;
        if (seen instanceof Error) throw seen;
        await shot('21-hostile-argv-notification');
        const foreign = seen.links.filter((/** @type {string} */ l) => !OUR_LINKS.has(l));
        if (foreign.length > 0) throw new Error(`links ${JSON.stringify(foreign)} in "${seen.text}"`);
        if (!seen.text.includes(`PID ${spawned.pid}`))
          throw new Error(`the notification is not about the hostile process: "${seen.text}"`);
        if (seen.text.includes('[Fix now](command:')) throw new Error(`link syntax survived: "${seen.text}"`);
        await pollFor('the hostile process to be still running', () => Promise.resolve(spawned.alive()), {
          timeoutMs: 5000,
        });
        return `"${seen.text.slice(0, 200)}", links ${JSON.stringify(seen.links)}`;
      },
    );
  } catch (e) {
    results.push({
      name: 'hostile UI session',
      ok: false,
      detail: e instanceof Error ? e.message : String(e),
    });
    log(`  FAIL hostile UI session: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  } finally {
    await wb?.close();
    hostile?.kill();
    scratch.remove();
  }
  return results;
}
