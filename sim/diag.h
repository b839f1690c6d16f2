/*
 * diag.h - user-facing error reports and the simulator's BUG().
 *
 * Library code never prints or exits on bad input: it fills a struct zs_error
 * (already formatted "file:line:col: message", or "trace:line: message") and
 * returns a failure code.  Only the cmd_*.c files print it and choose the
 * sysexits.h status.  ZS_BUG_ON is for broken simulator invariants only.
 */
#ifndef ZS_DIAG_H
#define ZS_DIAG_H

#include <stdarg.h>

struct zs_error {
	int code;       /* sysexits.h status the command should exit with (0 = no error) */
	char msg[1024]; /* the whole message, without a trailing newline */
};

/* Record an error with exit status `code`; printf-style message. Returns -1. */
int zs_error_set(struct zs_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record "FILE:LINE:COL: message" (line and col are 1-based) with EX_DATAERR. Returns -1. */
int zs_error_at(struct zs_error *err, const char *file, unsigned line, unsigned col,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Print "BUG: file:line: cond" to stderr and abort; the kernel's BUG(). */
_Noreturn void zs_bug(const char *file, int line, const char *cond);

#define ZS_BUG_ON(cond)                                        \
	do {                                                   \
		if (__builtin_expect(!!(cond), 0))             \
			zs_bug(__FILE__, __LINE__, #cond);     \
	} while (0)

#endif
