/*
 * test_replay.c - a tiny hand-written trace replayed on 2.4.0 and 2.6.32 with
 * known pfn results: the simulator picks its own pages, in each kernel's
 * discipline, and frees them when the trace frees the recorded pfn.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/support.h"

/*
 * One 16 MiB DMA zone (4096 pages).  At boot 2.4.0 holds eight order-9 blocks and
 * 2.6 four order-10 blocks; the head of the top list is the last block freed,
 * i.e. the highest one (free_all_bootmem frees in ascending order).
 */
static const char machine[] = "machine:\n"
			      "  cpus: 1\n"
			      "  nodes:\n"
			      "    - zones:\n"
			      "        - {type: DMA, size: 16MiB}\n"
			      "duration: auto\n";

/* Recorded pfns are arbitrary identities: 0x100 and 0x200 get whatever the simulator gives. */
static const char trace[] =
	"hog  77 [000]  10.000000: kmem:mm_page_alloc: page=0x100 pfn=0x100 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"hog  77 [000]  10.000010: kmem:mm_page_alloc: page=0x200 pfn=0x200 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"hog  77 [000]  10.000020: kmem:mm_page_alloc: page=0x300 pfn=0x300 order=1 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"hog  77 [000]  10.000030: kmem:mm_page_free: page=0x100 pfn=0x100 order=0\n"
	"hog  77 [000]  10.000040: kmem:mm_page_free_batched: page=0x100 pfn=0x100 order=0\n"
	"hog  77 [000]  10.000050: kmem:mm_page_free: page=0x999 pfn=0x999 order=0\n"
	"hog  77 [000]  10.000060: kmem:mm_page_alloc: page=0x400 pfn=0x400 order=2 migratetype=0 gfp_flags=GFP_KERNEL\n"
	"hog  77 [000]  10.000070: kmem:mm_page_alloc: page=0x500 pfn=0x500 order=10 migratetype=0 gfp_flags=GFP_KERNEL\n";

struct row {
	char op[16];
	int order;
	long pfn;
};

/* Replay on kernel v; fill rows from events.csv (alloc/free/refused rows only). */
static int
replay(const char *v, struct row *rows, int max)
{
	char dir[] = "/tmp/zsim-replay.XXXXXX", path[128], args[512], err[1024];
	int n = 0;

	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/m.yaml", dir);
	FILE *f = fopen(path, "w");
	cr_assert(f);
	fputs(machine, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/t.txt", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs(trace, f);
	fclose(f);
	snprintf(args, sizeof(args), "replay %s/t.txt %s/m.yaml --kernel %s -q --events --out %s/r",
		 dir, dir, v, dir);
	cr_assert_eq(zt_zsim(args, err, sizeof(err)), 0, "%s", err);
	snprintf(path, sizeof(path), "%s/r/events.csv", dir);
	char *text = zt_read_file(path, NULL);
	cr_assert(text);
	/* time_ns,op,pid,comm,cpu,gfp,order,node,zone,pfn,path */
	for (char *line = strtok(text, "\n"); line && n < max; line = strtok(NULL, "\n")) {
		char *col[11];
		int k = 0;

		for (char *p = line; k < 11; k++) {
			col[k] = p;
			p = strchr(p, ',');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (k < 9 || !strcmp(col[1], "op"))
			continue;
		snprintf(rows[n].op, sizeof(rows[n].op), "%s", col[1]);
		rows[n].order = atoi(col[6]);
		rows[n].pfn = col[9][0] ? atol(col[9]) : -1;
		n++;
	}
	free(text);
	snprintf(args, sizeof(args), "rm -rf %s", dir);
	cr_assert_eq(system(args), 0);
	return n;
}

Test(replay, pfns_follow_the_24_discipline)
{
	struct row r[16];
	int n = replay("2.4", r, 16);

	/* 2.4.0 expand(): the upper half is handed out, so pages come from the top down */
	cr_assert_geq(n, 6);
	cr_assert_str_eq(r[0].op, "alloc");
	cr_assert_eq(r[0].pfn, 4095);
	cr_assert_eq(r[1].pfn, 4094);
	cr_assert_eq(r[2].pfn, 4092); /* order 1: the pair below */
	cr_assert_str_eq(r[3].op, "free");
	cr_assert_eq(r[3].pfn, 4095); /* the trace freed 0x100: the simulator frees its page */
	/* the duplicate batched free and the unmatched free of 0x999 free nothing */
	cr_assert_str_eq(r[4].op, "alloc");
	cr_assert_eq(r[4].order, 2);
	cr_assert_eq(r[4].pfn, 4088);
	cr_assert_str_eq(r[5].op, "refused"); /* order 10 >= 2.4.0's MAX_ORDER */
	cr_assert_eq(n, 6);
}

Test(replay, pfns_follow_the_26_discipline)
{
	struct row r[16];
	int n = replay("2.6.32", r, 16);

	/* 2.6 expand(): the lower half is handed out, so pages come from the block's start */
	cr_assert_geq(n, 6);
	cr_assert_eq(r[0].pfn, 3072);
	cr_assert_eq(r[1].pfn, 3073);
	cr_assert_eq(r[2].pfn, 3074);
	cr_assert_str_eq(r[3].op, "free");
	cr_assert_eq(r[3].pfn, 3072);
	cr_assert_eq(r[4].order, 2);
	cr_assert_eq(r[4].pfn, 3076);
	cr_assert_str_eq(r[5].op, "alloc"); /* order 10 < 2.6's MAX_ORDER 11 */
	cr_assert_eq(r[5].order, 10);
	cr_assert_eq(n, 6);
}
