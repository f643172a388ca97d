// A real orphaned "pytest" for the UI checks and the demo: a script named `pytest` (Python, it
// only sleeps) started through a double fork, so its launcher is gone and it is re-parented onto
// the reaper, exactly like a pytest whose agent was SIGKILLed. Tracked by pid + starttime and
// killed on cleanup (never a different process that reused the pid). With `ignoreSigterm` it
// ignores SIGTERM (like a pytest stuck in a teardown that traps it), so only SIGKILL ends it.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv } from './cleanEnv.mjs';
import { onCleanup } from './cleanup.mjs';

/**
 * proc(5) stat field 22 (starttime), read after the last ')' so odd comms cannot shift fields.
 * @param {number} pid
 * @returns {number | null}
 */
export function readStarttime(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[22 - 3]); // fields after comm start at field 3
  } catch {
    return null;
  }
}

/**
 * @param {number} pid
 * @returns {string[] | null}
 */
function readCmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/** The real interpreter (not a pyenv shim, which would show up as `bash …/pyenv exec`), or null. */
function pythonPath() {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
    encoding: 'utf8',
    env: cleanEnv(),
  });
  return r.status === 0 && r.stdout.trim().startsWith('/') ? r.stdout.trim() : null;
}

/**
 * SigIgn in /proc/<pid>/status is a hex mask; bit (15 - 1) is SIGTERM.
 * @param {number} pid
 */
function ignoresSigterm(pid) {
  try {
    const mask = /^SigIgn:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return mask !== undefined && (BigInt(`0x${mask}`) & (1n << 14n)) !== 0n;
  } catch {
    return false;
  }
}

/**
 * State from stat field 3; a zombie (Z) or a vanished pid counts as gone.
 * @param {number} pid
 * @param {number} starttime
 */
function isRunning(pid, starttime) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return readStarttime(pid) === starttime && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * @param {{ dir: string, testArgs?: string[], seconds?: number, ignoreSigterm?: boolean }} options
 *   dir: a scratch folder
 * @returns {Promise<{ pid: number, starttime: number, argv: string[], alive: () => boolean, kill: () => void }>}
 */
export async function spawnOrphanedPytest({
  dir,
  testArgs = ['tests/test_merge_gate.py', '-x'],
  seconds = 600,
  ignoreSigterm = false,
}) {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const python = pythonPath();
  /** @type {string[]} */
  let command;
  if (python) {
    // `python3 …/bin/pytest tests/… -x`: matched as pytest through the interpreter, like a venv's.
    const script = path.join(bin, 'pytest');
    const trap = ignoreSigterm ? 'import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n' : '';
    writeFileSync(
      script,
      `#!${python}\n# Stand-in for a stuck pytest run.\nimport time\n${trap}time.sleep(${seconds})\n`,
    );
    chmodSync(script, 0o755);
    command = [script, ...testArgs];
  } else {
    command = ['sleep', String(seconds)]; // argv[0] becomes "pytest" through exec -a below
  }
  // An ignored signal stays ignored across exec, so `trap '' TERM` covers the sleep fallback too.
  const trap = ignoreSigterm && !python ? "trap '' TERM; " : '';
  const launcher = python
    ? '( "$@" </dev/null >/dev/null 2>&1 & echo $! )'
    : `( ${trap}exec -a pytest "$@" </dev/null >/dev/null 2>&1 & echo $! )`;
  // bash -c exits right after the subshell: the sleeper's parent is gone -> orphaned.
  const out = spawnSync('bash', ['-c', launcher, 'launcher', ...command], {
    encoding: 'utf8',
    env: cleanEnv(),
  });
  const pid = Number(out.stdout.trim());
  if (!Number.isInteger(pid) || pid <= 1)
    throw new Error(`could not spawn the fake pytest: ${out.stdout}${out.stderr}`);

  // bash forks, then execs: wait until the pid runs the final program.
  const deadline = Date.now() + 10_000;
  let argv = readCmdline(pid);
  while (Date.now() < deadline && argv !== null && argv[0] !== (python ?? 'pytest')) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    argv = readCmdline(pid);
  }
  const starttime = readStarttime(pid);
  if (argv === null || starttime === null) throw new Error(`fake pytest ${pid} exited right away`);
  // Python installs the handler only after start-up: wait until the kernel reports it ignored.
  while (ignoreSigterm && !ignoresSigterm(pid)) {
    if (Date.now() > deadline) throw new Error(`fake pytest ${pid} does not ignore SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const alive = () => isRunning(pid, starttime);
  const kill = () => {
    unregister();
    if (alive()) process.kill(pid, 'SIGKILL');
  };
  const unregister = onCleanup(`fake pytest ${pid}`, kill);
  return { pid, starttime, argv, alive, kill };
}
