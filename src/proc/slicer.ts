// Cooperative slicing for synchronous /proc work: yield to the event loop (setImmediate) once a
// stretch has run `sliceMs`, so the extension host never stalls (PERF-NOTES: sync reads sliced
// every ~2 ms are both fast and gentle on the event loop).
import { performance } from 'node:perf_hooks';

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class Slicer {
  private start = performance.now();
  constructor(private readonly sliceMs: number) {}

  /** Call between units of work: returns at once while the slice lasts, else yields first. */
  async step(): Promise<void> {
    if (performance.now() - this.start < this.sliceMs) return;
    await yieldToLoop();
    this.start = performance.now();
  }
}
