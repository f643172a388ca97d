// The editor's scan source: a KeptScanner in a worker thread (src/scanWorker.ts), so reading
// /proc never holds the extension host's event loop; the main thread only posts a request and
// takes the result. Same contract as KeptScanner: `scan` never rejects (a worker that fails or
// exits gives a failed ScanResult naming why, and the next scan starts a new one), and `dispose`
// closes the kept fds (the worker closes them: fds belong to the process, not to the thread).
import { Worker } from 'node:worker_threads';
import type { KeptScanConfig, LineageStore } from './keptScanner';
import type { FromScanWorker, ScanWorkerData, ToScanWorker } from './scanWorkerProtocol';
import type { ScanResult } from './types';

export interface WorkerScannerOptions {
  /** The bundled src/scanWorker.ts (dist/scanWorker.js). */
  readonly script: string;
  readonly workspaces?: () => readonly string[];
  readonly store?: LineageStore;
  /** How long dispose waits for the worker to close its fds before ending it anyway. */
  readonly disposeTimeoutMs?: number;
}

function failedScan(error: string): ScanResult {
  return {
    ok: false,
    error,
    uptimeSeconds: 0,
    samples: [],
    stats: { processes: 0, matched: 0, vanished: 0, denied: 0, malformed: 0, durationMs: 0 },
  };
}

export class WorkerScanner {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, (result: ScanResult) => void>();
  private nextId = 1;

  constructor(private readonly options: WorkerScannerOptions) {}

  scan(config: KeptScanConfig): Promise<ScanResult> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.pending.set(id, resolve);
      try {
        const worker = this.worker ?? this.start();
        const workspaces = this.options.workspaces?.() ?? [];
        worker.postMessage({ type: 'scan', id, config, workspaces } satisfies ToScanWorker);
      } catch (error) {
        this.pending.delete(id);
        resolve(failedScan(`cannot start the scan worker: ${String(error)}`));
      }
    });
  }

  /** Closes the kept fds (in the worker), then ends it; the next scan starts a new worker. */
  dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker === null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        void worker.terminate().then(
          () => resolve(),
          () => resolve(),
        );
      };
      const timer = setTimeout(end, this.options.disposeTimeoutMs ?? 2000);
      worker.on('message', (message: FromScanWorker) => {
        if (message.type === 'disposed') end();
      });
      worker.on('exit', end);
      worker.postMessage({ type: 'dispose' } satisfies ToScanWorker);
    });
  }

  private start(): Worker {
    const data: ScanWorkerData = { lineage: this.load() };
    const worker = new Worker(this.options.script, { workerData: data });
    worker.on('message', (message: FromScanWorker) => {
      if (message.type === 'result') {
        const resolve = this.pending.get(message.id);
        this.pending.delete(message.id);
        resolve?.(message.result);
      } else if (message.type === 'lineage') {
        try {
          this.options.store?.save(message.state);
        } catch {
          // A failed write is retried when the lineage changes next.
        }
      }
    });
    worker.on('error', (error) => this.fail(worker, `the scan worker failed: ${String(error)}`));
    worker.on('exit', (code) => this.fail(worker, `the scan worker exited (code ${code})`));
    this.worker = worker;
    return worker;
  }

  /** Every scan still waiting on `worker` gets a failed result; the next scan starts afresh. */
  private fail(worker: Worker, error: string): void {
    if (this.worker === worker) this.worker = null;
    for (const resolve of this.pending.values()) resolve(failedScan(error));
    this.pending.clear();
  }

  private load(): unknown {
    try {
      return this.options.store?.load();
    } catch {
      return undefined;
    }
  }
}
