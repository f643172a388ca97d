// Tests that need rights a plain user may not have: a private pid namespace (`unshare --pid`, to
// really recycle a pid: as root, or as a plain user inside a user namespace of their own where the
// kernel allows one) and running as another uid (`setpriv --reuid`, for a real EPERM).
// Each right is probed by doing exactly what the tests do, once per file. Where it works the
// tests run, so a machine that can run them never skips them (issue 7: "nothing skipped that
// could have run"). Where it fails they are reported as SKIPPED, never as passed, with the
// reason in the test's name and on stderr.
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

export interface Privilege {
  /** What the tests need, as a user would ask for it. */
  readonly need: string;
  readonly ok: boolean;
  /** Why not (the probe's own error), when !ok. */
  readonly why: string;
}

function probe(need: string, command: string, args: string[]): Privilege {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status === 0) return { need, ok: true, why: '' };
  // Only a refusal skips: the tool is missing, or it exited non-zero by itself (and said why). A
  // probe that did not finish (timed out or was killed on a loaded machine) proves nothing: the
  // tests run, and fail with the real error if the right is really missing.
  const missing = r.error !== undefined && 'code' in r.error && r.error.code === 'ENOENT';
  if (!missing && (r.error !== undefined || r.signal !== null)) return { need, ok: true, why: '' };
  const why = (r.error?.message ?? r.stderr.trim().split('\n')[0]) || `exit ${r.status ?? r.signal}`;
  return { need, ok: false, why };
}

export interface PidNamespace extends Privilege {
  /** The `unshare` options that gave a private pid namespace (with its own /proc) here. */
  readonly args: readonly string[];
}

const PID_NAMESPACE = ['--pid', '--fork', '--mount-proc'];
/** A plain user's route: root of a user namespace of their own owns the pid namespace in it. */
const USER_NAMESPACE = ['--user', '--map-root-user', ...PID_NAMESPACE];

/**
 * A private pid namespace: `unshare --pid --fork --mount-proc` as root, else the same inside a
 * user namespace (`--user --map-root-user`), which most kernels give a plain user. Not ok only
 * when both are refused; `why` then carries both refusals.
 */
export function probeUnshare(): PidNamespace {
  const need =
    'a private pid namespace (`unshare --pid --fork --mount-proc`, as root or with `--user --map-root-user`)';
  const asRoot = probe(need, 'unshare', [...PID_NAMESPACE, 'true']);
  if (asRoot.ok) return { ...asRoot, args: PID_NAMESPACE };
  const asUser = probe(need, 'unshare', [...USER_NAMESPACE, 'true']);
  if (asUser.ok) return { ...asUser, args: USER_NAMESPACE };
  return { need, ok: false, why: `${asRoot.why}; with --user --map-root-user: ${asUser.why}`, args: [] };
}

/** `setpriv --reuid 65534`: root (CAP_SETUID/CAP_SETGID). */
export function probeSetpriv(): Privilege {
  return probe('root to run `setpriv --reuid 65534 --regid 65534`', 'setpriv', [
    '--reuid',
    '65534',
    '--regid',
    '65534',
    '--clear-groups',
    'true',
  ]);
}

/**
 * `it` when the privilege is there; otherwise a SKIPPED test whose name and stderr line say what
 * it needs and why it could not have it.
 */
export function itWith(privilege: Privilege, title: string, fn: () => unknown, timeoutMs?: number): void {
  if (privilege.ok) {
    it(title, fn, timeoutMs);
    return;
  }
  const reason = `needs ${privilege.need}: ${privilege.why}`;
  console.warn(`SKIPPED (${reason}): ${title}`);
  it.skip(`${title} [SKIPPED: ${reason}]`, fn, timeoutMs);
}
