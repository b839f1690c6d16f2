/* gfp.c - GFP names and masks of each simulated kernel; see gfp.h. */
#include "alloc/gfp.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "sim/diag.h"

struct gfp_name {
	const char *name; /* without leading underscores */
	uint32_t v24, v2618, v2632;
	unsigned char in24, in2618, in2632; /* exists in that version */
	unsigned char composite;
};

/*
 * Composites first (zs_gfp_format prints greedily in this order, as the
 * kernel's own show_gfp_flags does), then single bits.
 * KERNEL: 2.4.0 include/linux/mm.h; 2.6.18 / 2.6.32 include/linux/gfp.h.
 */
static const struct gfp_name names[] = {
	{"GFP_HIGHUSER_MOVABLE", 0, 0, GFP26_HIGHUSER_MOVABLE, 0, 0, 1, 1},
	{"GFP_HIGHUSER", GFP24_HIGHUSER, GFP26_HIGHUSER, GFP26_HIGHUSER, 1, 1, 1, 1},
	{"GFP_TEMPORARY", 0, 0, GFP26_TEMPORARY, 0, 0, 1, 1},
	{"GFP_USER", GFP24_USER, GFP26_USER, GFP26_USER, 1, 1, 1, 1},
	{"GFP_KERNEL", GFP24_KERNEL, GFP26_KERNEL, GFP26_KERNEL, 1, 1, 1, 1},
	{"GFP_NFS", GFP24_NFS, 0, 0, 1, 0, 0, 1},
	{"GFP_BUFFER", GFP24_BUFFER, 0, 0, 1, 0, 0, 1},
	{"GFP_KSWAPD", GFP24_KSWAPD, 0, 0, 1, 0, 0, 1},
	{"GFP_NOFS", 0, GFP26_NOFS, GFP26_NOFS, 0, 1, 1, 1},
	{"GFP_NOIO", 0, GFP26_NOIO, GFP26_NOIO, 0, 1, 1, 1},
	{"GFP_ATOMIC", GFP24_ATOMIC, GFP26_ATOMIC, GFP26_ATOMIC, 1, 1, 1, 1},
	{"GFP_NOWAIT", 0, GFP26_NOWAIT, GFP26_NOWAIT, 0, 1, 1, 1},
	{"GFP_DMA", GFP24_DMA, GFP26_DMA, GFP26_DMA, 1, 1, 1, 1},
	{"GFP_DMA32", 0, GFP26_DMA32, GFP26_DMA32, 0, 1, 1, 1},
	{"GFP_HIGHMEM", GFP24_HIGHMEM, GFP26_HIGHMEM, GFP26_HIGHMEM, 1, 1, 1, 1},
	/* single bits */
	{"GFP_WAIT", GFP24_WAIT, GFP26_WAIT, GFP26_WAIT, 1, 1, 1, 0},
	{"GFP_HIGH", GFP24_HIGH, GFP26_HIGH, GFP26_HIGH, 1, 1, 1, 0},
	{"GFP_IO", GFP24_IO, GFP26_IO, GFP26_IO, 1, 1, 1, 0},
	{"GFP_FS", 0, GFP26_FS, GFP26_FS, 0, 1, 1, 0},
	{"GFP_COLD", 0, GFP26_COLD, GFP26_COLD, 0, 1, 1, 0},
	{"GFP_NOWARN", 0, GFP26_NOWARN, GFP26_NOWARN, 0, 1, 1, 0},
	{"GFP_REPEAT", 0, GFP26_REPEAT, GFP26_REPEAT, 0, 1, 1, 0},
	{"GFP_NOFAIL", 0, GFP26_NOFAIL, GFP26_NOFAIL, 0, 1, 1, 0},
	{"GFP_NORETRY", 0, GFP26_NORETRY, GFP26_NORETRY, 0, 1, 1, 0},
	{"GFP_COMP", 0, GFP26_COMP, GFP26_COMP, 0, 1, 1, 0},
	{"GFP_ZERO", 0, GFP26_ZERO, GFP26_ZERO, 0, 1, 1, 0},
	{"GFP_NOMEMALLOC", 0, GFP26_NOMEMALLOC, GFP26_NOMEMALLOC, 0, 1, 1, 0},
	{"GFP_HARDWALL", 0, GFP26_HARDWALL, GFP26_HARDWALL, 0, 1, 1, 0},
	{"GFP_THISNODE", 0, 0, GFP26_THISNODE, 0, 0, 1, 0},
	{"GFP_RECLAIMABLE", 0, 0, GFP26_RECLAIMABLE, 0, 0, 1, 0},
	{"GFP_MOVABLE", 0, 0, GFP26_MOVABLE, 0, 0, 1, 0},
};

#define NR_NAMES (sizeof(names) / sizeof(names[0]))

/*
 * Portable names: so that one scenario runs on every kernel, a name a version
 * lacks stands for what that version used for the same allocations.
 * KERNEL: 2.6.23 added GFP_HIGHUSER_MOVABLE for what 2.6.18 allocated with
 * GFP_HIGHUSER; 2.4.9 split GFP_NOFS / GFP_NOIO off what 2.4.0 allocated with
 * GFP_KERNEL / GFP_BUFFER (kernel-2.4.md §14.2); GFP_NOWAIT is 0 in 2.6.
 */
static const struct {
	const char *name, *as;
} portable[] = {
	{"GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER"},
	{"GFP_TEMPORARY", "GFP_KERNEL"},
	{"GFP_NOFS", "GFP_KERNEL"},
	{"GFP_NOIO", "GFP_BUFFER"},
};

/*
 * Hint bits a version may lack and that change nothing there (mobility
 * grouping, pcp hot/cold, warnings, zeroing, compound pages, retry policy of
 * 2.6): they are dropped on a version without them.  Zone bits and composites
 * not listed above are never dropped: asking for a zone the kernel does not
 * have is an error.
 */
static const char *const droppable[] = {
	"GFP_FS",      "GFP_COLD",     "GFP_NOWARN",     "GFP_REPEAT",   "GFP_NOFAIL",
	"GFP_NORETRY", "GFP_COMP",     "GFP_ZERO",       "GFP_NOMEMALLOC", "GFP_HARDWALL",
	"GFP_THISNODE", "GFP_RECLAIMABLE", "GFP_MOVABLE", "GFP_NOWAIT",   NULL};

static const char *const kver_names[ZS_KV_COUNT] = {"2.4.0", "2.6.18", "2.6.32"};

const char *
zs_kver_name(enum zs_kver v)
{
	return (unsigned)v < ZS_KV_COUNT ? kver_names[v] : "?";
}

int
zs_kver_parse(const char *s, enum zs_kver *out)
{
	if (!strcmp(s, "2.4") || !strcmp(s, "2.4.0"))
		*out = ZS_KV_24;
	else if (!strcmp(s, "2.6.18"))
		*out = ZS_KV_2618;
	else if (!strcmp(s, "2.6.32") || !strcmp(s, "2.6"))
		*out = ZS_KV_2632;
	else
		return -1;
	return 0;
}

static int
exists(const struct gfp_name *n, enum zs_kver v)
{
	return v == ZS_KV_24 ? n->in24 : v == ZS_KV_2618 ? n->in2618 : n->in2632;
}

static uint32_t
value(const struct gfp_name *n, enum zs_kver v)
{
	return v == ZS_KV_24 ? n->v24 : v == ZS_KV_2618 ? n->v2618 : n->v2632;
}

int
zs_gfp_parse(enum zs_kver v, const char *s, uint32_t *mask, struct zs_error *err)
{
	uint32_t m = 0;
	const char *p = s;

	if (!*s)
		return zs_error_set(err, EX_DATAERR, "empty gfp flags (GFP_NOWAIT is the name of 0)");
	while (*p) {
		char tok[64];
		size_t len = strcspn(p, "|");
		size_t i = 0;

		while (len > 0 && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len == 0 || len >= sizeof(tok))
			return zs_error_set(err, EX_DATAERR, "bad gfp flags '%s'", s);
		memcpy(tok, p, len);
		tok[len] = '\0';
		p += strcspn(p, "|");
		if (*p == '|')
			p++;
		if (isdigit((unsigned char)tok[0])) {
			char *end;
			unsigned long x = strtoul(tok, &end, 0);

			if (*end)
				return zs_error_set(err, EX_DATAERR, "bad gfp value '%s'", tok);
			m |= (uint32_t)x;
			continue;
		}
		const char *name = tok;
		while (*name == '_')
			name++;
		for (i = 0; i < NR_NAMES; i++)
			if (!strcasecmp(names[i].name, name))
				break;
		if (i == NR_NAMES)
			return zs_error_set(err, EX_DATAERR, "unknown gfp flag '%s'", tok);
		if (!exists(&names[i], v)) {
			size_t j, d;

			for (j = 0; j < sizeof(portable) / sizeof(portable[0]); j++)
				if (!strcmp(portable[j].name, names[i].name))
					break;
			if (j < sizeof(portable) / sizeof(portable[0])) {
				uint32_t alias;

				if (zs_gfp_parse(v, portable[j].as, &alias, err))
					return -1;
				m |= alias;
				continue;
			}
			for (d = 0; droppable[d]; d++)
				if (!strcmp(droppable[d], names[i].name))
					break;
			if (droppable[d])
				continue;
			return zs_error_set(err, EX_DATAERR, "gfp flag '%s' does not exist in %s", tok,
					    zs_kver_name(v));
		}
		m |= value(&names[i], v);
	}
	/* KERNEL: 2.6.32 include/linux/gfp.h allocflags_to_migratetype() WARNs on both bits
	 * and yields MIGRATE_RESERVE (3), past the per-cpu lists: refused, not followed */
	if (v == ZS_KV_2632 && (m & (GFP26_MOVABLE | GFP26_RECLAIMABLE)) ==
				       (GFP26_MOVABLE | GFP26_RECLAIMABLE))
		return zs_error_set(err, EX_DATAERR,
				    "gfp flags '%s' set both __GFP_MOVABLE and __GFP_RECLAIMABLE: "
				    "2.6.32 makes that MIGRATE_RESERVE, which no allocation may ask for",
				    s);
	*mask = m;
	return 0;
}

const char *
zs_gfp_format(enum zs_kver v, uint32_t mask, char *buf, unsigned len)
{
	uint32_t left = mask;
	size_t at = 0;

	buf[0] = '\0';
	/* composites first, the widest that still fits, then single bits */
	for (;;) {
		const struct gfp_name *best = NULL;

		for (size_t i = 0; i < NR_NAMES; i++) {
			uint32_t x = value(&names[i], v);

			if (!exists(&names[i], v) || !x || (left & x) != x)
				continue;
			if (!best || __builtin_popcount(x) > __builtin_popcount(value(best, v)) ||
			    (best->composite < names[i].composite &&
			     __builtin_popcount(x) == __builtin_popcount(value(best, v))))
				best = &names[i];
		}
		if (!best)
			break;
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s%s%s", at ? "|" : "",
				       best->composite ? "" : "__", best->name);
		left &= ~value(best, v);
	}
	if (left)
		at += (size_t)snprintf(buf + at, at < len ? len - at : 0, "%s0x%x", at ? "|" : "",
				       left);
	if (!at)
		snprintf(buf, len, "%s", v == ZS_KV_24 ? "0" : "GFP_NOWAIT");
	return buf;
}
