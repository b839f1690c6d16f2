/* gen_util.c - task heap, gfp names, Zipf ranks for the generators; see gen_util.h. */
#include "workloads/gen_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/cfg.h"
#include "sim/rng.h"

/* ---- heap ---- */

static int
ent_less(const struct zs_evheap_ent *a, const struct zs_evheap_ent *b)
{
	if (a->time != b->time)
		return a->time < b->time;
	if (a->id != b->id)
		return a->id < b->id;
	return a->serial < b->serial;
}

int
zs_evheap_push(struct zs_evheap *h, int64_t time, uint32_t id, uint32_t serial)
{
	if (h->n == h->cap) {
		uint32_t cap = h->cap ? h->cap * 2 : 64;
		struct zs_evheap_ent *e = realloc(h->e, (size_t)cap * sizeof(*e));

		if (!e)
			return -1;
		h->e = e;
		h->cap = cap;
	}
	struct zs_evheap_ent x = {time, id, serial};
	uint32_t i = h->n++;

	while (i > 0) {
		uint32_t p = (i - 1) / 2;

		if (!ent_less(&x, &h->e[p]))
			break;
		h->e[i] = h->e[p];
		i = p;
	}
	h->e[i] = x;
	return 0;
}

void
zs_evheap_pop(struct zs_evheap *h)
{
	if (!h->n)
		return;
	struct zs_evheap_ent x = h->e[--h->n];
	uint32_t i = 0, n = h->n;

	if (!n)
		return;
	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && ent_less(&h->e[c + 1], &h->e[c]))
			c++;
		if (!ent_less(&h->e[c], &x))
			break;
		h->e[i] = h->e[c];
		i = c;
	}
	h->e[i] = x;
}

void
zs_evheap_free(struct zs_evheap *h)
{
	free(h->e);
	h->e = NULL;
	h->n = h->cap = 0;
}

/* ---- configuration ---- */

int
zs_gen_gfp_text(enum zs_kver v, const char *names, uint32_t *out, struct zs_error *err)
{
	char buf[256];
	size_t at = 0;
	const char *p = names;

	if (v != ZS_KV_24)
		return zs_gfp_parse(v, names, out, err);
	/*
	 * KERNEL: 2.4.0 include/linux/mm.h has no GFP_NOFS/GFP_NOIO (they came in
	 * later 2.4 releases).  DEVIATION: the nearest 2.4.0 composites stand in.
	 * 2.4.0 has no __GFP_FS: __GFP_IO alone gates both
	 * swap-out and filesystem writeback, so a no-fs allocation keeps IO
	 * (GFP_KERNEL, which later 2.4 NOFS equals minus HIGHIO) and a no-io one
	 * drops it (GFP_BUFFER == HIGH|WAIT, what 2.4.0's buffer code used).
	 */
	while (*p) {
		size_t len = strcspn(p, "|");
		const char *tok = p, *name;
		size_t tl = len;

		while (tl && (*tok == ' ' || *tok == '\t')) {
			tok++;
			tl--;
		}
		while (tl && (tok[tl - 1] == ' ' || tok[tl - 1] == '\t'))
			tl--;
		name = tok;
		while (tl && *name == '_') {
			name++;
			tl--;
		}
		const char *rep = NULL;

		if (tl == 8 && !strncasecmp(name, "GFP_NOFS", 8))
			rep = "GFP_KERNEL";
		else if (tl == 8 && !strncasecmp(name, "GFP_NOIO", 8))
			rep = "GFP_BUFFER";
		size_t add = rep ? strlen(rep) : len;

		if (at + add + 2 > sizeof(buf))
			return zs_gfp_parse(v, names, out, err); /* too long to rewrite: plain parse */
		if (at)
			buf[at++] = '|';
		memcpy(buf + at, rep ? rep : p, add);
		at += add;
		p += len;
		if (*p == '|')
			p++;
	}
	buf[at] = '\0';
	return zs_gfp_parse(v, buf, out, err);
}

int
zs_gen_gfp(struct zs_cfg *map, const char *key, enum zs_kver v, const char *def, uint32_t *out,
	   struct zs_error *err)
{
	const char *s = def;
	struct zs_cfg *node = zs_cfg_get(map, key);

	if (zs_cfg_string(map, key, &s, err))
		return -1;
	if (zs_gen_gfp_text(v, s, out, err) == 0)
		return 0;
	if (node) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return zs_cfg_error(node, err, "%s", msg);
	}
	return -1;
}

int
zs_gen_comm(struct zs_cfg *map, const char *key, char comm[16], struct zs_error *err)
{
	const char *s = NULL;

	if (zs_cfg_string(map, key, &s, err))
		return -1;
	if (s)
		snprintf(comm, 16, "%s", s); /* TASK_COMM_LEN 16, truncated like set_task_comm */
	return 0;
}

int
zs_gen_rate(struct zs_cfg *map, const char *key, double *out, struct zs_error *err)
{
	return zs_cfg_double(map, key, 0, 1e12, out, err);
}

int64_t
zs_gen_end(int64_t duration_ns)
{
	return duration_ns > 0 ? duration_ns : ZS_GEN_NEVER;
}

double
zs_gen_progress(int64_t now, int64_t end)
{
	if (end <= 0 || end >= ZS_GEN_NEVER)
		return -1.0;
	return now >= end ? 1.0 : (double)now / (double)end;
}

int64_t
zs_gen_gap(struct zs_rng *r, double rate)
{
	if (!(rate > 0))
		return ZS_GEN_NEVER;
	double g = zs_rng_exponential(r, 1e9 / rate);

	return g >= 9e18 ? ZS_GEN_NEVER : (int64_t)(g + 0.5);
}

int64_t
zs_gen_after(int64_t t, int64_t gap)
{
	if (t >= ZS_GEN_NEVER - gap)
		return ZS_GEN_NEVER;
	return t + gap;
}

/* ---- Zipf ---- */

void
zs_zipf_init(struct zs_zipf *z, double s)
{
	memset(z, 0, sizeof(*z));
	z->s = s;
}

void
zs_zipf_free(struct zs_zipf *z)
{
	for (int i = 0; i <= ZS_ZIPF_MAX_BITS; i++)
		if (z->table[i])
			zs_discrete_destroy(z->table[i]);
	memset(z->table, 0, sizeof(z->table));
}

uint64_t
zs_zipf_rank(struct zs_zipf *z, struct zs_rng *r, uint64_t n)
{
	unsigned bits = 0;
	uint64_t stride = 1, x = 0;

	if (n <= 1)
		return 0;
	if (z->s == 0)
		return zs_rng_uniform_int(r, n);
	while (bits < 63 && (1ull << bits) < n)
		bits++;
	if (bits > ZS_ZIPF_MAX_BITS) {
		/* DEVIATION: above 2^16 ranks (256 MiB of pages) the law is Zipf over
		 * strides of the range, uniform within a stride, to bound table memory */
		stride = (n + (1ull << ZS_ZIPF_MAX_BITS) - 1) >> ZS_ZIPF_MAX_BITS;
		bits = ZS_ZIPF_MAX_BITS;
	}
	if (!z->table[bits]) {
		z->table[bits] = zs_discrete_zipf(1ull << bits, z->s);
		if (!z->table[bits])
			return zs_rng_uniform_int(r, n); /* out of memory: lose locality, not the run */
	}
	/*
	 * Rejection keeps the law exactly Zipf over [0, n): the table covers at most
	 * twice n ranks and weights decrease, so at least half the mass is accepted
	 * and the loop almost never runs long; the bound keeps it finite regardless.
	 */
	for (int tries = 0; tries < 64; tries++) {
		x = zs_discrete_draw(r, z->table[bits]) * stride;
		if (stride > 1)
			x += zs_rng_uniform_int(r, stride);
		if (x < n)
			return x;
	}
	return x % n;
}
