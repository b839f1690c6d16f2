/*
 * pathclass.h - one vocabulary for the exits of __alloc_pages across kernels.
 *
 * Each model names its own exits (2.4.0 passA ... final_reclaim, 2.6 fast ...
 * fail_oom).  To compare kernels every exit also belongs to one common class:
 *   fast     the first zonelist pass at the low watermark served it
 *   slow     a later pass without reclaim by the caller (kswapd woken, lower
 *            watermarks, no watermarks)
 *   reclaim  served after the caller reclaimed or waited for reclaim itself
 *   oom      served after the OOM killer was invoked (or waited for)
 *   fail     the allocation failed
 * Invariant: every path of every registered model has a class (a test checks).
 */
#ifndef ZS_PATHCLASS_H
#define ZS_PATHCLASS_H

#include "alloc/gfp.h"

enum zs_pathclass { ZS_PC_FAST, ZS_PC_SLOW, ZS_PC_RECLAIM, ZS_PC_OOM, ZS_PC_FAIL, ZS_NR_PC };

/* Class of the exit called `path` on kernel v; -1 when the name is unknown. */
int zs_pathclass_of(enum zs_kver v, const char *path);

/* "fast", "slow", "reclaim", "oom", "fail". */
const char *zs_pathclass_name(enum zs_pathclass c);

#endif
