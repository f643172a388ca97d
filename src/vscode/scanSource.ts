// The scanner behind the Monitor: one ProcScanner (and its kept fds) for the current proc root,
// recreated when procRoot changes; the matcher is rebuilt only when the patterns change.
import type * as vscode from 'vscode';
import { ProcScanner } from '../proc/reader';
import type { ScanResult } from '../proc/types';
import { createMatcher } from '../watchdog/match';
import type { WatchdogConfig } from '../watchdog/types';

export class ScanSource implements vscode.Disposable {
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

  dispose(): void {
    this.scanner?.dispose();
    this.scanner = null;
  }
}
