/* fuzz_trace_ftrace.c - the ftrace trace reader; see fuzz_trace.h. */
#define FUZZ_FORMAT ZS_TRACE_FTRACE
#include "tests/fuzz/fuzz_trace.h"
