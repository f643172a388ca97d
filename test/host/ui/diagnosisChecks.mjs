// The diagnosis in the editor (issue 11), on the REAL orphaned `pytest -n 2` run of uiChecks.mjs
// (Debian's pytest, pytest-xdist, setproctitle: its workers retitle themselves
// `[pytest-xdist running] <nodeid>`): each worker is a child row of the run, named by its test,
// described by its activity; the worker's tooltip lists its test; the run's tooltip is the
// compact table (CPU now/average/total, memory, folder, session).
import { pollFor } from '../../../scripts/realhost/workbench.mjs';
import { findTreeRow, hoverText, rowDescription } from './uiHelpers.mjs';

const TESTS = ['test_waits_for_the_gate', 'test_retries_the_lease'];

/**
 * The tooltip of the row of `pid`, read once no other hover shows: VS Code keeps a row's hover
 * up while the pointer moves to the next row, which would read the previous row's tooltip.
 * @param {import('playwright-core').Page} page
 * @param {number} pid
 * @param {string} mustContain
 * @returns {Promise<string>}
 */
async function tooltipOf(page, pid, mustContain) {
  await page.mouse.move(700, 450);
  await pollFor(
    'no hover',
    async () => (await page.locator('.monaco-hover:visible, .workbench-hover:visible').count()) === 0,
  );
  const row = await findTreeRow(page, pid);
  const text = await hoverText(page, row.locator('.label-name'), mustContain);
  if (!new RegExp(`PID\\s+${pid}\\b`).test(text)) throw new Error(`the hover is not PID ${pid}'s: ${text}`);
  return text;
}

/**
 * @param {{
 *   page: import('playwright-core').Page,
 *   check: (name: string, fn: () => Promise<string>) => Promise<unknown>,
 *   shot: (name: string) => Promise<unknown>,
 *   log: (line: string) => void,
 *   xdist: { pid: number, workers: number[] } | null,
 * }} options
 */
export async function diagnosisChecks({ page, check, shot, log, xdist }) {
  if (xdist === null) {
    log('  (skipping the worker rows: no pytest-xdist)');
    return;
  }
  const run = xdist;

  await check('real pytest -n 2: each worker a child row with its test and role', async () => {
    const root = await findTreeRow(page, run.pid);
    const rootLevel = Number(await root.getAttribute('aria-level'));
    /** @type {string[]} */
    const seen = [];
    for (const pid of run.workers) {
      const row = await findTreeRow(page, pid);
      const level = Number(await row.getAttribute('aria-level'));
      const label = (await row.locator('.label-name').innerText()).trim();
      const description = await rowDescription(row);
      if (level !== rootLevel + 1)
        throw new Error(`worker ${pid} at level ${level}, its run at ${rootLevel}`);
      if (!label.startsWith('test_'))
        throw new Error(`worker ${pid} is labelled "${label}", not by its test`);
      // Its activity (`idle`, `idle 2m` once asleep a minute while watched, `98% CPU`,
      // `holds :8765`); the role is in the tooltip.
      const activity =
        /^(idle( \d+[smhd]( \d+[mh])?)?|busy|spinning|stopped|uninterruptible|zombie|\d+% CPU|holds \S+)?$/;
      if (!activity.test(description)) throw new Error(`worker ${pid}: "${description}"`);
      seen.push(`${pid} "${label}" — "${description}"`);
    }
    await shot('02b-workers');
    return seen.join('; ');
  });

  await check(
    'worker tooltip: its test node id; run tooltip: CPU now/avg/total, memory, session',
    async () => {
      /** @type {string[]} */
      const tips = [];
      for (const pid of run.workers) {
        const text = await tooltipOf(page, pid, 'Tests');
        if (!/tests\/test_merge_gate\.py::test_/.test(text))
          throw new Error(`worker ${pid} tooltip: ${text}`);
        if (!text.includes('xdist worker')) throw new Error(`worker ${pid} tooltip has no role: ${text}`);
        tips.push(text);
      }
      await shot('02c-worker-tooltip');
      const all = tips.join('\n');
      const missing = TESTS.filter((t) => !all.includes(t));
      if (missing.length > 0) throw new Error(`no worker runs ${missing.join(', ')}: ${all}`);
      const text = await tooltipOf(page, run.pid, 'Session');
      for (const want of [
        /CPU\s+\d+% now, [\d.]+% on average, [\d.]+ s in total/,
        /Memory/,
        /Folder/,
        /Session\s+\d+/,
      ])
        if (!want.test(text)) throw new Error(`run tooltip lacks ${want}: ${text}`);
      await shot('02d-run-tooltip');
      await page.mouse.move(5, 5);
      return text.split('\n').slice(0, 6).join(' | ');
    },
  );
}
