/* fuzz_trace_perf.c - the perf trace reader; see fuzz_trace.h. */
#define FUZZ_FORMAT ZS_TRACE_PERF
#include "tests/fuzz/fuzz_trace.h"
