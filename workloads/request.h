/*
 * request.h - the one request type every workload source produces.
 *
 * Generators and trace readers describe load only through these requests; the
 * kernel models decide what each means for their lists.  A page is named by a
 * handle the source chooses (unique within the source while the page lives);
 * the simulator binds it to a page frame of its own.
 *
 * Invariant: requests of one source come in non-decreasing time order.
 */
#ifndef ZS_REQUEST_H
#define ZS_REQUEST_H

#include <stdint.h>

#include "alloc/page.h" /* enum zs_page_kind */
#include "alloc/task.h" /* struct zs_task_attrs */

enum zs_req_type {
	ZS_REQ_ALLOC = 0,   /* allocate a block of `order` for `handle` */
	ZS_REQ_FREE,        /* free the block bound to `handle` */
	ZS_REQ_TOUCH,       /* reference `handle` (faults it back in when swapped/evicted) */
	ZS_REQ_DIRTY,       /* write `handle` (touch + dirty) */
	ZS_REQ_TASK_START,  /* a task begins; comm/nice/uid below */
	ZS_REQ_TASK_EXIT,   /* a task ends: every page it still owns is freed */
	ZS_REQ_NR_TYPES
};

/* zs_request.map: how a file page is reached. */
enum {
	ZS_REQ_MAP_FILE = 1u << 0, /* through a MAP_SHARED mapping: faulted, PTE-young, unmapped */
	ZS_REQ_MAP_EXEC = 1u << 1  /* ... of a VM_EXEC vma (an executable's text) */
};

struct zs_request {
	int64_t time;          /* when it is issued, ns since the start */
	enum zs_req_type type;
	uint32_t task;         /* the source's number for the task */
	uint16_t cpu;          /* simulated CPU (taken modulo the machine's CPUs) */
	uint8_t order;
	uint8_t kind;          /* enum zs_page_kind */
	uint32_t gfp;          /* in the simulated kernel's own numbering */
	uint64_t handle;       /* the page's identity within the source (< 2^48) */
	/* ALLOC/TOUCH/DIRTY/FREE of file pages: the access goes through an mmap of the file
	 * (ZS_REQ_MAP_*); 0 = read()/write() syscalls */
	uint8_t map;
	/* TASK_START only */
	int8_t nice;
	uint8_t root;          /* runs as uid 0 */
	uint8_t kthread;       /* a kernel context (PF_KTHREAD): never an OOM victim */
	char comm[16];
	/* TASK_START only, and read for nothing else: a source may leave it as it was in
	 * other requests (the trace source clears only the fields before it) */
	struct zs_task_attrs attrs; /* uid, caps, oom_adj, cpu time, age, extra_vm, parent */
};

/* "alloc", "free", "touch", "dirty", "task_start", "task_exit". */
const char *zs_req_type_name(enum zs_req_type t);

#endif
