/* csvtab.c - a CSV file in memory; see csvtab.h. */
#include "sim/csvtab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

void
zs_csvtab_free(struct zs_csvtab *t)
{
	for (int i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	for (size_t r = 0; t->text && r < t->nrows; r++)
		free(t->text[r]);
	free(t->cols);
	free(t->v);
	free(t->text);
	memset(t, 0, sizeof(*t));
}

int
zs_csvtab_col(const struct zs_csvtab *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	return -1;
}

int
zs_csvtab_read(struct zs_csvtab *t, const char *path, const char *textcol, struct zs_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, rcap = 0;
	ssize_t len;
	int tc = -1;

	memset(t, 0, sizeof(*t));
	if (!f)
		return zs_error_set(err, errno == ENOENT ? EX_NOINPUT : EX_IOERR, "%s: %s", path,
				    strerror(errno));
	if ((len = getline(&line, &cap, f)) <= 0) {
		free(line);
		fclose(f);
		return zs_error_set(err, EX_DATAERR, "%s: no header line", path);
	}
	line[strcspn(line, "\n")] = '\0';
	for (char *s = line, *c; s; s = c ? c + 1 : NULL) {
		c = strchr(s, ',');
		if (c)
			*c = '\0';
		t->cols = realloc(t->cols, (size_t)(t->ncols + 1) * sizeof(*t->cols));
		ZS_BUG_ON(!t->cols);
		t->cols[t->ncols++] = strdup(s);
	}
	if (textcol)
		tc = zs_csvtab_col(t, textcol);
	while ((len = getline(&line, &cap, f)) > 0) {
		char *s = line;

		if (t->nrows == rcap) {
			rcap = rcap ? 2 * rcap : 1024;
			t->v = realloc(t->v, rcap * (size_t)t->ncols * sizeof(*t->v));
			ZS_BUG_ON(!t->v);
			if (tc >= 0) {
				t->text = realloc(t->text, rcap * sizeof(*t->text));
				ZS_BUG_ON(!t->text);
			}
		}
		double *row = t->v + t->nrows * (size_t)t->ncols;
		for (int i = 0; i < t->ncols; i++) {
			char *end;
			size_t n = strcspn(s, ",\n");

			row[i] = strtod(s, &end);
			if (end == s || end != s + n)
				row[i] = NAN;
			if (i == tc)
				t->text[t->nrows] = strndup(s, n);
			s += n;
			if (*s == ',')
				s++;
		}
		t->nrows++;
	}
	free(line);
	fclose(f);
	return 0;
}
