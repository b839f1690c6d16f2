/* aggregate.c - runs -> metric x kernel x seed table and its summaries; see aggregate.h. */
#include "sim/aggregate.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "sim/output.h"

void
zs_agg_init(struct zs_agg *a)
{
	memset(a, 0, sizeof(*a));
}

void
zs_agg_free(struct zs_agg *a)
{
	for (int i = 0; i < a->nkernels; i++)
		free(a->kernels[i]);
	for (int i = 0; i < a->nmetrics; i++)
		free(a->metrics[i]);
	for (int i = 0; i < a->nruns; i++)
		zs_kv_free(&a->runs[i].kv);
	free(a->kernels);
	free(a->metrics);
	free(a->runs);
	zs_agg_init(a);
}

static int
cmp_version(const void *x, const void *y)
{
	return strverscmp(*(char *const *)x, *(char *const *)y);
}

static int
cmp_run(const void *x, const void *y)
{
	const struct zs_agg_run *p = x, *q = y;

	if (p->kernel != q->kernel)
		return p->kernel - q->kernel;
	return p->seed < q->seed ? -1 : p->seed > q->seed;
}

/* Sorted names of the subdirectories of dir (that match prefix), NULL-terminated. */
static char **
list_dirs(const char *dir, const char *prefix, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	int cap = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		if (*n + 1 >= cap) {
			cap = cap ? 2 * cap : 16;
			char **nv = realloc(v, (size_t)cap * sizeof(*v));

			ZS_BUG_ON(!nv);
			v = nv;
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (v)
		qsort(v, (size_t)*n, sizeof(*v), cmp_version);
	return v;
}

static int
metric_index(struct zs_agg *a, const char *name)
{
	for (int i = 0; i < a->nmetrics; i++)
		if (!strcmp(a->metrics[i], name))
			return i;
	a->metrics = realloc(a->metrics, (size_t)(a->nmetrics + 1) * sizeof(*a->metrics));
	ZS_BUG_ON(!a->metrics);
	a->metrics[a->nmetrics] = strdup(name);
	return a->nmetrics++;
}

static int
kernel_index(struct zs_agg *a, const char *kernel)
{
	for (int i = 0; i < a->nkernels; i++)
		if (!strcmp(a->kernels[i], kernel))
			return i;
	a->kernels = realloc(a->kernels, (size_t)(a->nkernels + 1) * sizeof(*a->kernels));
	ZS_BUG_ON(!a->kernels);
	a->kernels[a->nkernels] = strdup(kernel);
	return a->nkernels++;
}

int
zs_agg_add_run(struct zs_agg *a, const char *kernel, uint64_t seed, const char *path,
	       struct zs_error *err)
{
	struct zs_agg_run *r;

	if (a->nruns == a->caprun) {
		a->caprun = a->caprun ? 2 * a->caprun : 32;
		a->runs = realloc(a->runs, (size_t)a->caprun * sizeof(*a->runs));
		ZS_BUG_ON(!a->runs);
	}
	r = &a->runs[a->nruns];
	zs_kv_init(&r->kv);
	if (zs_kv_read_summary(&r->kv, path, err)) {
		zs_kv_free(&r->kv);
		return -1;
	}
	r->kernel = kernel_index(a, kernel);
	r->seed = seed;
	zs_derived_add(&r->kv);
	a->nruns++;
	return 0;
}

void
zs_agg_finish(struct zs_agg *a)
{
	qsort(a->runs, (size_t)a->nruns, sizeof(*a->runs), cmp_run);
	for (int i = 0; i < a->nruns; i++)
		for (int j = 0; j < a->runs[i].kv.n; j++)
			metric_index(a, a->runs[i].kv.key[j]);
}

int
zs_agg_scan(struct zs_agg *a, const char *dir, struct zs_error *err)
{
	char runs[4096], path[8192];
	int nk, rc = 0;
	char **kernels;

	snprintf(runs, sizeof(runs), "%s/runs", dir);
	errno = 0;
	kernels = list_dirs(runs, "", &nk);
	if (!kernels && errno)
		return zs_error_set(err, EX_NOINPUT, "%s: %s", runs, strerror(errno));
	for (int i = 0; i < nk; i++) {
		char kdir[4200];
		int ns;
		char **seeds;

		snprintf(kdir, sizeof(kdir), "%s/%s", runs, kernels[i]);
		seeds = list_dirs(kdir, "seed-", &ns);
		for (int j = 0; j < ns; j++) {
			char *end;
			uint64_t seed = strtoull(seeds[j] + 5, &end, 10);

			snprintf(path, sizeof(path), "%s/%s/summary.txt", kdir, seeds[j]);
			/* not a run, or one that has not finished (runs commit atomically) */
			if (rc || *end || access(path, F_OK))
				continue;
			rc = zs_agg_add_run(a, kernels[i], seed, path, err);
		}
		for (int j = 0; j < ns; j++)
			free(seeds[j]);
		free(seeds);
		free(kernels[i]);
	}
	free(kernels);
	if (rc)
		return -1;
	if (!a->nruns)
		return zs_error_set(err, EX_NOINPUT,
				    "%s: no finished runs (<kernel>/seed-<n>/summary.txt)", runs);
	zs_agg_finish(a);
	return 0;
}

int
zs_agg_set_baseline(struct zs_agg *a, const char *kernel, struct zs_error *err)
{
	if (!kernel) {
		a->baseline = 0;
		return 0;
	}
	for (int i = 0; i < a->nkernels; i++)
		if (!strcmp(a->kernels[i], kernel)) {
			a->baseline = i;
			return 0;
		}
	return zs_error_set(err, EX_USAGE, "--baseline %s: no runs of that kernel", kernel);
}

int
zs_agg_values(const struct zs_agg *a, int m, int k, double *vals, uint64_t *seeds)
{
	int n = 0;

	for (int i = 0; i < a->nruns; i++) {
		double v;

		if (a->runs[i].kernel != k || !zs_kv_get(&a->runs[i].kv, a->metrics[m], &v))
			continue;
		if (vals)
			vals[n] = v;
		if (seeds)
			seeds[n] = a->runs[i].seed;
		n++;
	}
	return n;
}

int
zs_agg_stats(const struct zs_agg *a, int m, int k, struct zs_stats_sum *s,
	     struct zs_stats_paired *d)
{
	size_t cap = (size_t)a->nruns + 1;
	double *v = calloc(cap, sizeof(*v)), *bv = calloc(cap, sizeof(*bv));
	double *pa = calloc(cap, sizeof(*pa)), *pb = calloc(cap, sizeof(*pb));
	uint64_t *sd = calloc(cap, sizeof(*sd)), *bs = calloc(cap, sizeof(*bs));
	int n, nb, np = 0;

	ZS_BUG_ON(!v || !bv || !pa || !pb || !sd || !bs);
	n = zs_agg_values(a, m, k, v, sd);
	if (n)
		zs_stats_summary(v, (size_t)n, s);
	/* pairs: the seeds both kernels ran (both lists are in seed order) */
	nb = zs_agg_values(a, m, a->baseline, bv, bs);
	for (int i = 0, j = 0; i < n && j < nb;) {
		if (sd[i] == bs[j]) {
			pa[np] = bv[j++];
			pb[np++] = v[i++];
		} else if (sd[i] < bs[j]) {
			i++;
		} else {
			j++;
		}
	}
	memset(d, 0, sizeof(*d));
	if (np && k != a->baseline)
		zs_stats_paired(pa, pb, (size_t)np, d);
	free(v);
	free(bv);
	free(pa);
	free(pb);
	free(sd);
	free(bs);
	return n;
}

void
zs_agg_write_tidy(const struct zs_agg *a, FILE *f)
{
	fputs("metric,kernel,seed,value\n", f);
	for (int m = 0; m < a->nmetrics; m++)
		for (int i = 0; i < a->nruns; i++) {
			double v;

			if (zs_kv_get(&a->runs[i].kv, a->metrics[m], &v))
				fprintf(f, "%s,%s,%" PRIu64 ",%.17g\n", a->metrics[m],
					a->kernels[a->runs[i].kernel], a->runs[i].seed, v);
		}
}

/* A number, or NA when it does not exist (NaN). */
static void
csv_num(FILE *f, double v)
{
	if (isnan(v))
		fputs(",NA", f);
	else
		fprintf(f, ",%.10g", v);
}

void
zs_agg_write_summary_csv(const struct zs_agg *a, FILE *f)
{
	fputs("metric,kernel,n,mean,sd,min,max,ci95_lo,ci95_hi,baseline,diff_mean,diff_ci95_lo,"
	      "diff_ci95_hi,diff_p,significant\n",
	      f);
	for (int m = 0; m < a->nmetrics; m++)
		for (int k = 0; k < a->nkernels; k++) {
			struct zs_stats_sum s;
			struct zs_stats_paired d;
			int n = zs_agg_stats(a, m, k, &s, &d);

			fprintf(f, "%s,%s,%d", a->metrics[m], a->kernels[k], n);
			if (!n) {
				fprintf(f, ",NA,NA,NA,NA,NA,NA,%s,NA,NA,NA,NA,NA\n",
					a->kernels[a->baseline]);
				continue;
			}
			csv_num(f, s.mean);
			csv_num(f, s.sd);
			csv_num(f, s.min);
			csv_num(f, s.max);
			csv_num(f, s.ci_lo);
			csv_num(f, s.ci_hi);
			fprintf(f, ",%s", a->kernels[a->baseline]);
			if (k == a->baseline || !d.n) {
				fputs(",NA,NA,NA,NA,NA\n", f);
				continue;
			}
			csv_num(f, d.mean);
			csv_num(f, d.ci_lo);
			csv_num(f, d.ci_hi);
			csv_num(f, d.p);
			fprintf(f, ",%d\n", d.significant);
		}
}

/* "[lo, hi]" or "-" */
static void
fmt_ci(char *buf, size_t len, double lo, double hi)
{
	if (isnan(lo) || isnan(hi))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "[%.6g, %.6g]", lo, hi);
}

/* Table position: headline figures by their rank, then the rest as they came. */
static int
rank(const struct zs_agg *a, int m)
{
	int r = zs_derived_headline(a->metrics[m]);

	return r ? r : 1000000;
}

void
zs_agg_table_order(const struct zs_agg *a, int *order)
{
	for (int m = 0; m < a->nmetrics; m++)
		order[m] = m;
	/* a stable insertion sort: a few hundred metrics at most */
	for (int i = 1; i < a->nmetrics; i++)
		for (int j = i; j > 0 && rank(a, order[j]) < rank(a, order[j - 1]); j--) {
			int t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
}

/* Index of a metric by name, -1 when no run has it. */
static int
find_metric(const struct zs_agg *a, const char *name)
{
	for (int m = 0; m < a->nmetrics; m++)
		if (!strcmp(a->metrics[m], name))
			return m;
	return -1;
}

void
zs_agg_write_text(const struct zs_agg *a, FILE *f, int all, const char *const *only, int nonly)
{
	fprintf(f, "%-26s %4s %12s %11s %25s %12s %25s %8s\n", "metric / kernel", "n", "mean",
		"sd", "95% CI", "diff", "diff 95% CI", "p");
	int *order = calloc((size_t)a->nmetrics + 1, sizeof(*order));

	ZS_BUG_ON(!order);
	zs_agg_table_order(a, order);
	if (nonly) {
		for (int i = 0; i < nonly; i++)
			if (find_metric(a, only[i]) < 0)
				fprintf(f, "%s\n  (no run reports it)\n", only[i]);
		for (int i = 0; i < nonly; i++)
			order[i] = find_metric(a, only[i]);
	}
	for (int oi = 0; oi < (nonly ? nonly : a->nmetrics); oi++) {
		int m = order[oi], any = 0;

		if (m < 0 || (!nonly && !all && !zs_derived_headline(a->metrics[m])))
			continue;
		for (int k = 0; k < a->nkernels; k++)
			any |= zs_agg_values(a, m, k, NULL, NULL) > 0;
		if (!any)
			continue;
		fprintf(f, "%s\n", a->metrics[m]);
		for (int k = 0; k < a->nkernels; k++) {
			struct zs_stats_sum s;
			struct zs_stats_paired d;
			char ci[64], dci[64], label[40];
			int n = zs_agg_stats(a, m, k, &s, &d);

			snprintf(label, sizeof(label), "  %s%s", a->kernels[k],
				 k == a->baseline ? " (base)" : "");
			if (!n) {
				fprintf(f, "%-26s %4d %12s   (not measured on this kernel)\n", label, 0,
					"n/a");
				continue;
			}
			fmt_ci(ci, sizeof(ci), s.ci_lo, s.ci_hi);
			if (isnan(s.sd))
				fprintf(f, "%-26s %4d %12.6g %11s %25s", label, n, s.mean, "-", ci);
			else
				fprintf(f, "%-26s %4d %12.6g %11.6g %25s", label, n, s.mean, s.sd, ci);
			if (k != a->baseline && d.n >= 2) {
				fmt_ci(dci, sizeof(dci), d.ci_lo, d.ci_hi);
				fprintf(f, " %12.6g %25s %8.3g%s", d.mean, dci, d.p,
					d.significant ? " *" : "");
			} else if (k != a->baseline && d.n == 1) {
				fprintf(f, " %12.6g %25s %8s", d.mean, "-", "-");
			} else if (k != a->baseline) {
				fprintf(f, " %12s   (%s has no value to pair with)", "-",
					a->kernels[a->baseline]);
			}
			fputc('\n', f);
		}
	}
	free(order);
	fprintf(f, "(* the paired 95%% interval of the difference against %s excludes zero; "
		   "pairs share a seed)\n",
		a->kernels[a->baseline]);
}

int
zs_agg_write_dir(const struct zs_agg *a, const char *dir, const char *header, int all,
		 const char *const *only, int nonly, struct zs_error *err)
{
	struct zs_outset out;
	FILE *tidy, *sum, *txt;

	if (zs_out_begin(&out, dir, err))
		return -1;
	tidy = zs_out_open(&out, "compare.csv", err);
	sum = tidy ? zs_out_open(&out, "summary.csv", err) : NULL;
	txt = sum ? zs_out_open(&out, "compare.txt", err) : NULL;
	if (!txt) {
		zs_out_abort(&out);
		return -1;
	}
	zs_agg_write_tidy(a, tidy);
	zs_agg_write_summary_csv(a, sum);
	fputs(header, txt);
	zs_agg_write_text(a, txt, all, only, nonly);
	return zs_out_commit(&out, err);
}
