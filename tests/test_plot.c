/*
 * test_plot.c - `zsim plot` and `zsim report` on each kind of directory: a
 * run, a comparison and a sweep give their figures (real PNG / SVG files,
 * none for data the run lacks), and report.html holds the table and every
 * figure inline, with nothing fetched from elsewhere.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The sum over a tick's zone rows of column col, for each tick (rows of one tick are
 * consecutive); returns the number of ticks. */
static size_t
tick_sums(const struct zs_csvtab *t, int col, double *out)
{
	int tc = zs_csvtab_col(t, "tick");
	size_t n = 0;

	for (size_t r = 0; r < t->nrows; n++) {
		size_t end = r;

		out[n] = 0;
		while (end < t->nrows && zs_csvtab_at(t, end, tc) == zs_csvtab_at(t, r, tc))
			out[n] += zs_csvtab_at(t, end++, col);
		r = end;
	}
	return n;
}

/*
 * DIR/plots/buddyinfo.dat against DIR/ticks.csv: a column of lines per tick, or past
 * 16,384 ticks per run of ceil(ticks / 16384) of them, each line log2(1 + the order's
 * free blocks over the zones, averaged over the column's ticks); `per` is the run
 * length expected.
 */
static void
check_buddyinfo(const char *run, size_t per)
{
	char path[256];
	struct zs_csvtab t;
	struct zs_error e = {0, ""};
	double ts, v;
	int k, orders = 0;

	snprintf(path, sizeof(path), "%s/%s/ticks.csv", tmpdir, run);
	cr_assert_eq(zs_csvtab_read(&t, path, NULL, &e), 0, "%s", e.msg);
	double *sum[16];
	size_t n = 0;

	for (; orders < 16; orders++) {
		char name[24];
		int col;

		snprintf(name, sizeof(name), "order_%d", orders);
		if ((col = zs_csvtab_col(&t, name)) < 0)
			break;
		sum[orders] = calloc(t.nrows, sizeof(double));
		cr_assert(sum[orders]);
		n = tick_sums(&t, col, sum[orders]);
	}
	cr_assert(orders >= 10 && n > 100);
	cr_assert_eq((n + 16383) / 16384, per, "%zu ticks", n);
	snprintf(path, sizeof(path), "%s/%s/plots/buddyinfo.dat", tmpdir, run);
	FILE *bf = fopen(path, "r");

	cr_assert(bf, "%s", path);
	for (size_t i = 0; i < n; i += per) {
		size_t m = n - i < per ? n - i : per;

		for (int order = 0; order < orders; order++) {
			double mean = 0;

			for (size_t j = i; j < i + m; j++)
				mean += sum[order][j];
			mean /= (double)m;
			cr_assert_eq(fscanf(bf, "%lf %d %lf", &ts, &k, &v), 3, "column %zu", i / per);
			cr_assert_eq(k, order);
			cr_assert(fabs(v - log2(1 + mean)) < 1e-5 * (1 + v),
				  "tick %zu order %d: %g, ticks.csv says %g", i, order, v,
				  log2(1 + mean));
		}
	}
	cr_assert_eq(fscanf(bf, "%lf", &ts), EOF, "buddyinfo.dat has more columns than that");
	fclose(bf);
	for (int o = 0; o < orders; o++)
		free(sum[o]);
	zs_csvtab_free(&t);
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
	check_buddyinfo("r", 1);
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

/* A run of more ticks than gnuplot can draw an image pixel for (32,767): the report's
 * SVG figures still come out, the heat map's columns averaging runs of ticks. */
Test(plot, a_run_longer_than_the_heat_map_is_wide)
{
	char args[512], path[256];

	snprintf(args, sizeof(args),
		 "run configs/default.yaml -q --set duration=33s --set machine.hz=1000 --out %s/long",
		 tmpdir);
	zsim_ok(args);
	snprintf(args, sizeof(args), "report %s/long", tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/long/plots/buddyinfo.svg", tmpdir);
	char *svg = zt_read_file(path, NULL);
	cr_assert(svg && strstr(svg, "<svg") && strstr(svg, "<image"), "%s", path);
	free(svg);
	check_buddyinfo("long", 3); /* 33,001 ticks: 11,001 columns of 3 */
}

Test(plot, not_a_result_directory)
{
	char args[256], err[1024];

	snprintf(args, sizeof(args), "plot %s", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 66, "%s", err);
	cr_assert(strstr(err, "not a run directory"), "%s", err);
	snprintf(args, sizeof(args), "plot %s --format gif", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 64, "%s", err);
	/* a compare directory whose only run has not finished: an error, and no plots/ */
	char path[256];
	struct stat st;
	snprintf(path, sizeof(path), "mkdir -p %s/c0/runs/2.4.0/seed-1", tmpdir);
	cr_assert_eq(system(path), 0);
	snprintf(args, sizeof(args), "plot %s/c0", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 66, "%s", err);
	snprintf(path, sizeof(path), "%s/c0/plots", tmpdir);
	cr_assert(stat(path, &st), "%s left behind", path);
}

/* summary.txt's value of key, NaN when the run has none. */
static double
summary_value(const char *path, const char *key)
{
	char *text = zt_read_file(path, NULL), pat[128];
	double v = NAN;

	snprintf(pat, sizeof(pat), "\n%s: ", key);
	const char *p = text ? strstr(text, pat) : NULL;

	if (p)
		v = strtod(p + strlen(pat), NULL);
	free(text);
	return v;
}

/* Write TMP/NAME.yaml (base BASE under the top directory, then BODY) and run it into TMP/OUT. */
static void
run_sweep(const char *name, const char *base, const char *body, const char *out)
{
	char args[1024], path[512], cwd[4096];
	FILE *f;

	cr_assert(getcwd(cwd, sizeof(cwd)));
	snprintf(path, sizeof(path), "%s/%s.yaml", tmpdir, name);
	f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "base: %s/configs/%s\n%sout: %s/%s\n", cwd, base, body, tmpdir, out);
	fclose(f);
	snprintf(args, sizeof(args), "sweep %s --run --jobs 2 -q", path);
	zsim_ok(args);
}

/*
 * A sweep directory: each headline metric against each axis of two values or more,
 * a line per kernel, each point the mean over seeds with its interval; a point
 * with no finished run is a gap; the report lists the points and inlines the
 * figures.
 */
Test(plot, a_sweep_directory_and_its_report)
{
	char args[512], path[512];
	FILE *f;

	run_sweep("s", "mixed.yaml",
		  "kernels: [2.4, 2.6.32]\nseeds: 2\n"
		  "axes: {machine.memory: [64MiB, 128MiB], duration: [1s]}\n",
		  "sw");
	snprintf(args, sizeof(args), "plot %s/sw", tmpdir);
	zsim_ok(args);

	/* x 0 and 1 (64 and 128 MiB); per kernel the mean and interval of alloc_ok */
	static const char *const kernels[] = {"2.4.0", "2.6.32"};
	snprintf(path, sizeof(path), "%s/sw/plots/sweep-a0-alloc_ok.dat", tmpdir);
	f = fopen(path, "r");
	cr_assert(f, "%s", path);
	char line[1024];
	int rows = 0;
	while (fgets(line, sizeof(line), f)) {
		double v[7];

		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
				    &v[4], &v[5], &v[6]),
			     7, "%s", line);
		cr_assert_eq(v[0], rows);
		for (int k = 0; k < 2; k++) {
			double sum = 0;

			for (int seed = 1; seed <= 2; seed++) {
				char sp[600];

				snprintf(sp, sizeof(sp), "%s/sw/points/p%03d/runs/%s/seed-%d/summary.txt",
					 tmpdir, rows, kernels[k], seed);
				sum += summary_value(sp, "alloc_ok");
			}
			cr_assert(fabs(v[1 + 3 * k] - sum / 2) <= 1e-6 * fabs(sum),
				  "point %d %s: mean %g, the runs say %g", rows, kernels[k],
				  v[1 + 3 * k], sum / 2);
			cr_assert(v[2 + 3 * k] <= v[1 + 3 * k] && v[1 + 3 * k] <= v[3 + 3 * k]);
		}
		rows++;
	}
	fclose(f);
	cr_assert_eq(rows, 2);
	snprintf(path, sizeof(path), "%s/sw/plots/sweep-a0-alloc_ok.png", tmpdir);
	size_t png_len = 0;
	char *png = zt_read_file(path, &png_len);
	cr_assert(png && png_len > 8 && !memcmp(png, "\x89PNG", 4), "%s", path);
	free(png);
	/* duration has one value: no figure against it, and the script says why */
	snprintf(path, sizeof(path), "%s/sw/plots/sweep-a1-alloc_ok.dat", tmpdir);
	cr_assert(!fopen(path, "r"), "%s", path);
	snprintf(path, sizeof(path), "%s/sw/plots/plots.gp", tmpdir);
	char *gp = zt_read_file(path, NULL);
	cr_assert(gp && strstr(gp, "# against duration: one value"));
	cr_assert(strstr(gp, "title '2.6.32, duration=1s'"), "a line's title names the other axes");
	free(gp);

	snprintf(args, sizeof(args), "report %s/sw", tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/sw/report.html", tmpdir);
	char *html = zt_read_file(path, NULL);
	cr_assert(html && strstr(html, "<table id=points>"));
	cr_assert(strstr(html, "<td class=m>p001</td><td class=m>128MiB</td><td class=m>1s</td>"
			       "<td class=m>2.4.0: 2, 2.6.32: 2</td>"));
	int figures = count(html, "<figure class=plot");
	cr_assert(figures >= 5, "%d figures", figures);
	cr_assert_eq(count(html, "<svg"), figures);
	cr_assert(!strstr(html, "<script") && !strstr(html, "src="));
	free(html);

	/* the second point's runs not finished: a gap there, the first point still drawn */
	for (int k = 0; k < 2; k++)
		for (int seed = 1; seed <= 2; seed++) {
			snprintf(path, sizeof(path), "%s/sw/points/p001/runs/%s/seed-%d/summary.txt",
				 tmpdir, kernels[k], seed);
			cr_assert_eq(unlink(path), 0, "%s", path);
		}
	snprintf(args, sizeof(args), "plot %s/sw", tmpdir);
	zsim_ok(args);
	snprintf(path, sizeof(path), "%s/sw/plots/sweep-a0-alloc_ok.dat", tmpdir);
	char *dat = zt_read_file(path, NULL);
	cr_assert(dat && strstr(dat, "\n1 NaN NaN NaN NaN NaN NaN\n"), "%s", dat);
	free(dat);
	/* and none finished: an error, not empty figures */
	for (int k = 0; k < 2; k++)
		for (int seed = 1; seed <= 2; seed++) {
			snprintf(path, sizeof(path), "%s/sw/points/p000/runs/%s/seed-%d/summary.txt",
				 tmpdir, kernels[k], seed);
			cr_assert_eq(unlink(path), 0, "%s", path);
		}
	char err[1024];
	snprintf(args, sizeof(args), "plot %s/sw", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 66, "%s", err);
	cr_assert(strstr(err, "no point of the sweep has a finished run"), "%s", err);
}

/* A points.csv whose line does not match its header names the line. */
Test(plot, a_sweep_with_a_broken_points_file)
{
	char args[512], path[256], err[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/bad", tmpdir);
	cr_assert_eq(mkdir(path, 0777), 0);
	snprintf(path, sizeof(path), "%s/bad/points.csv", tmpdir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs("point,machine.memory\np000,64MiB\np001,128MiB,extra\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "plot %s/bad", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	cr_assert(strstr(err, "points.csv:3:"), "%s", err);
	snprintf(args, sizeof(args), "report %s/bad", tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	snprintf(path, sizeof(path), "%s/bad/report.html", tmpdir);
	cr_assert(!fopen(path, "r"), "no report of a broken sweep");
	struct stat st;
	snprintf(path, sizeof(path), "%s/bad/plots", tmpdir);
	cr_assert(stat(path, &st), "no plots of a broken sweep");
}

/* More lines than a figure holds: a figure per kernel, each with the other axes' lines. */
Test(plot, a_sweep_with_many_combinations_gets_a_figure_per_kernel)
{
	char args[512], path[512];

	run_sweep("m", "default.yaml",
		  "kernels: [2.4, 2.6.32]\nseeds: 1\naxes: {machine.memory: [32MiB, 48MiB], "
		  "duration: [100ms, 110ms, 120ms, 130ms, 140ms, 150ms, 160ms]}\n",
		  "many");
	snprintf(args, sizeof(args), "plot %s/many", tmpdir);
	zsim_ok(args);
	/* against memory: 2 kernels x 7 durations = 14 lines, so a figure per kernel of 7 */
	static const char *const kernels[] = {"2.4.0", "2.6.32"};
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/many/plots/sweep-a0-alloc_ok-%s.dat", tmpdir,
			 kernels[k]);
		char *dat = zt_read_file(path, NULL);
		cr_assert(dat, "%s", path);
		const char *row = strstr(dat, "\n0 ");
		cr_assert(row);
		int fields = 0;
		for (const char *p = row + 1; *p && *p != '\n'; p++)
			fields += *p == ' ';
		cr_assert_eq(fields, 7 * 3, "x, then 7 lines of mean lo hi: %s", row);
		free(dat);
	}
	snprintf(path, sizeof(path), "%s/many/plots/sweep-a0-alloc_ok.dat", tmpdir);
	cr_assert(!fopen(path, "r"), "%s", path);
	/* against duration: 2 kernels x 2 memory sizes, one figure */
	snprintf(path, sizeof(path), "%s/many/plots/sweep-a1-alloc_ok.dat", tmpdir);
	char *dat = zt_read_file(path, NULL);
	cr_assert(dat, "%s", path);
	free(dat);
	snprintf(path, sizeof(path), "%s/many/plots/plots.gp", tmpdir);
	char *gp = zt_read_file(path, NULL);
	cr_assert(gp && strstr(gp, "# against machine.memory: 2 kernels x 7 combinations"));
	cr_assert(strstr(gp, "a figure per kernel"));
	free(gp);
}
