/*
 * plot_sweep.c - a sweep directory's figures: each headline metric against
 * each axis, a line per kernel (and per combination of the other axes'
 * values), each point the mean over the point's seeds with its 95 % Student t
 * interval as an error bar.  See plot.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/derived.h"
#include "sim/plot_fig.h"
#include "sim/sweep_points.h"

/* More lines than this in one figure cannot be told apart (nor their titles fitted):
 * every kernel gets a figure of its own, and past that the axis' figures are left out. */
#define SERIES_MAX 12

/* The names a sweep's figures use, collected over every point. */
struct names {
	char **v;
	int n;
};

static int
names_find(const struct names *s, const char *x)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], x))
			return i;
	return -1;
}

static int
names_add(struct names *s, const char *x)
{
	int i = names_find(s, x);

	if (i >= 0)
		return i;
	char **nv = realloc(s->v, (size_t)(s->n + 1) * sizeof(*nv));

	ZS_BUG_ON(!nv);
	s->v = nv;
	s->v[s->n] = strdup(x);
	ZS_BUG_ON(!s->v[s->n]);
	return s->n++;
}

static void
names_free(struct names *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static int
by_version(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

static int
by_headline_rank(const void *a, const void *b)
{
	int ra = zs_derived_headline(*(char *const *)a), rb = zs_derived_headline(*(char *const *)b);

	return (ra > rb) - (ra < rb);
}

/* Text for a quoted gnuplot string: no quote or backslash gets through. */
static void
gp_text(char *out, size_t len, const char *s)
{
	size_t i = 0;

	for (; *s && i + 1 < len; s++)
		out[i++] = *s == '\'' || *s == '"' || *s == '\\' ? '_' : *s;
	out[i] = '\0';
}

/* The other axes' values of point p, "axis=value, ..." (empty for a one-axis sweep). */
static void
rest_of(const struct zs_sweep_points *sp, int p, int axis, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (int b = 0; b < sp->naxes; b++) {
		if (b == axis)
			continue;
		int w = snprintf(out + used, len - used, "%s%s=%s", used ? ", " : "", sp->axis[b],
				 sp->p[p].value[b]);

		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

/* Mean and interval of metric on kernel at point p; 0 when the point has no value. */
static int
cell(const struct zs_sweep_point *pt, const char *metric, const char *kernel, double *mean,
     double *lo, double *hi)
{
	const struct zs_agg *a = &pt->agg;
	int m = -1, k = -1;
	struct zs_stats_sum s;
	struct zs_stats_paired d;

	for (int i = 0; i < a->nmetrics && m < 0; i++)
		if (!strcmp(a->metrics[i], metric))
			m = i;
	for (int i = 0; i < a->nkernels && k < 0; i++)
		if (!strcmp(a->kernels[i], kernel))
			k = i;
	if (m < 0 || k < 0 || !zs_agg_stats(a, m, k, &s, &d))
		return 0;
	*mean = s.mean;
	/* one seed has no interval: the bar shrinks to the point */
	*lo = isnan(s.ci_lo) ? s.mean : s.ci_lo;
	*hi = isnan(s.ci_hi) ? s.mean : s.ci_hi;
	return 1;
}

/* One figure: metric against axis.  Returns 1 when drawn. */
static int
fig_axis(struct zs_fig *fg, const struct zs_sweep_points *sp, int axis, const char *metric,
	 const struct names *kernels, const struct names *xs, const struct names *rests,
	 int one_kernel)
{
	const int ns = kernels->n * rests->n, nx = xs->n;
	double *v = malloc((size_t)ns * (size_t)nx * 3 * sizeof(*v));
	char name[64], title[400], label[600], text[ZS_SWEEP_FIELD], rest[1024];
	int any = 0, nonzero = 0;
	double ymin = INFINITY, ymax = -INFINITY;
	FILE *d;

	ZS_BUG_ON(!v);
	for (int i = 0; i < ns * nx * 3; i++)
		v[i] = NAN;
	for (int p = 0; p < sp->npoints; p++) {
		int x = names_find(xs, sp->p[p].value[axis]), r;

		rest_of(sp, p, axis, rest, sizeof(rest));
		r = names_find(rests, rest);
		for (int k = 0; k < kernels->n; k++) {
			double *c = &v[(((size_t)k * (size_t)rests->n + (size_t)r) * (size_t)nx +
					(size_t)x) * 3];

			if (cell(&sp->p[p], metric, kernels->v[k], &c[0], &c[1], &c[2])) {
				any = 1;
				nonzero |= c[0] != 0 || c[1] != 0 || c[2] != 0;
				ymin = fmin(ymin, c[1]);
				ymax = fmax(ymax, c[2]);
			}
		}
	}
	/* as in the other figures: nothing but zeros says nothing */
	snprintf(name, sizeof(name), "sweep-a%d-%s%s%s", axis, metric, one_kernel ? "-" : "",
		 one_kernel ? kernels->v[0] : "");
	if (!any || !nonzero || !(d = zs_fig_dat_open(fg, name))) {
		free(v);
		return 0;
	}
	fprintf(d, "# %s against %s: x (the value's index), then mean lo hi per line\n", metric,
		sp->axis[axis]);
	for (int x = 0; x < nx; x++) {
		fprintf(d, "%d", x);
		for (int s = 0; s < ns; s++)
			for (int j = 0; j < 3; j++) {
				double y = v[((size_t)s * (size_t)nx + (size_t)x) * 3 + (size_t)j];

				if (isnan(y))
					fputs(" NaN", d);
				else
					fprintf(d, " %.9g", y);
			}
		fputc('\n', d);
	}
	fclose(d);
	gp_text(text, sizeof(text), sp->axis[axis]);
	snprintf(title, sizeof(title), "%s against %s%s%s (mean over seeds, 95%% interval)", metric,
		 text, one_kernel ? ", " : "", one_kernel ? kernels->v[0] : "");
	/* the key under the graph, two titles a row, the figure taller for each row */
	fg->height = 450 + 18 * ((ns + 1) / 2);
	zs_fig_begin(fg, name, title, text, metric);
	fg->height = 0;
	fputs("set key below maxcols 2\n", fg->gp);
	if (ymin == ymax) /* one value everywhere: a range around it, not gnuplot's warning */
		fprintf(fg->gp, "set yrange [%.9g:%.9g]\n", ymin - fmax(1, fabs(ymin) / 10),
			ymax + fmax(1, fabs(ymax) / 10));
	fputs("set offsets 0.3, 0.3, 0, 0\nset xtics (", fg->gp);
	for (int x = 0; x < nx; x++) {
		gp_text(text, sizeof(text), xs->v[x]);
		fprintf(fg->gp, "%s'%s' %d", x ? ", " : "", text, x);
	}
	fputs(")\nplot ", fg->gp);
	for (int s = 0; s < ns; s++) {
		const char *k = kernels->v[s / rests->n], *r = rests->v[s % rests->n];

		gp_text(label, sizeof(label), r);
		fprintf(fg->gp, "%s'%s/%s.dat' using 1:%d:%d:%d with yerrorlines lw 2 title '%s%s%s'",
			s ? ", \\\n     " : "", fg->pdir, name, 2 + 3 * s, 3 + 3 * s, 4 + 3 * s, k,
			*r ? ", " : "", label);
	}
	fputc('\n', fg->gp);
	free(v);
	return 1;
}

int
zs_plot_sweep(struct zs_fig *fg, const struct zs_sweep_points *sp, const char *dir,
	      struct zs_error *err)
{
	struct names kernels = {0}, metrics = {0};
	int drawn = 0;

	for (int p = 0; p < sp->npoints; p++) {
		const struct zs_agg *a = &sp->p[p].agg;

		for (int k = 0; k < a->nkernels; k++)
			names_add(&kernels, a->kernels[k]);
		for (int m = 0; m < a->nmetrics; m++)
			if (zs_derived_headline(a->metrics[m]))
				names_add(&metrics, a->metrics[m]);
	}
	qsort(kernels.v, (size_t)kernels.n, sizeof(*kernels.v), by_version);
	qsort(metrics.v, (size_t)metrics.n, sizeof(*metrics.v), by_headline_rank);
	fprintf(fg->gp, "# a sweep: each headline metric against each axis (%d points, %d with "
			"finished runs)\n",
		sp->npoints, sp->finished);
	struct names xs[ZS_SWEEP_MAX_AXES] = {{0}}, rests[ZS_SWEEP_MAX_AXES] = {{0}};
	enum { ONE_VALUE, TOO_MANY, TOGETHER, PER_KERNEL } how[ZS_SWEEP_MAX_AXES];

	for (int a = 0; a < sp->naxes; a++) {
		char rest[1024];

		/* the axis' values in the sweep's order, and the other axes' combinations */
		for (int p = 0; p < sp->npoints; p++) {
			names_add(&xs[a], sp->p[p].value[a]);
			rest_of(sp, p, a, rest, sizeof(rest));
			names_add(&rests[a], rest);
		}
		/* every kernel in one figure while the lines stay few, else a figure each */
		how[a] = xs[a].n < 2			       ? ONE_VALUE
			 : kernels.n * rests[a].n <= SERIES_MAX ? TOGETHER
			 : rests[a].n <= SERIES_MAX	       ? PER_KERNEL
							       : TOO_MANY;
		if (how[a] == ONE_VALUE)
			fprintf(fg->gp, "# against %s: one value, nothing to draw\n", sp->axis[a]);
		else if (how[a] == TOO_MANY)
			fprintf(fg->gp, "# against %s: %d combinations of the other axes are more "
					"than %d lines a figure: left out\n",
				sp->axis[a], rests[a].n, SERIES_MAX);
		else if (how[a] == PER_KERNEL)
			fprintf(fg->gp, "# against %s: %d kernels x %d combinations of the other "
					"axes are more than %d lines: a figure per kernel\n",
				sp->axis[a], kernels.n, rests[a].n, SERIES_MAX);
	}
	/* by metric, then axis: past the figures' limit the least important metrics go */
	int full = 0;

	for (int m = 0; m < metrics.n && !full; m++)
		for (int a = 0; a < sp->naxes && !full; a++) {
			int nfig = how[a] == TOGETHER ? 1 : how[a] == PER_KERNEL ? kernels.n : 0;

			for (int f = 0; f < nfig && !full; f++) {
				struct names one = {&kernels.v[f], 1};

				if (fg->out->n == ZS_PLOT_MAX) {
					fprintf(fg->gp, "# figures past the %dth are left out\n",
						ZS_PLOT_MAX);
					full = 1;
					break;
				}
				drawn += how[a] == TOGETHER
						 ? fig_axis(fg, sp, a, metrics.v[m], &kernels, &xs[a],
							    &rests[a], 0)
						 : fig_axis(fg, sp, a, metrics.v[m], &one, &xs[a],
							    &rests[a], 1);
			}
		}
	for (int a = 0; a < sp->naxes; a++) {
		names_free(&xs[a]);
		names_free(&rests[a]);
	}
	names_free(&kernels);
	names_free(&metrics);
	if (!drawn)
		return zs_error_set(err, EX_DATAERR,
				    "%s: nothing to draw (every axis has one value, too many lines, or "
				    "only zeros)",
				    dir);
	return 0;
}
