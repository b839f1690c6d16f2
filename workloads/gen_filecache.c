/*
 * gen_filecache.c - the `filecache` generator: a task reading and writing
 * files through the page cache.
 *
 * One task (TASK_START at time 0) issues page accesses at `io_rate` (Poisson)
 * over `files` files whose sizes are given or drawn.  Where the next access
 * falls is the re-reference pattern:
 *   sequential  one pass over the files in order, then the reader idles
 *   loop        sequential passes forever (a loop larger than memory defeats LRU)
 *   stream      sequential over an endless series of new files, each read once
 *   random      a uniformly random page of the whole file set
 *   hotset      `hot_fraction` of accesses to the first `hot_size` pages of the
 *               file set, the rest uniformly over all of it
 * An access to a page the reader never brought in allocates it (ALLOC kind file,
 * or file_dirty for a write); an access to one it did is a TOUCH (or DIRTY): if
 * reclaim evicted it meanwhile, the driver faults it back in from disk.
 * `access` is how the pages are reached: `read` (read()/write() syscalls, the
 * default) or `mmap` (one shared mapping of every file: the first access of a
 * page faults it in, later ones set its PTE young, a write dirties it through
 * the mapping; `exec: true` makes it a VM_EXEC mapping, an executable's text,
 * which is never written).  The requests carry it (request.h ZS_REQ_MAP_*).
 * Files are deleted (a FREE of every page they have) `delete_after` their first
 * page was read, and all of them at the source's end with `delete_at_end`; a
 * deleted file starts empty again when the pattern reaches it.
 *
 * Closed loop (source.h): the reader has one request in flight; when done()
 * says it completed, the next access moves later by the delay (a read from
 * disk, reclaim, the run queue), so a reader that misses reads less often.
 * Deletions keep their wall-clock deadlines and are issued once it is free.
 *
 * DEVIATION: no readahead and no buffer heads; each page is read when accessed.
 *
 * Handles: (file << 24) | page index (files < 2^16, 2^24 pages = 64 GiB each).
 * Invariant: bit p of files[f].map is set iff the generator issued the ALLOC of
 * (f, p) and neither a FREE of it nor a failure report came since; nr_cached
 * counts the set bits.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sim/cfg.h"
#include "sim/diag.h"
#include "sim/rng.h"
#include "workloads/dist.h"
#include "workloads/gen_node.h"
#include "workloads/gen_task.h"
#include "workloads/gen_util.h"
#include "workloads/source.h"

#define FC_PAGE_BITS 24
#define FC_MAX_PAGES (1ull << FC_PAGE_BITS)
#define FC_MAX_FILES (1u << (ZS_GEN_HANDLE_BITS - FC_PAGE_BITS))
#define NO_FILE UINT32_MAX

enum fc_pattern { PAT_SEQUENTIAL, PAT_LOOP, PAT_STREAM, PAT_RANDOM, PAT_HOTSET };
static const char *const pattern_names[] = {"sequential", "loop", "stream", "random", "hotset",
					    NULL};

struct cfile {
	uint64_t pages;
	uint64_t *map;      /* a bit per page the reader brought in; NULL until the first */
	uint64_t nr_cached;
	int64_t created;    /* time of its first page; -1 while it has none */
	uint32_t gen;       /* bumped at each deletion: stale deletion deadlines */
};

struct fcache {
	/* parameters */
	enum fc_pattern pattern;
	struct zs_dist file_size;
	double io_rate, write_fraction, hot_fraction;
	uint64_t hot_pages;
	int64_t delete_after; /* ZS_GEN_NEVER when files are never deleted on a schedule */
	int delete_at_end;
	uint32_t gfp;
	uint8_t map;          /* ZS_REQ_MAP_* of every file request; 0 for read() */
	char comm[16];
	int cpu, nice, root;
	struct zs_task_attrs attrs;

	/* state */
	struct zs_rng *rng;
	struct cfile *files;
	uint32_t nr_files, cap_files;
	uint64_t *cum;        /* cum[i] = pages of files [0, i]; random/hotset only */
	uint64_t total_pages;
	uint32_t cur_file;    /* sequential cursor */
	uint64_t cur_page;
	int64_t end, next_io;
	int64_t floor;        /* when its last request completed: nothing is issued before */
	int busy;             /* a request is in flight */
	struct zs_evheap deadlines; /* (delete time, file, gen) */
	uint32_t del_file;    /* file being deleted, or NO_FILE */
	uint64_t del_word;    /* next map word to scan */
	int64_t del_time;
	int del_all;          /* deleting every file at the end */
	uint32_t del_all_next;
	int started, stopped;

	uint64_t reads, writes, misses, hits, files_deleted, pages_freed, alloc_failed;
};

static const char *const fc_keys[] = {"type",  "files",          "file_size",    "pattern",
				      "io_rate", "write_fraction", "hot_fraction", "hot_size",
				      "delete_after", "delete_at_end", "gfp",       "comm",
				      "cpu",   "nice",           "root",         "access",
				      "exec",  ZS_GEN_TASK_KEYS, ZS_GEN_NODE_KEYS, NULL};

/* Append a file of `pages` pages; -1 when out of memory or ids. */
static int
add_file(struct fcache *f, uint64_t pages)
{
	if (f->nr_files == FC_MAX_FILES)
		return -1;
	if (f->nr_files == f->cap_files) {
		uint32_t cap = f->cap_files ? f->cap_files * 2 : 8;
		struct cfile *nf = realloc(f->files, cap * sizeof(*nf));

		if (!nf)
			return -1;
		f->files = nf;
		f->cap_files = cap;
	}
	struct cfile *c = &f->files[f->nr_files++];

	memset(c, 0, sizeof(*c));
	c->pages = pages < 1 ? 1 : pages > FC_MAX_PAGES ? FC_MAX_PAGES : pages;
	c->created = -1;
	return 0;
}

static uint64_t
draw_size(struct fcache *f)
{
	return (uint64_t)zs_dist_draw_int(&f->file_size, f->rng, 1, (int64_t)FC_MAX_PAGES);
}

static int
read_files(struct fcache *f, struct zs_cfg *cfg, struct zs_error *err)
{
	struct zs_cfg *n = zs_cfg_get(cfg, "files");
	uint64_t count = 4;

	if (n && n->type == ZS_CFG_SEQ) {
		/* files: [64MiB, 1GiB, ...] - the sizes themselves */
		if (zs_cfg_get(cfg, "file_size"))
			return zs_cfg_error(zs_cfg_get(cfg, "file_size"), err,
					    "'file_size' cannot be used with a list of 'files'");
		if (n->n < 1 || (uint32_t)n->n > FC_MAX_FILES)
			return zs_cfg_error(n, err, "'files' needs 1 to %u sizes", FC_MAX_FILES);
		for (int i = 0; i < n->n; i++) {
			uint64_t pages = 0;

			if (zs_cfg_node_pages(n->vals[i], &pages, err))
				return -1;
			if (pages < 1 || pages > FC_MAX_PAGES)
				return zs_cfg_error(n->vals[i], err,
						    "a file size must be 1 page to 64GiB");
			if (add_file(f, pages))
				return zs_error_set(err, EX_OSERR, "out of memory");
		}
		return 0;
	}
	if (zs_cfg_uint(cfg, "files", 1, FC_MAX_FILES, &count, err) ||
	    zs_dist_get(cfg, "file_size", ZS_UNIT_PAGES, &f->file_size, err))
		return -1;
	for (uint64_t i = 0; i < count; i++)
		if (add_file(f, draw_size(f)))
			return zs_error_set(err, EX_OSERR, "out of memory");
	return 0;
}

static int
read_pattern(struct fcache *f, struct zs_cfg *cfg, struct zs_error *err)
{
	const char *p = NULL;

	if (zs_cfg_string(cfg, "pattern", &p, err))
		return -1;
	if (!p)
		return 0;
	for (int i = 0; pattern_names[i]; i++)
		if (!strcmp(p, pattern_names[i])) {
			f->pattern = (enum fc_pattern)i;
			return 0;
		}
	return zs_cfg_error(zs_cfg_get(cfg, "pattern"), err,
			    "unknown pattern '%s' (sequential, loop, stream, random or hotset)", p);
}

static int
read_access(struct fcache *f, struct zs_cfg *cfg, struct zs_error *err)
{
	int exec = 0;

	if (zs_gen_access(cfg, &f->map, err) || zs_cfg_bool(cfg, "exec", &exec, err))
		return -1;
	if (!exec)
		return 0;
	if (!f->map)
		return zs_cfg_error(zs_cfg_get(cfg, "exec"), err,
				    "'exec: true' needs 'access: mmap' (an executable is mapped)");
	if (f->write_fraction > 0)
		return zs_cfg_error(zs_cfg_get(cfg, "exec"), err,
				    "an executable mapping is not written: 'write_fraction' must be 0");
	f->map |= ZS_REQ_MAP_EXEC;
	return 0;
}

static int
filecache_create(struct zs_source *s, struct zs_cfg *cfg, const struct zs_source_env *env,
		 struct zs_error *err)
{
	struct fcache *f = calloc(1, sizeof(*f));
	int64_t v;

	if (!f)
		return zs_error_set(err, EX_OSERR, "out of memory");
	s->priv = f;
	f->rng = env->rng;
	f->pattern = PAT_LOOP;
	f->file_size = zs_dist_const(ZS_UNIT_PAGES, 4096); /* 16 MiB */
	f->io_rate = 25600;                                /* 100 MiB/s */
	f->hot_fraction = 0.8;
	f->delete_after = ZS_GEN_NEVER;
	f->del_file = NO_FILE;
	snprintf(f->comm, sizeof(f->comm), "reader");

	if (zs_cfg_check_keys(cfg, fc_keys, err) || read_pattern(f, cfg, err) ||
	    read_files(f, cfg, err) || zs_gen_rate(cfg, "io_rate", &f->io_rate, err) ||
	    zs_cfg_double(cfg, "write_fraction", 0, 1, &f->write_fraction, err) ||
	    zs_cfg_double(cfg, "hot_fraction", 0, 1, &f->hot_fraction, err) ||
	    zs_cfg_duration(cfg, "delete_after", 0, INT64_MAX, &f->delete_after, err) ||
	    zs_cfg_bool(cfg, "delete_at_end", &f->delete_at_end, err) ||
	    read_access(f, cfg, err) ||
	    zs_gen_comm(cfg, "comm", f->comm, err) || zs_cfg_bool(cfg, "root", &f->root, err) ||
	    zs_gen_task_attrs(cfg, env, f->root, &f->attrs, err))
		return -1;
	/*
	 * KERNEL: 2.4.0 fs/inode.c clean_inode() sets mapping->gfp_mask to
	 * GFP_HIGHUSER and page_cache_alloc() uses it; 2.6.18 the same; 2.6.24+
	 * inode_init_always() makes it GFP_HIGHUSER_MOVABLE.
	 */
	if (zs_gen_gfp(cfg, "gfp", env->kver,
		       env->kver == ZS_KV_2632 ? "GFP_HIGHUSER_MOVABLE" : "GFP_HIGHUSER", &f->gfp, err))
		return -1;
	v = 0;
	if (zs_cfg_int(cfg, "cpu", 0, 65535, &v, err))
		return -1;
	f->cpu = (int)v;
	{
		/* node: without cpu: the reader runs on the node's first CPU */
		struct zs_gen_cpus cpus;

		if (zs_gen_node_cpus(cfg, env, zs_cfg_get(cfg, "cpu") ? f->cpu : -1, &cpus, err))
			return -1;
		if (!zs_cfg_get(cfg, "cpu"))
			f->cpu = cpus.first;
	}
	v = 0;
	if (zs_cfg_int(cfg, "nice", -20, 19, &v, err))
		return -1;
	f->nice = (int)v;

	for (uint32_t i = 0; i < f->nr_files; i++)
		f->total_pages += f->files[i].pages;
	f->hot_pages = f->total_pages / 10 ? f->total_pages / 10 : 1;
	if (zs_cfg_pages(cfg, "hot_size", 1, f->total_pages, &f->hot_pages, err))
		return -1;
	if (f->pattern == PAT_RANDOM || f->pattern == PAT_HOTSET) {
		f->cum = malloc(f->nr_files * sizeof(*f->cum));
		if (!f->cum)
			return zs_error_set(err, EX_OSERR, "out of memory");
		for (uint32_t i = 0; i < f->nr_files; i++)
			f->cum[i] = f->files[i].pages + (i ? f->cum[i - 1] : 0);
	}
	f->end = zs_gen_end(env->duration_ns);
	f->next_io = zs_gen_gap(f->rng, f->io_rate);
	return 0;
}

static void
filecache_destroy(struct zs_source *s)
{
	struct fcache *f = s->priv;

	if (!f)
		return;
	for (uint32_t i = 0; i < f->nr_files; i++)
		free(f->files[i].map);
	free(f->files);
	free(f->cum);
	zs_evheap_free(&f->deadlines);
	free(f);
	s->priv = NULL;
}

static void
fill(const struct fcache *f, struct zs_request *req, int64_t time, enum zs_req_type type)
{
	memset(req, 0, sizeof(*req));
	req->time = time < f->floor ? f->floor : time;
	req->type = type;
	req->task = 0;
	req->cpu = (uint16_t)f->cpu;
	req->kind = ZS_KIND_FILE_CLEAN;
	if (type != ZS_REQ_TASK_START)
		req->map = f->map;
}

/* The file holding global page g (random/hotset), and the page within it. */
static uint32_t
locate(const struct fcache *f, uint64_t g, uint64_t *page)
{
	uint32_t lo = 0, hi = f->nr_files - 1;

	while (lo < hi) { /* first file whose cum exceeds g */
		uint32_t mid = lo + (hi - lo) / 2;

		if (f->cum[mid] > g)
			hi = mid;
		else
			lo = mid + 1;
	}
	*page = g - (lo ? f->cum[lo - 1] : 0);
	return lo;
}

/* Where the access goes; 0, or -1 when the pattern is exhausted. */
static int
choose(struct fcache *f, uint32_t *file, uint64_t *page)
{
	switch (f->pattern) {
	case PAT_RANDOM:
		*file = locate(f, zs_rng_uniform_int(f->rng, f->total_pages), page);
		return 0;
	case PAT_HOTSET: {
		int hot = zs_rng_uniform(f->rng) < f->hot_fraction;
		uint64_t g = zs_rng_uniform_int(f->rng, hot ? f->hot_pages : f->total_pages);

		*file = locate(f, g, page);
		return 0;
	}
	default:
		break;
	}
	if (f->cur_file >= f->nr_files)
		return -1;
	*file = f->cur_file;
	*page = f->cur_page;
	if (++f->cur_page == f->files[f->cur_file].pages) {
		f->cur_page = 0;
		if (++f->cur_file == f->nr_files) {
			if (f->pattern == PAT_LOOP)
				f->cur_file = 0;
			else if (f->pattern == PAT_STREAM && add_file(f, draw_size(f)))
				f->cur_file = f->nr_files; /* out of file ids: the stream ends */
		}
	}
	return 0;
}

/* Next FREE of the file being deleted; 1 with req, 0 when the deletion is complete. */
static int
delete_step(struct fcache *f, struct zs_request *req)
{
	struct cfile *c = &f->files[f->del_file];
	uint64_t words = (c->pages + 63) / 64;

	for (; c->map && f->del_word < words; f->del_word++) {
		uint64_t w = c->map[f->del_word];

		if (!w)
			continue;
		unsigned bit = (unsigned)__builtin_ctzll(w);
		uint64_t page = f->del_word * 64 + bit;

		c->map[f->del_word] &= ~(1ull << bit);
		c->nr_cached--;
		fill(f, req, f->del_time, ZS_REQ_FREE);
		req->handle = ((uint64_t)f->del_file << FC_PAGE_BITS) | page;
		f->pages_freed++;
		return 1;
	}
	/* KERNEL: truncate_inode_pages() on unlink: the file's cache is gone */
	c->created = -1;
	c->gen++;
	f->files_deleted++;
	f->del_file = NO_FILE;
	return 0;
}

static void
start_delete(struct fcache *f, uint32_t file, int64_t when)
{
	f->del_file = file;
	f->del_word = 0;
	f->del_time = when;
}

static int filecache_step(struct fcache *f, struct zs_request *req);

static int
filecache_next(struct zs_source *s, struct zs_request *req, struct zs_error *err)
{
	struct fcache *f = s->priv;

	(void)err;
	if (f->busy || !filecache_step(f, req))
		return 0;
	f->busy = 1;
	return 1;
}

/* The reader's next request; 0 when it has none (it stopped). */
static int
filecache_step(struct fcache *f, struct zs_request *req)
{
	if (f->stopped)
		return 0;
	if (!f->started) {
		f->started = 1;
		fill(f, req, 0, ZS_REQ_TASK_START);
		req->nice = (int8_t)f->nice;
		req->root = (uint8_t)f->root;
		req->attrs = f->attrs;
		memcpy(req->comm, f->comm, sizeof(req->comm));
		return 1;
	}
	for (;;) {
		if (f->del_file != NO_FILE) {
			if (delete_step(f, req))
				return 1;
			continue;
		}
		if (f->del_all) {
			while (f->del_all_next < f->nr_files &&
			       !f->files[f->del_all_next].nr_cached)
				f->del_all_next++;
			if (f->del_all_next == f->nr_files) {
				f->stopped = 1;
				return 0;
			}
			start_delete(f, f->del_all_next++, f->end);
			continue;
		}
		const struct zs_evheap_ent *top = zs_evheap_top(&f->deadlines);
		int64_t td = top ? top->time : ZS_GEN_NEVER;
		int64_t now = f->next_io < td ? f->next_io : td;

		if (now >= f->end) {
			if (f->end != ZS_GEN_NEVER && f->delete_at_end) {
				f->del_all = 1;
				continue;
			}
			f->stopped = 1;
			return 0; /* the page cache outlives the reader */
		}
		if (td <= f->next_io) {
			struct zs_evheap_ent e = *top;

			zs_evheap_pop(&f->deadlines);
			if (f->files[e.id].gen == e.serial && f->files[e.id].created >= 0)
				start_delete(f, e.id, e.time);
			continue;
		}

		uint32_t file;
		uint64_t page;

		f->next_io = zs_gen_after(now, zs_gen_gap(f->rng, f->io_rate));
		if (choose(f, &file, &page)) {
			f->next_io = ZS_GEN_NEVER; /* one pass done: the reader idles */
			continue;
		}
		int write = f->write_fraction > 0 && zs_rng_uniform(f->rng) < f->write_fraction;
		struct cfile *c = &f->files[file];

		if (!c->map) {
			c->map = calloc((c->pages + 63) / 64, sizeof(uint64_t));
			if (!c->map)
				continue; /* out of memory: the access is skipped */
		}
		if (write)
			f->writes++;
		else
			f->reads++;
		if (c->map[page / 64] & (1ull << (page % 64))) {
			/* in the cache as far as the reader knows (the driver faults in an evicted page) */
			f->hits++;
			fill(f, req, now, write ? ZS_REQ_DIRTY : ZS_REQ_TOUCH);
			req->kind = write ? ZS_KIND_FILE_DIRTY : ZS_KIND_FILE_CLEAN;
		} else {
			/* KERNEL: do_generic_file_read() / generic_file_write(): page_cache_alloc + add
			 * (through a mapping: filemap_nopage / filemap_fault -> page_cache_read) */
			f->misses++;
			c->map[page / 64] |= 1ull << (page % 64);
			c->nr_cached++;
			if (c->created < 0) {
				c->created = now;
				if (f->delete_after != ZS_GEN_NEVER)
					zs_evheap_push(&f->deadlines, zs_gen_after(now, f->delete_after),
						       file, c->gen);
			}
			fill(f, req, now, ZS_REQ_ALLOC);
			req->kind = write ? ZS_KIND_FILE_DIRTY : ZS_KIND_FILE_CLEAN;
			req->gfp = f->gfp;
		}
		req->handle = ((uint64_t)file << FC_PAGE_BITS) | page;
		return 1;
	}
}

static void
filecache_feedback(struct zs_source *s, const struct zs_request *req, int ok)
{
	struct fcache *f = s->priv;

	if (ok)
		return;
	if (req->type == ZS_REQ_ALLOC) {
		uint64_t file = req->handle >> FC_PAGE_BITS;
		uint64_t page = req->handle & (FC_MAX_PAGES - 1);
		struct cfile *c;

		f->alloc_failed++;
		if (file >= f->nr_files)
			return;
		c = &f->files[file];
		if (c->map && page < c->pages && (c->map[page / 64] & (1ull << (page % 64)))) {
			c->map[page / 64] &= ~(1ull << (page % 64));
			c->nr_cached--;
		}
	} else if (req->type == ZS_REQ_TASK_EXIT) {
		f->stopped = 1; /* the reader was OOM-killed */
	}
}

static void
filecache_done(struct zs_source *s, const struct zs_request *req, int64_t when)
{
	struct fcache *f = s->priv;

	if (!f->busy)
		return;
	f->busy = 0;
	f->floor = when;
	if (f->next_io != ZS_GEN_NEVER)
		f->next_io = zs_gen_after(f->next_io, when - req->time);
}

/* Its one request at a time: no earlier than its last completion. */
static int64_t
filecache_horizon(struct zs_source *s)
{
	struct fcache *f = s->priv;

	return f->busy || f->stopped ? ZS_GEN_NEVER : f->floor;
}

static void
filecache_summary(struct zs_source *s, void (*emit)(void *cookie, const char *key, int64_t v),
		  void *cookie)
{
	struct fcache *f = s->priv;

	emit(cookie, "file_reads", (int64_t)f->reads);
	emit(cookie, "file_writes", (int64_t)f->writes);
	emit(cookie, "file_misses", (int64_t)f->misses);
	emit(cookie, "file_hits", (int64_t)f->hits);
	emit(cookie, "files", (int64_t)f->nr_files);
	emit(cookie, "files_deleted", (int64_t)f->files_deleted);
	emit(cookie, "file_pages_freed", (int64_t)f->pages_freed);
	emit(cookie, "file_alloc_failed", (int64_t)f->alloc_failed);
}

const struct zs_source_ops zs_source_filecache = {
	.type = "filecache",
	.create = filecache_create,
	.next = filecache_next,
	.feedback = filecache_feedback,
	.done = filecache_done,
	.horizon = filecache_horizon,
	.destroy = filecache_destroy,
	.summary = filecache_summary,
};
