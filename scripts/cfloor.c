/*
 * The floor the Node reader is measured against (scripts/bench.mjs): the least a full /proc scan
 * can do. readdir(/proc), then open/read/close of every <pid>/cmdline with one read() into a
 * reused buffer, and nothing else (no stat even for matches, so the floor is strict).
 * Usage: cfloor PROC_ROOT RUNS NEEDLE. Prints one JSON line: per-run wall and CPU (user + system)
 * milliseconds, and counts. CPU time is what the scan costs even when other work on the machine
 * preempts it; wall time is what a caller waits.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[131072];

static double clock_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  const char *root = argc > 1 ? argv[1] : "/proc";
  int runs = argc > 2 ? atoi(argv[2]) : 10;
  const char *needle = argc > 3 ? argv[3] : "pytest";
  size_t needle_len = strlen(needle);
  char path[4096];
  double wall[1000], cpu[1000];
  if (runs > 1000) runs = 1000;
  int processes = 0, matched = 0;
  for (int r = 0; r < runs; r++) {
    double start = clock_ms(CLOCK_MONOTONIC), cpu_start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    DIR *dir = opendir(root);
    if (!dir) { perror(root); return 1; }
    struct dirent *entry;
    processes = 0;
    matched = 0;
    while ((entry = readdir(dir)) != NULL) {
      if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
      processes++;
      snprintf(path, sizeof path, "%s/%s/cmdline", root, entry->d_name);
      int fd = open(path, O_RDONLY);
      if (fd < 0) continue;
      ssize_t n = read(fd, buf, sizeof buf);
      close(fd);
      if (n > 0 && memmem(buf, (size_t)n, needle, needle_len)) matched++;
    }
    closedir(dir);
    wall[r] = clock_ms(CLOCK_MONOTONIC) - start;
    cpu[r] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
  }
  printf("{\"runsMs\":[");
  for (int r = 0; r < runs; r++) printf("%s%.3f", r ? "," : "", wall[r]);
  printf("],\"cpuMs\":[");
  for (int r = 0; r < runs; r++) printf("%s%.3f", r ? "," : "", cpu[r]);
  printf("],\"processes\":%d,\"matched\":%d}\n", processes, matched);
  return 0;
}
