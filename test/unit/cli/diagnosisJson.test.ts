// The JSON contract's activity fields: idleSeconds is present for the process and each worker,
// null when not known or not diagnosed (README "Command line").
import { describe, expect, it } from 'vitest';
import { diagnosisJson } from '../../../src/cli/diagnosisJson';
import { makeDiagnosis, makeWorker } from '../../helpers/diagnosis';
import { makeSample } from '../../helpers/samples';

describe('diagnosisJson idleSeconds', () => {
  it('carries idle time for the process and its workers', () => {
    const diagnosis = makeDiagnosis({ verdict: 'idle', idleSeconds: 2400 }, [
      makeWorker(101, 100, { verdict: 'idle', idleSeconds: 2398 }),
      makeWorker(102, 100, { verdict: 'spinning', cpuPercent: 99 }),
    ]);
    const json = diagnosisJson(makeSample({ diagnosis }));
    expect(json).toMatchObject({ activity: 'idle', idleSeconds: 2400 });
    expect(json.workers.map((w) => [w.pid, w.activity, w.idleSeconds])).toEqual([
      [101, 'idle', 2398],
      [102, 'spinning', null],
    ]);
  });

  it('is null, not absent, without a diagnosis', () => {
    const json = diagnosisJson(makeSample());
    expect(json).toHaveProperty('idleSeconds', null);
  });
});
