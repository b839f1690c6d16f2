/*
 * support.h - helpers shared by the Criterion tests: building machines,
 * running the zsim binary, reading files.  Test code only.
 */
#ifndef ZS_TEST_SUPPORT_H
#define ZS_TEST_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "alloc/machine.h"
#include "alloc/policy.h"

/* A one-node machine with the given zones (type, pages) pairs; cpus CPUs. */
struct zs_machine *zt_machine(int cpus, int nzones, const enum zs_zone_type *types,
			      const uint64_t *pages);

/* Run the zsim binary (ZSIM_BIN, default ./zsim) with a shell command tail; returns the
 * exit status, stderr captured into err (may be NULL). */
int zt_zsim(const char *args, char *err, size_t errlen);

/* Read a whole file into a malloc'd NUL-terminated buffer (NULL if absent). */
char *zt_read_file(const char *path, size_t *len);

/* A fresh directory /tmp/zsim-TAG.XXXXXX (name into dir), and its removal. */
void zt_tmpdir(char *dir, size_t len, const char *tag);
void zt_rm_rf(const char *dir);

/* Do two files exist with the same bytes? */
int zt_same_file(const char *a, const char *b);

/* Does a path exist? */
int zt_exists(const char *path);

/* Where the value of `key: ` starts in summary.txt text; cr_assert when absent. */
const char *zt_summary_find(const char *sum, const char *key);

/* A native trace written to a fresh /tmp/zsim-test-trace-XXXXXX (name into path,
 * 64 bytes): open it, put page events (pid 1, time and line from *seq, which
 * counts them), finish it. */
struct zs_trace_writer;
struct zs_trace_writer *zt_native_open(char *path, FILE **f);
void zt_native_put(struct zs_trace_writer *w, int kind, uint64_t pfn, unsigned order, uint64_t *seq);
void zt_native_finish(struct zs_trace_writer *w, FILE *f, uint64_t seq);

struct zs_error;
/* Load and parse scenario text named t.yaml and build its run, which must fail:
 * err holds the message (the test fails if the run could be built). */
void zt_scenario_must_fail(const char *yaml, struct zs_error *err);

/* A test-only model: buddy 2.6 discipline, allocation from the first zone of the
 * request's node that has the block, no watermarks, no reclaim. */
extern const struct zs_policy_ops zt_policy_fake;

#endif
