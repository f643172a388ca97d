// The messages between the editor's main thread and the scan worker (src/scanWorker.ts, driven
// by src/proc/workerScanner.ts). Plain data only: they cross threads by structured clone.
import type { KeptScanConfig } from './keptScanner';
import type { LineageState } from './lineage';
import type { ScanResult } from './types';

/** workerData of a new scan worker. */
export interface ScanWorkerData {
  /** The lineage saved earlier (untrusted: validated by the scanner). */
  readonly lineage: unknown;
}

export type ToScanWorker =
  | {
      readonly type: 'scan';
      readonly id: number;
      readonly config: KeptScanConfig;
      readonly workspaces: readonly string[];
    }
  | { readonly type: 'dispose' };

export type FromScanWorker =
  | { readonly type: 'result'; readonly id: number; readonly result: ScanResult }
  | { readonly type: 'lineage'; readonly state: LineageState }
  | { readonly type: 'disposed' };
