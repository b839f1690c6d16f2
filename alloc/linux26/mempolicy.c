/*
 * mempolicy.c - task memory policies of 2.6.18 and 2.6.32 (mm/mempolicy.c):
 * zonelist_policy() / policy_zonelist() + policy_nodemask(), interleave_nodes(),
 * 2.6.18's bind_zonelist(), and alloc_pages_current() / alloc_page_vma() with
 * alloc_page_interleave()'s NUMA_INTERLEAVE_HIT around each version's
 * __alloc_pages.  See mempolicy.h for when the policy is decided.
 *
 * DEVIATION: zsim has no VMAs, so no per-VMA policy (mbind) and no
 * offset_il_node(): an interleaved anonymous page takes the task's il_next as
 * alloc_pages_current would, not its offset in the mapping.  No cpusets, so no
 * mems_allowed rebinding.
 */
#include "alloc/linux26/mempolicy.h"

#include "alloc/linux26/model.h"

/* Policy decision in req->local[ZS26_L_MPOL]: 0 = not yet, else 1 + node | flags. */
enum { D_INTERLEAVE = 1 << 8, D_BIND = 1 << 9 };

int
zs26_policy_zone(const struct zs_machine *m)
{
	int pz = ZS_ZONE_DMA;

	/* KERNEL: 2.6.18 include/linux/mempolicy.h check_highest_zone() from
	 * build_zonelists_node(), for every populated zone (2.6.32 skips MOVABLE) */
	for (int i = 0; i < m->nr_zones; i++)
		if (m->zones[i].present && (int)m->zones[i].type > pz)
			pz = (int)m->zones[i].type;
	return pz;
}

/* next_node(nid, mask), wrapping to first_node(mask) as interleave_nodes does. */
static int
next_node_wrap(int nid, uint64_t mask)
{
	uint64_t after = nid + 1 < 64 ? mask & ~((2ull << nid) - 1) : 0;

	return __builtin_ctzll(after ? after : mask);
}

/* KERNEL: 2.6.18 mm/mempolicy.c interleave_nodes() (2.6.32 the same) */
static int
interleave_nodes(struct zs_task *t)
{
	int nid = t->il_next;

	t->il_next = next_node_wrap(nid, t->mpol_nodes);
	return nid;
}

/* The policy that applies to this allocation (get_vma_policy / current->mempolicy). */
static int
effective_mode(struct zs_vm *vm, const struct zs_alloc_req *req)
{
	const struct zs_task *t = req->task;

	/* kernel threads have no mempolicy; in_interrupt() takes default_policy */
	if (!t || (t->flags & ZS_PF_KTHREAD))
		return ZS_MPOL_DEFAULT;
	/* KERNEL: 2.6.32 alloc_pages_current(): __GFP_THISNODE takes default_policy
	 * (alloc_page_vma, for anonymous pages, does not) */
	if (vm->kver == ZS_KV_2632 && req->kind != ZS_KIND_ANON && (req->gfp & GFP26_THISNODE))
		return ZS_MPOL_DEFAULT;
	return t->mempolicy;
}

/* The decision under mode (effective_mode of req). */
static int64_t
decide(struct zs_vm *vm, struct zs_alloc_req *req, int mode)
{
	struct zs_task *t = req->task;
	int nd = zs26_req_node(vm, req); /* numa_node_id() */

	switch (mode) {
	case ZS_MPOL_INTERLEAVE:
		/* KERNEL: 2.6.18 alloc_pages_current() -> alloc_page_interleave(interleave_nodes()) */
		return 1 + interleave_nodes(t) + D_INTERLEAVE;
	case ZS_MPOL_PREFERRED:
		/* KERNEL: 2.6.18 zonelist_policy(): preferred_node, -1 (local) = numa_node_id();
		 * 2.6.32 policy_zonelist() with MPOL_F_LOCAL likewise */
		if (t->mpol_nodes)
			nd = __builtin_ctzll(t->mpol_nodes);
		return 1 + nd;
	case ZS_MPOL_BIND: {
		int bound = zs26_gfp_zone(vm->kver, req->gfp) >= zs26_of(vm)->policy_zone;

		/* KERNEL: 2.6.32 policy_zonelist(): __GFP_THISNODE off the mask starts at first_node */
		if (vm->kver == ZS_KV_2632 && (req->gfp & GFP26_THISNODE) &&
		    !(t->mpol_nodes & (1ull << nd)))
			nd = __builtin_ctzll(t->mpol_nodes);
		/* KERNEL: 2.6.18 zonelist_policy() / 2.6.32 policy_nodemask(): "lower zones
		 * don't get a policy applied" - below policy_zone the local zonelist */
		return 1 + nd + (bound ? D_BIND : 0);
	}
	default:
		return 1 + nd;
	}
}

/*
 * KERNEL: 2.6.18 mm/mempolicy.c bind_zonelist(): zone type by zone type from
 * policy_zone down, each bound node in node-number order - not by distance.
 */
static int
bind_zonelist(const struct zs_machine *m, uint64_t nodes, int policy_zone, int *out)
{
	int num = 0;

	for (int k = policy_zone; k >= 0; k--)
		for (int nd = 0; nd < m->nr_nodes; nd++) {
			const struct zs_zone *z = m->nodes[nd].zone[k];

			if ((nodes & (1ull << nd)) && z && z->present)
				out[num++] = z->id;
		}
	return num;
}

/* The name events.csv shows for mode: `local` is PREFERRED without a node. */
static inline const char *
mode_name(const struct zs_alloc_req *req, int mode)
{
	static const char *const names[] = {
		[ZS_MPOL_DEFAULT] = "default", [ZS_MPOL_PREFERRED] = "preferred",
		[ZS_MPOL_BIND] = "bind", [ZS_MPOL_INTERLEAVE] = "interleave",
	};

	if (mode == ZS_MPOL_PREFERRED && !req->task->mpol_nodes)
		return "local";
	return (unsigned)mode < sizeof(names) / sizeof(names[0]) ? names[mode] : "default";
}

/* The BIND cases of policy_zonelist: the private zonelist (2.6.18) or the nodemask
 * over the local zonelist (2.6.32) into p->buf (out of line: a bound task's only). */
static void
bind_policy_zonelist(struct zs_vm *vm, struct zs_alloc_req *req, struct zs26_pzl *p)
{
	const struct zs_machine *m = vm->machine;

	if (vm->kver == ZS_KV_2618) {
		/* the private zonelist replaces the node's for everything __alloc_pages does */
		p->nzl = bind_zonelist(m, req->task->mpol_nodes, zs26_of(vm)->policy_zone, p->buf);
		p->zl = p->all = p->buf;
		p->nall = p->nzl;
		return;
	}
	/* KERNEL: 2.6.32 for_each_zone_zonelist_nodemask(): the local zonelist, bound nodes only */
	p->nzl = 0;
	for (int i = 0; i < p->nall; i++)
		if (req->task->mpol_nodes & (1ull << m->zones[p->all[i]].node))
			p->buf[p->nzl++] = p->all[i];
	p->zl = p->buf;
}

/*
 * The policy's zonelist into p (see mempolicy.h), req->pref_node and req->policy.
 * Inline: ops->alloc (zs26_alloc_pages) runs it on every call.
 */
static inline __attribute__((always_inline)) void
policy_zonelist(struct zs_vm *vm, struct zs_alloc_req *req, struct zs26_pzl *p)
{
	/* the task's policy as it stands at this call (a resumed call's name too) */
	int mode = effective_mode(vm, req);
	int64_t d;

	if (!req->local[ZS26_L_MPOL])
		/* MPOL_DEFAULT (every kernel thread's) is decide()'s default case, inline */
		req->local[ZS26_L_MPOL] =
			mode == ZS_MPOL_DEFAULT ? 1 + zs26_req_node(vm, req) : decide(vm, req, mode);
	d = req->local[ZS26_L_MPOL];
	p->node = (int)((d - 1) & 0xff);
	p->interleave = (d - 1) & D_INTERLEAVE ? 1 : 0;
	p->nall = zs26_zonelist(vm, p->node, req->gfp, &p->all);
	p->zl = p->all;
	p->nzl = p->nall;
	if ((d - 1) & D_BIND)
		bind_policy_zonelist(vm, req, p);
	/* for events.csv: the node of zone_statistics()' preferred zone (zonelist->zones[0],
	 * 2.6.32 preferred_zone), the policy's node when no zone is left */
	req->pref_node = p->nzl > 0 ? vm->machine->zones[p->zl[0]].node : p->node;
	req->policy = mode_name(req, mode);
}

void
zs26_policy_zonelist(struct zs_vm *vm, struct zs_alloc_req *req, struct zs26_pzl *p)
{
	policy_zonelist(vm, req, p);
}

enum zs_alloc_status
zs26_alloc_pages(struct zs_vm *vm, struct zs_alloc_req *req)
{
	struct zs26_pzl pz;
	enum zs_alloc_status st;

	/* KERNEL: 2.6.18 / 2.6.32 alloc_pages_current() / alloc_page_vma(): the policy's
	 * zonelist (policy_zonelist, policy_nodemask), then __alloc_pages over it */
	policy_zonelist(vm, req, &pz);
	st = vm->kver == ZS_KV_2618 ? zs26_alloc_2618(vm, req, &pz) : zs26_alloc_2632(vm, req, &pz);
	/* KERNEL: 2.6.18 alloc_page_interleave(): a page from the first zone of the
	 * interleave node's zonelist counts NUMA_INTERLEAVE_HIT on its zone (pz.all is
	 * that zonelist: interleave never binds) */
	if (st == ZS_ALLOC_DONE && req->pfn != ZS_NIL && pz.interleave) {
		struct zs_zone *z = zs_pfn_zone(vm->machine, req->pfn);

		if (pz.nall > 0 && z->id == pz.all[0])
			zs26_zone(z)->interleave_hit++;
	}
	return st;
}
