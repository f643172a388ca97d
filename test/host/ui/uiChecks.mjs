// UI checks in headless Chromium against the extension INSTALLED from dist/proc-watchdog.vsix, in
// a workbench opened without the smoke-test driver (toasts visible). A real orphaned fake pytest
// is spawned first; the checks find it by PID in the activity-bar container's tree, the status
// bar, the notification, then kill it through the command palette's modal and check /proc.
//   node test/host/ui/uiChecks.mjs      (needs `npm run package` first)
// Screenshots: test-output/ui/*.png; on a failure also fail-<check>.png/.txt (the page's text).
// media/screenshot.png is 02-overview.png from a run in a fresh PID namespace, so other pytest
// processes on a shared machine do not crowd the picture (the orphan's reaper is then bash):
//   unshare --pid --fork --mount-proc bash -c 'node test/host/ui/uiChecks.mjs; exit $?'
//   cp test-output/ui/02-overview.png media/screenshot.png
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCleanup } from '../../../scripts/realhost/cleanup.mjs';
import { ensureRealHost } from '../../../scripts/realhost/ensure.mjs';
import { makeScratch } from '../../../scripts/realhost/scratch.mjs';
import { spawnOrphanedPytest } from './fakePytest.mjs';
import { openWorkbench, pollFor } from './workbench.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const UI_OUT = path.join(REPO, 'test-output', 'ui');
export const UI_SETTINGS = { 'procWatchdog.ageMinutes': 0, 'procWatchdog.intervalSeconds': 2 };
/** "42s", "2m", "1h 3m", "3d 4h": formatAge's shapes, first in the row description. */
const AGE_BADGE = /^(\d+s|\d+m|\d+h( \d+m)?|\d+d( \d+h)?)\b/;

const slug = (name) =>
  name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** Drags the sash right of the side bar so rows show label, age badge and flags (best effort). */
async function widenSidebar(page, byPx) {
  const box = await page.locator('.part.sidebar').first().boundingBox();
  if (!box) return;
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + byPx / 2, y, { steps: 5 });
  await page.mouse.move(x + byPx, y, { steps: 5 });
  await page.mouse.up();
}

/**
 * The tree row for a pid. Rows are virtualized and sorted oldest first, so a fresh process is
 * last: focus the tree (keyboard only, the mouse stays on the toast) and press End; with other
 * processes arriving meanwhile, keep pressing End until the row is rendered.
 */
async function findTreeRow(page, pid) {
  const tree = page.locator('.part.sidebar [role="tree"]').first();
  const row = tree.locator(`[role="treeitem"][aria-label*="PID ${pid},"]`);
  return pollFor(`the tree row of PID ${pid}`, async () => {
    if ((await row.count()) > 0) return row.first();
    if ((await tree.count()) > 0) {
      await tree.focus();
      await page.keyboard.press('End');
    }
    return null;
  });
}

/**
 * @param {{ paths: import('../../../scripts/realhost/ensure.mjs').RealHostPaths, vsixPath: string,
 *   log?: (line: string) => void }} options
 * @returns {Promise<{ results: { name: string, ok: boolean, detail: string }[] }>}
 */
export async function runUiChecks({ paths, vsixPath, log = console.log }) {
  rmSync(UI_OUT, { recursive: true, force: true });
  mkdirSync(UI_OUT, { recursive: true });
  const results = [];
  const scratch = makeScratch('pw-ui-');
  let wb;
  let fake;
  const shot = async (name) => {
    const file = path.join(UI_OUT, `${name}.png`);
    await wb?.page.screenshot({ path: file });
    return file;
  };
  const check = async (name, fn) => {
    const started = Date.now();
    try {
      const detail = (await fn()) ?? '';
      results.push({ name, ok: true, detail });
      log(`  ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
      return true;
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      results.push({ name, ok: false, detail });
      log(`  FAIL ${name}: ${detail}`);
      if (wb) {
        const base = path.join(UI_OUT, `fail-${slug(name)}`);
        await wb.page.screenshot({ path: `${base}.png` }).catch(() => {});
        const text = await wb.page.evaluate(() => document.body.innerText).catch((err) => String(err));
        writeFileSync(`${base}.txt`, text);
        log(`       saved ${base}.png/.txt`);
      }
      return false;
    }
  };

  try {
    fake = await spawnOrphanedPytest({ dir: scratch.sub('fake') });
    log(`  fake orphaned pytest: PID ${fake.pid} (${fake.argv.join(' ')})`);
    wb = await openWorkbench({
      paths,
      scratch,
      vsixPath,
      folder: scratch.sub('workspace'),
      settings: UI_SETTINGS,
      log: (l) => log(`  ${l}`),
    });
    const { page } = wb;
    const toastLocator = page
      .locator('.notifications-toasts .notification-toast', { hasText: 'pytest' })
      .first();
    // VS Code hides a warning toast ~18 s after it appears unless the mouse is over it. The first
    // one can appear while the container check still uses the mouse, so record it as soon as it
    // shows (DOM reads only, no mouse) and hover it once the mouse is free.
    const firstToast = toastLocator
      .waitFor({ timeout: 90_000 })
      .then(async () => ({
        message: (await toastLocator.locator('.notification-list-item-message').innerText()).trim(),
        warning: (await toastLocator.locator('.codicon-warning').count()) > 0,
        atMs: Date.now(),
      }))
      .catch(() => null);

    const opened = await check('activity bar shows the "Proc Watchdog" container', async () => {
      const item = page
        .locator(
          '.part.activitybar [role="tab"][aria-label^="Proc Watchdog"], .part.activitybar a[aria-label^="Proc Watchdog"]',
        )
        .first();
      await item.waitFor({ timeout: 60_000 });
      await item.click();
      const title = page.locator('.part.sidebar .composite.title, .part.sidebar .pane-header').first();
      await pollFor('the sidebar to show Proc Watchdog', async () =>
        /Proc Watchdog/i.test((await title.innerText()) ?? ''),
      );
      await widenSidebar(page, 220).catch(() => {});
      return (await item.getAttribute('aria-label')) ?? '';
    });

    await check('a warning notification toast names the blocking pytest process(es)', async () => {
      const seen = await firstToast;
      if (seen === null) throw new Error('no toast mentioning pytest appeared within 90 s');
      // Park the mouse on it (if still up) so it stays for the overview screenshot.
      if (await toastLocator.isVisible()) await toastLocator.hover();
      else
        log(
          `  note: the toast hid itself ${((Date.now() - seen.atMs) / 1000).toFixed(0)} s after it appeared`,
        );
      const { message } = seen;
      if (!seen.warning) throw new Error('toast is not a warning');
      const count = Number(/(\d+) pytest process/.exec(message)?.[1]);
      if (!(count >= 1)) throw new Error(`no "<N> pytest process" count in "${message}"`);
      // Alone on the machine it is ours and named by PID; with other pytests it is a grouped count.
      if (count === 1 && !message.includes(`PID ${fake.pid}`))
        throw new Error(`single-process toast does not name PID ${fake.pid}: "${message}"`);
      return `"${message}"`;
    });

    await check('tree lists the orphaned fake pytest with its age badge', async () => {
      if (!opened) throw new Error('container not open');
      const row = await findTreeRow(page, fake.pid);
      const label = await row.locator('.label-name').innerText();
      const description = await row.locator('.label-description').innerText();
      if (!label.includes('pytest') || !label.includes('test_merge_gate.py'))
        throw new Error(`label "${label}" is not the shortened pytest command`);
      if (!AGE_BADGE.test(description))
        throw new Error(`description "${description}" does not start with an age badge`);
      if (!/orphaned/.test(description))
        throw new Error(`description "${description}" lacks the orphaned flag`);
      await shot('01-tree');
      return `"${label}" — "${description}"`;
    });

    await check('status bar shows the blocking count', async () => {
      const item = page.locator('.part.statusbar .statusbar-item[id^="orchestrator.proc-watchdog"]').first();
      await item.waitFor({ timeout: 30_000 });
      const text = await pollFor('a count in the status-bar item', async () => {
        const t = (await item.innerText()).trim();
        return /^\d+$/.test(t) && Number(t) >= 1 ? t : null;
      });
      if ((await item.locator('.codicon-watch').count()) !== 1)
        throw new Error('no $(watch) icon in the item');
      if (!(Number(text) >= 1)) throw new Error(`count "${text}" is not >= 1`);
      // The overview: tree row, status-bar count and (still hovered) toast in one picture.
      const toastUp =
        (await page.locator('.notifications-toasts .notification-toast', { hasText: 'pytest' }).count()) > 0;
      const overview = await shot('02-overview');
      copyFileSync(overview, path.join(UI_OUT, 'overview.png'));
      if (!toastUp) log('  note: the toast was gone when the overview was taken');
      return `"$(watch) ${text}", aria-label "${await item.getAttribute('aria-label')}"`;
    });

    await check('Kill Process… from the command palette: modal names the PID, confirm kills it', async () => {
      await page
        .locator('.part.editor')
        .first()
        .click({ position: { x: 200, y: 200 } })
        .catch(() => {});
      await page.keyboard.press('F1');
      const input = page
        .locator('.quick-input-widget input[type="text"], .quick-input-widget input.input')
        .first();
      await input.waitFor({ timeout: 10_000 });
      await input.fill('>Proc Watchdog: Kill Process');
      const command = page.locator('.quick-input-list [role="option"]', { hasText: 'Kill Process' }).first();
      await command.waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      // The quick pick lists rows as label + "PID n": filter on our test file, pick our PID.
      await pollFor(
        'the process quick pick',
        async () =>
          (await input.getAttribute('placeholder'))?.includes('terminate') ||
          (await input.inputValue()) === '',
      );
      await input.fill('test_merge_gate');
      const pick = page.locator('.quick-input-list [role="option"]', { hasText: `PID ${fake.pid}` }).first();
      await pick.waitFor({ timeout: 10_000 });
      await pick.click();
      const dialog = page.locator('.monaco-dialog-box').first();
      await dialog.waitFor({ timeout: 10_000 });
      const dialogText = (await dialog.locator('.dialog-message-text').innerText()).trim();
      const dialogDetail = (
        await dialog
          .locator('.dialog-message-detail')
          .innerText()
          .catch(() => '')
      ).trim();
      if (!dialogText.includes(`PID ${fake.pid}`))
        throw new Error(`modal does not name PID ${fake.pid}: "${dialogText}"`);
      if (!dialogDetail.includes('test_merge_gate.py'))
        throw new Error(`modal detail lacks the command line: "${dialogDetail}"`);
      await shot('03-kill-modal');
      await dialog.locator('.monaco-button', { hasText: 'Terminate (SIGTERM)' }).first().click();
      const outcome = page
        .locator('.notifications-toasts .notification-toast', { hasText: `PID ${fake.pid}` })
        .filter({ hasText: /Sent SIGTERM/ })
        .first();
      await outcome.waitFor({ timeout: 15_000 });
      const outcomeText = (await outcome.locator('.notification-list-item-message').innerText()).trim();
      await pollFor(`PID ${fake.pid} to be gone from /proc`, async () => !fake.alive(), {
        timeoutMs: 10_000,
      });
      await shot('04-killed');
      return `modal "${dialogText}", outcome "${outcomeText}", /proc/${fake.pid} gone`;
    });

    await check('after the kill the tree drops the process and a recovery says it was killed', async () => {
      const recovery = page
        .locator('.notifications-toasts .notification-toast', {
          hasText: `PID ${fake.pid}) is no longer running`,
        })
        .first();
      await recovery.waitFor({ timeout: 20_000 });
      const text = (await recovery.locator('.notification-list-item-message').innerText()).trim();
      const row = page.locator(`.part.sidebar [role="treeitem"][aria-label*="PID ${fake.pid},"]`);
      await pollFor('the row to disappear', async () => (await row.count()) === 0, { timeoutMs: 10_000 });
      await shot('05-recovered');
      return `"${text}"`;
    });
  } catch (e) {
    results.push({ name: 'UI session', ok: false, detail: e instanceof Error ? e.message : String(e) });
    log(`  FAIL UI session: ${e instanceof Error ? e.stack : e}`);
  } finally {
    await wb?.close();
    fake?.kill();
    scratch.remove();
  }
  return { results };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = await ensureRealHost();
    const { results } = await runUiChecks({ paths, vsixPath: path.join(REPO, 'dist', 'proc-watchdog.vsix') });
    const failed = results.filter((r) => !r.ok).length;
    console.log(`ui checks: ${results.length - failed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await runCleanup();
  }
}
