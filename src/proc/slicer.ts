// Cooperative slicing for synchronous /proc work: yield to the event loop (setImmediate) once a
// stretch has run `sliceMs`, so the extension host never stalls (PERF-NOTES: sync reads sliced
// every ~2 ms are both fast and gentle on the event loop). Callers test `due()` and await only
// then: awaiting on every unit of work would cost a microtask turn each, hundreds a scan.
import { performance } from 'node:perf_hooks';

export class Slicer {
  private start = performance.now();
  constructor(private readonly sliceMs: number) {}

  /** The slice has run out: the caller should `await pause()` before more work. */
  due(): boolean {
    return performance.now() - this.start >= this.sliceMs;
  }

  /** Yields to the event loop and starts a new slice. */
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.start = performance.now();
  }
}
