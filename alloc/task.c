/*
 * task.c - the fork tree and the attributes a workload declares for a task;
 * see task.h for what each number means to the kernel models.
 */
#include "alloc/vm.h"

void
zs_task_fork_link(struct zs_vm *vm, struct zs_task *parent, struct zs_task *child)
{
	/* KERNEL: 2.6.18 kernel/fork.c copy_process(): add_parent(), list_add_tail onto ->children */
	child->parent = parent->id;
	child->next_sibling = ZS_NIL;
	if (parent->last_child != ZS_NIL)
		vm->tasks[parent->last_child]->next_sibling = child->id;
	else
		parent->first_child = child->id;
	parent->last_child = child->id;
}

void
zs_task_leave_family(struct zs_vm *vm, struct zs_task *t)
{
	if (t->parent != ZS_NIL) {
		struct zs_task *p = vm->tasks[t->parent];
		uint32_t prev = ZS_NIL;

		for (uint32_t c = p->first_child; c != ZS_NIL; prev = c, c = vm->tasks[c]->next_sibling)
			if (c == t->id)
				break;
		ZS_BUG_ON(prev == ZS_NIL ? p->first_child != t->id
					 : vm->tasks[prev]->next_sibling != t->id);
		if (prev == ZS_NIL)
			p->first_child = t->next_sibling;
		else
			vm->tasks[prev]->next_sibling = t->next_sibling;
		if (p->last_child == t->id)
			p->last_child = prev;
		t->parent = t->next_sibling = ZS_NIL;
	}
	/* KERNEL: 2.6.18 kernel/exit.c forget_original_parent(): children go to init,
	 * whose badness nobody computes, so here they simply have no parent */
	for (uint32_t c = t->first_child, next; c != ZS_NIL; c = next) {
		next = vm->tasks[c]->next_sibling;
		vm->tasks[c]->parent = vm->tasks[c]->next_sibling = ZS_NIL;
	}
	t->first_child = t->last_child = ZS_NIL;
}

void
zs_task_set_attrs(struct zs_vm *vm, struct zs_task *t, const struct zs_task_attrs *a, int root)
{
	t->uid = a->has_uid ? a->uid : root ? 0 : 1000;
	t->cap_sys_admin = (a->caps & ZS_CAP_SYS_ADMIN) != 0;
	t->cap_sys_resource = (a->caps & ZS_CAP_SYS_RESOURCE) != 0;
	t->cap_sys_rawio = (a->caps & ZS_CAP_SYS_RAWIO) != 0;
	t->oom_adj = a->oom_adj;
	if (a->mlock)
		t->flags |= ZS_TASK_MLOCKALL;
	t->cpu_ns += a->cpu_ns; /* a 2.4 model may have charged system time already */
	t->start_ns = zs_now(vm->engine) - a->age_ns;
	/* total_vm keeps what the task already owns (an implicit start) plus the declaration */
	t->total_vm += a->extra_vm - t->extra_vm;
	t->extra_vm = a->extra_vm;
	t->mempolicy = a->mpol_mode;
	t->mpol_nodes = a->mpol_nodes;
	/* KERNEL: 2.6.18 mm/mempolicy.c do_set_mempolicy(): il_next = first_node(v.nodes) */
	if (a->mpol_mode == ZS_MPOL_INTERLEAVE && a->mpol_nodes)
		t->il_next = __builtin_ctzll(a->mpol_nodes);
}
