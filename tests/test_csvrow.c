/*
 * test_csvrow.c - the ticks.csv row formatter writes exactly what fprintf's
 * "%" PRIu64 / PRId64 / "%s" would, at the integer extremes and across the
 * flushes of a row wider than its buffer.
 */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <stdlib.h>

#include "sim/csvrow.h"

/* Everything written to f, as a NUL-terminated string the caller frees. */
static char *
contents(FILE *f, long *len)
{
	char *s;

	fflush(f);
	*len = ftell(f);
	s = malloc((size_t)*len + 1);
	cr_assert(s);
	rewind(f);
	cr_assert_eq(fread(s, 1, (size_t)*len, f), (size_t)*len);
	s[*len] = '\0';
	return s;
}

Test(csvrow, same_bytes_as_fprintf)
{
	static const uint64_t u[] = {0, 1, 9, 10, 99, 100, 4294967295u, 4294967296u,
				     UINT64_C(10000000000000000000), UINT64_MAX};
	static const int64_t s[] = {0, -1, 1, -10, 123456789, INT64_MAX, INT64_MIN, INT64_MIN + 1};
	FILE *want = tmpfile(), *got = tmpfile();
	struct zs_row *row = malloc(sizeof(*row));
	long nw, ng;

	cr_assert(want && got && row);
	row->f = got;
	row->n = 0;
	/* 400 rounds of 19 fields overflow the 4 KiB buffer many times, at every offset */
	for (int round = 0; round < 400; round++) {
		for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			fprintf(want, ",%" PRIu64, u[i]);
			zs_row_cu64(row, u[i]);
		}
		for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
			fprintf(want, ",%" PRId64, s[i]);
			zs_row_ci64(row, s[i]);
		}
		fprintf(want, "%" PRId64 "%s\n", (int64_t)-round, round % 7 ? "" : "zone");
		zs_row_i64(row, -round);
		zs_row_str(row, round % 7 ? "" : "zone");
		zs_row_str(row, "\n");
	}
	zs_row_flush(row);
	char *a = contents(want, &nw), *b = contents(got, &ng);

	cr_assert_gt(nw, 2 * ZS_ROW_CAP);
	cr_assert_eq(ng, nw);
	cr_assert_str_eq(b, a);
	free(a);
	free(b);
	free(row);
	fclose(want);
	fclose(got);
}

Test(csvrow, string_wider_than_the_buffer)
{
	FILE *got = tmpfile();
	struct zs_row *row = malloc(sizeof(*row));
	char *big = malloc(ZS_ROW_CAP * 2 + 1);
	long n;

	cr_assert(got && row && big);
	memset(big, 'x', ZS_ROW_CAP * 2);
	big[ZS_ROW_CAP * 2] = '\0';
	row->f = got;
	row->n = 0;
	zs_row_u64(row, 42);
	zs_row_str(row, big);
	zs_row_cu64(row, 7);
	zs_row_flush(row);
	char *b = contents(got, &n);

	cr_assert_eq(n, 2 + ZS_ROW_CAP * 2 + 2);
	cr_assert_eq(strncmp(b, "42xx", 4), 0);
	cr_assert_str_eq(b + 2 + ZS_ROW_CAP * 2, ",7");
	free(b);
	free(big);
	free(row);
	fclose(got);
}
