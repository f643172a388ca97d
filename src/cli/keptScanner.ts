// The scan behind a long-running CLI loop (`metrics`): one ProcScanner kept across scans, so
// its cmdline fds stay open and every scan after the first is a steady one (see
// src/proc/fdCache.ts), instead of `procScan`'s cold one-shot scan each time. Recreated when
// the proc root changes; the matcher is rebuilt only when the patterns change. The CLI's twin
// of src/vscode/scanSource.ts, which cannot be shared from there (it is the editor's
// Disposable, and the CLI does not import src/vscode/).
import { ProcScanner } from '../proc/reader';
import type { ScanResult } from '../proc/types';
import { createMatcher } from '../watchdog/match';
import type { WatchdogConfig } from '../watchdog/types';

export class KeptScanner {
  private scanner: ProcScanner | null = null;
  private procRoot = '';
  private patternsKey = '';
  private matcher = createMatcher([]);

  scan(config: WatchdogConfig): Promise<ScanResult> {
    if (this.scanner === null || config.procRoot !== this.procRoot) {
      this.scanner?.dispose();
      this.scanner = new ProcScanner({ procRoot: config.procRoot });
      this.procRoot = config.procRoot;
    }
    const key = JSON.stringify(config.patterns);
    if (key !== this.patternsKey) {
      this.matcher = createMatcher(config.patterns);
      this.patternsKey = key;
    }
    return this.scanner.scan(this.matcher, config.reapers);
  }

  /** Closes the kept fds. */
  dispose(): void {
    this.scanner?.dispose();
    this.scanner = null;
  }
}
