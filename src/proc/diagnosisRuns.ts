// The runs one diagnosing scan works on, and the steps around them that are not the diagnosis
// itself: the two CPU readings of a one-shot scan, and remembering a run's descendants (lineage).
import type { CpuReading } from './activity';
import { basetempOf } from './basetemp';
import type { DiagReader } from './diagRead';
import { firstReading } from './diagnose';
import type { Diagnosis, LeftBy } from './diagnosisTypes';
import type { Lineage } from './lineage';
import { parseUptime } from './parseUptime';
import { discoverDescendants, restat } from './runTree';
import type { Subject } from './runTree';
import type { Slicer } from './slicer';
import type { ProcessSample } from './types';

/** One run to diagnose: a matched sample, or a process left behind by tests. */
export interface Run {
  sample: ProcessSample;
  subject: Subject;
  cwd: string | null;
  descendants: Subject[];
  complete: boolean;
  leftBy: LeftBy | null;
}

/** The first of two readings (one-shot scan), of every process about to be diagnosed. */
export function firstReadings(
  reader: DiagReader,
  runs: readonly Run[],
  now: number,
): Map<string, CpuReading> {
  const readings = new Map<string, CpuReading>();
  for (const run of runs) {
    for (const s of [run.subject, ...run.descendants]) {
      const fresh = restat(reader, s);
      if (fresh !== null) readings.set(s.key, firstReading(reader, fresh, now));
    }
  }
  return readings;
}

/** The second reading: each run's root read again, its descendants found again. */
export async function resample(
  reader: DiagReader,
  runs: readonly Run[],
  slicer: Slicer,
  userHz: number,
): Promise<Run[]> {
  const out: Run[] = [];
  for (const run of runs) {
    if (slicer.due()) await slicer.pause();
    const subject = restat(reader, run.subject);
    if (subject === null) continue; // exited during the pause
    const tree = discoverDescendants(reader, subject);
    const sample: ProcessSample = {
      ...run.sample,
      state: subject.state,
      cpuSeconds: subject.cpuTicks / userHz,
    };
    out.push({ ...run, sample, subject, ...tree });
  }
  return out;
}

/** /proc/uptime now, seconds; null when unreadable. */
export function readUptime(reader: DiagReader): number | null {
  try {
    const parsed = parseUptime(reader.readCapped(`${reader.rootSlash}uptime`, 256).text);
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}

/** Every descendant of a matched run is remembered with the basetemp its cwd or files showed. */
export function rememberWorkers(lineage: Lineage, run: Run, diagnosis: Diagnosis, now: number): void {
  for (const w of diagnosis.workers) {
    const place = w.run.cwd === null ? null : basetempOf(w.run.cwd, lineage.basetemps);
    lineage.remember(
      {
        pid: w.pid,
        starttime: w.starttime,
        run: run.subject.key,
        pattern: run.sample.pattern,
        basetemp: place?.basetemp ?? w.holds.basetemp,
        testDir: place?.testDir ?? null,
      },
      now,
    );
  }
}
