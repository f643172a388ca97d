// Kernel constants Node cannot ask for (it has no sysconf binding).

/**
 * Clock ticks per second used by /proc/<pid>/stat times (fields 14, 15, 22). USER_HZ is 100 on
 * every Linux ABI (the kernel converts from its internal HZ before exporting), so it is
 * hard-coded here once, as prometheus/procfs does; callers take it as a parameter so tests can
 * override it.
 */
export const USER_HZ = 100;

/** Page size for stat field 24 (rss, in pages). 4096 on x86-64 and the common arm64 kernels. */
export const PAGE_SIZE_BYTES = 4096;
