/*
 * gfp.h - GFP flag bits of each simulated kernel, with their composites.
 *
 * A request carries its gfp mask in the simulated kernel's own numbering (the
 * values a /proc dump or an era failure message shows), so 2.4.0 and 2.6 masks
 * are not interchangeable: zs_gfp_parse() turns a symbolic name such as
 * "GFP_KERNEL|__GFP_COLD" into the mask of the version asked for.
 *
 * KERNEL: 2.4.0 include/linux/mm.h; 2.6.18 and 2.6.32 include/linux/gfp.h.
 */
#ifndef ZS_GFP_H
#define ZS_GFP_H

#include <stdint.h>

struct zs_error;

/* The kernel versions zsim models. */
enum zs_kver {
	ZS_KV_24 = 0,   /* 2.4.0, the Rik van Riel VM */
	ZS_KV_2618 = 1, /* 2.6.18: single __alloc_pages, hot/cold pcp, no migratetypes */
	ZS_KV_2632 = 2, /* 2.6.32: fast path + __alloc_pages_slowpath, migratetypes */
	ZS_KV_COUNT
};

/* "2.4.0", "2.6.18", "2.6.32". */
const char *zs_kver_name(enum zs_kver v);
/* Parse "2.4", "2.4.0", "2.6.18", "2.6.32", "2.6"; returns -1 when unknown. */
int zs_kver_parse(const char *s, enum zs_kver *out);

/* ---- 2.4.0 (include/linux/mm.h) ---- */
#define GFP24_WAIT    0x01u
#define GFP24_HIGH    0x02u
#define GFP24_IO      0x04u
#define GFP24_DMA     0x08u
#define GFP24_HIGHMEM 0x10u
#define GFP24_BUFFER   (GFP24_HIGH | GFP24_WAIT)
#define GFP24_ATOMIC   (GFP24_HIGH)
#define GFP24_USER     (GFP24_WAIT | GFP24_IO)
#define GFP24_HIGHUSER (GFP24_WAIT | GFP24_IO | GFP24_HIGHMEM)
#define GFP24_KERNEL   (GFP24_HIGH | GFP24_WAIT | GFP24_IO)
#define GFP24_NFS      (GFP24_HIGH | GFP24_WAIT | GFP24_IO)
#define GFP24_KSWAPD   (GFP24_IO)

/* ---- 2.6 (include/linux/gfp.h); values shared by 2.6.18 and 2.6.32 unless noted ---- */
#define GFP26_DMA         0x01u
#define GFP26_HIGHMEM     0x02u
#define GFP26_DMA32       0x04u
#define GFP26_MOVABLE     0x08u     /* 2.6.32 only (zone bit since 2.6.31) */
#define GFP26_WAIT        0x10u
#define GFP26_HIGH        0x20u
#define GFP26_IO          0x40u
#define GFP26_FS          0x80u
#define GFP26_COLD        0x100u
#define GFP26_NOWARN      0x200u
#define GFP26_REPEAT      0x400u
#define GFP26_NOFAIL      0x800u
#define GFP26_NORETRY     0x1000u
#define GFP26_COMP        0x4000u
#define GFP26_ZERO        0x8000u
#define GFP26_NOMEMALLOC  0x10000u
#define GFP26_HARDWALL    0x20000u
#define GFP26_THISNODE    0x40000u  /* 2.6.19+ */
#define GFP26_RECLAIMABLE 0x80000u  /* 2.6.24+ */

#define GFP26_NOWAIT   0u
#define GFP26_ATOMIC   (GFP26_HIGH)
#define GFP26_NOIO     (GFP26_WAIT)
#define GFP26_NOFS     (GFP26_WAIT | GFP26_IO)
#define GFP26_KERNEL   (GFP26_WAIT | GFP26_IO | GFP26_FS)
#define GFP26_TEMPORARY (GFP26_KERNEL | GFP26_RECLAIMABLE)
#define GFP26_USER     (GFP26_KERNEL | GFP26_HARDWALL)
#define GFP26_HIGHUSER (GFP26_USER | GFP26_HIGHMEM)
#define GFP26_HIGHUSER_MOVABLE (GFP26_HIGHUSER | GFP26_MOVABLE)

/*
 * Parse a '|'-separated list of flag and composite names (with or without the
 * leading "__", e.g. "GFP_KERNEL|__GFP_COLD", or a number such as "0xd0") into
 * version v's mask.  A name the version does not have (GFP_NOFS on 2.4.0,
 * __GFP_MOVABLE on 2.6.18) is an error naming it.  Returns 0 or -1.
 */
int zs_gfp_parse(enum zs_kver v, const char *s, uint32_t *mask, struct zs_error *err);

/* Write "GFP_KERNEL|__GFP_COLD"-style text for mask in version v; returns buf. */
const char *zs_gfp_format(enum zs_kver v, uint32_t mask, char *buf, unsigned len);

#endif
