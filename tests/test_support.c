/* test_support.c - the helpers of support.h, and the fake model the core tests drive. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc/buddy.h"
#include "alloc/vm.h"
#include "sim/driver.h"
#include "workloads/trace.h"
#include "tests/support.h"

struct zs_machine *
zt_machine(int cpus, int nzones, const enum zs_zone_type *types, const uint64_t *pages)
{
	struct zs_machine_spec spec;
	struct zs_error err = {0, ""};

	memset(&spec, 0, sizeof(spec));
	spec.nr_nodes = 1;
	spec.hz = 100;
	spec.nodes[0].cpus = cpus;
	spec.nodes[0].nr_zones = nzones;
	for (int i = 0; i < nzones; i++)
		spec.nodes[0].zones[i] = (struct zs_zone_spec){types[i], pages[i]};
	spec.disk_latency_ns = 5000000;
	spec.disk_bandwidth_bps = 40u << 20;
	struct zs_machine *m = zs_machine_create(&spec, &err);
	cr_assert(m, "machine: %s", err.msg);
	return m;
}

int
zt_zsim(const char *args, char *err, size_t errlen)
{
	const char *bin = getenv("ZSIM_BIN");
	char cmd[4096], errfile[64];
	int st;

	snprintf(errfile, sizeof(errfile), "/tmp/zt-err.%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "%s %s </dev/null >/dev/null 2>%s", bin ? bin : "./zsim", args,
		 errfile);
	st = system(cmd);
	if (err) {
		char *e = zt_read_file(errfile, NULL);
		snprintf(err, errlen, "%s", e ? e : "");
		free(e);
	}
	unlink(errfile);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

char *
zt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = '\0';
		if (len)
			*len = (size_t)n;
	}
	return buf;
}

int
zt_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

const char *
zt_summary_find(const char *sum, const char *key)
{
	char pat[160];
	const char *p;

	snprintf(pat, sizeof(pat), "\n%s: ", key);
	p = strstr(sum, pat);
	cr_assert(p, "summary.txt has no %s", key);
	return p + strlen(pat);
}

void
zt_scenario_must_fail(const char *yaml, struct zs_error *err)
{
	struct zs_cfg *root = zs_cfg_load_string("t.yaml", yaml, err);
	struct zs_scenario sc;
	struct zs_run *r;

	cr_assert(root, "%s", err->msg);
	cr_assert_eq(zs_scenario_parse(&sc, root, "t.yaml", NULL, err), 0, "%s", err->msg);
	r = zs_run_create(&sc, err);
	zs_run_destroy(r);
	zs_cfg_free(root);
	cr_assert_null(r, "accepted:\n%s", yaml);
}

/* ---- the fake model ---- */

static const char *const fake_paths[] = {"ok", "fail"};
static const unsigned char fake_failed[] = {0, 1};

static int
fake_init(struct zs_vm *vm, struct zs_cfg *kcfg, struct zs_error *err)
{
	(void)kcfg;
	(void)err;
	for (int i = 0; i < vm->machine->nr_zones; i++) {
		zs_buddy_init(&vm->machine->zones[i], ZS_BUDDY_26);
		zs_buddy_boot(vm->machine, &vm->machine->zones[i], 2);
	}
	vm->model = vm; /* non-NULL: nothing to free */
	return 0;
}

static void
fake_destroy(struct zs_vm *vm)
{
	vm->model = NULL;
}

static enum zs_alloc_status
fake_alloc(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs_machine *m = vm->machine;

	for (int i = m->nr_zones - 1; i >= 0; i--) {
		uint32_t pfn = zs_buddy_rmqueue(m, &m->zones[i], req->order, 2);

		if (pfn != ZS_NIL) {
			m->zones[i].pgalloc += 1u << req->order;
			req->pfn = pfn;
			req->path = 0;
			return ZS_ALLOC_DONE;
		}
	}
	req->pfn = ZS_NIL;
	req->path = 1;
	return ZS_ALLOC_DONE;
}

static void
fake_free(struct zs_vm *vm, uint32_t pfn, unsigned order, unsigned cpu)
{
	struct zs_zone *z = zs_pfn_zone(vm->machine, pfn);

	(void)cpu;
	z->pgfree += 1u << order;
	zs_buddy_free(vm->machine, z, pfn, order, 2);
}

static void
fake_page(struct zs_vm *vm, uint32_t pfn)
{
	(void)vm;
	(void)pfn;
}

static void
fake_describe(struct zs_vm *vm, FILE *out, int csv)
{
	(void)vm;
	fprintf(out, csv ? "node,zone\n" : "fake\n");
}

const struct zs_policy_ops zt_policy_fake = {
	.name = "fake",
	.kver = ZS_KV_2632,
	.max_order = 11,
	.paths = fake_paths,
	.nr_paths = 2,
	.path_failed = fake_failed,
	.init = fake_init,
	.destroy = fake_destroy,
	.alloc = fake_alloc,
	.free = fake_free,
	.page_added = fake_page,
	.touch = fake_page,
	.dirty = fake_page,
	.describe = fake_describe,
};

void
zt_tmpdir(char *dir, size_t len, const char *tag)
{
	snprintf(dir, len, "/tmp/zsim-%s.XXXXXX", tag);
	cr_assert(mkdtemp(dir), "mkdtemp %s", dir);
}

void
zt_rm_rf(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0, "%s", cmd);
}

int
zt_same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = zt_read_file(a, &la), *y = zt_read_file(b, &lb);
	int same = x && y && la == lb && !memcmp(x, y, la);

	free(x);
	free(y);
	return same;
}

struct zs_trace_writer *
zt_native_open(char *path, FILE **f)
{
	struct zs_error err = {0, ""};
	int fd;

	strcpy(path, "/tmp/zsim-test-trace-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	*f = fdopen(fd, "wb");
	cr_assert(*f);
	struct zs_trace_writer *w = zs_trace_native_create(*f, path, ZS_TRACE_PERF, &err);
	cr_assert(w, "%s", err.msg);
	return w;
}

void
zt_native_put(struct zs_trace_writer *w, int kind, uint64_t pfn, unsigned order, uint64_t *seq)
{
	struct zs_trace_event ev;
	struct zs_error err = {0, ""};

	memset(&ev, 0, sizeof(ev));
	ev.ev = (enum zs_trace_ev)kind;
	ev.pfn = pfn;
	ev.order = (uint8_t)order;
	ev.pid = 1;
	ev.migratetype = -1;
	ev.time_ns = (int64_t)*seq;
	ev.line = *seq + 1;
	cr_assert_eq(zs_trace_native_put(w, &ev, &err), 0, "%s", err.msg);
	(*seq)++;
}

void
zt_native_finish(struct zs_trace_writer *w, FILE *f, uint64_t seq)
{
	struct zs_error err = {0, ""};

	cr_assert_eq(zs_trace_native_finish(w, seq, &err), 0, "%s", err.msg);
	cr_assert_eq(fclose(f), 0);
}
