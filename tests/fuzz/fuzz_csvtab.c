/*
 * fuzz_csvtab.c - the plots' CSV reader (sim/csvtab.c) as `zsim plot` drives it on
 * a run's ticks.csv: the whole table with the zone column's text, and the table of
 * a few columns a compare's plot keeps.  Besides never crashing, leaking or
 * hanging, both must agree: the first column of a name holds the same values,
 * bit for bit, in each.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "sim/csvtab.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const only[] = {"tick", "time_ns", "nr_free_pages", "order_*", NULL};
	struct zs_error err = {0, ""};
	struct zs_csvtab all, some;
	const char *path = zs_fuzz_file(data, size);
	int ra, rs;

	if (!path)
		return 0;
	ra = zs_csvtab_read(&all, path, "zone", &err);
	rs = zs_csvtab_read_cols(&some, path, "zone", only, &err);
	if (ra != rs)
		__builtin_trap();
	if (!ra) {
		if (all.nrows != some.nrows)
			__builtin_trap();
		for (int c = 0; c < some.ncols; c++) {
			int a = zs_csvtab_col(&all, some.cols[c]), k = zs_csvtab_col(&some, some.cols[c]);

			if (a < 0)
				__builtin_trap();
			for (size_t r = 0; r < all.nrows; r++) {
				double x = zs_csvtab_at(&all, r, a), y = zs_csvtab_at(&some, r, k);

				if (!(isnan(x) && isnan(y)) && memcmp(&x, &y, sizeof(x)))
					__builtin_trap();
			}
		}
		for (size_t r = 0; all.text && r < all.nrows; r++)
			if (!some.text || strcmp(all.text[r], some.text[r]))
				__builtin_trap();
		zs_csvtab_free(&all);
		zs_csvtab_free(&some);
	}
	zs_fuzz_file_close();
	return 0;
}
