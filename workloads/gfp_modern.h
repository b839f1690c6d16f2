/*
 * gfp_modern.h - gfp flags as modern kernels print them in kmem tracepoints,
 * and their meaning on the simulated kernels.
 *
 * A recorded trace names its flags (`GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP`,
 * `GFP_NOWAIT`, `none`, 2.6.32's `GFP_ZERO` without underscores, a trailing hex
 * remainder `|0x2`).  zsim keeps them as a mask of its OWN modern-flag bits, one
 * per name: the kernel's bit values were renumbered many times, so a hex value is
 * never decoded by position but kept as "unknown bits".  The mask then maps onto
 * a simulated kernel's mask (kernel-2.6.md §11.5), onto a page kind, and the
 * tracepoint's migratetype onto 2.6.24-2.6.32 numbering.
 *
 * Layout of a modern mask (uint64_t):
 *   bits 0..ZS_MGFP_NR_BITS-1   one bit per flag name (enum zs_mgfp_bit)
 *   bits 56..61                 the gfp class: the leading composite name as printed
 *                               (enum zs_mgfp_class), for histograms and CSV output
 *   bit 63                      ZS_MGFP_UNKNOWN: a name zsim does not know, or a hex
 *                               remainder, was present
 * Invariant: composites are expanded into their single bits when parsed, so the
 * flag bits alone say what the allocation may do; the class never adds meaning.
 *
 * KERNEL: modern include/trace/events/mmflags.h and include/linux/gfp_types.h for the
 * names; 2.6.32 include/trace/events/gfpflags.h for the underscore-less spellings.
 */
#ifndef ZS_GFP_MODERN_H
#define ZS_GFP_MODERN_H

#include <stddef.h>
#include <stdint.h>

#include "alloc/gfp.h"
#include "alloc/page.h" /* enum zs_page_kind */


/* One bit per single-flag name any kernel since 2.6.32 has printed. */
enum zs_mgfp_bit {
	ZS_MGFP_DMA_BIT,
	ZS_MGFP_HIGHMEM_BIT,
	ZS_MGFP_DMA32_BIT,
	ZS_MGFP_MOVABLE_BIT,
	ZS_MGFP_RECLAIMABLE_BIT,
	ZS_MGFP_HIGH_BIT,
	ZS_MGFP_IO_BIT,
	ZS_MGFP_FS_BIT,
	ZS_MGFP_ZERO_BIT,
	ZS_MGFP_ATOMIC_BIT,          /* 4.4-6.3 */
	ZS_MGFP_DIRECT_RECLAIM_BIT,  /* 4.4+; older __GFP_WAIT sets both reclaim bits */
	ZS_MGFP_KSWAPD_RECLAIM_BIT,
	ZS_MGFP_WRITE_BIT,
	ZS_MGFP_NOWARN_BIT,
	ZS_MGFP_RETRY_MAYFAIL_BIT,   /* 4.13+ */
	ZS_MGFP_REPEAT_BIT,          /* before 4.13 */
	ZS_MGFP_NOFAIL_BIT,
	ZS_MGFP_NORETRY_BIT,
	ZS_MGFP_MEMALLOC_BIT,
	ZS_MGFP_COMP_BIT,
	ZS_MGFP_NOMEMALLOC_BIT,
	ZS_MGFP_HARDWALL_BIT,
	ZS_MGFP_THISNODE_BIT,
	ZS_MGFP_ACCOUNT_BIT,
	ZS_MGFP_COLD_BIT,            /* before 4.15 */
	ZS_MGFP_NO_KSWAPD_BIT,       /* 2.6.38-4.3 */
	ZS_MGFP_OTHER_NODE_BIT,
	ZS_MGFP_NOTRACK_BIT,
	ZS_MGFP_ZEROTAGS_BIT,
	ZS_MGFP_SKIP_ZERO_BIT,
	ZS_MGFP_SKIP_KASAN_BIT,      /* also SKIP_KASAN_POISON / _UNPOISON */
	ZS_MGFP_NOLOCKDEP_BIT,
	ZS_MGFP_CMA_BIT,             /* Android trees */
	ZS_MGFP_NOACCOUNT_BIT,       /* 4.3-era */
	ZS_MGFP_NR_BITS
};

#define ZS_MGFP(name) (UINT64_C(1) << ZS_MGFP_##name##_BIT)
#define ZS_MGFP_FLAGS_MASK ((UINT64_C(1) << ZS_MGFP_NR_BITS) - 1)
#define ZS_MGFP_CLASS_SHIFT 56
#define ZS_MGFP_CLASS_MASK (UINT64_C(0x3f) << ZS_MGFP_CLASS_SHIFT)
#define ZS_MGFP_UNKNOWN (UINT64_C(1) << 63)

/* The leading composite name of a printed mask (what `gfp_<class>:` counts). */
enum zs_mgfp_class {
	ZS_MGFP_CLASS_MISSING = 0, /* the event had no gfp_flags field */
	ZS_MGFP_CLASS_NONE,        /* "none" (modern print of 0) */
	ZS_MGFP_CLASS_OTHER,       /* the first name is a single flag or unknown */
	ZS_MGFP_CLASS_TRANSHUGE,
	ZS_MGFP_CLASS_TRANSHUGE_LIGHT,
	ZS_MGFP_CLASS_HIGHUSER_MOVABLE,
	ZS_MGFP_CLASS_HIGHUSER,
	ZS_MGFP_CLASS_USER,
	ZS_MGFP_CLASS_KERNEL_ACCOUNT,
	ZS_MGFP_CLASS_KERNEL,
	ZS_MGFP_CLASS_NOFS,
	ZS_MGFP_CLASS_ATOMIC,
	ZS_MGFP_CLASS_NOIO,
	ZS_MGFP_CLASS_NOWAIT,
	ZS_MGFP_CLASS_DMA,
	ZS_MGFP_CLASS_DMA32,
	ZS_MGFP_CLASS_TEMPORARY,   /* 2.6-4.13 */
	ZS_MGFP_CLASS_IOFS,        /* 3.x */
	ZS_MGFP_NR_CLASSES
};

/* Hints the mask carries that are not a flag of the simulated kernel. */
#define ZS_MGFP_HINT_MEMALLOC 0x1u /* __GFP_MEMALLOC: behave like a PF_MEMALLOC caller */

/*
 * Parse the text of a gfp_flags field (len bytes, no NUL needed) into a modern
 * mask with its class.  Never fails: unknown names and hex remainders set
 * ZS_MGFP_UNKNOWN; *hex_rest (may be NULL) receives the OR of hex remainders.
 * Returns the number of tokens that were not recognised (hex included).
 */
unsigned zs_gfp_modern_parse(const char *s, size_t len, uint64_t *mask, uint64_t *hex_rest);

/* The class stored in a mask (enum zs_mgfp_class). */
static inline unsigned
zs_gfp_modern_class(uint64_t mask)
{
	return (unsigned)((mask & ZS_MGFP_CLASS_MASK) >> ZS_MGFP_CLASS_SHIFT);
}

/* "GFP_KERNEL", "none", "other", "missing" for a class number; "?" when out of range. */
const char *zs_gfp_modern_class_name(unsigned cls);

/*
 * Write mask as a modern kernel would print it (class composite first, then
 * `__GFP_` singles, "|unknown" when ZS_MGFP_UNKNOWN, "none" for 0).  Returns buf.
 */
const char *zs_gfp_modern_format(uint64_t mask, char *buf, size_t len);

/*
 * The simulated kernel v's mask for a modern mask (kernel-2.6.md §11.5); *hints
 * (may be NULL) receives ZS_MGFP_HINT_* bits for meaning v has no flag for.
 */
uint32_t zs_gfp_modern_to_kernel(enum zs_kver v, uint64_t mask, unsigned *hints);

/* The page kind an allocation with this modern mask most likely is. */
enum zs_page_kind zs_gfp_modern_page_kind(uint64_t mask);

/*
 * A modern kernel's migratetype (0 unmovable, 1 movable, 2 reclaimable) in the
 * 2.6.24-2.6.32 numbering (0 unmovable, 1 reclaimable, 2 movable).  Types beyond
 * the three (HIGHATOMIC, CMA, ISOLATE) and unknown (-1) are recomputed from the
 * gfp mask, as 2.6.32's allocflags_to_migratetype() would.
 */
int zs_migratetype_from_modern(int modern_mt, uint64_t gfp_modern);

#endif
