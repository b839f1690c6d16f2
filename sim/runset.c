/* runset.c - runs in parallel processes; see runset.h. */
#include "sim/runset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "sim/cmd_common.h"

static int
run_done(const struct zs_runjob *j)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/summary.txt", j->out);
	return !stat(path, &st);
}

/* The child: the very code path of `zsim run`, then exit with its status. */
static void
run_child(struct zs_runjob *j)
{
	struct zs_run_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.scenario = j->scenario;
	o.kernel = j->kernel;
	o.seed = j->seed;
	o.seed_set = 1;
	o.set = j->set;
	o.nset = j->nset;
	o.out = j->out;
	o.quiet = 1;
	rc = zs_run_scenario(&o);
	fflush(NULL);
	_exit(rc);
}

static double
wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
show_progress(int done, int total, double t0, int final)
{
	double el = wall_now() - t0;

	if (done && done < total)
		fprintf(stderr, "\rzsim: %d/%d runs, %.0fs elapsed, ETA %.0fs   ", done, total, el,
			el / done * (total - done));
	else
		fprintf(stderr, "\rzsim: %d/%d runs, %.0fs elapsed%s", done, total, el,
			final ? "            \n" : "");
}

int
zs_runset_execute(struct zs_runjob *job, int n, int jobs, int skip_done, int progress,
		  struct zs_error *err)
{
	pid_t *pids = calloc((size_t)n + 1, sizeof(*pids));
	int next = 0, running = 0, done = 0, rc = 0;
	double t0 = wall_now(), shown = 0;

	if (!pids)
		return zs_error_set(err, EX_OSERR, "out of memory");
	if (jobs < 1)
		jobs = 1;
	for (;;) {
		/* start runs while there is room and nothing has failed */
		while (!rc && running < jobs && next < n) {
			struct zs_runjob *j = &job[next];

			if (skip_done && run_done(j)) {
				next++;
				done++;
				continue;
			}
			fflush(NULL); /* a child must not write our buffered output again */
			pid_t pid = fork();
			if (pid < 0) {
				rc = zs_error_set(err, EX_OSERR, "fork: %s", strerror(errno));
				break;
			}
			if (pid == 0)
				run_child(j);
			pids[next++] = pid;
			running++;
		}
		if (!running)
			break;
		int st;
		pid_t pid = wait(&st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			rc = zs_error_set(err, EX_OSERR, "wait: %s", strerror(errno));
			break;
		}
		for (int i = 0; i < next; i++) {
			if (pids[i] != pid)
				continue;
			pids[i] = 0;
			running--;
			done++;
			int code = WIFEXITED(st) ? WEXITSTATUS(st) : EX_SOFTWARE;
			if (code && !rc) {
				zs_error_set(err, code, "the run of %s on %s with seed %llu (%s) failed",
					     job[i].scenario, job[i].kernel, (unsigned long long)job[i].seed,
					     job[i].out);
				rc = code;
			}
		}
		if (progress && wall_now() - shown >= 1) {
			shown = wall_now();
			show_progress(done, n, t0, 0);
		}
	}
	if (progress)
		show_progress(done, n, t0, 1);
	free(pids);
	return rc;
}
