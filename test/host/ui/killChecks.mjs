// The kill checks of uiChecks.mjs, on the processes it started: the parent-alive warning (then
// cancelled), a kill from the palette whose only toast is the live notification's, a multi-select
// kill with one modal, the SIGKILL escalation with "terminating…" on the row at once, and the run
// kill of a real xdist run. Nothing here picks a process it did not start ("All orphaned runs" is
// only checked to be offered: on a shared machine it would include other people's orphans).
import { readFileSync } from 'node:fs';
import { spawnOrphanedPytest } from '../../../scripts/realhost/fakePytest.mjs';
import { childrenOf } from './fakeRuns.mjs';
import {
  findTreeRow,
  modal,
  ourToasts,
  quickInput,
  quickOption,
  rowDescription,
  runFromPalette,
  waitForToast,
} from './uiHelpers.mjs';
import { pollFor } from '../../../scripts/realhost/workbench.mjs';

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {Awaited<ReturnType<typeof spawnOrphanedPytest>>} FakePytest
 */

/**
 * Running (a zombie is not: an init that never reaps leaves killed orphans as zombies).
 * @param {number} pid
 */
const alive = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
};

/**
 * Kill Process… from the palette; tick the rows of `pids` (filtered on `filter`), accept.
 * @param {Page} page
 * @param {string} filter
 * @param {number[]} pids
 * @returns {Promise<string[]>} the rows offered before filtering
 */
async function pickForKill(page, filter, pids) {
  await runFromPalette(page, 'Proc Watchdog: Kill Process');
  const input = quickInput(page);
  await pollFor('the process pick', async () =>
    ((await input.getAttribute('placeholder')) ?? '').includes('terminate'),
  );
  const offered = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  await input.fill(filter);
  for (const pid of pids) {
    const option = quickOption(page, `PID ${pid} ·`);
    await option.waitFor({ timeout: 10_000 });
    await option.click();
    const ticked = () =>
      option.evaluate(
        // Runs in the page: typed by what it uses (the DOM types are not in this project's lib).
        (
          /** @type {{ getAttribute(name: string): string | null, querySelector(selector: string): unknown }} */ el,
        ) =>
          el.getAttribute('aria-checked') === 'true' || el.querySelector('input:checked, .checked') !== null,
      );
    await pollFor(`PID ${pid} ticked`, ticked, {
      timeoutMs: 3000,
    });
  }
  await page.keyboard.press('Enter');
  return offered;
}

/**
 * @param {{ page: Page, check: import('./uiHelpers.mjs').Check, shot: import('./uiHelpers.mjs').Shot,
 *   log: (line: string) => void, scratch: import('../../../scripts/realhost/scratch.mjs').Scratch,
 *   started: { kill: () => void }[], fake: FakePytest, fakeB: FakePytest, fakeC: FakePytest,
 *   xdist: import('./fakeRuns.mjs').XdistRun | null, attached: import('./fakeRuns.mjs').AttachedRun }} options
 */
export async function killChecks({
  page,
  check,
  shot,
  log,
  scratch,
  started,
  fake,
  fakeB,
  fakeC,
  xdist,
  attached,
}) {
  await check('parent-alive pytest: the kill modal warns that its launcher is still running', async () => {
    await pickForKill(page, 'test_live_run', [attached.pid]);
    const m = await modal(page, `PID ${attached.pid}`);
    await shot('06-parent-alive-modal');
    const want = `Its launcher (bash, PID ${attached.launcher}) is still running: this may be an active run.`;
    if (!m.detail.includes(want)) throw new Error(`detail: ${m.detail}`);
    await page.keyboard.press('Escape');
    if (!alive(attached.pid)) throw new Error('cancelled, yet it is gone');
    return `"${m.message}" / "${want}"`;
  });

  await check(
    'Kill Process…: the modal names what runs; the kill is said by the one notification',
    async () => {
      await pickForKill(page, 'test_merge_gate', [fake.pid]);
      const m = await modal(page, `PID ${fake.pid}`);
      if (m.message !== 'Terminate pytest test_merge_gate.py -x?') throw new Error(`title "${m.message}"`);
      if (/cgroup/.test(m.detail)) throw new Error(`container jargon: ${m.detail}`);
      await shot('07-kill-modal');
      await m.button('Terminate (SIGTERM)').click();
      await pollFor(`PID ${fake.pid} gone`, () => !fake.alive(), { timeoutMs: 10_000 });
      const said = await waitForToast(
        page,
        new RegExp(`PID ${fake.pid}\\)(: SIGTERM sent| after .*terminated from here)`),
      );
      if ((await ourToasts(page)).length > 1) throw new Error('two toasts');
      await pollFor(
        'the row to go',
        async () =>
          (await page.locator(`.part.sidebar [role="treeitem"][aria-label*="PID ${fake.pid},"]`).count()) ===
          0,
      );
      return `"${m.message}", then "${said.slice(0, 160)}"`;
    },
  );

  await check(
    'multi-select kill: two runs ticked, one modal, both gone; "All orphaned runs" offered',
    async () => {
      const offered = await pickForKill(page, 'pytest test_', [fakeB.pid, fakeC.pid]);
      const m = await modal(page, 'Terminate 2 runs');
      await shot('08-multi-kill-modal');
      if (!m.message.startsWith('Terminate 2 runs (2 processes)?')) throw new Error(`"${m.message}"`);
      await m.button('Terminate 2 runs').click();
      await pollFor('both gone', () => !fakeB.alive() && !fakeC.alive(), { timeoutMs: 10_000 });
      if (!offered.some((t) => t.includes('All orphaned runs')))
        throw new Error(`not offered: ${offered.join(' | ')}`);
      return `"${m.message}"`;
    },
  );

  const graceSeconds = 2;
  await check(
    `escalation: SIGTERM ignored, the row says "terminating…" at once, SIGKILL offered after ${graceSeconds} s`,
    async () => {
      const trapped = await spawnOrphanedPytest({
        dir: scratch.sub('fake-trap'),
        testArgs: ['tests/test_teardown_trap.py', '-x'],
        ignoreSigterm: true,
      });
      started.push(trapped);
      log(`  fake pytest ignoring SIGTERM: PID ${trapped.pid}`);
      await findTreeRow(page, trapped.pid);
      await pickForKill(page, 'test_teardown_trap', [trapped.pid]);
      const m = await modal(page, `PID ${trapped.pid}`);
      const sentAt = Date.now();
      await m.button('Terminate (SIGTERM)').click();
      const description = await pollFor(
        '"terminating…"',
        async () => {
          const d = await rowDescription(await findTreeRow(page, trapped.pid));
          return d.includes('terminating…') ? d : null;
        },
        { timeoutMs: 5000, intervalMs: 100 },
      );
      await shot('09-terminating');
      const offer = await modal(page, `PID ${trapped.pid} is still running`, (graceSeconds + 15) * 1000);
      if (Date.now() - sentAt < graceSeconds * 1000) throw new Error('offered before the grace period');
      await offer.button('Kill (SIGKILL)').click();
      await pollFor(`PID ${trapped.pid} gone`, () => !trapped.alive(), { timeoutMs: 10_000 });
      const ended = await waitForToast(
        page,
        new RegExp(`PID ${trapped.pid}\\) after .*terminated from here`),
        20_000,
      );
      return `"${description}", offer "${offer.message}", "${ended.slice(0, 120)}"`;
    },
  );

  if (xdist === null) {
    log('  (skipping the run kill: no pytest-xdist)');
    return;
  }
  await check(
    'run kill of a real orphaned pytest -n 2: "Terminate run (3 processes)" ends root and workers',
    async () => {
      await pickForKill(page, '-n 2', [xdist.pid]);
      const m = await modal(page, `PID ${xdist.pid}`);
      await shot('10-run-kill-modal');
      const workers = childrenOf(xdist.pid);
      const button = `Terminate run (${workers.length + 1} processes)`;
      if (!m.message.includes(`(${workers.length + 1} processes)?`)) throw new Error(`title "${m.message}"`);
      await m.button(button).click();
      await pollFor('the run to end', () => !xdist.alive() && workers.every((w) => !alive(w)), {
        timeoutMs: 15_000,
      });
      return `"${m.message}" -> root and ${workers.length} workers gone`;
    },
  );
}
