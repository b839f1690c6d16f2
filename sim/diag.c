/* diag.c - error records and BUG(); see diag.h. */
#include "sim/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

int
zs_error_set(struct zs_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int
zs_error_at(struct zs_error *err, const char *file, unsigned line, unsigned col,
	    const char *fmt, ...)
{
	char body[768];
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	err->code = EX_DATAERR;
	snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: %s", file, line, col, body);
	return -1;
}

void
zs_bug(const char *file, int line, const char *cond)
{
	fprintf(stderr, "zsim: BUG at %s:%d: %s\n", file, line, cond);
	fflush(stderr);
	abort();
}
