// The cheap test every cmdline gets before it is decoded and matched: does any needle (a
// pattern's program or module name) occur in it at all? Pure; the reader calls it per pid.

/** Bytes: a kept fd's cmdline, read into the shared buffer. An empty needle is everywhere. */
export function hasNeedle(raw: Buffer, needles: readonly Buffer[]): boolean {
  // A plain byte loop rather than Buffer#indexOf: a cmdline is tens of bytes, and indexOf is a
  // validated JS wrapper around a C++ call, once per needle per pid, every scan.
  for (const needle of needles) {
    if (needle.length === 0) return true; // as indexOf: the empty string is everywhere
    const first = needle[0];
    const last = raw.length - needle.length;
    for (let i = 0; i <= last; i++) {
      if (raw[i] !== first) continue;
      let j = 1;
      while (j < needle.length && raw[i + j] === needle[j]) j++;
      if (j === needle.length) return true;
    }
  }
  return false;
}

/** Text: the first scan's cmdlines, read as UTF-8 in one call each (see ScanState.textPrefilter). */
export function hasTextNeedle(text: string, needles: readonly string[]): boolean {
  for (const needle of needles) if (text.includes(needle)) return true;
  return false;
}
