/* fuzz_trace_auto.c - format detection and the .xz / .gz decoders before every reader; see fuzz_trace.h. */
#define FUZZ_FORMAT ZS_TRACE_AUTO
#include "tests/fuzz/fuzz_trace.h"
