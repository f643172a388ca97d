// Fault: randomly corrupted fake /proc trees (truncated files, binary garbage, ~1 MB cmdlines,
// missing files, pid dirs that disagree with their stat). Property: the reader never throws or
// rejects, and never reports a process that is not there; every intact matching one is found.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import { ProcScanner } from '../../../src/proc/reader';
import { createMatcher } from '../../../src/watchdog/match';
import { removeFakeProcess, statLine, writeFakeProcess, writeUptime } from '../../helpers/fakeProcTree';

const KINDS = [
  'ok',
  'ok',
  'ok',
  'oddComm',
  'truncatedStat',
  'garbageStat',
  'garbageCmdline',
  'hugeCmdline',
  'noStat',
  'noCmdline',
  'emptyDir',
  'pidMismatch',
  'emptyCmdline',
  'statEmptyField',
] as const;
type Kind = (typeof KINDS)[number];

const word = fc.stringMatching(/^[a-z0-9._/-]{1,12}$/);
const procArb = fc.record({
  pid: fc.integer({ min: 2, max: 5000 }),
  ppid: fc.integer({ min: 0, max: 5000 }),
  kind: fc.constantFrom(...KINDS),
  matching: fc.boolean(),
  args: fc.array(word, { maxLength: 4 }),
  starttime: fc.integer({ min: 1, max: 900_000 }),
  garbage: fc.uint8Array({ minLength: 0, maxLength: 300 }),
  cut: fc.nat(),
});
const treeArb = fc.record({
  procs: fc.uniqueArray(procArb, { selector: (p) => p.pid, maxLength: 25 }),
  uptime: fc.oneof(fc.constant('ok' as const), fc.constant('ok' as const), fc.constant('garbage' as const)),
  removeAfterFirst: fc.array(fc.nat(), { maxLength: 5 }),
});

const base = mkdtempSync(join(tmpdir(), 'pw-fuzz-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let run = 0;

interface Expected {
  /** Intact matching processes: must be reported, with exactly this identity and argv. */
  readonly intact: Map<number, { starttime: number; argv: string[] }>;
  /** Processes that exist with a valid stat but an odd cmdline: may be reported (same starttime). */
  readonly mayReport: Map<number, number>;
}

type Tree = typeof treeArb extends fc.Arbitrary<infer T> ? T : never;

function writeTree(root: string, tree: Tree): Expected {
  const intact = new Map<number, { starttime: number; argv: string[] }>();
  const mayReport = new Map<number, number>();
  if (tree.uptime === 'ok') writeUptime(root, 10_000);
  else {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'uptime'), Buffer.from([0xff, 0x00, 0x31]));
  }
  for (const p of tree.procs) {
    const argv = p.matching ? ['pytest', ...p.args] : ['bash', ...p.args];
    const fake = {
      pid: p.pid,
      ppid: p.ppid,
      comm: p.kind === 'oddComm' ? 'a b ) ( c d' : 'pytest',
      argv,
      starttime: p.starttime,
    };
    writeFakeProcess(root, fake);
    const dir = join(root, String(p.pid));
    const k: Kind = p.kind;
    switch (k) {
      case 'ok':
      case 'oddComm':
        if (p.matching) intact.set(p.pid, { starttime: p.starttime, argv });
        break;
      case 'truncatedStat': {
        const line = statLine(fake);
        writeFileSync(join(dir, 'stat'), line.slice(0, p.cut % (line.length - 1)));
        break;
      }
      case 'garbageStat':
        writeFileSync(join(dir, 'stat'), p.garbage);
        break;
      case 'garbageCmdline':
        mayReport.set(p.pid, p.starttime);
        writeFileSync(join(dir, 'cmdline'), Buffer.concat([Buffer.from('pytest\0'), p.garbage]));
        break;
      case 'hugeCmdline':
        mayReport.set(p.pid, p.starttime);
        // ~1 MB: far past any read buffer; must neither throw nor be half-read as something else.
        writeFileSync(join(dir, 'cmdline'), `${argv.join('\0')}\0${'x'.repeat(1 << 20)}\0`);
        break;
      case 'noStat':
        rmSync(join(dir, 'stat'));
        break;
      case 'noCmdline':
        rmSync(join(dir, 'cmdline'));
        break;
      case 'emptyDir':
        rmSync(dir, { recursive: true });
        mkdirSync(dir);
        break;
      case 'pidMismatch':
        writeFileSync(join(dir, 'stat'), statLine({ ...fake, pid: p.pid + 1 }));
        break;
      case 'emptyCmdline':
        writeFileSync(join(dir, 'cmdline'), '');
        break;
      case 'statEmptyField':
        writeFileSync(join(dir, 'stat'), withEmptyStarttime(statLine(fake)));
        break;
    }
  }
  return { intact, mayReport };
}

/**
 * The stat line with field 22 (starttime) emptied by position: replacing its value as text could
 * hit another field with the same number (priority is 20 too) and leave starttime intact.
 */
function withEmptyStarttime(line: string): string {
  const close = line.lastIndexOf(')');
  const fields = line.slice(close + 2).split(' '); // fields 3, 4, … after "comm) "
  fields[22 - 3] = '';
  return `${line.slice(0, close + 2)}${fields.join(' ')}`;
}

describe('reader over corrupted fake trees (fast-check)', () => {
  it('never throws, never reports what is not there, finds every intact match', async () => {
    const matcher = createMatcher(['pytest']);
    await fc.assert(
      fc.asyncProperty(treeArb, async (tree) => {
        const root = join(base, `t${run++}`);
        const { intact, mayReport } = writeTree(root, tree);
        let removedCount = 0;
        const scanner = new ProcScanner({ procRoot: root });
        try {
          for (let pass = 0; pass < 2; pass++) {
            const result = await scanner.scan(matcher, DEFAULT_REAPERS);
            if (tree.uptime !== 'ok') {
              expect(result.ok).toBe(false);
              expect(result.samples).toEqual([]);
              return;
            }
            expect(result.ok).toBe(true);
            expect(result.stats.matched).toBe(result.samples.length);
            expect(result.stats.processes).toBe(tree.procs.length - (pass === 0 ? 0 : removedCount));
            const reported = new Map(result.samples.map((s) => [s.pid, s]));
            expect(reported.size).toBe(result.samples.length);
            for (const s of result.samples) {
              const want = intact.get(s.pid);
              if (want !== undefined) {
                expect(s.starttime).toBe(want.starttime);
                expect(s.argv).toEqual(want.argv);
              } else {
                expect(mayReport.get(s.pid), `pid ${s.pid} reported but not there`).toBe(s.starttime);
              }
            }
            for (const pid of intact.keys()) expect(reported.has(pid), `intact pid ${pid} missed`).toBe(true);
            // Second pass: some processes exit; the kept fds must not resurrect them.
            for (const i of tree.removeAfterFirst) {
              const victim = tree.procs[i % Math.max(1, tree.procs.length)];
              if (victim === undefined || !existsSync(join(root, String(victim.pid)))) continue;
              removeFakeProcess(root, victim.pid);
              intact.delete(victim.pid);
              mayReport.delete(victim.pid);
              removedCount++;
            }
          }
        } finally {
          scanner.dispose();
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
