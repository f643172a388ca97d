// One place that knows what this Node process started and must stop: process groups (code-server,
// fake pytests) and async closers (browser, scratch folders). It runs them on normal exit, on
// SIGINT/SIGTERM/SIGHUP and on an uncaught error, so an interrupted test run or demo leaves nothing
// behind. Group kills are synchronous, so even the 'exit' event (no async allowed) can do them.

/** @type {Set<number>} process-group ids (the leader's pid) to SIGKILL when we go */
const groups = new Set();
/** @type {Array<{ name: string, fn: () => Promise<void> | void }>} */
const closers = [];
let installed = false;
/** @type {Promise<void> | null} */
let running = null;

/**
 * @param {number} pgid
 * @param {NodeJS.Signals} [signal]
 */
function killGroup(pgid, signal = 'SIGKILL') {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone (ESRCH)
  }
}

/**
 * Is any process of the group still alive? (signal 0 checks without signalling)
 * @param {number} pgid
 */
export function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
  }
}

/**
 * Tracks a process group; it is SIGKILLed on exit unless untracked first.
 * @param {number} pgid
 */
export function trackGroup(pgid) {
  installHandlers();
  groups.add(pgid);
  return () => groups.delete(pgid);
}

/**
 * Registers an async closer, run in reverse order by runCleanup(). Returns an unregister function.
 * @param {string} name
 * @param {() => Promise<void> | void} fn
 */
export function onCleanup(name, fn) {
  installHandlers();
  const entry = { name, fn };
  closers.push(entry);
  return () => {
    const i = closers.indexOf(entry);
    if (i >= 0) closers.splice(i, 1);
  };
}

/** True while runCleanup() is running (e.g. after Ctrl-C): exits seen then are expected. */
export function isCleaningUp() {
  return running !== null;
}

/** Runs every registered closer (newest first), then kills every tracked group. Safe to call again. */
export function runCleanup() {
  running ??= (async () => {
    for (const { name, fn } of closers.splice(0).reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`[cleanup] ${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    for (const pgid of groups) killGroup(pgid);
    groups.clear();
  })().finally(() => {
    running = null;
  });
  return running;
}

/**
 * SIGTERM the group, wait up to graceMs for it to go, then SIGKILL it.
 * @param {number} pgid
 */
export async function stopGroup(pgid, graceMs = 3000) {
  if (!killGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pgid)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  killGroup(pgid, 'SIGKILL');
}

function installHandlers() {
  if (installed) return;
  installed = true;
  let stopping = false;
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    // `on`, not `once`: a second Ctrl-C (or a parent forwarding the same signal) must not kill us
    // half-way through the cleanup with the default handler.
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n[cleanup] ${signal}: stopping everything this run started`);
      void runCleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  process.on('uncaughtException', (e) => {
    console.error('[cleanup] uncaught:', e);
    void runCleanup().finally(() => process.exit(1));
  });
  process.on('unhandledRejection', (e) => {
    console.error('[cleanup] unhandled rejection:', e);
    void runCleanup().finally(() => process.exit(1));
  });
  // Last resort: async closers cannot run here, but group kills are synchronous.
  process.on('exit', () => {
    for (const pgid of groups) killGroup(pgid);
  });
}
