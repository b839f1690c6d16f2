/* fuzz_util.c - see fuzz.h. */
#include "tests/fuzz/fuzz.h"
#include "alloc/machine.h"
#include "sim/cfg.h"
#include "sim/driver.h"
#include "sim/engine.h"
#include "sim/scenario.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sysexits.h>
#include <unistd.h>

static int fd = -1;
static char path[64];

const char *
zs_fuzz_file(const uint8_t *data, size_t size)
{
	fd = memfd_create("zsim-fuzz", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (size && write(fd, data, size) != (ssize_t)size) {
		zs_fuzz_file_close();
		return NULL;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return path;
}

void
zs_fuzz_file_close(void)
{
	if (fd >= 0)
		close(fd);
	fd = -1;
}

const char *
zs_fuzz_text(const uint8_t *data, size_t size)
{
	static char *buf;
	static size_t cap;

	if (memchr(data, 0, size))
		return NULL;
	if (size + 1 > cap) {
		free(buf);
		cap = size + 1;
		buf = malloc(cap);
		if (!buf) {
			cap = 0;
			return NULL;
		}
	}
	memcpy(buf, data, size);
	buf[size] = '\0';
	/* a trace path to a device or a FIFO would block the target, not find a bug */
	if (strstr(buf, "/dev") || strstr(buf, "/proc") || strstr(buf, "/sys") || strstr(buf, "fd/"))
		return NULL;
	return buf;
}

FILE *
zs_fuzz_null(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

uint64_t
zs_fuzz_machine_pages(const struct zs_machine_spec *ms)
{
	uint64_t total = 0;

	for (int i = 0; i < ms->nr_nodes; i++)
		for (int z = 0; z < ms->nodes[i].nr_zones; z++)
			total += ms->nodes[i].zones[z].pages;
	return total;
}

struct zs_cfg *
zs_fuzz_load(const uint8_t *data, size_t size)
{
	struct zs_error err = {0, ""};
	const char *text = zs_fuzz_text(data, size);

	return text ? zs_cfg_load_string("fuzz.yaml", text, &err) : NULL;
}

static struct zs_engine *volatile running;

static void
on_cpu_limit(int sig)
{
	(void)sig;
	if (running)
		zs_engine_stop(running);
}

void
zs_fuzz_execute(struct zs_scenario *sc)
{
	struct zs_error err = {0, ""};
	struct itimerval limit = {{0, 0}, {1, 0}}, off = {{0, 0}, {0, 0}};
	struct zs_run *r;

	sc->events = 1;
	r = zs_run_create(sc, &err);
	if (!r)
		return;
	signal(SIGPROF, on_cpu_limit);
	running = zs_run_engine(r);
	setitimer(ITIMER_PROF, &limit, NULL);
	int rc = zs_run_execute(r, zs_fuzz_null(), zs_fuzz_null(), zs_fuzz_null(), 0, &err);
	setitimer(ITIMER_PROF, &off, NULL);
	running = NULL;
	if (rc && err.code == EX_SOFTWARE) {
		fprintf(stderr, "zsim invariant: %s\n", err.msg);
		abort();
	}
	zs_run_destroy(r);
}
