// The scan behind a long-running CLI loop (`watch`, `metrics`): one scanner kept across scans,
// so its cmdline fds stay open and every scan after the first is a steady one (see
// src/proc/fdCache.ts), instead of `procScan`'s cold one-shot scan each time; CPU percent is then
// measured from one scan to the next and the lineage of test children is remembered across
// them (src/proc/diagnosingScanner.ts). Recreated when
// the proc root changes; the matcher is rebuilt only when the patterns change. The CLI's twin
// of src/vscode/scanSource.ts, which cannot be shared from there (it is the editor's
// Disposable, and the CLI does not import src/vscode/).
import { DiagnosingScanner } from '../proc/diagnosingScanner';
import type { ScanResult } from '../proc/types';
import { createMatcher } from '../watchdog/match';
import type { WatchdogConfig } from '../watchdog/types';

/** New orphans examined per scan: scans repeat, so a crowded first one is spread over a few. */
const ORPHAN_BUDGET = 32;

export class KeptScanner {
  private scanner: DiagnosingScanner | null = null;
  private procRoot = '';
  private patternsKey = '';
  private matcher = createMatcher([]);

  /** `workspaces`: folders whose open files are listed in the diagnosis. */
  constructor(private readonly workspaces: readonly string[] = []) {}

  scan(config: WatchdogConfig): Promise<ScanResult> {
    if (this.scanner === null || config.procRoot !== this.procRoot) {
      this.scanner?.dispose();
      this.scanner = new DiagnosingScanner({ procRoot: config.procRoot });
      this.procRoot = config.procRoot;
    }
    const key = JSON.stringify(config.patterns);
    if (key !== this.patternsKey) {
      this.matcher = createMatcher(config.patterns);
      this.patternsKey = key;
    }
    return this.scanner.scan(this.matcher, config.reapers, {
      testChildren: config.testChildren,
      workspaces: this.workspaces,
      orphanBudget: ORPHAN_BUDGET,
    });
  }

  /** Closes the kept fds. */
  dispose(): void {
    this.scanner?.dispose();
    this.scanner = null;
  }
}
