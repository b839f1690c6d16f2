/* output.c - atomic result files; see output.h. */
#include "sim/output.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

static struct zs_outset *active; /* for the signal handler */

static int
mkdir_p(const char *dir)
{
	char path[4096];
	size_t len = strlen(dir);

	if (len >= sizeof(path))
		return -1;
	memcpy(path, dir, len + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0777) && errno != EEXIST)
		return -1;
	return 0;
}

int
zs_out_begin(struct zs_outset *o, const char *dir, struct zs_error *err)
{
	memset(o, 0, sizeof(*o));
	if (strlen(dir) >= sizeof(o->dir) - 64)
		return zs_error_set(err, EX_USAGE, "output directory name too long");
	snprintf(o->dir, sizeof(o->dir), "%s", dir);
	if (mkdir_p(dir))
		return zs_error_set(err, EX_CANTCREAT, "%s: cannot create directory: %s", dir,
				    strerror(errno));
	active = o;
	return 0;
}

FILE *
zs_out_open(struct zs_outset *o, const char *name, struct zs_error *err)
{
	struct zs_outfile *of;

	if (o->n == ZS_MAX_OUTPUTS) {
		zs_error_set(err, EX_SOFTWARE, "too many output files");
		return NULL;
	}
	of = &o->files[o->n];
	snprintf(of->final, sizeof(of->final), "%s/%s", o->dir, name);
	snprintf(of->tmp, sizeof(of->tmp), "%s/.%s.tmp.%ld", o->dir, name, (long)getpid());
	of->f = fopen(of->tmp, "w");
	if (!of->f) {
		zs_error_set(err, EX_CANTCREAT, "%s: %s", of->tmp, strerror(errno));
		return NULL;
	}
	o->n++;
	return of->f;
}

int
zs_out_commit(struct zs_outset *o, struct zs_error *err)
{
	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];
		int bad = ferror(of->f);

		if (fflush(of->f) || bad || fsync(fileno(of->f))) {
			zs_error_set(err, EX_IOERR, "%s: write failed: %s", of->final,
				     strerror(errno ? errno : EIO));
			zs_out_abort(o);
			return -1;
		}
	}
	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];

		if (fclose(of->f)) {
			of->f = NULL;
			zs_error_set(err, EX_IOERR, "%s: close failed: %s", of->final, strerror(errno));
			zs_out_abort(o);
			return -1;
		}
		of->f = NULL;
	}
	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];

		if (rename(of->tmp, of->final)) {
			zs_error_set(err, EX_IOERR, "%s: rename failed: %s", of->final,
				     strerror(errno));
			zs_out_abort(o);
			return -1;
		}
		of->tmp[0] = '\0';
	}
	active = NULL;
	return 0;
}

void
zs_out_abort(struct zs_outset *o)
{
	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];

		if (of->f)
			fclose(of->f);
		of->f = NULL;
		if (of->tmp[0])
			unlink(of->tmp);
		of->tmp[0] = '\0';
	}
	o->n = 0;
	if (active == o)
		active = NULL;
}

void
zs_out_abort_signal(void)
{
	if (!active)
		return;
	for (int i = 0; i < active->n; i++)
		if (active->files[i].tmp[0])
			unlink(active->files[i].tmp);
}
