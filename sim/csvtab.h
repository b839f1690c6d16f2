/*
 * csvtab.h - a whole CSV file with a header row in memory, for the plots:
 * numbers as doubles (a field that is not a number is NaN) and the text of one
 * chosen column (ticks.csv's zone).  zsim's own files only: no quoting.
 */
#ifndef ZS_CSVTAB_H
#define ZS_CSVTAB_H

#include <stddef.h>

#include "sim/diag.h"

struct zs_csvtab {
	char **cols;
	int ncols;
	size_t nrows;
	double *v;      /* nrows x ncols, row-major */
	char **text;    /* the text column's value per row, or NULL */
};

/* Read path; keep the text of column `textcol` (NULL: none).  0, or -1 with err. */
int zs_csvtab_read(struct zs_csvtab *t, const char *path, const char *textcol,
		   struct zs_error *err);
/* The same, keeping only the columns named in `only` (NULL-terminated; NULL: all; a
 * name ending in '*' names every column starting with the rest) and the text column:
 * the others are skipped, neither parsed nor stored. */
int zs_csvtab_read_cols(struct zs_csvtab *t, const char *path, const char *textcol,
			const char *const *only, struct zs_error *err);
void zs_csvtab_free(struct zs_csvtab *t);

/* Column index by name, -1 when absent. */
int zs_csvtab_col(const struct zs_csvtab *t, const char *name);

static inline double
zs_csvtab_at(const struct zs_csvtab *t, size_t row, int col)
{
	return t->v[row * (size_t)t->ncols + (size_t)col];
}

#endif
