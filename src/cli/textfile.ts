// `metrics --textfile PATH`: node_exporter's textfile collector reads every `*.prom` file in its
// directory at each scrape, so a half-written file would be scraped as broken metrics. Written
// atomically: a temp file in the same directory (same filesystem, so rename is atomic; its name
// does not end in .prom, so the collector never reads it), then renamed over PATH.
import { rename, unlink, writeFile } from 'node:fs/promises';

/** Null when written, else one line saying why not. */
export async function writeTextfileAtomic(path: string, text: string): Promise<string | null> {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o644 });
    await rename(temp, path);
    return null;
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    return `cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}

/** On a clean stop: a file left behind would keep its series (and alerts) alive forever. */
export async function removeTextfile(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}
