// DOM helpers for the UI checks: the tree rows, the command palette, quick picks, context menus,
// modals, and a sampler that counts this extension's notification toasts all along the run.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pollFor } from '../../../scripts/realhost/workbench.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('playwright-core').Locator} Locator
 * @typedef {{ name: string, ok: boolean, detail: string }} CheckResult
 * @typedef {(name: string) => Promise<unknown>} Shot
 * @typedef {(name: string, fn: () => Promise<string | undefined>) => Promise<boolean>} Check
 * @typedef {{ samples: number, max: number, first: string | null, firstAtMs: number | null,
 *   texts: Set<string> }} ToastStats
 */

/** The live notification leads with one of these verbs (src/watchdog/notificationText.ts). */
const OUR_TOAST = /^(Blocking|Terminating|Ended): /;

/** @param {Page} page */
export const tree = (page) => page.locator('.part.sidebar [role="tree"]').first();

/**
 * The tree row of a pid (rows are virtualized: press End / Home until it is rendered).
 * @param {Page} page
 * @param {number} pid
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<Locator>}
 */
export async function findTreeRow(page, pid, { timeoutMs = 30_000 } = {}) {
  const row = tree(page).locator(`[role="treeitem"][aria-label*="PID ${pid},"]`);
  let key = 'Home';
  return pollFor(
    `the tree row of PID ${pid}`,
    async () => {
      if ((await row.count()) > 0) return row.first();
      if ((await tree(page).count()) > 0) {
        await tree(page).focus();
        await page.keyboard.press(key);
        key = key === 'Home' ? 'End' : 'Home';
      }
      return null;
    },
    { timeoutMs },
  );
}

/** @param {Locator} row */
export const rowDescription = async (row) => (await row.locator('.label-description').innerText()).trim();

/**
 * Runs a command from the F1 palette by its title (the first matching row).
 * @param {Page} page
 * @param {string} title
 */
export async function runFromPalette(page, title) {
  // Escape only closes an open quick input: pressed with none open, it would hide the toasts.
  if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ timeout: 10_000 });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list [role="option"]', { hasText: title })
    .first()
    .waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  return input;
}

/** @param {Page} page */
export const quickInput = (page) =>
  page.locator('.quick-input-widget input[type="text"], .quick-input-widget input.input').first();

/**
 * @param {Page} page
 * @param {string} text
 */
export const quickOption = (page, text) =>
  page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();

/**
 * Right-click a row, then the context-menu item `title` (by keyboard if a click does not take).
 * @param {Page} page
 * @param {Locator} row
 * @param {string} title
 */
export async function rowMenu(page, row, title) {
  await row.click({ button: 'right' });
  const item = page.locator('.monaco-menu .action-item', { hasText: title }).first();
  await item.waitFor({ timeout: 10_000 });
  await item.hover();
  await item.click();
  const menu = page.locator('.monaco-menu').first();
  const closed = await pollFor('the menu to close', async () => !(await menu.isVisible()), {
    timeoutMs: 3000,
  }).catch(() => false);
  if (!closed) await page.keyboard.press('Enter');
}

/**
 * The modal dialog whose text contains `text`; its message and detail.
 * @param {Page} page
 * @param {string} text
 */
export async function modal(page, text, timeoutMs = 15_000) {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await dialog.waitFor({ timeout: timeoutMs });
  const message = (await dialog.locator('.dialog-message-text').innerText()).trim();
  const detail = (
    await dialog
      .locator('.dialog-message-detail')
      .innerText()
      .catch(() => '')
  ).trim();
  return {
    dialog,
    message,
    detail,
    button: (/** @type {string} */ label) => dialog.locator('.monaco-button', { hasText: label }).first(),
  };
}

/**
 * Our toasts on screen now (their messages).
 * @param {Page} page
 * @returns {Promise<string[]>}
 */
export async function ourToasts(page) {
  const texts = await page
    .locator('.notifications-toasts .notification-toast .notification-list-item-message')
    .allInnerTexts()
    .catch(() => /** @type {string[]} */ ([]));
  return texts.map((t) => t.trim()).filter((t) => OUR_TOAST.test(t));
}

/**
 * The one toast of ours whose text matches, once it shows.
 * @param {Page} page
 * @param {RegExp} re
 * @returns {Promise<string>}
 */
export async function waitForToast(page, re, timeoutMs = 30_000) {
  return pollFor(
    `a toast matching ${re}`,
    async () => (await ourToasts(page)).find((t) => re.test(t)) ?? null,
    {
      timeoutMs,
      intervalMs: 100,
    },
  );
}

/**
 * Samples the toasts every `everyMs` until stopped: how many of ours were on screen at most, and
 * the first one seen with when it was seen.
 * @param {Page} page
 */
export function sampleToasts(page, everyMs = 150) {
  /** @type {ToastStats} */
  const stats = { samples: 0, max: 0, first: null, firstAtMs: null, texts: new Set() };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const now = await ourToasts(page);
      stats.samples++;
      stats.max = Math.max(stats.max, now.length);
      for (const t of now) stats.texts.add(t);
      if (stats.first === null && now[0] !== undefined) {
        stats.first = now[0];
        stats.firstAtMs = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    stats,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Text of the hover widget shown after hovering `target`, once it contains `mustContain`.
 * @param {Page} page
 * @param {Locator} target
 * @param {string} mustContain
 * @returns {Promise<string>}
 */
export async function hoverText(page, target, mustContain) {
  const hover = page
    .locator('.monaco-hover:visible, .workbench-hover:visible', { hasText: mustContain })
    .last();
  return pollFor(
    `a hover with "${mustContain}"`,
    async () => {
      await page.mouse.move(1, 1);
      await target.hover({ timeout: 4000 });
      // A hover shows ~0.9 s after the pointer rests (300 ms delay, then the tooltip is resolved
      // in the extension host); one that a redraw closed never shows, so retry after 2 s.
      await hover.waitFor({ timeout: 2000 });
      // Short: a scan that re-renders the tree closes the hover between the wait and the read,
      // and Playwright's 30 s default would then spend the whole poll on one read (CI saw it).
      return (await hover.innerText({ timeout: 1000 })).trim();
    },
    // A row younger than a minute is redrawn every 2 s scan (its age badge changes), which
    // closes the hover: on a loaded CI a tooltip took 21 s of tries to read.
    { timeoutMs: 60_000 },
  );
}

/**
 * Milliseconds from the extension's "activated" log line to its first "notification shown", read
 * from the log file VS Code keeps for the output channel; null when not found.
 * @param {string} userDataDir
 * @returns {number | null}
 */
export function activationToNotificationMs(userDataDir) {
  /** @type {string[]} */
  const files = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('Proc Watchdog.log')) files.push(p);
    }
  };
  try {
    walk(path.join(userDataDir, 'logs'));
  } catch {
    return null;
  }
  /**
   * @param {string} text
   * @param {string} what
   */
  const at = (text, what) => {
    const m = new RegExp(
      `^(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[info\\] ${what}`,
      'm',
    ).exec(text);
    return m?.[1] === undefined ? null : Date.parse(m[1].replace(' ', 'T'));
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const activated = at(text, 'activated');
    const shown = at(text, 'notification shown');
    if (activated !== null && shown !== null) return shown - activated;
  }
  return null;
}

/** @param {string} name */
const slug = (name) =>
  name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

/** Kernel threads are visible only in the initial PID namespace: then no container notice is due. */
export const initialPidNamespace = () => {
  try {
    return readFileSync('/proc/2/comm', 'utf8').trim() === 'kthreadd';
  } catch {
    return false;
  }
};

/**
 * `shot(name)` saves a screenshot; `check(name, fn)` runs one check, records it in `results`, and
 * on a failure saves fail-<name>.png and the page's text.
 * @param {{ results: CheckResult[], log: (line: string) => void, page: () => Page | undefined,
 *   outDir: string }} options
 * @returns {{ shot: Shot, check: Check }}
 */
export function recorder({ results, log, page, outDir }) {
  /** @type {Shot} */
  const shot = async (name) => page()?.screenshot({ path: path.join(outDir, `${name}.png`) });
  /** @type {Check} */
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      const detail = (await fn()) ?? '';
      results.push({ name, ok: true, detail });
      log(`  ok   ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
      return true;
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      results.push({ name, ok: false, detail });
      log(`  FAIL ${name}: ${detail}`);
      const p = page();
      if (p) {
        const base = path.join(outDir, `fail-${slug(name)}`);
        await p.screenshot({ path: `${base}.png` }).catch(() => {});
        writeFileSync(`${base}.txt`, await p.locator('body').innerText().catch(String));
      }
      return false;
    }
  };
  return { shot, check };
}
