// The last UI check of uiChecks.mjs: with a pattern nothing matches, the view shows its welcome
// buttons, the status-bar item hides, and the container notice shows only where this run's PID
// namespace really is partial.
import { BASE_SETTINGS } from '../../../scripts/realhost/codeServer.mjs';
import { pollFor } from '../../../scripts/realhost/workbench.mjs';
import { initialPidNamespace, runFromPalette } from './uiHelpers.mjs';

/**
 * @param {{ page: import('playwright-core').Page, check: import('./uiHelpers.mjs').Check,
 *   shot: import('./uiHelpers.mjs').Shot, settings: Record<string, unknown> }} options
 */
export async function emptyStateCheck({ page, check, shot, settings }) {
  await check(
    'empty state: welcome buttons, no status-bar item; container notice only on evidence',
    async () => {
      if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
      // A pattern nothing matches empties the view whatever else runs on a shared machine. The
      // workbench does not notice an edit of settings.json on disk, so it is edited as a user
      // would: Open User Settings (JSON), replace, save.
      await runFromPalette(page, 'Preferences: Open User Settings (JSON)');
      // It may open as a modal editor, outside the editor part: the last editor shown.
      const editor = page
        .locator('.monaco-editor .view-lines', { hasText: 'workbench.startupEditor' })
        .last();
      await editor.waitFor({ timeout: 15_000 });
      await editor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText(
        JSON.stringify({
          ...BASE_SETTINGS,
          ...settings,
          'procWatchdog.patterns': ['no-such-program-xyz'],
        }),
      );
      await page.keyboard.press('Control+S');
      await page.keyboard.press('Escape'); // closes a modal editor; harmless otherwise
      const welcome = page.locator('.part.sidebar .welcome-view-content').first();
      await welcome.waitFor({ timeout: 30_000 });
      const buttons = await welcome.locator('.monaco-button').allInnerTexts();
      if (!buttons.includes('Scan Now') || !buttons.includes('Open Settings'))
        throw new Error(`buttons: ${buttons.join(',')}`);
      const item = page.locator('.part.statusbar .statusbar-item[id^="orchestrator.proc-watchdog"]');
      await pollFor(
        'the status-bar item to hide',
        async () => (await item.count()) === 0 || !(await item.first().isVisible()),
      );
      const header = await page.locator('.part.sidebar').first().innerText();
      // The container notice: only where the view really is partial (this run's own namespace).
      if (initialPidNamespace() === /this container's processes/i.test(header))
        throw new Error(`header "${header}"`);
      await shot('10-empty');
      return `buttons ${JSON.stringify(buttons)}, header "${header.split('\n').join(' ')}"`;
    },
  );
}
