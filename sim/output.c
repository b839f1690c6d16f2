/* output.c - result sets written all or nothing; see output.h. */
#include "sim/output.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

const int zs_out_signals[4] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

static struct zs_outset *active; /* for the signal handler */

/* mkdir -p, noting in o where the directories it creates begin. */
static int
mkdir_p(struct zs_outset *o)
{
	char path[4096];
	size_t len = strlen(o->dir);

	memcpy(path, o->dir, len + 1);
	for (char *p = path + 1;; p++) {
		if (*p && *p != '/')
			continue;
		int end = !*p;

		*p = '\0';
		if (mkdir(path, 0777) == 0) {
			if (!o->made) {
				o->made = 1;
				o->made_from = strrchr(path, '/') ? (size_t)(strrchr(path, '/') - path) : 0;
			}
		} else if (errno != EEXIST) {
			return -1;
		}
		if (end)
			break;
		*p = '/';
	}
	struct stat st;
	if (stat(o->dir, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Remove the (empty) directories mkdir_p made, deepest first.  Async-signal-safe. */
static void
rmdir_made(struct zs_outset *o)
{
	static char path[4096];
	size_t len = strlen(o->dir);

	if (!o->made)
		return;
	memcpy(path, o->dir, len + 1);
	while (len > o->made_from) {
		if (rmdir(path) != 0)
			return;
		while (len > 0 && path[len - 1] != '/')
			len--;
		while (len > 0 && path[len - 1] == '/')
			len--;
		path[len] = '\0';
	}
	o->made = 0;
}

/*
 * ".NAME.tmp.PID" of a process that no longer exists: a run killed by SIGKILL
 * (no handler can run) left it.  Only temporaries of the file about to be
 * written are touched; a live PID, even an unrelated process that reused the
 * number, keeps its file.
 */
static void
remove_stale(const char *dir, const char *name)
{
	char prefix[300];
	size_t plen = (size_t)snprintf(prefix, sizeof(prefix), ".%s.tmp.", name);
	DIR *d = plen < sizeof(prefix) ? opendir(dir) : NULL;
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *end;

		if (strncmp(de->d_name, prefix, plen))
			continue;
		long pid = strtol(de->d_name + plen, &end, 10);
		if (*end || end == de->d_name + plen || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char path[4352];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

int
zs_out_begin(struct zs_outset *o, const char *dir, struct zs_error *err)
{
	memset(o, 0, sizeof(*o));
	if (!*dir || strlen(dir) >= sizeof(o->dir) - 64)
		return zs_error_set(err, EX_USAGE, "output directory name empty or too long");
	snprintf(o->dir, sizeof(o->dir), "%s", dir);
	if (mkdir_p(o)) {
		int e = errno;

		rmdir_made(o);
		return zs_error_set(err, EX_CANTCREAT, "%s: cannot create directory: %s", dir,
				    strerror(e));
	}
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
	memset(of, 0, sizeof(*of));
	remove_stale(o->dir, name);
	snprintf(of->final, sizeof(of->final), "%s/%s", o->dir, name);
	snprintf(of->tmp, sizeof(of->tmp), "%s/.%s.tmp.%ld", o->dir, name, (long)getpid());
	/* counted before the file exists, so a signal arriving while fopen creates it
	 * still finds its name to unlink */
	o->n++;
	of->f = of->raw = fopen(of->tmp, "w");
	if (!of->f) {
		/* the user asked for DIR/NAME: name that, not our temporary */
		zs_error_set(err, EX_CANTCREAT, "cannot create %s: %s", of->final, strerror(errno));
		of->tmp[0] = '\0';
		o->n--;
		return NULL;
	}
	return of->f;
}

/* The counting stream of a watched file: bytes go on to the temporary file. */
static ssize_t
watched_write(void *cookie, const char *buf, size_t len)
{
	struct zs_outfile *of = cookie;
	size_t n = fwrite(buf, 1, len, of->raw);

	of->bytes += n;
	if (of->warn && of->bytes > of->warn_at) {
		of->warn(of->final, of->bytes);
		of->warn = NULL;
	}
	return n == len ? (ssize_t)n : -1;
}

FILE *
zs_out_open_watched(struct zs_outset *o, const char *name, uint64_t warn_at,
		    void (*warn)(const char *final, uint64_t bytes), struct zs_error *err)
{
	static const cookie_io_functions_t io = {.write = watched_write};
	struct zs_outfile *of = &o->files[o->n];

	if (!zs_out_open(o, name, err))
		return NULL;
	of->warn_at = warn_at;
	of->warn = warn;
	of->f = fopencookie(of, "w", io);
	if (!of->f) {
		of->f = of->raw;
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	return of->f;
}

/* Flush and close what the caller wrote to; 0 or -1 (errno set). */
static int
close_file(struct zs_outfile *of)
{
	int bad = 0;

	if (of->f && of->f != of->raw) {
		bad = fclose(of->f) != 0;
		of->f = NULL;
	}
	if (of->raw) {
		bad |= fclose(of->raw) != 0;
		of->raw = NULL;
	}
	of->f = NULL;
	return bad ? -1 : 0;
}

/* Rename every file into place, the marker (files[0]) last; -1 with err, undone. */
static int
rename_all(struct zs_outset *o, struct zs_error *err)
{
	/* the old marker goes first: from here on the directory is not a complete set */
	if (unlink(o->files[0].final) != 0 && errno != ENOENT)
		return zs_error_set(err, EX_IOERR, "cannot replace %s: %s", o->files[0].final,
				    strerror(errno));
	for (int k = 1; k <= o->n; k++) {
		struct zs_outfile *of = &o->files[k % o->n];

		if (rename(of->tmp, of->final) != 0) {
			zs_error_set(err, EX_IOERR, "cannot create %s: %s", of->final,
				     strerror(errno));
			for (int i = 0; i < o->n; i++)
				if (o->files[i].renamed) {
					unlink(o->files[i].final);
					o->files[i].renamed = 0;
				}
			return -1;
		}
		of->renamed = 1;
		of->tmp[0] = '\0';
	}
	return 0;
}

int
zs_out_commit(struct zs_outset *o, struct zs_error *err)
{
	sigset_t block, old;
	int rc;

	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];
		int bad = ferror(of->f) || (fflush(of->f) != 0) || ferror(of->raw);

		errno = 0;
		if (bad || fflush(of->raw) || fsync(fileno(of->raw))) {
			zs_error_set(err, EX_IOERR, "%s: write failed: %s", of->final,
				     strerror(errno ? errno : EIO));
			zs_out_abort(o);
			return -1;
		}
	}
	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];

		if (close_file(of)) {
			zs_error_set(err, EX_IOERR, "%s: close failed: %s", of->final, strerror(errno));
			zs_out_abort(o);
			return -1;
		}
	}
	/* a signal now would find half the set renamed: it waits until the set is whole */
	sigemptyset(&block);
	for (int i = 0; i < 4; i++)
		sigaddset(&block, zs_out_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	rc = o->n ? rename_all(o, err) : 0;
	if (rc)
		zs_out_abort(o);
	else
		active = NULL;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void
zs_out_abort(struct zs_outset *o)
{
	for (int i = 0; i < o->n; i++) {
		struct zs_outfile *of = &o->files[i];

		close_file(of);
		if (of->tmp[0])
			unlink(of->tmp);
		of->tmp[0] = '\0';
	}
	o->n = 0;
	rmdir_made(o);
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
	rmdir_made(active);
}
