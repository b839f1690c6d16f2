/*
 * gen_script.c - the `script` workload: requests written out one by one, for
 * golden tests and exact experiments.
 *
 *   {type: script, requests: [
 *      {at: 0ms, op: task_start, task: 1, comm: app, nice: 0, root: false, kthread: false,
 *       uid: 1000, oom_adj: 0, caps: none, cpu_time: 0s, age: 0s, extra_vm: 0,
 *       parent: 0 (a task this script started before) | parent_source: 0},
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
#include "workloads/gen_task.h"
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

/* The parent key of a task_start: a task number started earlier in the script. */
static int
read_parent(struct zs_cfg *e, const struct zs_request *done, int ndone, uint32_t self,
	    struct zs_task_attrs *a, struct zs_error *err)
{
	uint64_t parent = 0;
	struct zs_cfg *n = zs_cfg_get(e, "parent");

	if (!n)
		return 0;
	if (zs_cfg_uint(e, "parent", 0, UINT32_MAX - 1, &parent, err))
		return -1;
	if (a->parent_source)
		return zs_cfg_error(n, err, "a task has one parent: 'parent' or 'parent_source'");
	if (parent == self)
		return zs_cfg_error(n, err, "task %u cannot be its own parent", self);
	for (int i = ndone - 1; i >= 0; i--)
		if (done[i].type == ZS_REQ_TASK_START && done[i].task == parent) {
			a->parent_task = (uint32_t)parent + 1;
			return 0;
		}
	return zs_cfg_error(n, err, "parent %llu: no task_start for it earlier in the script",
			    (unsigned long long)parent);
}

static int
parse_one(struct zs_cfg *e, const struct zs_source_env *env, int64_t prev,
	  const struct zs_request *done, int ndone, struct zs_request *r, struct zs_error *err)
{
	static const char *const known[] = {"at",   "op",   "task", "handle", "order", "gfp", "kind",
					    "cpu",  "comm", "nice", "root",   "kthread", "parent",
					    ZS_GEN_TASK_KEYS, NULL};
	static const char *const task_only[] = {"parent", ZS_GEN_TASK_KEYS, NULL};
	struct zs_task_attrs attrs;
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
	for (int i = 0; t != ZS_REQ_TASK_START && task_only[i]; i++)
		if (zs_cfg_get(e, task_only[i]))
			return zs_cfg_error(zs_cfg_get(e, task_only[i]), err,
					    "'%s' belongs to a task_start request", task_only[i]);
	if (zs_gen_task_attrs(e, env, root, &attrs, err) ||
	    read_parent(e, done, ndone, (uint32_t)task, &attrs, err))
		return -1;
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
	r->attrs = attrs;
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
		if (parse_one(list->vals[i], env, prev, sc->reqs, i, &sc->reqs[i], err))
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

/* The share of the script's operations issued. */
static double
script_progress(struct zs_source *s, int64_t now)
{
	struct script *sc = s->priv;

	(void)now;
	return sc->n ? (double)sc->next / sc->n : 1.0;
}

const struct zs_source_ops zs_source_script = {
	.type = "script",
	.create = script_create,
	.next = script_next,
	.destroy = script_destroy,
	.progress = script_progress,
};
