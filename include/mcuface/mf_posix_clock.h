/* Host port (library mcuface_posix): a monotonic clock for benchmarks.
 * Thread safety: may be called from any thread. */
#ifndef MCUFACE_MF_POSIX_CLOCK_H
#define MCUFACE_MF_POSIX_CLOCK_H

/* Monotonic time in seconds (CLOCK_MONOTONIC), for measuring intervals. */
double mf_clock_seconds(void);
#endif
