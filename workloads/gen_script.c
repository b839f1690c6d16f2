/*
 * gen_script.c - the `script` workload: requests written out one by one, for
 * golden tests and exact experiments.
 *
 *   {type: script, requests: [
 *      {at: 0ms, op: task_start, task: 1, comm: app, nice: 0, root: false, kthread: false},
 *      {at: 1ms, op: alloc, task: 1, handle: 7, order: 0, gfp: GFP_HIGHUSER, kind: file, cpu: 0},
 *      {at: 2ms, op: touch | dirty | free, task: 1, handle: 7},
 *      {at: 3ms, op: task_exit, task: 1}]}
 *
 * Every request is checked when the scenario is loaded (times must not go
 * backwards, orders below the version's MAX_ORDER, gfp names of the version),
 * so a mistake is reported at its line and column before anything runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "workloads/source.h"

struct script {
	struct zs_request *reqs;
	int n, next;
};

static const char *const ops[] = {"alloc", "free", "touch", "dirty", "task_start", "task_exit",
				  NULL};
static const char *const kinds[] = {"anon", "file", "file_dirty", "kernel", "buffer", NULL};

static int
lookup(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int
parse_one(struct zs_cfg *e, const struct zs_source_env *env, int64_t prev, struct zs_request *r,
	  struct zs_error *err)
{
	static const char *const known[] = {"at",   "op",   "task", "handle", "order", "gfp", "kind",
					    "cpu",  "comm", "nice", "root",   "kthread", NULL};
	const char *op = NULL, *gfp = "GFP_KERNEL", *kind = "kernel", *comm = NULL;
	int64_t at = prev, nice = 0, cpu = 0, order = 0;
	uint64_t task = 0, handle = 0;
	int root = 0, kthread = 0, t, k;
	int64_t max_order = env->kver == ZS_KV_24 ? 10 : 11;

	if (zs_cfg_expect(e, ZS_CFG_MAP, "a script request", err) ||
	    zs_cfg_check_keys(e, known, err) || zs_cfg_duration(e, "at", 0, INT64_MAX / 4, &at, err) ||
	    zs_cfg_string(e, "op", &op, err) ||
	    zs_cfg_uint(e, "task", 0, UINT32_MAX, &task, err) ||
	    zs_cfg_uint(e, "handle", 0, (1ull << 48) - 1, &handle, err) ||
	    zs_cfg_int(e, "order", 0, max_order - 1, &order, err) ||
	    zs_cfg_string(e, "gfp", &gfp, err) || zs_cfg_string(e, "kind", &kind, err) ||
	    zs_cfg_int(e, "cpu", 0, 65535, &cpu, err) || zs_cfg_string(e, "comm", &comm, err) ||
	    zs_cfg_int(e, "nice", -20, 19, &nice, err) || zs_cfg_bool(e, "root", &root, err) ||
	    zs_cfg_bool(e, "kthread", &kthread, err))
		return -1;
	if (!op)
		return zs_cfg_error(e, err, "a script request needs 'op'");
	t = lookup(ops, op);
	if (t < 0)
		return zs_cfg_error(zs_cfg_get(e, "op"), err,
				    "op must be alloc, free, touch, dirty, task_start or task_exit, not '%s'",
				    op);
	if (at < prev)
		return zs_cfg_error(e, err, "requests must come in time order (this one is earlier "
					    "than the one before)");
	k = lookup(kinds, kind);
	if (k < 0)
		return zs_cfg_error(zs_cfg_get(e, "kind"), err,
				    "kind must be anon, file, file_dirty, kernel or buffer, not '%s'",
				    kind);
	memset(r, 0, sizeof(*r));
	if (t == ZS_REQ_ALLOC && zs_gfp_parse(env->kver, gfp, &r->gfp, err)) {
		char msg[sizeof(err->msg)];
		struct zs_cfg *g = zs_cfg_get(e, "gfp");

		snprintf(msg, sizeof(msg), "%s", err->msg);
		return zs_cfg_error(g ? g : e, err, "%s", msg);
	}
	r->time = at;
	r->type = (enum zs_req_type)t;
	r->task = (uint32_t)task;
	r->cpu = (uint16_t)cpu;
	r->order = (uint8_t)order;
	r->kind = (uint8_t)k;
	r->handle = handle;
	r->nice = (int8_t)nice;
	r->root = (uint8_t)root;
	r->kthread = (uint8_t)kthread;
	if (comm)
		snprintf(r->comm, sizeof(r->comm), "%s", comm);
	return 0;
}

static int
script_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
	      struct zs_error *err)
{
	static const char *const known[] = {"type", "requests", NULL};
	struct script *sc = calloc(1, sizeof(*sc));
	struct zs_cfg *list;
	int64_t prev = 0;

	if (!sc)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = sc;
	if (zs_cfg_check_keys(cfg, known, err))
		return -1;
	list = zs_cfg_get(cfg, "requests");
	if (!list)
		return zs_cfg_error(cfg, err, "a script workload needs 'requests'");
	if (zs_cfg_expect(list, ZS_CFG_SEQ, "'requests'", err))
		return -1;
	sc->reqs = calloc((size_t)list->n + 1, sizeof(*sc->reqs));
	if (!sc->reqs)
		return zs_error_set(err, EX_OSERR, "out of memory");
	for (int i = 0; i < list->n; i++) {
		if (parse_one(list->vals[i], env, prev, &sc->reqs[i], err))
			return -1;
		prev = sc->reqs[i].time;
	}
	sc->n = list->n;
	return 0;
}

static int
script_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct script *sc = s->priv;

	(void)err;
	if (sc->next == sc->n)
		return 0;
	*req = sc->reqs[sc->next++];
	return 1;
}

static void
script_destroy(struct zs_source *s)
{
	struct script *sc = s->priv;

	if (!sc)
		return;
	free(sc->reqs);
	free(sc);
}

const struct zs_source_ops zs_source_script = {
	.type = "script",
	.create = script_create,
	.next = script_next,
	.destroy = script_destroy,
};
