/* sweep_points.c - a sweep directory's points and their finished runs; see sweep_points.h. */
#include "sim/sweep_points.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

/* Split line at commas into at most max fields of ZS_SWEEP_FIELD; the count, or -1 when
 * there are more fields or one is too long. */
static int
split(char *line, char (*out)[ZS_SWEEP_FIELD], int max)
{
	int n = 0;

	for (char *s = line;; n++) {
		size_t len = strcspn(s, ",");

		if (n == max || len >= ZS_SWEEP_FIELD)
			return -1;
		memcpy(out[n], s, len);
		out[n][len] = '\0';
		if (!s[len])
			return n + 1;
		s += len + 1;
	}
}

int
zs_sweep_points_read(struct zs_sweep_points *sp, const char *dir, struct zs_error *err)
{
	char path[4400], line[8192], f[ZS_SWEEP_MAX_AXES + 1][ZS_SWEEP_FIELD];
	FILE *in;
	int lineno = 0, rc = 0;

	memset(sp, 0, sizeof(*sp));
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	in = fopen(path, "r");
	if (!in)
		return zs_error_set(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
	while (!rc && fgets(line, sizeof(line), in)) {
		int n;

		lineno++;
		if (!strchr(line, '\n') && !feof(in)) {
			rc = zs_error_set(err, EX_DATAERR, "%s:%d: line too long", path, lineno);
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		n = split(line, f, ZS_SWEEP_MAX_AXES + 1);
		if (lineno == 1) {
			if (n < 2 || strcmp(f[0], "point")) {
				rc = zs_error_set(err, EX_DATAERR,
						  "%s:1: expected point,<axis>,... (a zsim sweep's points.csv)",
						  path);
				break;
			}
			sp->naxes = n - 1;
			for (int a = 0; a < sp->naxes; a++)
				memcpy(sp->axis[a], f[a + 1], ZS_SWEEP_FIELD);
			continue;
		}
		if (n != sp->naxes + 1 || f[0][0] != 'p' || strlen(f[0]) >= sizeof(sp->p->name) ||
		    strchr(f[0], '/')) {
			rc = zs_error_set(err, EX_DATAERR,
					  "%s:%d: expected a point name and %d axis values", path,
					  lineno, sp->naxes);
			break;
		}
		struct zs_sweep_point *np = realloc(sp->p, (size_t)(sp->npoints + 1) * sizeof(*np));

		ZS_BUG_ON(!np);
		sp->p = np;
		struct zs_sweep_point *pt = &sp->p[sp->npoints++];

		memset(pt, 0, sizeof(*pt));
		zs_agg_init(&pt->agg);
		memcpy(pt->name, f[0], strlen(f[0]) + 1); /* shorter than name: checked above */
		for (int a = 0; a < sp->naxes; a++)
			memcpy(pt->value[a], f[a + 1], ZS_SWEEP_FIELD);
	}
	fclose(in);
	if (!rc && !sp->npoints)
		rc = zs_error_set(err, EX_DATAERR, "%s: no points", path);
	for (int i = 0; !rc && i < sp->npoints; i++) {
		struct zs_sweep_point *pt = &sp->p[i];
		struct zs_error perr = {0, ""};
		char pdir[4200];
		struct stat st;

		snprintf(pdir, sizeof(pdir), "%s/points/%s", dir, pt->name);
		snprintf(path, sizeof(path), "%s/runs", pdir);
		if (stat(path, &st))
			continue; /* nothing of this point has run yet */
		if (zs_agg_scan(&pt->agg, pdir, &perr)) {
			if (perr.code == EX_NOINPUT) {
				/* started, nothing finished: an empty point */
				zs_agg_free(&pt->agg);
				zs_agg_init(&pt->agg);
				continue;
			}
			*err = perr;
			rc = -1;
			break;
		}
		sp->finished++;
	}
	return rc ? -1 : 0;
}

void
zs_sweep_points_free(struct zs_sweep_points *sp)
{
	for (int i = 0; i < sp->npoints; i++)
		zs_agg_free(&sp->p[i].agg);
	free(sp->p);
	memset(sp, 0, sizeof(*sp));
}
