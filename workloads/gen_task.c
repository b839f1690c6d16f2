/*
 * gen_task.c - the task attributes every generator and `script` accept (the
 * numbers the OOM killer's badness() reads), read into the struct
 * zs_task_attrs a source copies into its TASK_START requests.
 *
 *   uid: 1000, oom_adj: -17..15, caps: CAP_SYS_ADMIN|CAP_SYS_RAWIO (or a list),
 *   cpu_time: 2min, age: 3h, extra_vm: 256MiB, parent_source: 0, mlock: true
 *
 * Everything is checked when the scenario is loaded, with the value's position.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "workloads/gen_task.h"

static const struct {
	const char *name;
	uint8_t bit;
} cap_names[] = {
	{"CAP_SYS_RAWIO", ZS_CAP_SYS_RAWIO},
	{"CAP_SYS_ADMIN", ZS_CAP_SYS_ADMIN},
	{"CAP_SYS_RESOURCE", ZS_CAP_SYS_RESOURCE},
};

/* One capability name (surrounding blanks ignored) into *caps. */
static int
cap_one(const struct zs_cfg *at, const char *s, size_t len, uint8_t *caps, struct zs_error *err)
{
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
		if (strlen(cap_names[i].name) == len && !strncmp(cap_names[i].name, s, len)) {
			*caps |= cap_names[i].bit;
			return 0;
		}
	return zs_cfg_error(at, err,
			    "unknown capability '%.*s' (CAP_SYS_ADMIN, CAP_SYS_RESOURCE, "
			    "CAP_SYS_RAWIO or none)",
			    (int)len, s);
}

/* caps: "none", names joined by '|', or a sequence of names. */
static int
read_caps(struct zs_cfg *map, uint8_t *caps, struct zs_error *err)
{
	struct zs_cfg *n = zs_cfg_get(map, "caps");

	if (!n)
		return 0;
	if (n->type == ZS_CFG_SEQ) {
		for (int i = 0; i < n->n; i++) {
			struct zs_cfg *it = n->vals[i];

			if (zs_cfg_expect(it, ZS_CFG_SCALAR, "a capability name", err) ||
			    cap_one(it, it->scalar, strlen(it->scalar), caps, err))
				return -1;
		}
		return 0;
	}
	if (zs_cfg_expect(n, ZS_CFG_SCALAR, "capability names", err))
		return -1;
	if (!strcmp(n->scalar, "none"))
		return 0;
	for (const char *p = n->scalar;; p++) {
		size_t len = strcspn(p, "|");

		if (cap_one(n, p, len, caps, err))
			return -1;
		p += len;
		if (!*p)
			return 0;
	}
}

int
zs_gen_task_attrs(struct zs_cfg *map, const struct zs_source_env *env, int root,
		  struct zs_task_attrs *a, struct zs_error *err)
{
	int64_t adj = 0, cpu = 0, age = 0;
	uint64_t uid = 0, extra = 0, parent = 0;
	struct zs_cfg *n;

	memset(a, 0, sizeof(*a));
	if (zs_cfg_uint(map, "uid", 0, UINT32_MAX - 1, &uid, err) ||
	    /* KERNEL: 2.6.32 include/linux/oom.h OOM_DISABLE .. OOM_ADJUST_MAX */
	    zs_cfg_int(map, "oom_adj", -17, 15, &adj, err) || read_caps(map, &a->caps, err) ||
	    zs_cfg_duration(map, "cpu_time", 0, INT64_MAX / 4, &cpu, err) ||
	    zs_cfg_duration(map, "age", 0, INT64_MAX / 4, &age, err) ||
	    zs_cfg_pages(map, "extra_vm", 0, 1ull << 40, &extra, err))
		return -1;
	n = zs_cfg_get(map, "uid");
	if (n && root && uid != 0)
		return zs_cfg_error(n, err, "uid %llu contradicts root: true (root is uid 0)",
				    (unsigned long long)uid);
	a->has_uid = n != NULL;
	a->uid = (uint32_t)uid;
	a->oom_adj = (int8_t)adj;
	a->cpu_ns = cpu;
	a->age_ns = age;
	a->extra_vm = extra;
	n = zs_cfg_get(map, "parent_source");
	if (n) {
		if (zs_cfg_uint(map, "parent_source", 0, UINT32_MAX - 1, &parent, err))
			return -1;
		if (parent >= env->nr_sources)
			return zs_cfg_error(n, err,
					    "parent_source %llu: the workload has %u entries (0 .. %u)",
					    (unsigned long long)parent, env->nr_sources,
					    env->nr_sources ? env->nr_sources - 1 : 0);
		a->parent_source = (uint32_t)parent + 1;
	}
	/* mlock: mlockall(MCL_CURRENT | MCL_FUTURE) as the task starts */
	{
		int lock = 0;

		if (zs_cfg_bool(map, "mlock", &lock, err))
			return -1;
		a->mlock = (uint8_t)lock;
	}
	return 0;
}
