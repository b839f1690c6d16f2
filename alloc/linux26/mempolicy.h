/*
 * mempolicy.h - the memory policy of the allocating task (mm/mempolicy.c of
 * 2.6.18 and 2.6.32): which zonelist __alloc_pages walks, and the NUMA
 * interleave accounting of alloc_page_interleave().
 *
 * A policy is decided once per allocation, at its first call into the model
 * (alloc_pages_current / alloc_page_vma run once before __alloc_pages), and
 * kept in req->local[ZS26_L_MPOL] so that the resumed calls of a sleeping
 * allocation walk the same zonelist and interleave's il_next moves once.
 *
 * Invariant: the zonelist handed out holds only zones of the allocation's
 * zonelist class (<= gfp_zone), each once; with MPOL_BIND in force only zones
 * of bound nodes; `all` is the zonelist before the 2.6.32 nodemask filter.
 */
#ifndef ZS_LINUX26_MEMPOLICY_H
#define ZS_LINUX26_MEMPOLICY_H

#include "alloc/machine.h"
#include "alloc/policy.h"

struct zs_vm;

/* req->local[] slot of the policy decision (vmscan_direct.c owns 4..7). */
#define ZS26_L_MPOL 3

/* The zonelists of one allocation under its task's policy. */
struct zs26_pzl {
	const int *zl;  /* get_page_from_freelist and try_to_free_pages walk these */
	int nzl;
	const int *all; /* wake_all_kswapd and the zone OOM lock: no nodemask (2.6.32) */
	int nall;
	int node;       /* the node whose zonelist it is (the policy's choice) */
	int interleave; /* alloc_page_interleave: count interleave_hit on success */
	int buf[ZS_MAX_NODES * ZS_NR_ZONE_TYPES];
};

/*
 * The zonelist of req under the policy of req->task (decided at the first
 * call, see above): MPOL_DEFAULT and kernel-context tasks use the local
 * node's, PREFERRED the preferred node's, INTERLEAVE il_next's, BIND the
 * private zonelist (2.6.18) or the nodemask over the local zonelist (2.6.32).
 * Also sets req->pref_node (the node of the zonelist's first zone, which
 * zone_statistics() takes as preferred) and req->policy (the mode that applied).
 */
void zs26_policy_zonelist(struct zs_vm *vm, struct zs_alloc_req *req, struct zs26_pzl *p);

/* policy_zone: the highest zone type with memory (check_highest_zone at boot). */
int zs26_policy_zone(const struct zs_machine *m);

/* ops->alloc of both versions: alloc_pages_current / alloc_page_vma around __alloc_pages. */
enum zs_alloc_status zs26_alloc_pages(struct zs_vm *vm, struct zs_alloc_req *req);

#endif
