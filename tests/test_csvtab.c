/*
 * test_csvtab.c - the plots' CSV reader (sim/csvtab.c): every field reads as the
 * double strtod gives for it when strtod reads the whole field, NaN otherwise,
 * bit for bit, whether the reader's own decimal path or strtod took it; and a read
 * of some columns keeps exactly those, with the values a full read gives.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/csvtab.h"
#include "tests/support.h"

static char tmpdir[64];

static void
mk_tmp(void)
{
	zt_tmpdir(tmpdir, sizeof(tmpdir), "csvtab");
}

static void
rm_tmp(void)
{
	zt_rm_rf(tmpdir);
}

TestSuite(csvtab, .init = mk_tmp, .fini = rm_tmp);

/* What the reader must give for field s: strtod's value when it reads all of s. */
static double
want(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	return end == s || *end ? NAN : v;
}

static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof(a));
}

/* Write fields as a CSV of `cols` columns (a header row first), read it back and
 * compare every value with want(). */
static void
check_fields(char **fields, int n, int cols)
{
	char path[128];
	FILE *f;
	struct zs_csvtab t;
	struct zs_error err = {0, ""};

	snprintf(path, sizeof(path), "%s/t.csv", tmpdir);
	f = fopen(path, "w");
	cr_assert(f);
	for (int c = 0; c < cols; c++)
		fprintf(f, "%sc%d", c ? "," : "", c);
	fputc('\n', f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", fields[i], (i + 1) % cols ? "," : "\n");
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(zs_csvtab_read(&t, path, "c0", &err), 0, "%s", err.msg);
	cr_assert_eq(t.ncols, cols);
	cr_assert_eq(t.nrows, (size_t)(n / cols));
	for (int i = 0; i < n; i++) {
		double got = zs_csvtab_at(&t, (size_t)(i / cols), i % cols);

		cr_assert(same(got, want(fields[i])), "field '%s': read %.17g, strtod %.17g",
			  fields[i], got, want(fields[i]));
		if (i % cols == 0)
			cr_assert_str_eq(t.text[i / cols], fields[i]);
	}
	zs_csvtab_free(&t);
}

Test(csvtab, edge_fields_read_as_strtod_reads_them)
{
	static const char *const edge[] = {
		"0", "-0", "7", "-7", "007", "2.5", "-2.5", "5.", ".5", "-.5", "0.1", "0.3",
		"123456789012345", "1234567890123456", "12345678901234567890", "999999999999999",
		"0.000000000000001", "0.00000000000001", "1.00000000000000", "9007199254740993",
		"1e5", "1E-3", "+4", " 4", "4 ", "0x10", "nan", "inf", "-inf", "", "-", ".",
		"2.4.0", "DMA", "DMA32", "1,5", "3.14159265358979", "2.718281828459045",
		"18446744073709551615", "1.5e308", "4.9e-324", "0.1234567890123456789"};
	char *fields[48];
	int n = 0;

	/* one field a row, in column c1 (c0 holds a label), so a comma inside a field is
	 * not possible here: "1,5" is two fields, each checked */
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		if (strchr(edge[i], ','))
			continue;
		fields[n++] = (char *)edge[i];
	}
	if (n % 2)
		fields[n++] = "1";
	check_fields(fields, n, 2);
}

Test(csvtab, random_decimals_read_as_strtod_reads_them)
{
	enum { N = 60000, COLS = 12 };
	char **fields = malloc(N * sizeof(*fields));
	uint64_t x = 0x9E3779B97F4A7C15u;

	cr_assert(fields);
	for (int i = 0; i < N; i++) {
		char buf[40];
		int len = 0, digits, dot;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		digits = 1 + (int)(x % 19);    /* 1..19: past the reader's 15 too */
		dot = (int)((x >> 8) % (unsigned)(digits + 2)) - 1; /* -1: none */
		if ((x >> 16) & 1)
			buf[len++] = '-';
		for (int d = 0; d < digits; d++) {
			if (d == dot && d > 0)
				buf[len++] = '.';
			buf[len++] = (char)('0' + (x >> (20 + 2 * (d % 20))) % 10);
		}
		buf[len] = '\0';
		fields[i] = strdup(buf);
		cr_assert(fields[i]);
	}
	check_fields(fields, N, COLS);
	for (int i = 0; i < N; i++)
		free(fields[i]);
	free(fields);
}

Test(csvtab, only_the_named_columns_and_the_text_column_are_kept)
{
	char path[128];
	FILE *f;
	struct zs_csvtab all, some;
	struct zs_error err = {0, ""};
	static const char *const only[] = {"b", "d", "absent", NULL};

	snprintf(path, sizeof(path), "%s/t.csv", tmpdir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs("zone,a,b,c,d\nDMA,1,2.5,x,-4\nNormal,5,,7,8.25\nshort,9\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(zs_csvtab_read(&all, path, "zone", &err), 0, "%s", err.msg);
	cr_assert_eq(zs_csvtab_read_cols(&some, path, "zone", only, &err), 0, "%s", err.msg);
	cr_assert_eq(some.ncols, 3, "zone, b and d, in the file's order");
	cr_assert_str_eq(some.cols[0], "zone");
	cr_assert_str_eq(some.cols[1], "b");
	cr_assert_str_eq(some.cols[2], "d");
	cr_assert_eq(some.nrows, all.nrows);
	for (size_t r = 0; r < all.nrows; r++) {
		cr_assert_str_eq(some.text[r], all.text[r]);
		for (int c = 0; c < some.ncols; c++)
			cr_assert(same(zs_csvtab_at(&some, r, c),
				       zs_csvtab_at(&all, r, zs_csvtab_col(&all, some.cols[c]))),
				  "row %zu column %s", r, some.cols[c]);
	}
	cr_assert(isnan(zs_csvtab_at(&some, 1, 1)), "an empty field is NaN");
	cr_assert(isnan(zs_csvtab_at(&some, 2, 2)), "a field past a short row's end is NaN");
	cr_assert_eq(zs_csvtab_at(&some, 1, 2), 8.25);
	zs_csvtab_free(&all);
	zs_csvtab_free(&some);
}

Test(csvtab, a_name_ending_in_a_star_keeps_every_column_it_begins)
{
	char path[128];
	FILE *f;
	struct zs_csvtab t;
	struct zs_error err = {0, ""};
	static const char *const only[] = {"path_*", "tick", NULL};

	snprintf(path, sizeof(path), "%s/t.csv", tmpdir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs("tick,path_fast,order_0,path_min,pathx,path_\n1,2,3,4,5,6\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(zs_csvtab_read_cols(&t, path, NULL, only, &err), 0, "%s", err.msg);
	cr_assert_eq(t.ncols, 4, "tick, path_fast, path_min and path_");
	cr_assert_str_eq(t.cols[1], "path_fast");
	cr_assert_str_eq(t.cols[2], "path_min");
	cr_assert_str_eq(t.cols[3], "path_");
	cr_assert_eq(zs_csvtab_at(&t, 0, 0), 1);
	cr_assert_eq(zs_csvtab_at(&t, 0, 2), 4);
	cr_assert_eq(zs_csvtab_at(&t, 0, 3), 6);
	cr_assert(!t.text, "no text column asked for");
	zs_csvtab_free(&t);
}
