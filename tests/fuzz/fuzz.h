/*
 * fuzz.h - helpers shared by the libFuzzer targets in tests/fuzz/ (`make fuzz`).
 * Test code only: each target feeds its input to one reader the way a zsim
 * command does, under ASan and UBSan, and must never crash, leak or hang.
 */
#ifndef ZS_FUZZ_H
#define ZS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The input as a file the readers can open by name ("/proc/self/fd/N"); NULL on failure.
 * zs_fuzz_file_close removes it. */
const char *zs_fuzz_file(const uint8_t *data, size_t size);
void zs_fuzz_file_close(void);

/* The input as a NUL-terminated string (static buffer); NULL when it holds a NUL
 * or names a device or /proc file a trace source would block on. */
const char *zs_fuzz_text(const uint8_t *data, size_t size);

struct zs_cfg;
/* The input loaded as the scenario "fuzz.yaml" (zs_fuzz_text first); NULL if refused. */
struct zs_cfg *zs_fuzz_load(const uint8_t *data, size_t size);

struct zs_machine_spec;
/* Pages of a scenario's machine (targets skip machines that would cost too much). */
uint64_t zs_fuzz_machine_pages(const struct zs_machine_spec *ms);

/* /dev/null for output the target does not look at. */
FILE *zs_fuzz_null(void);

struct zs_scenario;
/*
 * Run a parsed scenario with events on and every result file written to
 * /dev/null, cut at 1 s of CPU time (a valid scenario may ask for 1e12
 * allocations a second, a trace may span a year: that is the cost asked for,
 * not a bug).  The invariant checker's report (EX_SOFTWARE) aborts: the model
 * broke its own state.  Bad input, a missing trace or out of memory do not.
 */
void zs_fuzz_execute(struct zs_scenario *sc);

#endif
