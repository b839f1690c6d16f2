/* trace_line.c - the shared tokenizer for perf script and ftrace text lines; see trace.h. */
#include "workloads/trace.h"

#include <stdio.h>
#include <string.h>

#include "workloads/gfp_modern.h"

/*
 * A line is "TASK [CPU] [FLAGS] SECS.FRAC: [SYS:]EVENT: key=value ...".
 * TASK is format-specific (trace_perf.c, trace_ftrace.c); everything else is
 * shared.  The scan is by hand, allocation-free, and looks at each byte a small
 * constant number of times: this loop runs once per line of multi-GB traces.
 */

#define WHY(...) snprintf(why, ZS_TRACE_WHY_LEN, __VA_ARGS__)

static inline int
is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

static inline int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Unsigned decimal, or hex after "0x"; the whole [s, s+len) must be the number. */
static int
parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;

	if (len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		if (len - 2 > 16)
			return -1;
		for (size_t i = 2; i < len; i++) {
			unsigned c = (unsigned char)s[i], d;

			if (c - '0' < 10)
				d = c - '0';
			else if ((c | 0x20) - 'a' < 6)
				d = (c | 0x20) - 'a' + 10;
			else
				return -1;
			v = (v << 4) | d;
		}
		*out = v;
		return 0;
	}
	if (len == 0 || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d >= 10 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* "SECS.FRAC:" with 1-9 fraction digits -> ns; returns the byte after ':' or NULL. */
static const char *
parse_timestamp(const char *p, const char *e, int64_t *ns)
{
	int64_t secs = 0, frac = 0;
	int nd = 0, nf = 0;

	/* 10 digits cover epoch-based clocks (trace-cmd -C realtime) and keep ns in int64 */
	while (p < e && is_digit(*p) && nd < 10) {
		secs = secs * 10 + (*p++ - '0');
		nd++;
	}
	if (nd == 0 || p >= e || *p != '.' || secs > INT64_MAX / 1000000000 - 1)
		return NULL;
	p++;
	while (p < e && is_digit(*p) && nf < 9) {
		frac = frac * 10 + (*p++ - '0');
		nf++;
	}
	if (nf == 0 || p >= e || *p != ':')
		return NULL;
	for (int i = nf; i < 9; i++)
		frac *= 10;
	*ns = secs * 1000000000 + frac;
	return p + 1;
}

/* Event name (without any "sys:" prefix) -> kind. */
static enum zs_trace_ev
classify(const char *s, size_t len)
{
#define IS(lit) (len == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)
	if (len < 12 || memcmp(s, "mm_page", 7) != 0)
		return ZS_TEV_OTHER;
	switch (len) {
	case 12:
		return IS("mm_page_free") ? ZS_TEV_FREE : ZS_TEV_OTHER;
	case 13:
		return IS("mm_page_alloc") ? ZS_TEV_ALLOC : ZS_TEV_OTHER;
	case 15:
		return IS("mm_pagevec_free") ? ZS_TEV_FREE_BATCHED : ZS_TEV_OTHER;
	case 18:
		return IS("mm_page_pcpu_drain") ? ZS_TEV_PCPU_DRAIN : ZS_TEV_OTHER;
	case 19:
		return IS("mm_page_free_direct") ? ZS_TEV_FREE : ZS_TEV_OTHER;
	case 20:
		return IS("mm_page_free_batched") ? ZS_TEV_FREE_BATCHED : ZS_TEV_OTHER;
	case 25:
		return IS("mm_page_alloc_zone_locked") ? ZS_TEV_ZONE_LOCKED : ZS_TEV_OTHER;
	default:
		return ZS_TEV_OTHER;
	}
#undef IS
}

const char *
zs_trace_ev_name(enum zs_trace_ev e)
{
	static const char *const n[ZS_TEV_NR] = {
		[ZS_TEV_ALLOC] = "mm_page_alloc",
		[ZS_TEV_FREE] = "mm_page_free",
		[ZS_TEV_FREE_BATCHED] = "mm_page_free_batched",
		[ZS_TEV_PCPU_DRAIN] = "mm_page_pcpu_drain",
		[ZS_TEV_ZONE_LOCKED] = "mm_page_alloc_zone_locked",
		[ZS_TEV_OTHER] = "other",
	};

	return (unsigned)e < ZS_TEV_NR ? n[e] : "?";
}

/* gfp text -> mask, through the reader's memo (the same few strings repeat). */
static uint64_t
gfp_mask(const char *s, size_t len, struct zs_gfp_memo *memo)
{
	uint64_t m;

	if (memo && len <= sizeof(memo->slot[0].text)) {
		for (unsigned i = 0; i < 8; i++)
			if (memo->slot[i].len == len && memcmp(memo->slot[i].text, s, len) == 0)
				return memo->slot[i].mask;
	}
	zs_gfp_modern_parse(s, len, &m, NULL);
	if (memo && len <= sizeof(memo->slot[0].text) && len > 0) {
		unsigned i = memo->next++ & 7;

		memo->slot[i].len = (uint32_t)len;
		memcpy(memo->slot[i].text, s, len);
		memo->slot[i].mask = m;
	}
	return m;
}

/* A page= value meaning NULL: "(nil)" from perf, "(null)", "NULL", or a zero number. */
static int
page_is_null(const char *s, size_t len)
{
	uint64_t v;

	if ((len == 5 && memcmp(s, "(nil)", 5) == 0) || (len == 6 && memcmp(s, "(null)", 6) == 0) ||
	    (len == 4 && memcmp(s, "NULL", 4) == 0))
		return 1;
	return parse_u64(s, len, &v) == 0 && v == 0;
}

/* Fields of a page event from "key=value key=value ..."; order-independent. */
static enum zs_tline_rc
parse_payload(const char *p, const char *e, struct zs_trace_event *ev, struct zs_gfp_memo *memo,
	      char *why)
{
	int have_pfn = 0, have_order = 0, have_page = 0;

	while (p < e) {
		const char *k, *ke, *v, *ve;

		while (p < e && is_space(*p))
			p++;
		if (p >= e)
			break;
		k = p;
		while (p < e && !is_space(*p) && *p != '=')
			p++;
		ke = p;
		if (p < e && *p == '=') {
			v = ++p;
		} else {
			/* "key:value" (rule 5 of ecosystem.md a.3), or a bare word */
			const char *c = memchr(k, ':', (size_t)(ke - k));

			if (!c)
				continue;
			ke = c;
			v = c + 1;
		}
		while (p < e && !is_space(*p))
			p++;
		ve = p;

		size_t kl = (size_t)(ke - k), vl = (size_t)(ve - v);
		uint64_t x;

		switch (kl) {
		case 3:
			if (memcmp(k, "pfn", 3) != 0)
				break;
			if (parse_u64(v, vl, &x) < 0) {
				WHY("bad pfn value \"%.*s\"", (int)(vl < 40 ? vl : 40), v);
				return ZS_TLINE_BAD;
			}
			ev->pfn = x;
			have_pfn = 1;
			break;
		case 4:
			if (memcmp(k, "page", 4) != 0)
				break;
			have_page = 1;
			if (page_is_null(v, vl))
				ev->flags |= ZS_TEVF_PAGE_NULL;
			else
				ev->flags &= (uint8_t)~ZS_TEVF_PAGE_NULL;
			break;
		case 5:
			if (memcmp(k, "order", 5) != 0)
				break;
			if (parse_u64(v, vl, &x) < 0) {
				WHY("bad order value \"%.*s\"", (int)(vl < 40 ? vl : 40), v);
				return ZS_TLINE_BAD;
			}
			if (x >= ZS_TRACE_MAX_ORDER) {
				WHY("order %llu out of range (0-%d)", (unsigned long long)x,
				    ZS_TRACE_MAX_ORDER - 1);
				return ZS_TLINE_BAD;
			}
			ev->order = (uint8_t)x;
			have_order = 1;
			break;
		case 9:
			if (memcmp(k, "gfp_flags", 9) == 0)
				ev->gfp_modern = gfp_mask(v, vl, memo);
			break;
		case 11:
			if (memcmp(k, "migratetype", 11) != 0)
				break;
			if (vl == 2 && v[0] == '-' && v[1] == '1') {
				ev->migratetype = -1;
				break;
			}
			if (parse_u64(v, vl, &x) < 0 || x > 127) {
				WHY("bad migratetype value \"%.*s\"", (int)(vl < 40 ? vl : 40), v);
				return ZS_TLINE_BAD;
			}
			ev->migratetype = (int8_t)x;
			break;
		default:
			break;
		}
	}
	if (!have_page)
		ev->flags |= ZS_TEVF_PAGE_NULL;
	if (!have_pfn) {
		WHY("%s without pfn=", zs_trace_ev_name(ev->ev));
		return ZS_TLINE_BAD;
	}
	/* mm_page_free_batched prints a literal "order=0" on modern kernels, and some
	 * versions print no order at all: a batched page is always order 0 there. */
	if (!have_order && ev->ev != ZS_TEV_FREE_BATCHED) {
		WHY("%s without order=", zs_trace_ev_name(ev->ev));
		return ZS_TLINE_BAD;
	}
	return ZS_TLINE_EVENT;
}

enum zs_tline_rc
zs_trace_parse_line(enum zs_trace_format fmt, const char *line, size_t len,
		    struct zs_trace_event *ev, struct zs_gfp_memo *memo, char why[ZS_TRACE_WHY_LEN])
{
	const char *p = line, *e = line + len, *b, *q, *name;
	uint64_t cpu = 0;
	size_t nlen;

	while (p < e && is_space(*p))
		p++;
	if (p == e || *p == '#')
		return ZS_TLINE_SKIP;
	if (fmt == ZS_TRACE_FTRACE) {
		uint64_t lost = 0;
		enum zs_tline_rc rc = zs_trace_ftrace_special(p, (size_t)(e - p), &lost);

		if (rc != ZS_TLINE_EVENT) {
			ev->pfn = lost;
			return rc;
		}
	}

	ev->pfn = 0;
	ev->order = 0;
	ev->migratetype = -1;
	ev->gfp_modern = 0;
	ev->flags = 0;

	/* Anchor on the first "[ddd]": the comm before it may hold anything else. */
	for (b = p;; b++) {
		b = memchr(b, '[', (size_t)(e - b));
		if (!b) {
			WHY("no [CPU] field");
			return ZS_TLINE_BAD;
		}
		for (q = b + 1; q < e && is_digit(*q) && q - b <= 6; q++)
			cpu = cpu * 10 + (uint64_t)(*q - '0');
		if (q > b + 1 && q < e && *q == ']')
			break;
		cpu = 0;
	}
	if (cpu > UINT16_MAX) {
		WHY("CPU %llu out of range", (unsigned long long)cpu);
		return ZS_TLINE_BAD;
	}
	ev->cpu = (uint16_t)cpu;
	if (fmt == ZS_TRACE_PERF) {
		if (zs_trace_perf_task(p, (size_t)(b - p), ev, why) < 0)
			return ZS_TLINE_BAD;
	} else if (zs_trace_ftrace_task(p, (size_t)(b - p), ev, why) < 0) {
		return ZS_TLINE_BAD;
	}

	/* Optional latency-flags token ("....", "d..1.", ".N..."), then the timestamp. */
	p = q + 1;
	for (int tries = 0;; tries++) {
		while (p < e && is_space(*p))
			p++;
		q = parse_timestamp(p, e, &ev->time_ns);
		if (q)
			break;
		if (tries == 2 || p >= e) {
			WHY("no timestamp (SECONDS.FRACTION:) after the CPU field");
			return ZS_TLINE_BAD;
		}
		while (p < e && !is_space(*p))
			p++;
	}

	/* "[SYS:]EVENT:" */
	p = q;
	while (p < e && is_space(*p))
		p++;
	name = p;
	while (p < e && !is_space(*p))
		p++;
	if (p == name || p[-1] != ':' || p - name < 2) {
		WHY("no event name after the timestamp");
		return ZS_TLINE_BAD;
	}
	nlen = (size_t)(p - name) - 1;
	q = memchr(name, ':', nlen);
	if (q) {
		nlen -= (size_t)(q + 1 - name);
		name = q + 1;
	}
	ev->ev = classify(name, nlen);
	if (ev->ev == ZS_TEV_OTHER)
		return ZS_TLINE_EVENT;
	return parse_payload(p, e, ev, memo, why);
}
