/* trace_ftrace.c - what is particular to ftrace / trace-cmd report text: detection, headers, "COMM-PID". */
#include "workloads/trace.h"

#include <stdio.h>
#include <string.h>

/*
 * The kernel's trace file prints "TASK-PID [(TGID)] [CPU] FLAGS SECS.USECS: event: payload"
 * under a "# tracer:" comment header; trace-cmd report prints "cpus=N" first and
 * the same lines.  TASK may hold spaces, '/', ':' and '-', so the pid is what
 * follows the LAST '-'; "<...>" means the comm was not recorded.
 */

#define WHY(...) snprintf(why, ZS_TRACE_WHY_LEN, __VA_ARGS__)

static inline int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static inline int
is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* Copy [s, e) as the comm, "<...>" (not recorded) as "". */
static void
set_comm(struct zs_trace_event *ev, const char *s, const char *e)
{
	size_t n = (size_t)(e - s);

	if (n == 5 && memcmp(s, "<...>", 5) == 0)
		n = 0;
	if (n > sizeof(ev->comm) - 1)
		n = sizeof(ev->comm) - 1;
	memcpy(ev->comm, s, n);
	ev->comm[n] = '\0';
}

/* [s, e) all digits, at most 10 of them, fitting 32 bits: 0 and *v, else -1. */
static int
parse_pid(const char *s, const char *e, uint64_t *v)
{
	uint64_t x = 0;

	if (s == e || e - s > 10)
		return -1;
	for (; s < e; s++) {
		if (!is_digit(*s))
			return -1;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*v = x;
	return 0;
}

int
zs_trace_ftrace_task(const char *s, size_t len, struct zs_trace_event *ev,
		     char why[ZS_TRACE_WHY_LEN])
{
	const char *e = s + len, *dash = NULL, *t;
	uint64_t pid;

	while (e > s && is_space(e[-1]))
		e--;
	/* an optional "( 1155)" / "(-----)" tgid column */
	if (e > s && e[-1] == ')') {
		const char *o = e - 1;

		while (o > s && *o != '(')
			o--;
		if (*o == '(') {
			e = o;
			while (e > s && is_space(e[-1]))
				e--;
		}
	}
	while (s < e && is_space(*s))
		s++;
	for (t = e; t > s; t--) {
		if (t[-1] == '-') {
			dash = t - 1;
			break;
		}
	}
	if (dash && parse_pid(dash + 1, e, &pid) == 0) {
		set_comm(ev, s, dash);
		ev->pid = (uint32_t)pid;
		return 0;
	}
	/* Not COMM-PID: perf's "COMM PID" (a comm such as "foo-bar 1234" fed as ftrace). */
	for (t = e; t > s && !is_space(t[-1]); t--)
		;
	if (t > s && parse_pid(t, e, &pid) == 0) {
		e = t;
		while (e > s && is_space(e[-1]))
			e--;
		set_comm(ev, s, e);
		ev->pid = (uint32_t)pid;
		return 0;
	}
	WHY("cannot split \"%.*s\" into TASK-PID", (int)((e - s) < 40 ? (e - s) : 40), s);
	return -1;
}

enum zs_tline_rc
zs_trace_ftrace_special(const char *line, size_t len, uint64_t *lost)
{
	const char *p = line, *e = line + len;

	if (len < 4)
		return ZS_TLINE_EVENT;
	/* trace-cmd report header "cpus=2" (and "version = 6" on some versions) */
	if (len > 5 && memcmp(p, "cpus=", 5) == 0) {
		for (p += 5; p < e && is_digit(*p); p++)
			;
		if (p == e)
			return ZS_TLINE_SKIP;
		return ZS_TLINE_EVENT;
	}
	if (len > 9 && memcmp(p, "version =", 9) == 0)
		return ZS_TLINE_SKIP;
	/* "CPU:1 [LOST 123 EVENTS]" (kernel trace output) and "CPU 1 is empty" (trace-cmd) */
	if (memcmp(p, "CPU", 3) == 0) {
		uint64_t n = 0;

		if (len > 12 && memcmp(e - 9, " is empty", 9) == 0)
			return ZS_TLINE_SKIP;
		p += 3;
		if (p < e && *p == ':')
			p++;
		else
			return ZS_TLINE_EVENT;
		while (p < e && is_digit(*p))
			p++;
		if (e - p < 7 || memcmp(p, " [LOST ", 7) != 0)
			return ZS_TLINE_EVENT;
		for (p += 7; p < e && is_digit(*p); p++)
			n = n * 10 + (uint64_t)(*p - '0');
		if (e - p == 8 && memcmp(p, " EVENTS]", 8) == 0) {
			*lost = n;
			return ZS_TLINE_LOST;
		}
	}
	return ZS_TLINE_EVENT;
}

int
zs_trace_ftrace_probe(const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;
	int lines = 0, votes = 0;

	while (p < e && is_space(*p))
		p++;
	if ((e - p >= 9 && memcmp(p, "# tracer:", 9) == 0) ||
	    (e - p >= 5 && memcmp(p, "cpus=", 5) == 0))
		return 100;
	while (p < e && lines < 64) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *b, *q;

		while (p < le && is_space(*p))
			p++;
		if (p == le || *p == '#') {
			p = le + 1;
			continue;
		}
		lines++;
		for (b = p; (b = memchr(b, '[', (size_t)(le - b))) != NULL; b++) {
			for (q = b + 1; q < le && is_digit(*q); q++)
				;
			if (q > b + 1 && q < le && *q == ']')
				break;
		}
		if (b) {
			const char *te = b, *t;

			while (te > p && is_space(te[-1]))
				te--;
			if (te > p && te[-1] == ')') {
				/* a "(tgid)" column only appears in ftrace output */
				votes++;
			} else {
				/* last token "...-DIGITS" */
				for (t = te; t > p && is_digit(t[-1]); t--)
					;
				if (t < te && t > p && t[-1] == '-')
					votes++;
			}
		}
		p = le + 1;
	}
	return lines ? votes * 100 / lines : 0;
}
