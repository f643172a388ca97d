// The bench's read-count table (src/cli/benchReads.ts): reads per scan by kind, cold and steady,
// and the rules of issues 11 and 13 with PASS/FAIL.

/**
 * @param {import('../src/cli/benchReads.js').ReadsReport} r the last node run's count
 */
export function printReads(r) {
  const kinds = [...new Set([...Object.keys(r.cold), ...Object.keys(r.steady)])];
  /** @type {(counts: Record<string, number | undefined>) => string} */
  const line = (counts) =>
    kinds
      .filter((k) => (counts[k] ?? 0) > 0)
      .map((k) => `${k} ${counts[k]}`)
      .join(', ');
  const verdict = (/** @type {boolean} */ ok) => (ok ? 'PASS' : 'FAIL');
  const broken = Object.entries(r.violations);
  const orphanFds = r.fdScans['orphan'] ?? 0;
  const cwdOutside = Object.entries(r.cwdReads).filter(([role]) => role === 'other' || role === 'parent');
  console.log(
    `\nReads per scan (a separate counting scanner, ${r.scans} scans; ${r.diagnosed} diagnosed, ` +
      `${r.descendants} descendants, ${r.orphans} children of init):`,
  );
  console.log(`  cold (first) scan:   ${line(r.cold)}`);
  console.log(`  steady (last) scan:  ${line(r.steady)}`);
  const rows = [
    [
      'extra reads only for matches, their descendants (and orphans, issue 13)',
      verdict(broken.length === 0),
      broken.length === 0 ? 'no read outside the rules' : broken.map(([k, n]) => `${k}: ${n}`).join(', '),
    ],
    [
      'net tables at most once per scan',
      verdict(r.maxNetTables <= 4),
      `at most ${r.maxNetTables} table files in one scan (4 = tcp, tcp6, udp, udp6 once; fewer once every socket looked up is found)`,
    ],
    [
      'cwd links only for orphans and lineage (and diagnosed runs)',
      verdict(cwdOutside.length === 0),
      Object.entries(r.cwdReads)
        .map(([role, n]) => `${role} ${n}`)
        .join(', '),
    ],
    [
      'fd scans of orphans: each undecided one once',
      verdict(orphanFds <= r.orphans),
      `${orphanFds} orphan fd scans over ${r.scans} scans, ${r.orphans} orphans; steady scan: ${r.steady.fdList ?? 0} fd listings`,
    ],
  ];
  const width = Math.max(...rows.map((row) => (row[0] ?? '').length));
  for (const [label = '', v = '', info = ''] of rows) console.log(`  ${label.padEnd(width)}  ${v}  ${info}`);
}
