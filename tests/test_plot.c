/*
 * test_plot.c - `zsim plot` and `zsim report` on each kind of directory: a
 * run and a comparison give their figures (real PNG / SVG files, none for
 * data the run lacks), and report.html holds the table and every figure
 * inline, with nothing fetched from elsewhere.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csvtab.h"
#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	zt_tmpdir(tmpdir, sizeof(tmpdir), "plot");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(plot, .init = mk_tmp, .fini = rm_tmp, .timeout = 120);

static void
zsim_ok(const char *args)
{
	char err[2048];

	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "zsim %s: %s", args, err);
}

static int
count(const char *text, const char *what)
{
	int n = 0;

	for (const char *p = strstr(text, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

Test(plot, a_run_directory)
{
	char args[512], path[256];
	static const char *const want[] = {"free_0_DMA", "free_1_Normal", "lru", "paths", "cpu",
					   "swap", "buddyinfo"};

	/* 24-oom swaps from its second second on, so every figure has data */
	snprintf(args, sizeof(args), "run configs/24-oom.yaml -q --set duration=5s --out %s/r",
		 tmpdir);
	zsim_ok(args);
	snprintf(args, sizeof(args), "plot %s/r", tmpdir);
	zsim_ok(args);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t len;
		char *png;

		snprintf(path, sizeof(path), "%s/r/plots/%s.png", tmpdir, want[i]);
		png = zt_read_file(path, &len);
		cr_assert(png && len > 2000, "%s missing or tiny", path);
		cr_assert(!memcmp(png, "\x89PNG", 4), "%s is not a PNG", path);
		free(png);
	}
	/* buddyinfo.dat: per tick, for each order, log2(1 + that order's free blocks summed
	 * over the zones): checked at every tick against ticks.csv itself */
	struct zs_csvtab t;
	struct zs_error e = {0, ""};

	snprintf(path, sizeof(path), "%s/r/ticks.csv", tmpdir);
	cr_assert_eq(zs_csvtab_read(&t, path, NULL, &e), 0, "%s", e.msg);
	snprintf(path, sizeof(path), "%s/r/plots/buddyinfo.dat", tmpdir);
	FILE *bf = fopen(path, "r");
	int tick_col = zs_csvtab_col(&t, "tick"), lines = 0;
	double ts, v;
	int k;

	cr_assert(bf && tick_col >= 0);
	for (size_t r = 0; r < t.nrows;) {
		size_t end = r;

		while (end < t.nrows && zs_csvtab_at(&t, end, tick_col) == zs_csvtab_at(&t, r, tick_col))
			end++;
		for (int order = 0;; order++) {
			char name[24];
			double sum = 0;
			int col;

			snprintf(name, sizeof(name), "order_%d", order);
			if ((col = zs_csvtab_col(&t, name)) < 0)
				break;
			for (size_t z = r; z < end; z++)
				sum += zs_csvtab_at(&t, z, col);
			cr_assert_eq(fscanf(bf, "%lf %d %lf", &ts, &k, &v), 3, "line %d", lines);
			cr_assert_eq(k, order);
			cr_assert(fabs(v - log2(1 + sum)) < 1e-5 * (1 + v),
				  "tick row %zu order %d: %g, ticks.csv says %g", r, order, v,
				  log2(1 + sum));
			lines++;
		}
		r = end;
	}
	cr_assert_eq(fscanf(bf, "%lf", &ts), EOF, "buddyinfo.dat has more rows than ticks");
	cr_assert(lines > 100);
	fclose(bf);
	zs_csvtab_free(&t);
	/* 2.4.0 has no nr_inactive: the LRU figure draws the 2.4 lists only */
	snprintf(path, sizeof(path), "%s/r/plots/plots.gp", tmpdir);
	char *gp = zt_read_file(path, NULL);
	cr_assert(gp && strstr(gp, "'inact_dirty'") && !strstr(gp, "'nr_inactive'"));
	free(gp);
}

Test(plot, a_compare_directory_and_its_report)
{
	char args[512], path[256];

	snprintf(args, sizeof(args),
		 "compare configs/mixed.yaml --set duration=2s -q --kernels 2.4,2.6.32 --seeds 3 "
		 "--format html --out %s/c",
		 tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/c/plots/free.svg", tmpdir);
	char *svg = zt_read_file(path, NULL);
	cr_assert(svg && strstr(svg, "<svg") && strstr(svg, "2.6.32"), "%s", path);
	free(svg);
	/* a band per kernel: mean, lower and upper bound for every tick */
	snprintf(path, sizeof(path), "%s/c/plots/free.dat", tmpdir);
	char *dat = zt_read_file(path, NULL);
	cr_assert(dat && count(dat, "\n\n\n") == 2, "two kernel blocks in free.dat");
	free(dat);
	snprintf(path, sizeof(path), "%s/c/report.html", tmpdir);
	char *html = zt_read_file(path, NULL);
	cr_assert(html);
	cr_assert(strstr(html, "<table id=summary>"));
	cr_assert(strstr(html, "<td class=m>pgmajfault</td><td class=m>2.6.32</td>"));
	int figures = count(html, "<figure class=plot");
	cr_assert(figures >= 4, "%d figures", figures);
	cr_assert_eq(count(html, "<svg"), figures, "every figure is inline SVG");
	cr_assert(!strstr(html, "<script") && !strstr(html, "src=") && !strstr(html, "@import"),
		  "the report loads something from elsewhere");
	free(html);
	/* the report of a single run */
	snprintf(args, sizeof(args), "report %s/c/runs/2.4.0/seed-1", tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/c/runs/2.4.0/seed-1/report.html", tmpdir);
	html = zt_read_file(path, NULL);
	cr_assert(html && strstr(html, "<table id=summary>") && count(html, "<svg") >= 5);
	free(html);
}

Test(plot, not_a_result_directory)
{
	char args[256], err[1024];

	snprintf(args, sizeof(args), "plot %s", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 66, "%s", err);
	cr_assert(strstr(err, "neither a run directory"), "%s", err);
	snprintf(args, sizeof(args), "plot %s --format gif", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 64, "%s", err);
}
