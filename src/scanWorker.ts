// The scan worker: the editor's KeptScanner on a thread of its own, so /proc is read off the
// extension host's event loop (issue 11: no stall over 5 ms; on 2 cores a sliced scan on the
// main thread still waited behind V8's own compiler threads). Messages: src/proc/scanWorkerProtocol.ts.
// Requests are handled one at a time, in order: a dispose waits for the scan before it.
import { parentPort, workerData } from 'node:worker_threads';
import { KeptScanner } from './proc/keptScanner';
import type { FromScanWorker, ScanWorkerData, ToScanWorker } from './proc/scanWorkerProtocol';
import { createMatcher } from './watchdog/match';

const port = parentPort;
if (port !== null) {
  const post = (message: FromScanWorker): void => port.postMessage(message);
  let workspaces: readonly string[] = [];
  const scanner = new KeptScanner({
    createMatcher,
    workspaces: () => workspaces,
    store: {
      load: () => (workerData as ScanWorkerData | null)?.lineage,
      save: (state) => post({ type: 'lineage', state }),
    },
  });
  const handle = async (message: ToScanWorker): Promise<void> => {
    if (message.type === 'scan') {
      workspaces = message.workspaces;
      post({ type: 'result', id: message.id, result: await scanner.scan(message.config) });
    } else {
      scanner.dispose(); // the kept fds belong to the process, not to this thread: close them
      post({ type: 'disposed' });
    }
  };
  let queue = Promise.resolve();
  port.on('message', (message: ToScanWorker) => {
    queue = queue.then(() => handle(message)).catch(() => undefined);
  });
}
