// The live notification names the worst fact of a run and its stuck tests (issue 11), and says
// "left behind by tests" for a process no pattern matched (issue 13).
import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { identityKey } from '../../../src/proc/types';
import { afterTick, EMPTY_NOTE } from '../../../src/watchdog/liveNote';
import { composeNotification, englishText } from '../../../src/watchdog/notificationText';
import type { Words } from '../../../src/watchdog/notificationText';
import { formatAge } from '../../../src/watchdog/format';
import { makeDiagnosis, makeWorker } from '../../helpers/diagnosis';
import { makeSample, modelOf } from '../../helpers/samples';

const words: Words = {
  t: englishText,
  age: (s) => formatAge(s),
};

function message(samples: ProcessSample[]): string {
  const rows = modelOf(samples).all;
  const events = samples.map((s) => ({
    type: 'fire' as const,
    key: identityKey(s),
    pid: s.pid,
    starttime: s.starttime,
    ageSeconds: s.ageSeconds,
  }));
  const step = afterTick(EMPTY_NOTE, { events, rows, nowMs: 0 });
  return composeNotification(step.next, words)?.message ?? '';
}

const run = (workers: ReturnType<typeof makeWorker>[], over: Partial<ProcessSample> = {}): ProcessSample =>
  makeSample({
    pid: 100,
    argv: ['python3', '-m', 'pytest', '-n', '2', 'tests'],
    diagnosis: makeDiagnosis({ verdict: 'idle' }, workers),
    ...over,
  });

describe('notification with diagnosis', () => {
  it('names the port a worker holds and the stuck tests', () => {
    const text = message([
      run([
        makeWorker(101, 100, {
          tests: ['tests/test_x.py::test_holds_port'],
          listening: [{ proto: 'tcp', address: '0.0.0.0', port: 8000 }],
        }),
        makeWorker(102, 100, { tests: ['tests/test_x.py::test_sleeps'] }),
      ]),
    ]);
    expect(text).toContain('holds port 8000');
    expect(text).toContain('stuck in tests/test_x.py::test_holds_port, tests/test_x.py::test_sleeps');
  });

  it('says "burning a core" for a spinning run', () => {
    const text = message([
      run([makeWorker(101, 100, { verdict: 'spinning', cpuPercent: 99, tests: ['t.py::t'] })]),
    ]);
    expect(text).toContain('burning a core');
  });

  it('says how long a run has slept, with the tests it sleeps in', () => {
    const hangs = makeWorker(101, 100, { idleSeconds: 2400, tests: ['t.py::test_hangs'] });
    const text = message([
      run([], { diagnosis: makeDiagnosis({ verdict: 'idle', idleSeconds: 2500 }, [hangs]) }),
    ]);
    expect(text).toContain('idle for 40m, stuck in t.py::test_hangs');
  });

  it('says nothing more for a quiet orphan (no diagnosis, or idle)', () => {
    const text = message([makeSample({ pid: 7, argv: ['pytest', '-x'] })]);
    expect(text).toMatch(/^Blocking: pytest -x \(PID 7, [^)]*orphaned onto tini\)\./);
  });

  it('says "left behind by tests" for a process no pattern matched', () => {
    const text = message([
      makeSample({
        pid: 300,
        argv: ['python', 'divergent.py'],
        leftBy: {
          kind: 'pytest',
          evidence: 'cwd',
          basetemp: '/tmp/pytest-of-dev/pytest-3',
          run: null,
          testDir: null,
        },
        diagnosis: makeDiagnosis({ verdict: 'spinning', cpuPercent: 98 }),
      }),
    ]);
    expect(text).toContain('divergent, left behind by tests (PID 300');
    expect(text).toContain('burning a core');
  });

  it('keeps a hostile test id from forming a link', () => {
    const text = message([run([makeWorker(101, 100, { tests: ['t.py::[x](command:evil)'] })])]);
    expect(text).not.toContain('](command:evil');
  });
});
