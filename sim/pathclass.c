/* pathclass.c - the common class of each model's __alloc_pages exits; see pathclass.h. */
#include "sim/pathclass.h"

#include <string.h>

struct exit_class {
	const char *path;
	enum zs_pathclass cls;
};

/* KERNEL: 2.4.0 mm/page_alloc.c __alloc_pages(): pass A is the first loop over the zonelist
 * (free above pages_low); __alloc_pages_limit HIGH/LOW/MIN and the final PF_MEMALLOC loop
 * take free pages (or inactive_clean ones, a cheap reclaim_page) without sleeping; the
 * high-order path, the retries after wakeup_kswapd(1) or try_to_free_pages, and the final
 * loop's reclaim_page are reclaim by the caller.  2.4.0's allocator never calls the OOM
 * killer (kswapd does), so no 2.4 exit is `oom`. */
static const struct exit_class classes_24[] = {
	{"passA", ZS_PC_FAST},          {"high", ZS_PC_SLOW},
	{"low", ZS_PC_SLOW},            {"min", ZS_PC_SLOW},
	{"final", ZS_PC_SLOW},          {"highorder", ZS_PC_RECLAIM},
	{"retry_kswapd", ZS_PC_RECLAIM}, {"retry_tfp", ZS_PC_RECLAIM},
	{"final_reclaim", ZS_PC_RECLAIM}, {"fail", ZS_PC_FAIL},
	{NULL, ZS_PC_FAIL}};

/* KERNEL: 2.6.32 mm/page_alloc.c __alloc_pages_nodemask(): the first get_page_from_freelist
 * at the low watermark; __alloc_pages_slowpath()'s min-watermark and no-watermark attempts;
 * after __alloc_pages_direct_reclaim (reclaim) or the congestion_wait retry loop (retry);
 * after __alloc_pages_may_oom (high) or a sleep for the OOM victim (oom_retry).  2.6.18's
 * __alloc_pages has the same exits. */
static const struct exit_class classes_26[] = {
	{"fast", ZS_PC_FAST},       {"min", ZS_PC_SLOW},       {"nowmark", ZS_PC_SLOW},
	{"reclaim", ZS_PC_RECLAIM}, {"retry", ZS_PC_RECLAIM},  {"high", ZS_PC_OOM},
	{"oom_retry", ZS_PC_OOM},   {NULL, ZS_PC_FAIL}};

static const char *const class_names[ZS_NR_PC] = {"fast", "slow", "reclaim", "oom", "fail"};

int
zs_pathclass_of(enum zs_kver v, const char *path)
{
	const struct exit_class *t = v == ZS_KV_24 ? classes_24 : classes_26;

	for (; t->path; t++)
		if (!strcmp(t->path, path))
			return (int)t->cls;
	/* every 2.6 failure exit is named fail_<why> */
	if (v != ZS_KV_24 && !strncmp(path, "fail_", 5))
		return ZS_PC_FAIL;
	return -1;
}

const char *
zs_pathclass_name(enum zs_pathclass c)
{
	return c < ZS_NR_PC ? class_names[c] : "?";
}
