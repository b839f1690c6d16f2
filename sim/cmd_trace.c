/* cmd_trace.c - `zsim trace stats` and `zsim trace convert`: look at and convert recorded traces. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "sim/cmds.h"
#include "sim/diag.h"
#include "sim/output.h"
#include "workloads/gfp_modern.h"
#include "workloads/trace.h"

const char zs_usage_trace[] =
	"usage: zsim trace stats TRACE [--format perf|ftrace|native] [--skip-bad-lines]\n"
	"       zsim trace convert IN OUT [--format perf|ftrace|native]\n"
	"                                 [--to native|native-raw|csv] [--skip-bad-lines]\n"
	"\n"
	"stats    read a recorded page-allocator trace and print `key: value` lines:\n"
	"         lines, events, allocations and frees per order, unmatched frees,\n"
	"         allocations never freed, peak live pages, duration, events per second\n"
	"         and a histogram of gfp classes.\n"
	"convert  write the trace as zsim's native binary format, cooked (default:\n"
	"         the page events a replay makes of it, quirks resolved; replays\n"
	"         several times faster than text), native-raw (every tracepoint\n"
	"         event, as recorded) or CSV (the raw events).  OUT appears only\n"
	"         when the whole trace converted.  A cooked trace cannot be converted\n"
	"         back to raw events.\n"
	"\n"
	"TRACE may be `perf script` or ftrace / `trace-cmd report` text, plain, .xz or\n"
	".gz, or a native trace; the format is detected unless --format says it.\n"
	"A malformed line stops with TRACE:LINE: and status 65; --skip-bad-lines\n"
	"counts (bad_lines) and skips such lines instead.\n";

struct trace_opts {
	enum zs_trace_format fmt;
	int skip_bad;
	enum { TO_NATIVE, TO_RAW, TO_CSV } to;
	const char *pos[2];
	int npos;
};

/* Print "zsim: WHAT ARG" and the usage; returns EX_USAGE. */
static int
usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "zsim: %s%s\n%s", what, arg, zs_usage_trace);
	return EX_USAGE;
}

/* Parse argv[first..] into o; 0, or an exit status. */
static int
parse_opts(int argc, char **argv, int first, int want_pos, struct trace_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = first; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (strcmp(a, "--skip-bad-lines") == 0) {
			o->skip_bad = 1;
			continue;
		}
		if (strncmp(a, "--format", 8) == 0 || strncmp(a, "--to", 4) == 0) {
			const char *eq = strchr(a, '=');
			size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
			int is_fmt = nlen == 8 && strncmp(a, "--format", 8) == 0;
			int is_to = nlen == 4 && strncmp(a, "--to", 4) == 0;

			if (!is_fmt && !is_to)
				return usage_error("unknown option ", a);
			if (eq) {
				val = eq + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				return usage_error("missing value for ", a);
			}
			if (is_fmt) {
				if (zs_trace_format_parse(val, &o->fmt) < 0)
					return usage_error(
						"unknown trace format (perf, ftrace, native): ", val);
			} else if (strcmp(val, "csv") == 0) {
				o->to = TO_CSV;
			} else if (strcmp(val, "native") == 0) {
				o->to = TO_NATIVE;
			} else if (strcmp(val, "native-raw") == 0) {
				o->to = TO_RAW;
			} else {
				return usage_error(
					"unknown output format (native, native-raw, csv): ", val);
			}
			continue;
		}
		if (a[0] == '-' && a[1] != '\0')
			return usage_error("unknown option ", a);
		if (o->npos == want_pos)
			return usage_error("unexpected argument ", a);
		o->pos[o->npos++] = a;
	}
	if (o->npos < want_pos)
		return usage_error(want_pos == 1 ? "missing TRACE" : "missing IN or OUT", "");
	return 0;
}

static int
fail(const struct zs_error *err)
{
	fprintf(stderr, "zsim: %s\n", err->msg);
	return err->code ? err->code : EX_SOFTWARE;
}

/* ==================== stats ==================== */

struct gfp_row {
	unsigned cls;
	uint64_t n;
};

static int
by_count(const void *a, const void *b)
{
	const struct gfp_row *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(zs_gfp_modern_class_name(x->cls), zs_gfp_modern_class_name(y->cls));
}

static int
cmd_stats(int argc, char **argv)
{
	struct trace_opts o;
	struct zs_error err = { 0, "" };
	struct zs_page_event pe;
	struct gfp_row hist[ZS_MGFP_NR_CLASSES];
	const struct zs_trace_counts *k;
	struct zs_trace_cook *c;
	uint64_t allocs = 0, frees = 0;
	int rc, top = 0;

	rc = parse_opts(argc, argv, 2, 1, &o);
	if (rc)
		return rc;
	c = zs_trace_cook_open(o.pos[0], o.fmt, o.skip_bad, &err);
	if (!c)
		return fail(&err);
	memset(hist, 0, sizeof(hist));
	for (unsigned i = 0; i < ZS_MGFP_NR_CLASSES; i++)
		hist[i].cls = i;
	while ((rc = zs_trace_cook_next(c, &pe, &err)) > 0)
		if (pe.ev == ZS_PEV_ALLOC)
			hist[zs_gfp_modern_class(pe.gfp_modern)].n++;
	if (rc < 0) {
		zs_trace_cook_close(c);
		return fail(&err);
	}
	k = zs_trace_cook_counts(c);
	for (int i = 0; i < 16; i++) {
		allocs += k->allocs_by_order[i];
		frees += k->frees_by_order[i];
		if (k->allocs_by_order[i] || k->frees_by_order[i])
			top = i;
	}

	/* in double: a native trace may hold INT64_MIN and INT64_MAX timestamps */
	double dur = ((double)k->last_ns - (double)k->first_ns) * 1e-9;

	printf("trace: %s\n", o.pos[0]);
	printf("format: %s\n", zs_trace_format_name(zs_trace_format_of(zs_trace_cook_reader(c))));
	printf("lines: %" PRIu64 "\n", k->lines);
	printf("events: %" PRIu64 "\n", k->events);
	printf("bad_lines: %" PRIu64 "\n", k->bad_lines);
	printf("lost_events: %" PRIu64 "\n", k->lost_events);
	printf("allocs: %" PRIu64 "\n", allocs);
	for (int i = 0; i <= top; i++)
		printf("allocs_order_%d: %" PRIu64 "\n", i, k->allocs_by_order[i]);
	printf("frees: %" PRIu64 "\n", frees);
	for (int i = 0; i <= top; i++)
		printf("frees_order_%d: %" PRIu64 "\n", i, k->frees_by_order[i]);
	printf("unmatched_frees: %" PRIu64 "\n", k->unmatched_frees);
	printf("duplicate_batched_frees: %" PRIu64 "\n", k->duplicate_batched_frees);
	printf("double_frees: %" PRIu64 "\n", k->double_frees);
	printf("realloc_live: %" PRIu64 "\n", k->realloc_live);
	printf("free_order_mismatch: %" PRIu64 "\n", k->free_order_mismatch);
	printf("alloc_failed_in_trace: %" PRIu64 "\n", k->alloc_failed_in_trace);
	printf("pcpu_drain: %" PRIu64 "\n", k->pcpu_drain);
	printf("zone_locked: %" PRIu64 "\n", k->zone_locked);
	printf("other_events: %" PRIu64 "\n", k->other_events);
	printf("never_freed: %" PRIu64 "\n", k->live_blocks);
	printf("never_freed_pages: %" PRIu64 "\n", k->live_pages);
	printf("peak_live_pages: %" PRIu64 "\n", k->peak_live_pages);
	printf("duration_s: %.6f\n", dur);
	printf("events_per_s: %.1f\n", dur > 0 ? (double)k->events / dur : 0.0);
	qsort(hist, ZS_MGFP_NR_CLASSES, sizeof(hist[0]), by_count);
	for (unsigned i = 0; i < ZS_MGFP_NR_CLASSES && hist[i].n; i++)
		printf("gfp_%s: %" PRIu64 "\n", zs_gfp_modern_class_name(hist[i].cls), hist[i].n);
	zs_trace_cook_close(c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "zsim: standard output: %s\n", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

/* ==================== convert ==================== */

/* CSV field for a comm: quoted (RFC 4180) only when it needs to be. */
static int
put_csv_text(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return fputs(s, f) < 0 ? -1 : 0;
	if (fputc('"', f) == EOF)
		return -1;
	for (; *s; s++) {
		if (*s == '"' && fputc('"', f) == EOF)
			return -1;
		if (fputc(*s, f) == EOF)
			return -1;
	}
	return fputc('"', f) == EOF ? -1 : 0;
}

static int
put_csv(FILE *f, const struct zs_trace_event *ev)
{
	char gfp[512];

	if (fprintf(f, "%" PRId64 ",%u,%u,", ev->time_ns, (unsigned)ev->cpu, (unsigned)ev->pid) < 0 ||
	    put_csv_text(f, ev->comm) < 0)
		return -1;
	if (ev->ev == ZS_TEV_ALLOC && zs_gfp_modern_class(ev->gfp_modern) != ZS_MGFP_CLASS_MISSING)
		zs_gfp_modern_format(ev->gfp_modern, gfp, sizeof(gfp));
	else
		gfp[0] = '\0';
	return fprintf(f, ",%s,%" PRIu64 ",%u,%d,%s,%" PRIu64 "\n", zs_trace_ev_name(ev->ev),
		       ev->pfn, (unsigned)ev->order, (int)ev->migratetype, gfp, ev->line) < 0
		       ? -1
		       : 0;
}

/* A temporary file beside out (so the final rename stays on one file system). */
static FILE *
open_temp(const char *out, char **tmp_path, struct zs_error *err)
{
	size_t n = strlen(out);
	char *tmp = malloc(n + 16);
	const char *slash = strrchr(out, '/');
	mode_t mask;
	int fd;
	FILE *f;

	if (!tmp) {
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	/* dir/.name.XXXXXX: hidden while it is being written */
	if (slash) {
		size_t d = (size_t)(slash - out) + 1;

		memcpy(tmp, out, d);
		snprintf(tmp + d, n + 16 - d, ".%s.XXXXXX", slash + 1);
	} else {
		snprintf(tmp, n + 16, ".%s.XXXXXX", out);
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		zs_error_set(err, EX_CANTCREAT, "cannot create %s: %s", out, strerror(errno));
		free(tmp);
		return NULL;
	}
	/* mkstemp makes 0600; give the result the usual umask-derived mode */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(f = fdopen(fd, "wb"))) {
		zs_error_set(err, EX_CANTCREAT, "cannot create %s: %s", out, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	*tmp_path = tmp;
	return f;
}

/* The temporary being written, for the signal handler (NULL when there is none). */
static char *volatile convert_tmp;

static void
on_convert_signal(int sig)
{
	if (convert_tmp)
		unlink(convert_tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
convert_signals(void (*fn)(int))
{
	for (int i = 0; i < 4; i++)
		signal(zs_out_signals[i], fn);
}

/*
 * Where OUT goes: a regular file (or a name not yet there) is written beside it
 * and renamed into place at the end, so it appears only whole; anything else (a
 * pipe, a terminal, /dev/stdout) is written straight through, since a rename would
 * replace the device node or symlink instead of writing to it.
 */
static FILE *
open_out(const char *out, char **tmp_path, char **final, struct zs_error *err)
{
	struct stat st;
	FILE *f;

	*tmp_path = *final = NULL;
	if (stat(out, &st) != 0 || S_ISREG(st.st_mode)) {
		/* a symlink to a file: the file it names is replaced, the link stays */
		char *real = realpath(out, NULL);

		*final = real ? real : strdup(out);
		if (!*final) {
			zs_error_set(err, EX_OSERR, "out of memory");
			return NULL;
		}
		f = open_temp(*final, tmp_path, err);
		if (!f) {
			free(*final);
			*final = NULL;
		}
		return f;
	}
	if (S_ISDIR(st.st_mode)) {
		zs_error_set(err, EX_CANTCREAT, "cannot create %s: %s", out, strerror(EISDIR));
		return NULL;
	}
	f = fopen(out, "wb");
	if (!f)
		zs_error_set(err, EX_CANTCREAT, "cannot create %s: %s", out, strerror(errno));
	return f;
}

static void
close_input(struct zs_trace_reader *r, struct zs_trace_cook *c)
{
	if (c)
		zs_trace_cook_close(c); /* and r, which it owns */
	else
		zs_trace_close(r);
}

static int
cmd_convert(int argc, char **argv)
{
	struct trace_opts o;
	struct zs_error err = { 0, "" };
	struct zs_trace_event ev;
	struct zs_trace_reader *r;
	struct zs_trace_cook *c = NULL; /* --to native: the cook, which owns r */
	struct zs_trace_writer *w = NULL;
	char *tmp = NULL, *final = NULL;
	FILE *f;
	int rc;

	rc = parse_opts(argc, argv, 2, 2, &o);
	if (rc)
		return rc;
	r = zs_trace_open(o.pos[0], o.fmt, o.skip_bad, &err);
	if (!r)
		return fail(&err);
	if (o.to == TO_NATIVE && !(c = zs_trace_cook_new(r))) {
		zs_trace_close(r);
		zs_error_set(&err, EX_OSERR, "%s: out of memory", o.pos[0]);
		return fail(&err);
	}
	f = open_out(o.pos[1], &tmp, &final, &err);
	if (!f)
		goto failed;
	convert_tmp = tmp;
	convert_signals(on_convert_signal);
	if (o.to == TO_CSV) {
		if (fputs("time_ns,cpu,pid,comm,event,pfn,order,migratetype,gfp_flags,line\n", f) < 0)
			goto write_error;
	} else {
		w = (c ? zs_trace_native_create_cooked : zs_trace_native_create)(
			f, o.pos[1], zs_trace_format_of(r), &err);
		if (!w)
			goto failed;
	}
	if (c) {
		/* what a replay would cook, cooked once */
		if (zs_trace_cook_to_native(c, w, &err) < 0)
			goto failed;
	} else {
		while ((rc = zs_trace_read(r, &ev, &err)) > 0) {
			if (w ? zs_trace_native_put(w, &ev, &err) < 0 : put_csv(f, &ev) < 0) {
				if (w)
					goto failed;
				goto write_error;
			}
		}
		if (rc < 0)
			goto failed;
	}
	if (w) {
		rc = zs_trace_native_finish(w, zs_trace_lines(r), &err);
		w = NULL;
		if (rc < 0)
			goto failed;
	}
	if (fflush(f) != 0 || ferror(f))
		goto write_error;
	rc = fclose(f);
	f = NULL;
	if (rc != 0)
		goto write_error;
	if (tmp && rename(tmp, final) != 0) {
		zs_error_set(&err, EX_CANTCREAT, "cannot create %s: %s", o.pos[1], strerror(errno));
		goto failed;
	}
	convert_signals(SIG_DFL);
	convert_tmp = NULL;
	if (o.skip_bad && zs_trace_bad_lines(r))
		fprintf(stderr, "zsim: %s: skipped %" PRIu64 " bad lines\n", o.pos[0],
			zs_trace_bad_lines(r));
	close_input(r, c);
	free(tmp);
	free(final);
	return 0;

write_error:
	zs_error_set(&err, EX_IOERR, "%s: %s", o.pos[1], strerror(errno ? errno : EIO));
failed:
	zs_trace_native_abort(w);
	if (f)
		fclose(f);
	if (tmp)
		unlink(tmp);
	convert_signals(SIG_DFL);
	convert_tmp = NULL;
	free(tmp);
	free(final);
	close_input(r, c);
	return fail(&err);
}

int
zs_cmd_trace(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("trace needs a subcommand: stats or convert", "");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(zs_usage_trace, stdout);
		return 0;
	}
	if (strcmp(argv[1], "stats") == 0)
		return cmd_stats(argc, argv);
	if (strcmp(argv[1], "convert") == 0)
		return cmd_convert(argc, argv);
	return usage_error("unknown trace subcommand (stats, convert): ", argv[1]);
}
