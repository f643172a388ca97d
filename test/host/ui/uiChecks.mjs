// UI checks in headless Chromium against the extension INSTALLED from dist/proc-watchdog.vsix, in
// a workbench opened without the smoke-test driver (toasts visible). A real orphaned fake pytest
// is spawned first; the checks find it by PID in the activity-bar container's tree, the status
// bar, the notification, then kill it through the command palette's modal and check /proc. Then a
// second fake pytest that IGNORES SIGTERM goes through the whole kill protocol: modal, SIGTERM
// (it survives), after killGraceSeconds the SIGKILL modal, confirmed, gone, recovery "killed".
//   node test/host/ui/uiChecks.mjs      (needs `npm run package` first)
// Screenshots: test-output/ui/*.png; on a failure also fail-<check>.png/.txt (the page's text).
// media/screenshot.png is 02-overview.png from a run in a fresh PID namespace whose PID 1 is
// Debian's tini (`apt-get install tini`), as in a container: the orphan is re-parented onto tini
// and other pytest processes on a shared machine do not crowd the picture:
//   unshare --pid --fork --mount-proc tini -- node test/host/ui/uiChecks.mjs
//   cp test-output/ui/02-overview.png media/screenshot.png
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCleanup } from '../../../scripts/realhost/cleanup.mjs';
import { ensureRealHost } from '../../../scripts/realhost/ensure.mjs';
import { makeScratch } from '../../../scripts/realhost/scratch.mjs';
import { parentComm, spawnOrphanedPytest } from './fakePytest.mjs';
import { runHostileChecks, watchSettingsWarning, writeHostileWorkspace } from './hostileChecks.mjs';
import { openWorkbench, pollFor } from './workbench.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const UI_OUT = path.join(REPO, 'test-output', 'ui');
export const UI_SETTINGS = {
  'procWatchdog.ageMinutes': 0,
  'procWatchdog.intervalSeconds': 2,
  // The escalation check waits this long for the SIGKILL offer.
  'procWatchdog.killGraceSeconds': 2,
};
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

/** Runs a command from the F1 palette by its title (the first matching row). */
async function runFromPalette(page, title) {
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
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list [role="option"]', { hasText: title })
    .first()
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  return input;
}

/**
 * "Proc Watchdog: Kill Process…" from the palette, our PID picked in its quick pick (filtered on
 * `filter`, a word of the command line); returns the confirm modal after checking that it names
 * the PID and shows the command line.
 */
async function openKillModal(page, pid, filter) {
  const input = await runFromPalette(page, 'Proc Watchdog: Kill Process');
  // The quick pick lists rows as label + "PID n": filter on our test file, pick our PID.
  await pollFor(
    'the process quick pick',
    async () =>
      (await input.getAttribute('placeholder'))?.includes('terminate') || (await input.inputValue()) === '',
  );
  await input.fill(filter);
  const pick = page.locator('.quick-input-list [role="option"]', { hasText: `PID ${pid}` }).first();
  await pick.waitFor({ timeout: 10_000 });
  await pick.click();
  const dialog = page.locator('.monaco-dialog-box', { hasText: `PID ${pid}` }).first();
  await dialog.waitFor({ timeout: 10_000 });
  const dialogText = (await dialog.locator('.dialog-message-text').innerText()).trim();
  const dialogDetail = (
    await dialog
      .locator('.dialog-message-detail')
      .innerText()
      .catch(() => '')
  ).trim();
  if (!dialogText.includes(`PID ${pid}`)) throw new Error(`modal does not name PID ${pid}: "${dialogText}"`);
  if (!dialogDetail.includes(filter))
    throw new Error(`modal detail lacks the command line: "${dialogDetail}"`);
  return { dialog, dialogText };
}

/** A toast whose message contains every one of `texts` (DOM only: hidden toasts are not matched). */
function toastWith(page, ...texts) {
  let toast = page.locator('.notifications-toasts .notification-toast');
  for (const text of texts) toast = toast.filter({ hasText: text });
  return toast.first();
}

const toastMessage = async (toast) =>
  (await toast.locator('.notification-list-item-message').innerText()).trim();

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
  let trapped;
  let hostile;
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
    // The workspace is a cloned repo with a hostile setting (hostileChecks.mjs).
    writeHostileWorkspace(scratch.sub('workspace'));
    wb = await openWorkbench({
      paths,
      scratch,
      vsixPath,
      folder: scratch.sub('workspace'),
      settings: UI_SETTINGS,
      log: (l) => log(`  ${l}`),
    });
    const { page } = wb;
    const settingsWarning = watchSettingsWarning(page);
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
      // ... and the reaper it was re-parented onto, by the name /proc gives it ("tini" in a container).
      const reaper = parentComm(fake.pid);
      if (count === 1 && !message.includes(`orphaned onto ${reaper}`))
        throw new Error(`single-process toast does not say "orphaned onto ${reaper}": "${message}"`);
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
      const { dialog, dialogText } = await openKillModal(page, fake.pid, 'test_merge_gate');
      await shot('03-kill-modal');
      await dialog.locator('.monaco-button', { hasText: 'Terminate (SIGTERM)' }).first().click();
      const outcome = toastWith(page, `Sent SIGTERM to PID ${fake.pid} `);
      await outcome.waitFor({ timeout: 15_000 });
      const outcomeText = await toastMessage(outcome);
      await pollFor(`PID ${fake.pid} to be gone from /proc`, async () => !fake.alive(), {
        timeoutMs: 10_000,
      });
      await shot('04-killed');
      return `modal "${dialogText}", outcome "${outcomeText}", /proc/${fake.pid} gone`;
    });

    await check('after the kill the tree drops the process and a recovery says it was killed', async () => {
      const recovery = toastWith(page, `PID ${fake.pid}) is no longer running`);
      await recovery.waitFor({ timeout: 20_000 });
      const text = await toastMessage(recovery);
      if (!text.includes('killed from Proc Watchdog'))
        throw new Error(`recovery does not say it was killed from Proc Watchdog: "${text}"`);
      const row = page.locator(`.part.sidebar [role="treeitem"][aria-label*="PID ${fake.pid},"]`);
      await pollFor('the row to disappear', async () => (await row.count()) === 0, { timeoutMs: 10_000 });
      await shot('05-recovered');
      return `"${text}"`;
    });

    // Escalation: a pytest that ignores SIGTERM survives the first modal; after killGraceSeconds
    // a second modal offers SIGKILL for it, and only that ends it.
    const graceSeconds = Number(UI_SETTINGS['procWatchdog.killGraceSeconds']);
    const escalated = await check(
      `Kill escalation: SIGTERM ignored -> after ${graceSeconds} s a SIGKILL modal names the PID; confirmed, /proc gone`,
      async () => {
        trapped = await spawnOrphanedPytest({
          dir: scratch.sub('fake-trap'),
          testArgs: ['tests/test_teardown_trap.py', '-x'],
          ignoreSigterm: true,
        });
        log(`  fake pytest ignoring SIGTERM: PID ${trapped.pid} (${trapped.argv.join(' ')})`);
        // Earlier toasts would crowd out the ones this check waits for.
        await runFromPalette(page, 'Notifications: Clear All Notifications');
        await findTreeRow(page, trapped.pid);
        const { dialog } = await openKillModal(page, trapped.pid, 'test_teardown_trap');
        await shot('06-escalation-sigterm-modal');
        const sentAt = Date.now();
        await dialog.locator('.monaco-button', { hasText: 'Terminate (SIGTERM)' }).first().click();
        const termOutcome = toastWith(page, `Sent SIGTERM to PID ${trapped.pid} `);
        await termOutcome.waitFor({ timeout: 15_000 });
        if (!trapped.alive()) throw new Error(`PID ${trapped.pid} died on SIGTERM: the trap did not hold`);

        const offer = page
          .locator('.monaco-dialog-box', { hasText: `PID ${trapped.pid} is still running` })
          .first();
        await offer.waitFor({ timeout: (graceSeconds + 15) * 1000 });
        const waitedMs = Date.now() - sentAt;
        const offerText = (await offer.locator('.dialog-message-text').innerText()).trim();
        const offerDetail = (await offer.locator('.dialog-message-detail').innerText()).trim();
        if (waitedMs < graceSeconds * 1000)
          throw new Error(`SIGKILL offered after ${waitedMs} ms, before the ${graceSeconds} s grace period`);
        if (!/SIGKILL/.test(offerText))
          throw new Error(`the second modal does not offer SIGKILL: "${offerText}"`);
        if (!offerDetail.includes('test_teardown_trap.py'))
          throw new Error(`the SIGKILL modal detail lacks the command line: "${offerDetail}"`);
        if (!trapped.alive()) throw new Error(`PID ${trapped.pid} is gone before SIGKILL was confirmed`);
        await shot('07-escalation-sigkill-offer');
        await offer.locator('.monaco-button', { hasText: 'Kill (SIGKILL)' }).first().click();

        const killOutcome = toastWith(page, `Sent SIGKILL to PID ${trapped.pid} `);
        await killOutcome.waitFor({ timeout: 15_000 });
        const killText = await toastMessage(killOutcome);
        await pollFor(`PID ${trapped.pid} to be gone from /proc`, async () => !trapped.alive(), {
          timeoutMs: 10_000,
        });
        await shot('08-escalation-killed');
        return `offer "${offerText}" after ${(waitedMs / 1000).toFixed(1)} s, outcome "${killText}", /proc/${trapped.pid} gone`;
      },
    );

    await check(
      'after SIGKILL the tree drops it and the recovery says it was killed from Proc Watchdog',
      async () => {
        if (!escalated) throw new Error('the escalation check failed');
        const recovery = toastWith(page, `PID ${trapped.pid}) is no longer running`);
        await recovery.waitFor({ timeout: 20_000 });
        const text = await toastMessage(recovery);
        if (!text.includes('killed from Proc Watchdog'))
          throw new Error(`recovery does not say it was killed from Proc Watchdog: "${text}"`);
        const row = page.locator(`.part.sidebar [role="treeitem"][aria-label*="PID ${trapped.pid},"]`);
        await pollFor('the row to disappear', async () => (await row.count()) === 0, { timeoutMs: 10_000 });
        await shot('09-escalation-recovered');
        return `"${text}"`;
      },
    );

    hostile = await runHostileChecks({
      page,
      scratch,
      settingsWarning,
      check,
      shot,
      log,
      toastWith,
      clearToasts: () => runFromPalette(page, 'Notifications: Clear All Notifications'),
    });
  } catch (e) {
    results.push({ name: 'UI session', ok: false, detail: e instanceof Error ? e.message : String(e) });
    log(`  FAIL UI session: ${e instanceof Error ? e.stack : e}`);
  } finally {
    await wb?.close();
    fake?.kill();
    trapped?.kill();
    hostile?.kill();
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
