/* trace_perf.c - what is particular to `perf script` text: detection and "COMM PID" before [CPU]. */
#include "workloads/trace.h"

#include <stdio.h>
#include <string.h>

/*
 * perf script prints "COMM PID [CPU] SECS.FRAC: sys:event: payload", COMM padded
 * to the right and allowed to hold spaces, so the PID is the last token before
 * "[CPU]".  With -F comm,pid,tid it is "PID/TID"; zsim keeps the TID, which is
 * what ftrace's TASK-PID names too.  Older perf (`perf trace`, 2.6.3x) printed
 * ftrace's "COMM-PID" instead; such a line is split the ftrace way.
 */

static inline int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* The last whitespace-separated token of [s, e) when it is "D+" or "D+/D+"; else NULL. */
static const char *
pid_token(const char *s, const char *e, uint64_t *pid)
{
	const char *t = e;
	uint64_t v = 0;
	int digits = 0;

	while (t > s && !is_space(t[-1]))
		t--;
	if (t == e)
		return NULL;
	for (const char *p = t; p < e; p++) {
		if (*p == '/' && digits) {
			v = 0;
			digits = 0;
		} else if (*p >= '0' && *p <= '9' && digits < 10) {
			v = v * 10 + (uint64_t)(*p - '0');
			digits++;
		} else {
			return NULL;
		}
	}
	if (!digits || v > UINT32_MAX)
		return NULL;
	*pid = v;
	return t;
}

int
zs_trace_perf_task(const char *s, size_t len, struct zs_trace_event *ev,
		   char why[ZS_TRACE_WHY_LEN])
{
	const char *e = s + len, *t;
	uint64_t pid;
	size_t n;

	while (e > s && is_space(e[-1]))
		e--;
	t = pid_token(s, e, &pid);
	if (!t)
		return zs_trace_ftrace_task(s, len, ev, why);
	while (t > s && is_space(t[-1]))
		t--;
	while (s < t && is_space(*s))
		s++;
	n = (size_t)(t - s);
	if (n > sizeof(ev->comm) - 1)
		n = sizeof(ev->comm) - 1;
	memcpy(ev->comm, s, n);
	ev->comm[n] = '\0';
	ev->pid = (uint32_t)pid;
	return 0;
}

int
zs_trace_perf_probe(const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;
	int lines = 0, votes = 0;

	while (p < e && lines < 64) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *b, *q;
		uint64_t pid;

		while (p < le && is_space(*p))
			p++;
		if (p == le || *p == '#') {
			p = le + 1;
			continue;
		}
		lines++;
		/* the first "[digits]" */
		for (b = p; (b = memchr(b, '[', (size_t)(le - b))) != NULL; b++) {
			for (q = b + 1; q < le && *q >= '0' && *q <= '9'; q++)
				;
			if (q > b + 1 && q < le && *q == ']')
				break;
		}
		if (b) {
			const char *te = b;

			while (te > p && is_space(te[-1]))
				te--;
			/* "COMM PID": a numeric last token that is not the whole text */
			const char *t = pid_token(p, te, &pid);

			if (t && t > p)
				votes++;
		}
		p = le + 1;
	}
	return lines ? votes * 100 / lines : 0;
}
