/* gfp_modern.c - modern gfp_flags text to zsim's modern mask, and onto 2.4/2.6; see gfp_modern.h. */
#include "workloads/gfp_modern.h"

#include <stdio.h>
#include <string.h>

#define B(name) ZS_MGFP(name)

/* Composite definitions (recent mainline gfp_types.h, kernel-2.6.md §11.5). */
#define M_RECLAIM (B(DIRECT_RECLAIM) | B(KSWAPD_RECLAIM))
#define M_KERNEL (M_RECLAIM | B(IO) | B(FS))
#define M_NOFS (M_RECLAIM | B(IO))
#define M_NOIO (M_RECLAIM)
#define M_USER (M_KERNEL | B(HARDWALL))
#define M_HIGHUSER (M_USER | B(HIGHMEM))
/* DEVIATION: modern GFP_HIGHUSER_MOVABLE also carries __GFP_SKIP_KASAN, which no
 * simulated kernel has; leaving it out keeps the mask to what matters. */
#define M_HIGHUSER_MOVABLE (M_HIGHUSER | B(MOVABLE))
#define M_TRANSHUGE_LIGHT \
	((M_HIGHUSER_MOVABLE | B(COMP) | B(NOMEMALLOC) | B(NOWARN)) & ~M_RECLAIM)
#define M_TRANSHUGE (M_TRANSHUGE_LIGHT | B(DIRECT_RECLAIM))
/* DEVIATION: GFP_ATOMIC is HIGH|KSWAPD_RECLAIM as in recent mainline; 4.4-6.3 kernels
 * also set __GFP_ATOMIC, which maps to nothing on 2.6 anyway (implied by !__GFP_WAIT). */
#define M_ATOMIC (B(HIGH) | B(KSWAPD_RECLAIM))
/* DEVIATION: recent mainline's GFP_NOWAIT also implies __GFP_NOWARN, older ones do not,
 * and 2.6.32 prints GFP_NOWAIT for an empty mask; the name alone cannot say which
 * kernel printed it, so only the kswapd bit (which every 2.6 allocation has) is set. */
#define M_NOWAIT (B(KSWAPD_RECLAIM))

/* Which spellings a table entry accepts. */
#define PLAIN 1u    /* "GFP_X" */
#define PREFIXED 2u /* "__GFP_X" */
#define EITHER (PLAIN | PREFIXED)

struct gfp_name {
	const char *name; /* without the leading "__" */
	unsigned char len;
	unsigned char spelling; /* PLAIN / PREFIXED / EITHER */
	unsigned char cls;      /* enum zs_mgfp_class when it leads the list, 0 if never a class */
	uint64_t bits;
};

#define N(s) s, sizeof(s) - 1

/*
 * Composites come first in the order the kernel prints them, so the formatter can
 * walk this table the way mmflags.h's __def_gfpflag_names does.  Single flags are
 * accepted with or without "__" (2.6.32 prints "GFP_ZERO"), except GFP_ATOMIC and
 * GFP_DMA(32), whose plain spellings are the composites.
 */
static const struct gfp_name names[] = {
	{ N("GFP_TRANSHUGE"), PLAIN, ZS_MGFP_CLASS_TRANSHUGE, M_TRANSHUGE },
	{ N("GFP_TRANSHUGE_LIGHT"), PLAIN, ZS_MGFP_CLASS_TRANSHUGE_LIGHT, M_TRANSHUGE_LIGHT },
	{ N("GFP_HIGHUSER_MOVABLE"), PLAIN, ZS_MGFP_CLASS_HIGHUSER_MOVABLE, M_HIGHUSER_MOVABLE },
	{ N("GFP_HIGHUSER"), PLAIN, ZS_MGFP_CLASS_HIGHUSER, M_HIGHUSER },
	{ N("GFP_USER"), PLAIN, ZS_MGFP_CLASS_USER, M_USER },
	{ N("GFP_KERNEL_ACCOUNT"), PLAIN, ZS_MGFP_CLASS_KERNEL_ACCOUNT, M_KERNEL | B(ACCOUNT) },
	{ N("GFP_KERNEL"), PLAIN, ZS_MGFP_CLASS_KERNEL, M_KERNEL },
	{ N("GFP_NOFS"), PLAIN, ZS_MGFP_CLASS_NOFS, M_NOFS },
	{ N("GFP_ATOMIC"), PLAIN, ZS_MGFP_CLASS_ATOMIC, M_ATOMIC },
	{ N("GFP_NOIO"), PLAIN, ZS_MGFP_CLASS_NOIO, M_NOIO },
	{ N("GFP_NOWAIT"), PLAIN, ZS_MGFP_CLASS_NOWAIT, M_NOWAIT },
	{ N("GFP_DMA"), PLAIN, ZS_MGFP_CLASS_DMA, B(DMA) },
	{ N("GFP_DMA32"), PLAIN, ZS_MGFP_CLASS_DMA32, B(DMA32) },
	{ N("GFP_TEMPORARY"), PLAIN, ZS_MGFP_CLASS_TEMPORARY, M_KERNEL | B(RECLAIMABLE) },
	{ N("GFP_IOFS"), PLAIN, ZS_MGFP_CLASS_IOFS, B(IO) | B(FS) },
	/* two-bit names that are not classes */
	{ N("GFP_RECLAIM"), EITHER, 0, M_RECLAIM },
	/* 2.6-4.3 __GFP_WAIT: may sleep and reclaim; kswapd was woken unless NO_KSWAPD */
	{ N("GFP_WAIT"), EITHER, 0, M_RECLAIM },
	/* single flags */
	{ N("GFP_DMA"), PREFIXED, 0, B(DMA) },
	{ N("GFP_DMA32"), PREFIXED, 0, B(DMA32) },
	{ N("GFP_ATOMIC"), PREFIXED, 0, B(ATOMIC) },
	{ N("GFP_HIGHMEM"), EITHER, 0, B(HIGHMEM) },
	{ N("GFP_MOVABLE"), EITHER, 0, B(MOVABLE) },
	{ N("GFP_RECLAIMABLE"), EITHER, 0, B(RECLAIMABLE) },
	{ N("GFP_HIGH"), EITHER, 0, B(HIGH) },
	{ N("GFP_IO"), EITHER, 0, B(IO) },
	{ N("GFP_FS"), EITHER, 0, B(FS) },
	{ N("GFP_ZERO"), EITHER, 0, B(ZERO) },
	{ N("GFP_DIRECT_RECLAIM"), EITHER, 0, B(DIRECT_RECLAIM) },
	{ N("GFP_KSWAPD_RECLAIM"), EITHER, 0, B(KSWAPD_RECLAIM) },
	{ N("GFP_WRITE"), EITHER, 0, B(WRITE) },
	{ N("GFP_NOWARN"), EITHER, 0, B(NOWARN) },
	{ N("GFP_RETRY_MAYFAIL"), EITHER, 0, B(RETRY_MAYFAIL) },
	{ N("GFP_REPEAT"), EITHER, 0, B(REPEAT) },
	{ N("GFP_NOFAIL"), EITHER, 0, B(NOFAIL) },
	{ N("GFP_NORETRY"), EITHER, 0, B(NORETRY) },
	{ N("GFP_MEMALLOC"), EITHER, 0, B(MEMALLOC) },
	{ N("GFP_COMP"), EITHER, 0, B(COMP) },
	{ N("GFP_NOMEMALLOC"), EITHER, 0, B(NOMEMALLOC) },
	{ N("GFP_HARDWALL"), EITHER, 0, B(HARDWALL) },
	/* 2.6.32 prints __GFP_THISNODE as "GFP_THISNODE"; the 2.6 composite of that
	 * name is never printed, so the plain spelling is the single flag too. */
	{ N("GFP_THISNODE"), EITHER, 0, B(THISNODE) },
	{ N("GFP_ACCOUNT"), EITHER, 0, B(ACCOUNT) },
	{ N("GFP_COLD"), EITHER, 0, B(COLD) },
	{ N("GFP_NO_KSWAPD"), EITHER, 0, B(NO_KSWAPD) },
	{ N("GFP_OTHER_NODE"), EITHER, 0, B(OTHER_NODE) },
	{ N("GFP_NOTRACK"), EITHER, 0, B(NOTRACK) },
	{ N("GFP_NOTRACK_FALSE_POSITIVE"), EITHER, 0, B(NOTRACK) },
	{ N("GFP_ZEROTAGS"), EITHER, 0, B(ZEROTAGS) },
	{ N("GFP_SKIP_ZERO"), EITHER, 0, B(SKIP_ZERO) },
	{ N("GFP_SKIP_KASAN"), EITHER, 0, B(SKIP_KASAN) },
	{ N("GFP_SKIP_KASAN_POISON"), EITHER, 0, B(SKIP_KASAN) },
	{ N("GFP_SKIP_KASAN_UNPOISON"), EITHER, 0, B(SKIP_KASAN) },
	{ N("GFP_NOLOCKDEP"), EITHER, 0, B(NOLOCKDEP) },
	{ N("GFP_CMA"), EITHER, 0, B(CMA) },
	{ N("GFP_NOACCOUNT"), EITHER, 0, B(NOACCOUNT) },
};

#define NR_NAMES (sizeof(names) / sizeof(names[0]))

static const char *const class_names[ZS_MGFP_NR_CLASSES] = {
	[ZS_MGFP_CLASS_MISSING] = "missing",
	[ZS_MGFP_CLASS_NONE] = "none",
	[ZS_MGFP_CLASS_OTHER] = "other",
	[ZS_MGFP_CLASS_TRANSHUGE] = "GFP_TRANSHUGE",
	[ZS_MGFP_CLASS_TRANSHUGE_LIGHT] = "GFP_TRANSHUGE_LIGHT",
	[ZS_MGFP_CLASS_HIGHUSER_MOVABLE] = "GFP_HIGHUSER_MOVABLE",
	[ZS_MGFP_CLASS_HIGHUSER] = "GFP_HIGHUSER",
	[ZS_MGFP_CLASS_USER] = "GFP_USER",
	[ZS_MGFP_CLASS_KERNEL_ACCOUNT] = "GFP_KERNEL_ACCOUNT",
	[ZS_MGFP_CLASS_KERNEL] = "GFP_KERNEL",
	[ZS_MGFP_CLASS_NOFS] = "GFP_NOFS",
	[ZS_MGFP_CLASS_ATOMIC] = "GFP_ATOMIC",
	[ZS_MGFP_CLASS_NOIO] = "GFP_NOIO",
	[ZS_MGFP_CLASS_NOWAIT] = "GFP_NOWAIT",
	[ZS_MGFP_CLASS_DMA] = "GFP_DMA",
	[ZS_MGFP_CLASS_DMA32] = "GFP_DMA32",
	[ZS_MGFP_CLASS_TEMPORARY] = "GFP_TEMPORARY",
	[ZS_MGFP_CLASS_IOFS] = "GFP_IOFS",
};

/* Single-flag names for the formatter, by bit. */
static const char *const bit_names[ZS_MGFP_NR_BITS] = {
	[ZS_MGFP_DMA_BIT] = "__GFP_DMA",
	[ZS_MGFP_HIGHMEM_BIT] = "__GFP_HIGHMEM",
	[ZS_MGFP_DMA32_BIT] = "__GFP_DMA32",
	[ZS_MGFP_MOVABLE_BIT] = "__GFP_MOVABLE",
	[ZS_MGFP_RECLAIMABLE_BIT] = "__GFP_RECLAIMABLE",
	[ZS_MGFP_HIGH_BIT] = "__GFP_HIGH",
	[ZS_MGFP_IO_BIT] = "__GFP_IO",
	[ZS_MGFP_FS_BIT] = "__GFP_FS",
	[ZS_MGFP_ZERO_BIT] = "__GFP_ZERO",
	[ZS_MGFP_ATOMIC_BIT] = "__GFP_ATOMIC",
	[ZS_MGFP_DIRECT_RECLAIM_BIT] = "__GFP_DIRECT_RECLAIM",
	[ZS_MGFP_KSWAPD_RECLAIM_BIT] = "__GFP_KSWAPD_RECLAIM",
	[ZS_MGFP_WRITE_BIT] = "__GFP_WRITE",
	[ZS_MGFP_NOWARN_BIT] = "__GFP_NOWARN",
	[ZS_MGFP_RETRY_MAYFAIL_BIT] = "__GFP_RETRY_MAYFAIL",
	[ZS_MGFP_REPEAT_BIT] = "__GFP_REPEAT",
	[ZS_MGFP_NOFAIL_BIT] = "__GFP_NOFAIL",
	[ZS_MGFP_NORETRY_BIT] = "__GFP_NORETRY",
	[ZS_MGFP_MEMALLOC_BIT] = "__GFP_MEMALLOC",
	[ZS_MGFP_COMP_BIT] = "__GFP_COMP",
	[ZS_MGFP_NOMEMALLOC_BIT] = "__GFP_NOMEMALLOC",
	[ZS_MGFP_HARDWALL_BIT] = "__GFP_HARDWALL",
	[ZS_MGFP_THISNODE_BIT] = "__GFP_THISNODE",
	[ZS_MGFP_ACCOUNT_BIT] = "__GFP_ACCOUNT",
	[ZS_MGFP_COLD_BIT] = "__GFP_COLD",
	[ZS_MGFP_NO_KSWAPD_BIT] = "__GFP_NO_KSWAPD",
	[ZS_MGFP_OTHER_NODE_BIT] = "__GFP_OTHER_NODE",
	[ZS_MGFP_NOTRACK_BIT] = "__GFP_NOTRACK",
	[ZS_MGFP_ZEROTAGS_BIT] = "__GFP_ZEROTAGS",
	[ZS_MGFP_SKIP_ZERO_BIT] = "__GFP_SKIP_ZERO",
	[ZS_MGFP_SKIP_KASAN_BIT] = "__GFP_SKIP_KASAN",
	[ZS_MGFP_NOLOCKDEP_BIT] = "__GFP_NOLOCKDEP",
	[ZS_MGFP_CMA_BIT] = "__GFP_CMA",
	[ZS_MGFP_NOACCOUNT_BIT] = "__GFP_NOACCOUNT",
};

/* The table entry for one token, or NULL. */
static const struct gfp_name *
lookup(const char *s, size_t len)
{
	unsigned spelling = PLAIN;

	if (len > 2 && s[0] == '_' && s[1] == '_') {
		s += 2;
		len -= 2;
		spelling = PREFIXED;
	}
	for (size_t i = 0; i < NR_NAMES; i++) {
		const struct gfp_name *n = &names[i];

		if (n->len == len && (n->spelling & spelling) && memcmp(n->name, s, len) == 0)
			return n;
	}
	return NULL;
}

/* Parse "0x..." (after the 0x) as hex; returns 0 when not all hex digits. */
static int
parse_hex(const char *s, size_t len, uint64_t *v)
{
	uint64_t x = 0;

	if (len == 0 || len > 16)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return 0;
		x = (x << 4) | d;
	}
	*v = x;
	return 1;
}

unsigned
zs_gfp_modern_parse(const char *s, size_t len, uint64_t *mask, uint64_t *hex_rest)
{
	uint64_t m = 0, hex = 0;
	unsigned unknown = 0, cls = ZS_MGFP_CLASS_OTHER;
	size_t i = 0;
	int first = 1;

	if (len == 0)
		cls = ZS_MGFP_CLASS_NONE;
	while (i <= len) {
		size_t j = i;

		while (j < len && s[j] != '|')
			j++;
		const char *tok = s + i;
		size_t tlen = j - i;
		const struct gfp_name *n = NULL;
		uint64_t v;

		if (tlen == 4 && memcmp(tok, "none", 4) == 0) {
			if (first)
				cls = ZS_MGFP_CLASS_NONE;
		} else if (tlen > 2 && tok[0] == '0' && (tok[1] | 0x20) == 'x' &&
			   parse_hex(tok + 2, tlen - 2, &v)) {
			/* A remainder the kernel had no name for: by bit position it means
			 * different things on different kernels, so it stays unknown. */
			hex |= v;
			if (v)
				m |= ZS_MGFP_UNKNOWN;
			unknown++;
		} else if ((n = lookup(tok, tlen)) != NULL) {
			m |= n->bits;
			if (first && n->cls && tok[0] != '_')
				cls = n->cls;
		} else if (tlen > 0) {
			m |= ZS_MGFP_UNKNOWN;
			unknown++;
		}
		first = 0;
		i = j + 1;
	}
	*mask = m | ((uint64_t)cls << ZS_MGFP_CLASS_SHIFT);
	if (hex_rest)
		*hex_rest = hex;
	return unknown;
}

const char *
zs_gfp_modern_class_name(unsigned cls)
{
	return cls < ZS_MGFP_NR_CLASSES ? class_names[cls] : "?";
}

/* Append "|name" (or "name" at the start) to buf; keeps buf NUL-terminated. */
static void
append(char *buf, size_t len, size_t *pos, const char *name)
{
	int n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? "|" : "", name);

	if (n > 0)
		*pos = (*pos + (size_t)n < len) ? *pos + (size_t)n : len - 1;
}

const char *
zs_gfp_modern_format(uint64_t mask, char *buf, size_t len)
{
	uint64_t rest = mask & ZS_MGFP_FLAGS_MASK;
	unsigned cls = zs_gfp_modern_class(mask);
	size_t pos = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < NR_NAMES && cls > ZS_MGFP_CLASS_OTHER; i++) {
		if (names[i].cls == cls) {
			append(buf, len, &pos, names[i].name);
			rest &= ~names[i].bits;
			break;
		}
	}
	for (unsigned b = 0; b < ZS_MGFP_NR_BITS; b++)
		if (rest & (UINT64_C(1) << b))
			append(buf, len, &pos, bit_names[b]);
	if (mask & ZS_MGFP_UNKNOWN)
		append(buf, len, &pos, "unknown");
	if (pos == 0)
		append(buf, len, &pos, "none");
	return buf;
}

/* KERNEL: kernel-2.6.md §11.5 mapping table, modern token -> 2.6 bit. */
static uint32_t
to_26(enum zs_kver v, uint64_t m)
{
	static const struct {
		uint64_t modern;
		uint32_t k26;
	} same[] = {
		{ B(DMA), GFP26_DMA },         { B(HIGHMEM), GFP26_HIGHMEM },
		{ B(DMA32), GFP26_DMA32 },     { B(MOVABLE), GFP26_MOVABLE },
		{ B(HIGH), GFP26_HIGH },       { B(IO), GFP26_IO },
		{ B(FS), GFP26_FS },           { B(COLD), GFP26_COLD },
		{ B(NOWARN), GFP26_NOWARN },   { B(REPEAT), GFP26_REPEAT },
		{ B(RETRY_MAYFAIL), GFP26_REPEAT },
		{ B(NOFAIL), GFP26_NOFAIL },   { B(NORETRY), GFP26_NORETRY },
		{ B(COMP), GFP26_COMP },       { B(ZERO), GFP26_ZERO },
		{ B(NOMEMALLOC), GFP26_NOMEMALLOC },
		{ B(HARDWALL), GFP26_HARDWALL },
		{ B(THISNODE), GFP26_THISNODE },
		{ B(RECLAIMABLE), GFP26_RECLAIMABLE },
		/* __GFP_RECLAIM and __GFP_DIRECT_RECLAIM are 2.6's __GFP_WAIT; the kswapd
		 * bit alone maps to nothing, since 2.6 always wakes kswapd once the fast
		 * path fails. */
		{ B(DIRECT_RECLAIM), GFP26_WAIT },
	};
	uint32_t k = 0;

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (m & same[i].modern)
			k |= same[i].k26;
	if (v == ZS_KV_2618) {
		/* 2.6.18 has no mobility grouping (2.6.24) and no zone MOVABLE, so
		 * GFP_HIGHUSER_MOVABLE becomes GFP_HIGHUSER; __GFP_THISNODE is 2.6.19+. */
		k &= ~(GFP26_MOVABLE | GFP26_RECLAIMABLE | GFP26_THISNODE);
	}
	return k;
}

/*
 * 2.4.0 has only WAIT, HIGH, IO, DMA and HIGHMEM, and every kernel-internal
 * composite that may sleep (GFP_KERNEL, GFP_BUFFER, GFP_NFS) carries __GFP_HIGH
 * while the user ones (GFP_USER, GFP_HIGHUSER) do not.  So a sleeping allocation
 * without __GFP_HARDWALL (a kernel one) gets HIGH.  With no __GFP_FS in 2.4.0:
 *   GFP_NOFS (may do IO, not FS)  -> GFP_KERNEL (HIGH|WAIT|IO),
 *   GFP_NOIO (may sleep, no IO)   -> GFP_BUFFER (HIGH|WAIT),
 * the values later 2.4 kernels gave GFP_NOFS and GFP_NOIO when they added the names.
 * DMA32 does not exist; such pages come from ZONE_NORMAL.
 */
static uint32_t
to_24(uint64_t m)
{
	uint32_t k = 0;

	if (m & B(DIRECT_RECLAIM))
		k |= GFP24_WAIT;
	if (m & B(IO))
		k |= GFP24_IO;
	if ((m & B(HIGH)) || ((m & B(DIRECT_RECLAIM)) && !(m & B(HARDWALL))))
		k |= GFP24_HIGH;
	if (m & B(DMA))
		k |= GFP24_DMA;
	if (m & B(HIGHMEM))
		k |= GFP24_HIGHMEM;
	return k;
}

uint32_t
zs_gfp_modern_to_kernel(enum zs_kver v, uint64_t mask, unsigned *hints)
{
	if (hints)
		*hints = (mask & B(MEMALLOC)) ? ZS_MGFP_HINT_MEMALLOC : 0;
	/* Dropped everywhere (§11.5): ATOMIC (implied by !WAIT), ACCOUNT, WRITE, ZEROTAGS,
	 * SKIP_*, NOLOCKDEP, NOTRACK, CMA, NO_KSWAPD, OTHER_NODE, NOACCOUNT. */
	if (v == ZS_KV_24)
		return to_24(mask);
	return to_26(v, mask);
}

enum zs_page_kind
zs_gfp_modern_page_kind(uint64_t m)
{
	/* __GFP_WRITE is only set by the page cache's write path (grab_cache_page_write_begin). */
	if (m & B(WRITE))
		return ZS_KIND_FILE_DIRTY;
	/* Reclaimable slab and inode/dentry pages: kernel memory to every 2.x model. */
	if (m & B(RECLAIMABLE))
		return ZS_KIND_KERNEL;
	if (m & B(HARDWALL)) {
		/* A user-class page allocated without __GFP_FS comes from a filesystem that
		 * restricted its mapping's gfp (readahead under fs locks): page cache.  Anonymous
		 * faults always use the full GFP_HIGHUSER_MOVABLE. */
		if (!(m & B(FS)))
			return ZS_KIND_FILE_CLEAN;
		/* DEVIATION: a page-cache read allocates with the same GFP_HIGHUSER_MOVABLE as
		 * an anonymous fault; the tracepoint does not say which it was (the comm does
		 * not either), so every such page is taken as anonymous. */
		return ZS_KIND_ANON;
	}
	/* GFP_KERNEL, GFP_NOFS, GFP_NOIO, GFP_ATOMIC, GFP_NOWAIT, none.
	 * DEVIATION: ZS_KIND_BUFFER is never produced: modern kernels keep buffer heads
	 * on page-cache pages, so no allocation is recognisably a 2.4 buffer page. */
	return ZS_KIND_KERNEL;
}

int
zs_migratetype_from_modern(int modern_mt, uint64_t gfp_modern)
{
	/* KERNEL: modern include/linux/mmzone.h MIGRATE_UNMOVABLE 0, MOVABLE 1, RECLAIMABLE 2;
	 * 2.6.32 include/linux/mmzone.h UNMOVABLE 0, RECLAIMABLE 1, MOVABLE 2. */
	switch (modern_mt) {
	case 0:
		return 0;
	case 1:
		return 2;
	case 2:
		return 1;
	default:
		break;
	}
	/* KERNEL: 2.6.32 include/linux/gfp.h allocflags_to_migratetype(). */
	if (gfp_modern & B(MOVABLE))
		return 2;
	if (gfp_modern & B(RECLAIMABLE))
		return 1;
	return 0;
}
