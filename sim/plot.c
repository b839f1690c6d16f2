/* plot.c - gnuplot figures of a run or compare directory; see plot.h. */
#include "sim/plot.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "alloc/gfp.h"
#include "alloc/policy.h"
#include "sim/csvtab.h"
#include "sim/plot_fig.h"
#include "sim/sweep_points.h"
#include "sim/stats.h"

/*
 * The buddyinfo heat map is an image a pixel per tick and order; gnuplot's cairo
 * terminals cannot make one wider than 32,767 pixels (a run of 328 s at HZ 100), so
 * past this many ticks each column is the mean of a run of consecutive ticks.
 */
#define HEAT_COLUMNS 16384

/* ---- one run's ticks.csv as series over ticks ---- */

struct run_ticks {
	struct zs_csvtab t;
	const struct zs_policy_ops *ops;
	size_t *first; /* first row of each tick */
	size_t ntick;
	int nzones;
	double *time_s;
};

static void
run_ticks_free(struct run_ticks *rt)
{
	zs_csvtab_free(&rt->t);
	free(rt->first);
	free(rt->time_s);
	memset(rt, 0, sizeof(*rt));
}

/* The kernel named in a run's summary.txt. */
static const struct zs_policy_ops *
run_kernel(const char *dir)
{
	char path[4200], line[256];
	FILE *f;
	enum zs_kver v = ZS_KV_2632;

	snprintf(path, sizeof(path), "%s/summary.txt", dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "kernel: ", 8)) {
			line[strcspn(line, "\n")] = '\0';
			zs_kver_parse(line + 8, &v);
			break;
		}
	if (f)
		fclose(f);
	return zs_policy_for(v);
}

/* Read dir's ticks.csv; only: the columns to keep besides tick, time_ns and zone
 * (NULL-terminated), NULL for all. */
static int
run_ticks_read(struct run_ticks *rt, const char *dir, const char *const *only,
	       struct zs_error *err)
{
	char path[4200];
	int tc;

	memset(rt, 0, sizeof(*rt));
	snprintf(path, sizeof(path), "%s/ticks.csv", dir);
	if (zs_csvtab_read_cols(&rt->t, path, "zone", only, err))
		return -1;
	rt->ops = run_kernel(dir);
	tc = zs_csvtab_col(&rt->t, "tick");
	if (tc < 0 || zs_csvtab_col(&rt->t, "time_ns") < 0 || !rt->t.nrows) {
		run_ticks_free(rt);
		return zs_error_set(err, EX_DATAERR, "%s: not a zsim ticks.csv", path);
	}
	rt->first = calloc(rt->t.nrows + 1, sizeof(*rt->first));
	rt->time_s = calloc(rt->t.nrows + 1, sizeof(*rt->time_s));
	ZS_BUG_ON(!rt->first || !rt->time_s);
	for (size_t r = 0; r < rt->t.nrows; r++)
		if (!r || zs_csvtab_at(&rt->t, r, tc) != zs_csvtab_at(&rt->t, r - 1, tc)) {
			rt->time_s[rt->ntick] =
				zs_csvtab_at(&rt->t, r, zs_csvtab_col(&rt->t, "time_ns")) / 1e9;
			rt->first[rt->ntick++] = r;
		}
	rt->nzones = (int)(rt->t.nrows / rt->ntick);
	return 0;
}

/* Columns with one value per zone (the rest repeat a global value on every zone row). */
static int
per_zone(const struct run_ticks *rt, const char *c)
{
	static const char *const core[] = {"nr_free_pages", "min", "low", "high", "present_pages",
					   "pgalloc", "pgfree", NULL};

	for (int i = 0; core[i]; i++)
		if (!strcmp(c, core[i]))
			return 1;
	if (!strncmp(c, "order_", 6) || !strncmp(c, "allocs_order_", 13) ||
	    !strncmp(c, "frees_order_", 12))
		return 1;
	for (int i = 0; i < rt->ops->nr_metrics; i++)
		if (!strcmp(rt->ops->metrics[i].name, c))
			return rt->ops->metrics[i].per_zone;
	return 0;
}

/* y[tick] of column c: zone zi's row, or (zi < 0) the sum over zones / the global value.
 * 0 when the run has no such column. */
static int
series(const struct run_ticks *rt, const char *c, int zi, double *y)
{
	int col = zs_csvtab_col(&rt->t, c);
	int pz;

	if (col < 0)
		return 0;
	pz = per_zone(rt, c);
	for (size_t i = 0; i < rt->ntick; i++) {
		size_t r = rt->first[i];

		if (zi >= 0) {
			y[i] = zs_csvtab_at(&rt->t, r + (size_t)zi, col);
		} else if (pz) {
			y[i] = 0;
			for (int z = 0; z < rt->nzones && r + (size_t)z < rt->t.nrows; z++)
				y[i] += zs_csvtab_at(&rt->t, r + (size_t)z, col);
		} else {
			y[i] = zs_csvtab_at(&rt->t, r, col);
		}
	}
	return 1;
}

/* A cumulative ns counter as % of each tick's time (a CPU share). */
static void
to_share(const struct run_ticks *rt, double *y)
{
	double prev = y[0];

	for (size_t i = 0; i < rt->ntick; i++) {
		double dt = i ? rt->time_s[i] - rt->time_s[i - 1] : 0, v = y[i];

		y[i] = dt > 0 ? (v - prev) / (dt * 1e9) * 100 : 0;
		prev = v;
	}
}

/* ---- the gnuplot script ---- */

FILE *
zs_fig_dat_open(struct zs_fig *fg, const char *name)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s.dat", fg->pdir, name);
	return fopen(path, "w");
}

void
zs_fig_begin(struct zs_fig *fg, const char *name, const char *title, const char *xl, const char *yl)
{
	if (fg->out->n < ZS_PLOT_MAX) {
		snprintf(fg->out->name[fg->out->n], sizeof(fg->out->name[0]), "%s", name);
		snprintf(fg->out->title[fg->out->n], sizeof(fg->out->title[0]), "%s", title);
		fg->out->n++;
	}
	fprintf(fg->gp, "\nreset\nset terminal %s size 900,%d noenhanced%s\nset output '%s/%s.%s'\n",
		!strcmp(fg->fmt, "svg") ? "svg" : "pngcairo", fg->height > 0 ? fg->height : 450,
		!strcmp(fg->fmt, "svg") ? " background rgb 'white'" : "", fg->pdir, name,
		fg->fmt);
	fprintf(fg->gp, "set title '%s'\nset xlabel '%s'\nset ylabel '%s'\nset key outside right\n"
			"set grid\n",
		title, xl, yl);
}

/* A line figure of named series over x; series all NaN are left out. */
static void
fig_lines(struct zs_fig *fg, const char *name, const char *title, const char *yl, const double *x,
	  size_t n, int ns, const char *const *titles, double *const *ys)
{
	FILE *d;
	int keep[64], nk = 0;

	int nonzero = 0;

	for (int s = 0; s < ns && nk < 64; s++) {
		int any = 0;

		for (size_t i = 0; i < n; i++) {
			any |= !isnan(ys[s][i]);
			nonzero |= !isnan(ys[s][i]) && ys[s][i] != 0;
		}
		if (any)
			keep[nk++] = s;
	}
	/* nothing but zeros says nothing: left out like a missing column */
	if (!nk || !nonzero || n < 2 || !(d = zs_fig_dat_open(fg, name)))
		return;
	for (size_t i = 0; i < n; i++) {
		fprintf(d, "%.9g", x[i]);
		for (int k = 0; k < nk; k++)
			fprintf(d, " %.9g", ys[keep[k]][i]);
		fputc('\n', d);
	}
	fclose(d);
	zs_fig_begin(fg, name, title, "simulated time (s)", yl);
	fputs("plot ", fg->gp);
	for (int k = 0; k < nk; k++)
		fprintf(fg->gp, "%s'%s/%s.dat' using 1:%d with lines lw 2 title '%s'",
			k ? ", \\\n     " : "", fg->pdir, name, k + 2, titles[keep[k]]);
	fputc('\n', fg->gp);
}

/* ---- a run directory ---- */

static void
latency_cdf_rows(const char *dir, double *lo, double *cum, int *n)
{
	char path[4200];
	struct zs_csvtab t;
	struct zs_error err;
	double total = 0, acc = 0;

	*n = 0;
	snprintf(path, sizeof(path), "%s/latency.csv", dir);
	if (zs_csvtab_read(&t, path, NULL, &err))
		return;
	int hc = zs_csvtab_col(&t, "hi_ns"), ac = zs_csvtab_col(&t, "all");
	for (size_t r = 0; hc >= 0 && ac >= 0 && r < t.nrows; r++)
		total += zs_csvtab_at(&t, r, ac);
	for (size_t r = 0; hc >= 0 && ac >= 0 && r < t.nrows && r < 65; r++) {
		acc += zs_csvtab_at(&t, r, ac);
		lo[r] = zs_csvtab_at(&t, r, hc);
		cum[r] = acc;
		(*n)++;
	}
	for (int i = 0; i < *n; i++)
		cum[i] = total > 0 ? cum[i] : NAN;
	zs_csvtab_free(&t);
}

static void
fig_latency(struct zs_fig *fg, int nk, const char *const *names, double (*x)[65],
	    double (*cum)[65], const int *n)
{
	FILE *d;
	int any = 0;

	/* every latency 0 is one bucket: nothing to draw a distribution with */
	for (int k = 0; k < nk; k++)
		any |= n[k] > 1 && !isnan(cum[k][0]);
	if (!any || !(d = zs_fig_dat_open(fg, "latency_cdf")))
		return;
	for (int k = 0; k < nk; k++) {
		double total = n[k] ? cum[k][n[k] - 1] : 0;

		/* a step per bucket: the share of allocations done within hi_ns */
		for (int i = 0; i < n[k] && total > 0; i++)
			fprintf(d, "%.9g %.9g\n", x[k][i], cum[k][i] / total * 100);
		fputs("\n\n", d);
	}
	fclose(d);
	zs_fig_begin(fg, "latency_cdf", "allocation latency CDF (log2 buckets)",
		  "latency (ns, bucket upper bound)", "% of allocations done within");
	fputs("set logscale x 2\nset yrange [0:100]\nplot ", fg->gp);
	for (int k = 0, first = 1; k < nk; k++) {
		if (!n[k] || isnan(cum[k][0]))
			continue;
		fprintf(fg->gp, "%s'%s/latency_cdf.dat' index %d using 1:2 with steps lw 2 title '%s'",
			first ? "" : ", \\\n     ", fg->pdir, k, names[k]);
		first = 0;
	}
	fputc('\n', fg->gp);
}

/* The columns a run directory's figures read (each figure takes those the run has). */
static const char *const free_cols[] = {"nr_free_pages", "min", "low", "high", NULL};
/* LRU and cache lists, whichever the model has */
static const char *const lru_cols[] = {"active",      "inact_dirty",  "inact_clean_total",
				       "cached",      "swap_cache",   "buffers",
				       "nr_inactive", "nr_pcp_pages", "nr_bound_pages",
				       NULL};
static const char *const cpu_cols[] = {"kswapd_cpu_ns", "direct_reclaim_cpu_ns",
				       "kreclaimd_cpu_ns", "bdflush_cpu_ns", NULL};
static const char *const swap_cols[] = {"pswpin", "pswpout", "pgmajfault", NULL};
static const char *const prefix_cols[] = {"path_*", "order_*", NULL};

/* All of them, for zs_csvtab_read_cols: out has room for 32. */
static void
run_columns(const char **out)
{
	const char *const *lists[] = {free_cols, lru_cols, cpu_cols, swap_cols, prefix_cols};
	int n = 0;

	out[n++] = "tick";
	out[n++] = "time_ns";
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
		for (const char *const *c = lists[l]; *c; c++)
			out[n++] = *c;
	ZS_BUG_ON(n >= 32);
	out[n] = NULL;
}

static void
plot_run(struct zs_fig *fg, const char *dir, struct run_ticks *rt)
{
	size_t n = rt->ntick;
	double *y[64];
	const char *titles[64];
	int ns;

	for (int i = 0; i < 64; i++)
		y[i] = calloc(n + 1, sizeof(double));
	/* free pages of each zone against its watermarks */
	for (int z = 0; z < rt->nzones; z++) {
		const char *const *c = free_cols;
		char name[64], title[128];
		const char *zone = rt->t.text ? rt->t.text[rt->first[0] + (size_t)z] : "?";

		ns = 0;
		for (int i = 0; i < 4; i++)
			if (series(rt, c[i], z, y[ns]))
				titles[ns++] = c[i];
		snprintf(name, sizeof(name), "free_%d_%s", z, zone);
		snprintf(title, sizeof(title), "free pages of zone %s (node row %d) and its watermarks",
			 zone, z);
		fig_lines(fg, name, title, "pages", rt->time_s, n, ns, titles, y);
	}
	/* LRU and cache lists, whichever the model has */
	const char *const *lru = lru_cols;
	ns = 0;
	for (int i = 0; lru[i]; i++)
		if (series(rt, lru[i], -1, y[ns]))
			titles[ns++] = lru[i];
	fig_lines(fg, "lru", "LRU lists and page cache (all zones)", "pages", rt->time_s, n, ns,
		  titles, y);
	/* exits of __alloc_pages taken so far */
	ns = 0;
	for (int c = 0; c < rt->t.ncols && ns < 64; c++)
		if (!strncmp(rt->t.cols[c], "path_", 5) &&
		    zs_csvtab_at(&rt->t, rt->t.nrows - 1, c) > 0 && series(rt, rt->t.cols[c], -1, y[ns]))
			titles[ns++] = rt->t.cols[c] + 5;
	fig_lines(fg, "paths", "allocations by __alloc_pages exit (cumulative)", "allocations",
		  rt->time_s, n, ns, titles, y);
	/* reclaim CPU as a share of each tick */
	const char *const *cpu = cpu_cols;
	ns = 0;
	for (int i = 0; cpu[i]; i++)
		if (series(rt, cpu[i], -1, y[ns])) {
			to_share(rt, y[ns]);
			titles[ns++] = cpu[i];
		}
	fig_lines(fg, "cpu", "kswapd and direct reclaim CPU (% of each tick)", "% CPU", rt->time_s,
		  n, ns, titles, y);
	const char *const *swp = swap_cols;
	ns = 0;
	for (int i = 0; swp[i]; i++)
		if (series(rt, swp[i], -1, y[ns]))
			titles[ns++] = swp[i];
	fig_lines(fg, "swap", "swap traffic and major faults (cumulative)", "pages", rt->time_s, n,
		  ns, titles, y);
	/* buddyinfo over time: log2(1 + free blocks) per order, all zones */
	FILE *d = zs_fig_dat_open(fg, "buddyinfo");
	int top = 0;
	for (int k = 0; k < 16; k++) {
		char c[24];

		snprintf(c, sizeof(c), "order_%d", k);
		if (zs_csvtab_col(&rt->t, c) >= 0)
			top = k + 1;
	}
	if (d && top && n >= 2) {
		/* each order's series once (y[k]; NaN where the run lacks the column), then
		 * the grid a column at a time: a tick each, or past HEAT_COLUMNS ticks the
		 * mean of a run of `per` ticks at the time of its first */
		size_t per = (n + HEAT_COLUMNS - 1) / HEAT_COLUMNS;

		for (int k = 0; k < top; k++) {
			char c[24];

			snprintf(c, sizeof(c), "order_%d", k);
			if (!series(rt, c, -1, y[k]))
				for (size_t i = 0; i < n; i++)
					y[k][i] = NAN;
		}
		for (size_t i = 0; i < n; i += per) {
			size_t m = n - i < per ? n - i : per;

			for (int k = 0; k < top; k++) {
				double sum = 0;

				for (size_t j = i; j < i + m; j++)
					sum += y[k][j];
				fprintf(d, "%.9g %d %.6g\n", rt->time_s[i], k,
					log2(1 + sum / (double)m));
			}
			fputc('\n', d);
		}
		fclose(d);
		zs_fig_begin(fg, "buddyinfo", "buddyinfo over time: log2(1 + free blocks), all zones",
			  "simulated time (s)", "order");
		fprintf(fg->gp, "set yrange [-0.5:%d.5]\nset autoscale xfix\nset palette rgb 33,13,10\n"
				"plot '%s/buddyinfo.dat' using 1:2:3 with image notitle\n",
			top - 1, fg->pdir);
	} else if (d) {
		fclose(d);
	}
	/* latency CDF */
	double lx[1][65], lc[1][65];
	int ln[1];
	const char *lname[1] = {"all allocations"};
	latency_cdf_rows(dir, lx[0], lc[0], &ln[0]);
	fig_latency(fg, 1, lname, lx, lc, ln);
	for (int i = 0; i < 64; i++)
		free(y[i]);
}

/* ---- a compare directory: per kernel, mean over seeds with a 95 % band ---- */

static char **
subdirs(const char *dir, const char *prefix, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;

	*n = 0;
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		char **nv = realloc(v, (size_t)(*n + 1) * sizeof(*v));

		ZS_BUG_ON(!nv);
		v = nv;
		v[(*n)++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	for (int i = 1; i < *n; i++) /* version / seed order */
		for (int j = i; j > 0 && strverscmp(v[j], v[j - 1]) < 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v;
}

static void
free_names(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct band_fig {
	const char *name, *title, *ylabel, *col;
	int share;
};

static const struct band_fig bands[] = {
	{"free", "free pages, all zones (mean over seeds, 95% band)", "pages", "nr_free_pages", 0},
	{"pgmajfault", "major faults (cumulative; mean, 95% band)", "faults", "pgmajfault", 0},
	{"swap_out", "pages swapped out (cumulative; mean, 95% band)", "pages", "pswpout", 0},
	{"alloc_fail", "failed allocations (cumulative; mean, 95% band)", "allocations",
	 "alloc_fail", 0},
	{"kswapd_cpu", "kswapd CPU (% of each tick; mean, 95% band)", "% CPU", "kswapd_cpu_ns", 1},
	{"direct_cpu", "direct reclaim CPU (% of each tick; mean, 95% band)", "% CPU",
	 "direct_reclaim_cpu_ns", 1},
};

#define NBANDS (sizeof(bands) / sizeof(bands[0]))

/* One band figure across kernels: its .dat file (a block per kernel that has the
 * series), the block of each kernel (0: none) and whether any mean was nonzero. */
struct band_out {
	FILE *d;
	int block, used[8], nonzero;
};

/* One band over one kernel's seeds: each seed's series and the ticks they share. */
struct band_runs {
	double **vals, *t;
	size_t len;
	int nr;
};

/* Add run rt's series of band b to br. */
static void
band_add(struct band_runs *br, const struct band_fig *b, const struct run_ticks *rt)
{
	double *y = calloc(rt->ntick + 1, sizeof(*y));

	ZS_BUG_ON(!y);
	if (!series(rt, b->col, -1, y)) {
		free(y);
		return;
	}
	if (b->share)
		to_share(rt, y);
	if (!br->t) {
		br->t = malloc((rt->ntick + 1) * sizeof(*br->t));
		ZS_BUG_ON(!br->t);
		memcpy(br->t, rt->time_s, rt->ntick * sizeof(*br->t));
	}
	if (rt->ntick < br->len)
		br->len = rt->ntick;
	br->vals[br->nr++] = y;
}

/* Kernel k's block of band b: per tick the mean over seeds and its 95 % band. */
static void
band_write(struct zs_fig *fg, const struct band_fig *b, struct band_out *bo, struct band_runs *br,
	   int k)
{
	if (br->nr && br->len >= 2) {
		double *x = malloc((size_t)br->nr * sizeof(*x));
		struct zs_stats_sum st;

		ZS_BUG_ON(!x);
		if (!bo->d)
			bo->d = zs_fig_dat_open(fg, b->name);
		for (size_t i = 0; bo->d && i < br->len; i++) {
			for (int r = 0; r < br->nr; r++)
				x[r] = br->vals[r][i];
			zs_stats_summary(x, (size_t)br->nr, &st);
			bo->nonzero |= st.mean != 0;
			fprintf(bo->d, "%.9g %.9g %.9g %.9g\n", br->t[i], st.mean,
				isnan(st.ci_lo) ? st.mean : st.ci_lo,
				isnan(st.ci_hi) ? st.mean : st.ci_hi);
		}
		if (bo->d)
			fputs("\n\n", bo->d);
		bo->used[k] = ++bo->block;
		free(x);
	}
	for (int r = 0; r < br->nr; r++)
		free(br->vals[r]);
	free(br->vals);
	free(br->t);
}

/* Add run rdir's latency counts to kernel k's CDF (counts summed over seeds). */
static void
latency_add(const char *rdir, double *lx, double *lc, int *ln)
{
	double x1[65], c1[65];
	int n1;

	latency_cdf_rows(rdir, x1, c1, &n1);
	for (int i = 0; i < n1; i++) {
		lc[i] = (i < *ln ? lc[i] : 0) + (isnan(c1[i]) ? 0 : c1[i]);
		lx[i] = x1[i];
	}
	for (int i = n1; i < *ln; i++)
		lc[i] += n1 && !isnan(c1[n1 - 1]) ? c1[n1 - 1] : 0;
	if (n1 > *ln)
		*ln = n1;
}

/*
 * Each run's ticks.csv is read once, for every band figure at a time (a compare of
 * 60 runs of 120 s read 3.3 GB when each band read them all again).
 */
static int
plot_compare(struct zs_fig *fg, const char *dir, struct zs_error *err)
{
	char runs[4200], kdir[4400], rdir[4600];
	int nk, drawn = 0;
	char **kernels;
	double lx[8][65], lc[8][65];
	int ln[8] = {0};
	struct band_out bo[NBANDS];

	/* the columns the bands read (a compare's ticks.csv has some 130) */
	const char *cols[NBANDS + 3] = {"tick", "time_ns"};

	for (size_t b = 0; b < NBANDS; b++)
		cols[2 + b] = bands[b].col;
	memset(bo, 0, sizeof(bo));
	snprintf(runs, sizeof(runs), "%s/runs", dir);
	kernels = subdirs(runs, "", &nk);
	if (nk > 8)
		nk = 8;
	for (int k = 0; k < nk; k++) {
		struct band_runs br[NBANDS];
		int ns;
		char **seeds;

		snprintf(kdir, sizeof(kdir), "%s/%s", runs, kernels[k]);
		seeds = subdirs(kdir, "seed-", &ns);
		for (size_t b = 0; b < NBANDS; b++) {
			br[b] = (struct band_runs){calloc((size_t)ns + 1, sizeof(double *)), NULL,
						   SIZE_MAX, 0};
			ZS_BUG_ON(!br[b].vals);
		}
		for (int s = 0; s < ns; s++) {
			struct run_ticks rt;
			struct zs_error e2;

			snprintf(rdir, sizeof(rdir), "%s/%s", kdir, seeds[s]);
			if (run_ticks_read(&rt, rdir, cols, &e2))
				continue;
			for (size_t b = 0; b < NBANDS; b++)
				band_add(&br[b], &bands[b], &rt);
			latency_add(rdir, lx[k], lc[k], &ln[k]);
			run_ticks_free(&rt);
		}
		for (size_t b = 0; b < NBANDS; b++)
			band_write(fg, &bands[b], &bo[b], &br[b], k);
		free_names(seeds, ns);
	}
	for (size_t b = 0; b < NBANDS; b++) {
		if (!bo[b].d)
			continue;
		fclose(bo[b].d);
		if (!bo[b].nonzero) {
			char path[4400];

			snprintf(path, sizeof(path), "%s/%s.dat", fg->pdir, bands[b].name);
			unlink(path);
			continue;
		}
		zs_fig_begin(fg, bands[b].name, bands[b].title, "simulated time (s)", bands[b].ylabel);
		fputs("plot ", fg->gp);
		for (int k = 0, first = 1; k < nk; k++) {
			if (!bo[b].used[k])
				continue;
			fprintf(fg->gp,
				"%s'%s/%s.dat' index %d using 1:3:4 with filledcurves fs transparent "
				"solid 0.25 noborder lc %d notitle, \\\n     '' index %d using 1:2 with "
				"lines lw 2 lc %d title '%s'",
				first ? "" : ", \\\n     ", fg->pdir, bands[b].name, bo[b].used[k] - 1,
				k + 1, bo[b].used[k] - 1, k + 1, kernels[k]);
			first = 0;
		}
		fputc('\n', fg->gp);
		drawn++;
	}
	fig_latency(fg, nk, (const char *const *)kernels, lx, lc, ln);
	free_names(kernels, nk);
	if (!drawn && !fg->out->n)
		return zs_error_set(err, EX_NOINPUT, "%s: no runs with ticks.csv under runs/", dir);
	return 0;
}

/* Figures of an earlier `zsim plot` (it may have drawn ones this data no longer has). */
static void
remove_old_figures(const char *pdir)
{
	DIR *d = opendir(pdir);
	struct dirent *e;
	char path[4600];

	while (d && (e = readdir(d))) {
		const char *dot = strrchr(e->d_name, '.');

		if (dot && (!strcmp(dot, ".png") || !strcmp(dot, ".svg") || !strcmp(dot, ".dat"))) {
			snprintf(path, sizeof(path), "%s/%s", pdir, e->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
}

int
zs_plot_remove(const char *dir)
{
	char pdir[4200], path[4400];

	snprintf(pdir, sizeof(pdir), "%s/plots", dir);
	remove_old_figures(pdir);
	snprintf(path, sizeof(path), "%s/plots.gp", pdir);
	if (unlink(path) && errno != ENOENT)
		return -1;
	if (rmdir(pdir) && errno != ENOENT)
		return -1;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (unlink(path) && errno != ENOENT)
		return -1;
	return 0;
}

static int plot_dir(struct zs_fig *fg, const char *dir, int is_run,
		    const struct zs_sweep_points *sp, struct zs_error *err);

int
zs_plot_dir(const char *dir, const char *format, struct zs_plots *out, struct zs_error *err)
{
	struct zs_fig fg;
	struct zs_sweep_points sp;
	char path[4400];
	struct stat st;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&fg, 0, sizeof(fg));
	if (strcmp(format, "png") && strcmp(format, "svg"))
		return zs_error_set(err, EX_USAGE, "--format is png or svg, got '%s'", format);
	if (strchr(dir, '\'') || strchr(dir, '\\'))
		return zs_error_set(err, EX_USAGE, "%s: a directory name with a quote", dir);
	fg.fmt = format;
	fg.out = out;
	snprintf(fg.pdir, sizeof(fg.pdir), "%s/plots", dir);
	snprintf(path, sizeof(path), "%s/ticks.csv", dir);
	int is_run = !stat(path, &st);
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	int is_sweep = !is_run && !stat(path, &st);
	snprintf(path, sizeof(path), "%s/runs", dir);
	if (!is_run && !is_sweep && stat(path, &st))
		return zs_error_set(err, EX_NOINPUT,
				    "%s: not a run directory (ticks.csv), a compare directory (runs/) "
				    "or a sweep directory (points.csv)",
				    dir);
	if (is_sweep) {
		/* read (and checked) before anything is written */
		if (zs_sweep_points_read(&sp, dir, err)) {
			zs_sweep_points_free(&sp);
			return -1;
		}
		if (!sp.finished) {
			zs_sweep_points_free(&sp);
			return zs_error_set(err, EX_NOINPUT,
					    "%s: no point of the sweep has a finished run", dir);
		}
	}
	rc = plot_dir(&fg, dir, is_run, is_sweep ? &sp : NULL, err);
	if (is_sweep)
		zs_sweep_points_free(&sp);
	return rc;
}

/* zs_plot_dir once the kind of directory is known (and a sweep's points read). */
static int
plot_dir(struct zs_fig *fg, const char *dir, int is_run, const struct zs_sweep_points *sp,
	 struct zs_error *err)
{
	char path[4400], cmd[4600];
	int rc = 0, st_code;

	if (mkdir(fg->pdir, 0777) && errno != EEXIST)
		return zs_error_set(err, EX_CANTCREAT, "%s: %s", fg->pdir, strerror(errno));
	remove_old_figures(fg->pdir);
	snprintf(path, sizeof(path), "%s/plots.gp", fg->pdir);
	fg->gp = fopen(path, "w");
	if (!fg->gp)
		return zs_error_set(err, EX_CANTCREAT, "%s: %s", path, strerror(errno));
	fprintf(fg->gp, "# zsim plot %s --format %s: rerun with gnuplot %s\n", dir, fg->fmt, path);
	if (is_run) {
		struct run_ticks rt;

		const char *cols[32];

		run_columns(cols);
		rc = run_ticks_read(&rt, dir, cols, err);
		if (!rc) {
			plot_run(fg, dir, &rt);
			run_ticks_free(&rt);
		}
	} else if (sp) {
		rc = zs_plot_sweep(fg, sp, dir, err);
	} else {
		rc = plot_compare(fg, dir, err);
	}
	if (fclose(fg->gp) && !rc)
		rc = zs_error_set(err, EX_IOERR, "%s: write failed", path);
	if (!rc && !fg->out->n)
		rc = zs_error_set(err, EX_DATAERR, "%s: nothing to draw", dir);
	if (rc) {
		/* no figures of data that could not be drawn: what this call wrote goes again */
		remove_old_figures(fg->pdir);
		unlink(path);
		rmdir(fg->pdir);
		return rc;
	}
	snprintf(cmd, sizeof(cmd), "gnuplot '%s' </dev/null", path);
	st_code = system(cmd);
	if (st_code != -1 && WIFEXITED(st_code) && WEXITSTATUS(st_code) == 127)
		return zs_error_set(err, EX_UNAVAILABLE,
				    "gnuplot not found, needed for %s (`make deps` installs it)", path);
	if (st_code == -1 || !WIFEXITED(st_code) || WEXITSTATUS(st_code))
		return zs_error_set(err, EX_SOFTWARE,
				    "gnuplot failed on %s (exit status %d; its messages are above)",
				    path, st_code != -1 && WIFEXITED(st_code) ? WEXITSTATUS(st_code) : -1);
	return 0;
}
