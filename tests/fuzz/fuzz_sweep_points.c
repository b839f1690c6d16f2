/*
 * fuzz_sweep_points.c - a sweep directory's points.csv (sim/sweep_points.c) as
 * `zsim plot` and `zsim report` read it, say after a hand edit: besides never
 * crashing, leaking or hanging, what it accepts is a header of at least one axis
 * and points named p... without a '/', each with a value for every axis.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sweep_points.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64]; /* the sweep directory, one for the whole run */

static void
remove_dir(void)
{
	rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128];
	struct zs_sweep_points sp;
	struct zs_error err = {0, ""};
	FILE *f;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/zsim-fuzz-points-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
	}
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	if (!zs_sweep_points_read(&sp, dir, &err)) {
		if (sp.naxes < 1 || sp.npoints < 1 || sp.finished)
			__builtin_trap();
		for (int p = 0; p < sp.npoints; p++)
			if (sp.p[p].name[0] != 'p' || strchr(sp.p[p].name, '/'))
				__builtin_trap();
	} else if (!err.msg[0]) {
		__builtin_trap(); /* refused without saying why */
	}
	zs_sweep_points_free(&sp);
	unlink(path);
	return 0;
}
