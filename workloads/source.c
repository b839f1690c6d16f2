/* source.c - the registry of workload source types; see source.h. */
#include "workloads/source.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"

static const struct zs_source_ops *const types[] = {
	&zs_source_simple, &zs_source_anon,   &zs_source_filecache,
	&zs_source_kernel, &zs_source_phases, &zs_source_trace,    &zs_source_script,
};

#define NR_TYPES (sizeof(types) / sizeof(types[0]))

static const char *const req_names[ZS_REQ_NR_TYPES] = {"alloc", "free",       "touch",
						       "dirty", "task_start", "task_exit"};

const char *
zs_req_type_name(enum zs_req_type t)
{
	return (unsigned)t < ZS_REQ_NR_TYPES ? req_names[t] : "?";
}

const struct zs_source_ops *
zs_source_find(const char *type)
{
	for (size_t i = 0; i < NR_TYPES; i++)
		if (types[i]->type && !strcmp(types[i]->type, type))
			return types[i];
	return NULL;
}

const char *
zs_source_types(void)
{
	static char buf[256];

	if (!buf[0])
		for (size_t i = 0; i < NR_TYPES; i++) {
			if (!types[i]->type)
				continue;
			if (buf[0])
				strcat(buf, ", ");
			strcat(buf, types[i]->type);
		}
	return buf;
}

int
zs_source_context(struct zs_cfg *cfg, enum zs_kver kver, uint32_t gfp, int dflt, int *interrupt,
		  struct zs_error *err)
{
	const char *v = NULL;
	struct zs_cfg *n = zs_cfg_get(cfg, "context");
	uint32_t wait = kver == ZS_KV_24 ? GFP24_WAIT : GFP26_WAIT;

	/* a default of interrupt yields to a gfp that sleeps; only the key insists */
	*interrupt = dflt && !(gfp & wait);
	if (zs_cfg_string(cfg, "context", &v, err))
		return -1;
	if (v && !strcmp(v, "interrupt"))
		*interrupt = 1;
	else if (v && !strcmp(v, "process"))
		*interrupt = 0;
	else if (v)
		return zs_cfg_error(n, err, "context must be process or interrupt, not '%s'", v);
	/* KERNEL: 2.6.32 mm/page_alloc.c __alloc_pages_nodemask(): might_sleep_if(__GFP_WAIT); a handler
	 * must not sleep, so it allocates without __GFP_WAIT (GFP_ATOMIC) */
	if (*interrupt && (gfp & wait))
		return zs_cfg_error(n ? n : zs_cfg_get(cfg, "gfp") ? zs_cfg_get(cfg, "gfp") : cfg, err,
				    "an interrupt cannot sleep: its gfp must not have __GFP_WAIT "
				    "(GFP_ATOMIC)");
	return 0;
}

struct zs_source *
zs_source_create(struct zs_cfg *entry, const struct zs_source_env *env, struct zs_error *err)
{
	const char *type = NULL;
	const struct zs_source_ops *ops;
	struct zs_source *s;

	if (zs_cfg_expect(entry, ZS_CFG_MAP, "a workload entry", err))
		return NULL;
	if (zs_cfg_string(entry, "type", &type, err))
		return NULL;
	if (!type) {
		zs_cfg_error(entry, err, "a workload entry needs 'type' (one of: %s)",
			     zs_source_types());
		return NULL;
	}
	ops = zs_source_find(type);
	if (!ops) {
		zs_cfg_error(zs_cfg_get(entry, "type"), err,
			     "unknown workload type '%s' (one of: %s)", type, zs_source_types());
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	s->ops = ops;
	s->env = *env;
	if (ops->create(s, entry, env, err)) {
		if (ops->destroy)
			ops->destroy(s);
		free(s);
		return NULL;
	}
	return s;
}

void
zs_source_destroy(struct zs_source *s)
{
	if (!s)
		return;
	if (s->ops->destroy)
		s->ops->destroy(s);
	free(s);
}

/*
 * Which entries end by themselves: a trace at its last line, a script at its last
 * request, a `simple` source at its `stop`, a `phases` source whose every phase
 * has a `stop`.  anon, filecache and kernel run for as long as the run does.
 */
static int
entry_ends(struct zs_cfg *entry)
{
	struct zs_cfg *type = entry->type == ZS_CFG_MAP ? zs_cfg_get(entry, "type") : NULL;
	const char *t = type && type->type == ZS_CFG_SCALAR ? type->scalar : "";

	if (!strcmp(t, "trace") || !strcmp(t, "script"))
		return 1;
	if (!strcmp(t, "simple"))
		return zs_cfg_get(entry, "stop") != NULL;
	if (!strcmp(t, "phases")) {
		struct zs_cfg *list = zs_cfg_get(entry, "phases");

		if (!list || list->type != ZS_CFG_SEQ || list->n < 1)
			return 1; /* the source's own check reports it */
		for (int i = 0; i < list->n; i++)
			if (list->vals[i]->type == ZS_CFG_MAP && !zs_cfg_get(list->vals[i], "stop"))
				return 0;
		return 1;
	}
	return 0;
}

int
zs_source_check_ends(struct zs_cfg *entry, struct zs_error *err)
{
	if (entry_ends(entry))
		return 0;
	return zs_cfg_error(entry, err,
			    "`duration: auto` runs until every source ends, and this one never does "
			    "(trace and script sources end, simple with 'stop', phases whose every "
			    "phase has 'stop'): give the scenario a duration");
}

int
zs_source_next_done(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	int rc = s->ops->next(s, req, err);

	if (rc == 1 && s->ops->done)
		s->ops->done(s, req, req->time);
	return rc;
}
