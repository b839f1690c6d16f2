/*
 * test_cli.c - the zsim binary as a user drives it: exit statuses, messages
 * with positions, no result files after a failure, byte-identical reruns.
 * Runs ZSIM_BIN (set by `make test`) from the repository top.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/zsim-cli.XXXXXX");
	cr_assert(mkdtemp(tmpdir));
}

static void
rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	cr_assert_eq(system(cmd), 0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert(f);
	fputs(text, f);
	fclose(f);
}

TestSuite(cli, .init = mk_tmp, .fini = rm_tmp);

Test(cli, version_and_help)
{
	cr_assert_eq(zt_zsim("--version", NULL, 0), 0);
	cr_assert_eq(zt_zsim("--help", NULL, 0), 0);
	cr_assert_eq(zt_zsim("help run", NULL, 0), 0);
	cr_assert_eq(zt_zsim("frobnicate", NULL, 0), 64);
	cr_assert_eq(zt_zsim("run configs/default.yaml --bogus", NULL, 0), 64);
}

Test(cli, missing_scenario_is_66)
{
	char err[512];

	cr_assert_eq(zt_zsim("run /nonexistent/x.yaml", err, sizeof(err)), 66);
	cr_assert(strstr(err, "/nonexistent/x.yaml"), "%s", err);
}

Test(cli, bad_yaml_is_65_with_position_and_no_results)
{
	char path[128], args[512], out[128], err[1024];

	snprintf(path, sizeof(path), "%s/bad.yaml", tmpdir);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	write_file(path, "duration: 1s\nmachine:\n  cpus: 2\n  hz: 100\n  memroy: 64MiB\n");
	snprintf(args, sizeof(args), "run %s --out %s", path, out);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65);
	cr_assert(strstr(err, "bad.yaml:5:3: unknown key 'memroy' (did you mean 'memory'?)"), "%s",
		  err);
	cr_assert(!zt_exists(out), "a failed run left %s", out);
}

Test(cli, set_overrides_and_errors_name_the_flag)
{
	char args[512], sum[256], err[512];

	snprintf(args, sizeof(args), "run configs/default.yaml -q --set duration=100ms --out %s/s",
		 tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	snprintf(sum, sizeof(sum), "%s/s/summary.txt", tmpdir);
	char *text = zt_read_file(sum, NULL);
	cr_assert(text);
	cr_assert(strstr(text, "duration_ns: 100000000\n"), "%s", text);
	free(text);
	snprintf(args, sizeof(args), "run configs/default.yaml -q --set seed=abc --out %s/t",
		 tmpdir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65);
	cr_assert(strstr(err, "--set seed=abc: 'seed' must be a whole number"), "%s", err);
}

static void
run_default(const char *out, const char *extra)
{
	char args[512], err[512];

	snprintf(args, sizeof(args), "run configs/default.yaml -q --events --out %s %s", out, extra);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
}

Test(cli, same_seed_gives_identical_bytes)
{
	char a[128], b[128], c[128], fa[192], fb[192], fc[192];
	static const char *const files[] = {"ticks.csv", "events.csv", "summary.txt"};

	snprintf(a, sizeof(a), "%s/a", tmpdir);
	snprintf(b, sizeof(b), "%s/b", tmpdir);
	snprintf(c, sizeof(c), "%s/c", tmpdir);
	run_default(a, "");
	run_default(b, "");
	run_default(c, "--seed 43");
	for (int i = 0; i < 3; i++) {
		snprintf(fa, sizeof(fa), "%s/%s", a, files[i]);
		snprintf(fb, sizeof(fb), "%s/%s", b, files[i]);
		cr_assert(zt_same_file(fa, fb), "%s differs between identical runs", files[i]);
	}
	snprintf(fa, sizeof(fa), "%s/events.csv", a);
	snprintf(fc, sizeof(fc), "%s/events.csv", c);
	cr_assert(!zt_same_file(fa, fc), "another seed gave the same events");
}

Test(cli, ticks_csv_has_a_row_per_tick_per_zone)
{
	char out[128], path[192];
	size_t len;

	snprintf(out, sizeof(out), "%s/d", tmpdir);
	run_default(out, "--set duration=1s");
	snprintf(path, sizeof(path), "%s/ticks.csv", out);
	char *text = zt_read_file(path, &len);
	cr_assert(text);
	cr_assert_eq(strncmp(text, "time_ns,tick,node,zone,nr_free_pages,", 37), 0);
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	/* header + (HZ 100 * 1 s + the tick at 0) * 2 zones */
	cr_assert_eq(lines, 1 + 101 * 2, "%d lines", lines);
	free(text);
}

Test(cli, malformed_trace_stops_replay_with_line_and_no_results)
{
	char trace[128], out[128], args[512], err[1024], ticks[192];

	snprintf(trace, sizeof(trace), "%s/bad.txt", tmpdir);
	snprintf(out, sizeof(out), "%s/r", tmpdir);
	write_file(trace,
		   "            perf  6429 [000]    22.498450:             kmem:mm_page_alloc: page=0x176a17 pfn=1534487 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		   "            perf  6429 [000]    22.498460:             kmem:mm_page_alloc: page=0x176a18 pfn=1534488 order=zero migratetype=0 gfp_flags=GFP_KERNEL\n");
	snprintf(args, sizeof(args), "replay %s --out %s", trace, out);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 65, "%s", err);
	cr_assert(strstr(err, "bad.txt:2:"), "%s", err);
	snprintf(ticks, sizeof(ticks), "%s/ticks.csv", out);
	cr_assert(!zt_exists(ticks));
	/* --skip-bad-lines: the run completes */
	snprintf(args, sizeof(args), "replay %s -q --out %s --skip-bad-lines", trace, out);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	cr_assert(zt_exists(ticks));
	snprintf(args, sizeof(args), "%s/summary.txt", out);
	char *sum = zt_read_file(args, NULL);
	cr_assert(sum && strstr(sum, "source0_bad_lines: 1\n"), "%s", sum ? sum : "");
	free(sum);
	/* the trace options belong to replay */
	cr_assert_eq(zt_zsim("run configs/default.yaml --skip-bad-lines", err, sizeof(err)), 64);
}

Test(cli, check_prints_zones)
{
	char err[512];

	cr_assert_eq(zt_zsim("check configs/default.yaml", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(zt_zsim("check configs/default.yaml --format csv", err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(zt_zsim("check configs/default.yaml --format xml", err, sizeof(err)), 64);
}
