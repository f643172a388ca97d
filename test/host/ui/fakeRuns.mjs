// The other shapes a new user meets, for the UI checks and the README screenshot:
//   - a REAL orphaned xdist run: /usr/bin/python3 -m pytest -n 2 (Debian's pytest, pytest-xdist and
//     setproctitle, so the workers retitle themselves `[pytest-xdist running] <nodeid>`), started
//     in its own session through a double fork, its launcher gone;
//   - a pytest whose launcher (bash) is still running: possibly someone's active run.
// Each runs in its own session/process group, which cleanup SIGKILLs as a group.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onCleanup } from '../../../scripts/realhost/cleanup.mjs';
import { readStarttime } from '../../../scripts/realhost/fakePytest.mjs';

const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * A run in a session of its own, killed as a group.
 * @typedef {{ pid: number, starttime: number | null, alive: () => boolean, kill: () => void }} TrackedSession
 * @typedef {TrackedSession & { workers: number[] }} XdistRun
 * @typedef {{ pid: number, launcher: number, kill: () => void }} AttachedRun
 */

/** @param {number} sid */
function killSession(sid) {
  try {
    process.kill(-sid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * @param {number} pid
 * @param {string} name
 * @returns {TrackedSession}
 */
function trackedSession(pid, name) {
  const starttime = readStarttime(pid);
  const alive = () => starttime !== null && readStarttime(pid) === starttime;
  const unregister = onCleanup(name, () => killSession(pid));
  const kill = () => {
    unregister();
    killSession(pid);
  };
  return { pid, starttime, alive, kill };
}

/**
 * A stand-in pytest script (sleeps) at `dir/bin/pytest`, run through the system Python.
 * @param {string} dir
 */
export function writeFakePytest(dir) {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const script = path.join(bin, 'pytest');
  writeFileSync(
    script,
    `#!${SYSTEM_PYTHON}\n# Stand-in for a running pytest.\nimport time\ntime.sleep(900)\n`,
    { mode: 0o755 },
  );
  return script;
}

/**
 * Children of a pid (from /proc/<pid>/task/<pid>/children), [] when unreadable.
 * @param {number} pid
 * @returns {number[]}
 */
export function childrenOf(pid) {
  const r = spawnSync('cat', [`/proc/${pid}/task/${pid}/children`], { encoding: 'utf8' });
  return (r.stdout ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
}

/** Is a real pytest with xdist and setproctitle installed (Debian's packages)? */
export function xdistAvailable() {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', 'import pytest, xdist, setproctitle'], { encoding: 'utf8' });
  return r.status === 0;
}

/**
 * `python3 -m pytest -n 2 -q tests/` in `dir`, orphaned; resolves once both workers run a test.
 * @param {{ dir: string }} options
 * @returns {Promise<XdistRun>}
 */
export async function spawnOrphanedXdist({ dir }) {
  const tests = path.join(dir, 'tests');
  mkdirSync(tests, { recursive: true });
  writeFileSync(
    path.join(tests, 'test_merge_gate.py'),
    'import time\n\n\ndef test_waits_for_the_gate():\n    time.sleep(900)\n\n\ndef test_retries_the_lease():\n    time.sleep(900)\n',
  );
  // setsid in the backgrounded subshell: pytest (same pid) leads its own session, so the whole
  // run (workers included) is one process group to kill; the subshell's exit orphans it.
  const out = spawnSync(
    'bash',
    [
      '-c',
      `cd "$1" && ( exec setsid ${SYSTEM_PYTHON} -m pytest -n 2 -q -p no:cacheprovider tests/ </dev/null >/dev/null 2>&1 & echo $! )`,
      'launcher',
      dir,
    ],
    { encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
  );
  const pid = Number(out.stdout.trim());
  if (!Number.isInteger(pid) || pid <= 1)
    throw new Error(`could not start pytest -n 2: ${out.stdout}${out.stderr}`);
  const run = trackedSession(pid, `xdist run ${pid}`);
  const deadline = Date.now() + 30_000;
  while (childrenOf(pid).length < 2) {
    if (Date.now() > deadline || !run.alive()) throw new Error(`pytest -n 2 (${pid}) started no workers`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ...run, workers: childrenOf(pid) };
}

/**
 * A fake pytest (`script testArgs…`) whose launcher bash keeps running (`wait`), in its own session.
 * @param {{ script: string, testArgs: string[] }} options
 * @returns {Promise<AttachedRun>}
 */
export async function spawnAttachedPytest({ script, testArgs }) {
  const out = spawnSync(
    'bash',
    [
      '-c',
      '( exec setsid bash -c \'"$@" & wait\' launcher "$@" </dev/null >/dev/null 2>&1 & echo $! )',
      'outer',
      script,
      ...testArgs,
    ],
    { encoding: 'utf8' },
  );
  const launcher = Number(out.stdout.trim());
  if (!Number.isInteger(launcher) || launcher <= 1)
    throw new Error(`could not start the launcher: ${out.stdout}${out.stderr}`);
  const session = trackedSession(launcher, `attached pytest under ${launcher}`);
  const deadline = Date.now() + 10_000;
  let child;
  while ((child = childrenOf(launcher)[0]) === undefined) {
    if (Date.now() > deadline) throw new Error(`launcher ${launcher} started nothing`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { pid: child, launcher, kill: session.kill };
}
