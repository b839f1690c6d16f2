/* csvtab.c - a CSV file in memory; see csvtab.h. */
#include "sim/csvtab.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
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

/*
 * The field at s, up to the next ',' or newline (or the end), as strtod would read it:
 * NaN unless the whole field is a number.  *len is the field's length.  Fields of
 * zsim's CSV files are mostly plain decimals, [-]digits[.digits], of at most 15
 * digits: their digits as an integer w < 2^53 and the power of ten 10^f (f <= 15)
 * are both exact doubles, so one division, correctly rounded, gives the same double
 * as strtod's correctly rounded conversion.  Anything else goes to strtod.
 */
static double
field_value(const char *s, size_t *len)
{
	static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
				       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	const char *p = s + (*s == '-');
	uint64_t w = 0;
	int digits = 0, frac = -1;

	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			w = w * 10 + (uint64_t)(*p - '0');
			digits++;
			if (frac >= 0)
				frac++;
		} else if (*p == '.' && frac < 0 && digits > 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if ((*p == ',' || *p == '\n' || *p == '\0') && digits > 0 && digits <= 15 && frac != 0) {
		double v = (double)w / pow10[frac > 0 ? frac : 0];

		*len = (size_t)(p - s);
		return *s == '-' ? -v : v;
	}
	/* not a plain decimal: strtod, NaN unless it reads the whole field */
	size_t n = strcspn(s, ",\n");
	char *end;
	double v = strtod(s, &end);

	*len = n;
	return end == s || end != s + n ? NAN : v;
}

/* Whether column `name` is kept: named in only ("prefix*" names every column that
 * starts so), the text column, or everything when only is NULL. */
static int
wanted(const char *name, const char *textcol, const char *const *only)
{
	if (!only || (textcol && !strcmp(name, textcol)))
		return 1;
	for (; *only; only++) {
		size_t n = strlen(*only);

		if (n && (*only)[n - 1] == '*' ? !strncmp(name, *only, n - 1) : !strcmp(name, *only))
			return 1;
	}
	return 0;
}

int
zs_csvtab_read_cols(struct zs_csvtab *t, const char *path, const char *textcol,
		    const char *const *only, struct zs_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, rcap = 0;
	ssize_t len;
	int tc = -1, nfile = 0;
	int *to = NULL; /* per column of the file: its column in t, -1 when not kept */

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
		int *grown = realloc(to, (size_t)(nfile + 1) * sizeof(*to));

		ZS_BUG_ON(!grown);
		to = grown;
		to[nfile++] = -1;
		if (!wanted(s, textcol, only))
			continue;
		t->cols = realloc(t->cols, (size_t)(t->ncols + 1) * sizeof(*t->cols));
		ZS_BUG_ON(!t->cols);
		to[nfile - 1] = t->ncols;
		t->cols[t->ncols++] = strdup(s);
	}
	if (textcol)
		tc = zs_csvtab_col(t, textcol);
	while ((len = getline(&line, &cap, f)) > 0) {
		char *s = line;

		if (t->nrows == rcap) {
			rcap = rcap ? 2 * rcap : 1024;
			t->v = realloc(t->v, rcap * (size_t)(t->ncols ? t->ncols : 1) * sizeof(*t->v));
			ZS_BUG_ON(!t->v);
			if (tc >= 0) {
				t->text = realloc(t->text, rcap * sizeof(*t->text));
				ZS_BUG_ON(!t->text);
			}
		}
		double *row = t->v + t->nrows * (size_t)t->ncols;
		for (int i = 0; i < nfile; i++) {
			size_t n;

			if (to[i] < 0) {
				/* a skipped field: short ones mostly ("0"), so a plain scan */
				for (n = 0; s[n] && s[n] != ',' && s[n] != '\n'; n++)
					;
			} else {
				row[to[i]] = field_value(s, &n);
				if (to[i] == tc)
					t->text[t->nrows] = strndup(s, n);
			}
			s += n;
			if (*s == ',')
				s++;
		}
		t->nrows++;
	}
	free(to);
	free(line);
	fclose(f);
	return 0;
}

int
zs_csvtab_read(struct zs_csvtab *t, const char *path, const char *textcol, struct zs_error *err)
{
	return zs_csvtab_read_cols(t, path, textcol, NULL, err);
}
