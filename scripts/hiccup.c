/*
 * What the machine does to a program that never yields (scripts/bench.mjs): a loop that only
 * reads the monotonic clock for SECONDS and counts the gaps between two readings, which can only
 * be time the kernel or the hypervisor took the CPU away. Compared with the bench's event-loop
 * stretches, it tells which part of a stall is the scanner's and which the machine's.
 * Usage: hiccup SECONDS. Prints one JSON line: seconds, gaps over 2 and 5 ms, the worst in ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 10;
  double start = now_ms(), last = start, worst = 0;
  int over2 = 0, over5 = 0;
  for (;;) {
    double t = now_ms(), gap = t - last;
    if (gap > 2) over2++;
    if (gap > 5) over5++;
    if (gap > worst) worst = gap;
    last = t;
    if (t - start >= seconds * 1e3) break;
  }
  printf("{\"seconds\":%.1f,\"over2\":%d,\"over5\":%d,\"worstMs\":%.2f}\n", seconds, over2, over5, worst);
  return 0;
}
