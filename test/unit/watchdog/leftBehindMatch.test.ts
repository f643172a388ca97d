import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { LEFT_BEHIND_PATTERN, withLeftBehind } from '../../../src/watchdog/leftBehindMatch';
import { createMatcher } from '../../../src/watchdog/match';
import type { ProcessRow } from '../../../src/watchdog/viewModel';
import { makeDiagnosis, makeWorker } from '../../helpers/diagnosis';
import { LEFT_BY_CWD, makeSample, modelOf } from '../../helpers/samples';

function rows(samples: ProcessSample[]): ProcessRow[] {
  return [...modelOf(samples).all];
}

describe('withLeftBehind (the kill root check for processes no pattern matches)', () => {
  const base = createMatcher(['pytest']);
  const spinner = makeSample({
    pid: 300,
    argv: ['python', '-c', 'while True: pass'],
    leftBy: LEFT_BY_CWD,
  });

  it('accepts exactly the argv of a left-behind row being killed, and still every pattern match', () => {
    const m = withLeftBehind(base, rows([spinner]));
    expect(m.match(['python', '-c', 'while True: pass'])).toBe(LEFT_BEHIND_PATTERN);
    expect(m.match(['python', '-c', 'while True: pass', 'x'])).toBeNull();
    expect(m.match(['python', '-m', 'pytest'])).toBe('pytest');
  });

  it('accepts nothing more for matched rows, workers, or no rows', () => {
    const run = makeSample({
      pid: 100,
      argv: ['python', '-m', 'pytest', '-n', '2'],
      diagnosis: makeDiagnosis({}, [makeWorker(101, 100, { argv: ['python', '-c', 'w'] })]),
    });
    const all = rows([run]);
    const workers = all.flatMap((r) => r.children);
    expect(withLeftBehind(base, [...all, ...workers])).toBe(base);
    expect(withLeftBehind(base, [])).toBe(base);
    expect(withLeftBehind(base, workers).match(['python', '-c', 'w'])).toBeNull();
  });
});
