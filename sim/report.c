/* report.c - DIR/report.html with inline SVG figures; see report.h. */
#include "sim/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "sim/aggregate.h"
#include "sim/output.h"
#include "sim/plot.h"
#include "sim/sweep_points.h"

static void
html_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

static void
num(FILE *f, double v)
{
	if (isnan(v))
		fputs("<td class=na>n/a</td>", f);
	else
		fprintf(f, "<td>%.6g</td>", v);
}

/* A file's text from its first "<svg" on (gnuplot's XML prolog dropped). */
static int
inline_svg(FILE *f, const char *path)
{
	FILE *in = fopen(path, "r");
	char buf[65536];
	size_t n;
	int started = 0;

	if (!in)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf) - 1, in)) > 0) {
		buf[n] = '\0';
		char *p = buf;
		if (!started) {
			p = strstr(buf, "<svg");
			if (!p)
				continue;
			started = 1;
		}
		fwrite(p, 1, n - (size_t)(p - buf), f);
	}
	fclose(in);
	return started ? 0 : -1;
}

static const char css[] =
	"body{font-family:sans-serif;margin:2em;max-width:1200px}"
	"table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;padding:2px 6px;"
	"text-align:right}th{background:#eee}td.m{text-align:left}td.na{color:#999}"
	"tr.sig td.d{background:#ffe9a8}figure{margin:1em 0}pre{background:#f6f6f6;padding:.5em}";

/* The table of a comparison: headline figures, every kernel, intervals and markers. */
static void
compare_table(FILE *f, const struct zs_agg *a)
{
	fprintf(f, "<table id=summary><tr><th>metric</th><th>kernel</th><th>n</th><th>mean</th>"
		   "<th>sd</th><th>95%% CI</th><th>diff vs %s</th><th>diff 95%% CI</th><th>p</th>"
		   "<th></th></tr>\n",
		a->kernels[a->baseline]);
	int *order = calloc((size_t)a->nmetrics + 1, sizeof(*order));

	ZS_BUG_ON(!order);
	zs_agg_table_order(a, order);
	for (int oi = 0; oi < a->nmetrics; oi++) {
		int m = order[oi];

		if (!zs_derived_headline(a->metrics[m]))
			continue;
		for (int k = 0; k < a->nkernels; k++) {
			struct zs_stats_sum s;
			struct zs_stats_paired d;
			int n = zs_agg_stats(a, m, k, &s, &d);
			int paired = k != a->baseline && d.n >= 2;

			fprintf(f, "<tr%s><td class=m>%s</td><td class=m>%s</td><td>%d</td>",
				paired && d.significant ? " class=sig" : "", a->metrics[m], a->kernels[k],
				n);
			if (!n) {
				fputs("<td class=na colspan=7>not measured on this kernel</td></tr>\n", f);
				continue;
			}
			num(f, s.mean);
			num(f, s.sd);
			if (isnan(s.ci_lo))
				fputs("<td class=na>-</td>", f);
			else
				fprintf(f, "<td>[%.6g, %.6g]</td>", s.ci_lo, s.ci_hi);
			if (paired) {
				fprintf(f, "<td class=d>%.6g</td><td class=d>[%.6g, %.6g]</td>", d.mean,
					d.ci_lo, d.ci_hi);
				num(f, d.p);
				fprintf(f, "<td>%s</td>", d.significant ? "*" : "");
			} else {
				fputs("<td></td><td></td><td></td><td></td>", f);
			}
			fputs("</tr>\n", f);
		}
	}
	free(order);
	fputs("</table>\n<p>* the paired 95% interval of the difference excludes zero (pairs share "
	      "a seed; Student t).</p>\n",
	      f);
}

/* One run: its headline figures and path classes. */
static void
run_table(FILE *f, const struct zs_kv *kv)
{
	fputs("<table id=summary><tr><th>metric</th><th>value</th></tr>\n", f);
	for (int i = 0; i < kv->n; i++)
		if (zs_derived_headline(kv->key[i]) || !strncmp(kv->key[i], "class_", 6) ||
		    !strncmp(kv->key[i], "path_", 5))
			fprintf(f, "<tr><td class=m>%s</td><td>%.10g</td></tr>\n", kv->key[i],
				kv->val[i]);
	fputs("</table>\n", f);
}

/* A sweep's points: their axis values and how many runs of each kernel have finished. */
static int
sweep_table(FILE *f, const char *dir, struct zs_error *err)
{
	struct zs_sweep_points sp;

	if (zs_sweep_points_read(&sp, dir, err)) {
		zs_sweep_points_free(&sp);
		return -1;
	}
	fputs("<table id=points><tr><th>point</th>", f);
	for (int a = 0; a < sp.naxes; a++) {
		fputs("<th>", f);
		html_text(f, sp.axis[a]);
		fputs("</th>", f);
	}
	fputs("<th>finished runs</th></tr>\n", f);
	for (int p = 0; p < sp.npoints; p++) {
		const struct zs_agg *a = &sp.p[p].agg;

		fprintf(f, "<tr><td class=m>%s</td>", sp.p[p].name);
		for (int x = 0; x < sp.naxes; x++) {
			fputs("<td class=m>", f);
			html_text(f, sp.p[p].value[x]);
			fputs("</td>", f);
		}
		fputs("<td class=m>", f);
		if (!a->nkernels)
			fputs("none yet", f);
		for (int k = 0; k < a->nkernels; k++) {
			int n = 0;

			for (int r = 0; r < a->nruns; r++)
				n += a->runs[r].kernel == k;
			fprintf(f, "%s%s: %d", k ? ", " : "", a->kernels[k], n);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n<p>Each point is a compare directory (<code>points/p&lt;NNN&gt;/</code>): "
	      "<code>zsim report</code> of one gives its table with intervals and paired "
	      "differences.</p>\n",
	      f);
	zs_sweep_points_free(&sp);
	return 0;
}

/* A summary.txt to describe the scenario and machine: the run's, or a compare's first run. */
static void
identity(FILE *f, const char *summary, int is_run)
{
	static const char *const keys[] = {"scenario", "kernel", "seed", "duration_ns", "hz",
					   "nodes", "zones", "cpus", "pages", "swap_pages", NULL};
	FILE *in = fopen(summary, "r");
	char line[1024];

	fputs("<table id=machine>\n", f);
	while (in && fgets(line, sizeof(line), in)) {
		char *c = strstr(line, ": ");

		if (!c)
			continue;
		*c = '\0';
		c[strcspn(c + 2, "\n") + 2] = '\0';
		/* a comparison's runs differ in kernel and seed: the table below names them */
		if (!is_run && (!strcmp(line, "kernel") || !strcmp(line, "seed")))
			continue;
		for (int i = 0; keys[i]; i++)
			if (!strcmp(line, keys[i])) {
				fprintf(f, "<tr><th>%s</th><td class=m>", line);
				html_text(f, c + 2);
				fputs("</td></tr>\n", f);
			}
	}
	if (in)
		fclose(in);
	fputs("</table>\n", f);
}

/* The first run's summary.txt under dir/runs/, for the machine description. */
static int
first_run_summary(const struct zs_agg *a, const char *dir, char *out, size_t len)
{
	if (!a->nruns)
		return -1;
	snprintf(out, len, "%s/runs/%s/seed-%llu/summary.txt", dir, a->kernels[a->runs[0].kernel],
		 (unsigned long long)a->runs[0].seed);
	return 0;
}

int
zs_report_write(const char *dir, struct zs_error *err)
{
	struct zs_plots plots;
	struct zs_outset out;
	struct zs_agg agg;
	struct zs_kv kv;
	char path[4400], sum[4400];
	struct stat st;
	FILE *f;
	int is_run, is_sweep;

	if (zs_plot_dir(dir, "svg", &plots, err))
		return -1;
	snprintf(path, sizeof(path), "%s/ticks.csv", dir);
	is_run = !stat(path, &st);
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	is_sweep = !is_run && !stat(path, &st);
	zs_agg_init(&agg);
	zs_kv_init(&kv);
	sum[0] = '\0';
	if (is_sweep) {
		/* the points' table below says what there is */
	} else if (is_run) {
		snprintf(sum, sizeof(sum), "%s/summary.txt", dir);
		if (zs_kv_read_summary(&kv, sum, err))
			return -1;
		zs_derived_add(&kv);
	} else {
		if (zs_agg_scan(&agg, dir, err))
			return -1;
		first_run_summary(&agg, dir, sum, sizeof(sum));
	}
	if (zs_out_begin(&out, dir, err) || !(f = zs_out_open(&out, "report.html", err))) {
		zs_agg_free(&agg);
		zs_kv_free(&kv);
		return -1;
	}
	fprintf(f, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
		   "<title>zsim report: ");
	html_text(f, dir);
	fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>zsim report: ", css);
	html_text(f, dir);
	fputs("</h1>\n", f);
	if (!is_sweep) {
		fputs("<h2>Scenario and machine</h2>\n", f);
		identity(f, sum, is_run);
	}
	snprintf(path, sizeof(path), "%s/compare.txt", dir);
	FILE *hdr = is_run ? NULL : fopen(path, "r");
	if (hdr) {
		char line[1024];

		fputs("<pre id=command>", f);
		while (fgets(line, sizeof(line), hdr) && line[0] == '#')
			html_text(f, line);
		fputs("</pre>\n", f);
		fclose(hdr);
	}
	if (is_sweep) {
		fputs("<h2>Points</h2>\n", f);
		if (sweep_table(f, dir, err)) {
			zs_out_abort(&out);
			zs_agg_free(&agg);
			zs_kv_free(&kv);
			return -1;
		}
	} else {
		fputs("<h2>Summary</h2>\n", f);
		if (is_run)
			run_table(f, &kv);
		else
			compare_table(f, &agg);
	}
	fputs("<h2>Figures</h2>\n", f);
	for (int i = 0; i < plots.n; i++) {
		fprintf(f, "<figure class=plot id=\"plot-%s\"><figcaption>", plots.name[i]);
		html_text(f, plots.title[i]);
		fputs("</figcaption>\n", f);
		snprintf(path, sizeof(path), "%s/plots/%s.svg", dir, plots.name[i]);
		if (inline_svg(f, path)) {
			zs_out_abort(&out);
			zs_agg_free(&agg);
			zs_kv_free(&kv);
			return zs_error_set(err, EX_SOFTWARE, "%s: gnuplot wrote no SVG", path);
		}
		fputs("</figure>\n", f);
	}
	fputs("</body></html>\n", f);
	zs_agg_free(&agg);
	zs_kv_free(&kv);
	return zs_out_commit(&out, err);
}
