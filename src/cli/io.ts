// The terminal as the commands see it: line writers and a question, so commands are testable
// with an in-memory io and never touch process.stdout directly. Every line and question passes
// terminalLine on its way out: whatever a command forgot to sanitize, no escape sequence from a
// command line (OSC retitling the terminal, `ESC [2J` clearing it) reaches the terminal raw.
import { createInterface } from 'node:readline';
import { hasUnsafeText, sanitize } from '../watchdog/sanitize';

/**
 * Text as the terminal gets it: controls, bidi and invisible characters escaped but line breaks
 * kept (the metrics exposition is one multi-line write), nothing cut (the commands cap their
 * own pieces, and sanitize already turned any line break inside outside text into `\n`). JSON
 * lines are written with safeJson, which leaves nothing for this to change.
 */
function terminalLine(line: string): string {
  return hasUnsafeText(line, true)
    ? sanitize(line, { maxChars: Number.POSITIVE_INFINITY, keepNewlines: true })
    : line;
}

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** stdout is a terminal (colour and tables are welcome). */
  readonly isTTY: boolean;
  /** A person can answer a question on stdin. */
  readonly interactive: boolean;
  /** Ask a question; resolves with the answer line, or null on EOF. */
  prompt(question: string): Promise<string | null>;
}

export function processIo(): CliIo {
  return {
    stdout: (line) => void process.stdout.write(`${terminalLine(line)}\n`),
    stderr: (line) => void process.stderr.write(`${terminalLine(line)}\n`),
    isTTY: process.stdout.isTTY === true,
    interactive: process.stdin.isTTY === true,
    prompt: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        let answered = false;
        rl.on('close', () => {
          if (!answered) resolve(null);
        });
        rl.question(terminalLine(question), (answer) => {
          answered = true;
          rl.close();
          resolve(answer);
        });
      }),
  };
}

/** An io that records lines (tests, or capturing a command's output). */
export function memoryIo(answers: readonly string[] = []): CliIo & { out: string[]; err: string[] } {
  const queue = [...answers];
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (line) => void out.push(line),
    stderr: (line) => void err.push(line),
    isTTY: false,
    interactive: answers.length > 0,
    prompt: (question) => {
      err.push(question);
      return Promise.resolve(queue.shift() ?? null);
    },
  };
}
