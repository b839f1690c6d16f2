/* fuzz_trace_native.c - the native trace reader; see fuzz_trace.h. */
#define FUZZ_FORMAT ZS_TRACE_NATIVE
#include "tests/fuzz/fuzz_trace.h"
