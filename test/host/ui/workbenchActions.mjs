// What the UI checks do in the workbench page, as a user would: widen the side bar, find a tree
// row, run a command from the palette, open the kill modal, find a toast. Playwright only.
import { pollFor } from '../../../scripts/realhost/workbench.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').Locator} Locator */

/** A check's name as a file name. */
export const slug = (/** @type {string} */ name) =>
  name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/**
 * Drags the sash right of the side bar so rows show label, age badge and flags (best effort).
 * @param {Page} page
 * @param {number} byPx
 */
export async function widenSidebar(page, byPx) {
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
 * @param {Page} page
 * @param {number} pid
 * @returns {Promise<Locator>}
 */
export async function findTreeRow(page, pid) {
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
 * Runs a command from the F1 palette by its title (the first matching row).
 * @param {Page} page
 * @param {string} title
 * @returns {Promise<Locator>} the quick input
 */
export async function runFromPalette(page, title) {
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
 * @param {Page} page
 * @param {number} pid
 * @param {string} filter
 */
export async function openKillModal(page, pid, filter) {
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

/**
 * A toast whose message contains every one of `texts` (DOM only: hidden toasts are not matched).
 * @param {Page} page
 * @param {...string} texts
 */
export function toastWith(page, ...texts) {
  let toast = page.locator('.notifications-toasts .notification-toast');
  for (const text of texts) toast = toast.filter({ hasText: text });
  return toast.first();
}

/** @param {Locator} toast */
export const toastMessage = async (toast) =>
  (await toast.locator('.notification-list-item-message').innerText()).trim();

/**
 * The recovery toast of a process killed from here ("… is no longer running … killed from Proc
 * Watchdog"), and its row gone from the tree. Returns the toast's text.
 * @param {Page} page
 * @param {number} pid
 */
export async function killedRecovery(page, pid) {
  const recovery = toastWith(page, `PID ${pid}) is no longer running`);
  await recovery.waitFor({ timeout: 20_000 });
  const text = await toastMessage(recovery);
  if (!text.includes('killed from Proc Watchdog'))
    throw new Error(`recovery does not say it was killed from Proc Watchdog: "${text}"`);
  const row = page.locator(`.part.sidebar [role="treeitem"][aria-label*="PID ${pid},"]`);
  await pollFor('the row to disappear', async () => (await row.count()) === 0, { timeoutMs: 10_000 });
  return text;
}
