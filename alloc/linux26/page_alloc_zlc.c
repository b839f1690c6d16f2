/*
 * page_alloc_zlc.c - 2.6.32's zonelist cache (mm/page_alloc.c zlc_setup(),
 * zlc_zone_worth_trying(), zlc_mark_zone_full(); include/linux/mmzone.h
 * struct zonelist_cache), which 2.6.18 does not have.
 *
 * Each node's fallback zonelist carries a bitmap of zones found full: a zone
 * whose watermark test failed (for any mark: min, low, high or ALLOC_HIGH's),
 * that zone_reclaim left full, or whose buddy had no block, is skipped by
 * every later walk of that zonelist until the bitmap is zapped, at the first
 * walk more than HZ jiffies after the last zap.  The cache is used from the
 * second zone of a walk on, and only when more than one node is online; a
 * walk that finds nothing with it scans the zonelist again without it (and
 * that second scan is made even for a zonelist without a cache).  The
 * __GFP_THISNODE zonelist (node_zonelists[1]) has no cache: build_zonelist_cache
 * sets zlcache_ptr for node_zonelists[0] only.
 *
 * The kernel indexes the bitmap by a zone's position in the zonelist; a zone
 * appears once in a zonelist, so zsim indexes it by zone id.  The node test
 * of zlc_zone_worth_trying (the zone's node in the allowed nodes, with no
 * cpusets node_states[N_HIGH_MEMORY]) always holds: a zonelist only holds
 * populated zones.
 */
#include "alloc/linux26/model.h"

#include <string.h>

void
zs26_zlc_setup(struct zs_vm *vm, struct zs26_zlc *zlc)
{
	int hz = vm->hz > 0 ? vm->hz : 250;
	int64_t jiffies = zs_now(vm->engine) * hz / ZS_NS_PER_SEC;

	if (!zlc)
		return;
	/*
	 * KERNEL: 2.6.32 zlc_setup(): time_after(jiffies, last_full_zap + HZ) zaps.
	 * x86_64's jiffies start at INITIAL_JIFFIES, far above HZ, and
	 * last_full_zap at 0, so the first setup after boot always zaps.
	 */
	if (!zlc->zapped || jiffies > zlc->last_full_zap + hz) {
		memset(zlc->fullzones, 0, sizeof(zlc->fullzones));
		zlc->last_full_zap = jiffies;
		zlc->zapped = 1;
		zs26_of(vm)->zlc_zaps++;
	}
}
