/* test_trace_parse.c - the line tokenizer, format detection and modern gfp parsing on real lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "alloc/gfp.h"
#include "workloads/gfp_modern.h"
#include "workloads/trace.h"

static char why[ZS_TRACE_WHY_LEN];

static enum zs_tline_rc
parse(enum zs_trace_format fmt, const char *line, struct zs_trace_event *ev)
{
	memset(ev, 0x5a, sizeof(*ev)); /* garbage: the parser must set every field it owns */
	why[0] = '\0';
	return zs_trace_parse_line(fmt, line, strlen(line), ev, NULL, why);
}

static uint64_t
gfp(const char *s)
{
	uint64_t m;

	zs_gfp_modern_parse(s, strlen(s), &m, NULL);
	return m;
}

/* ---- perf script lines (copied from tests/fixtures/perf-*.txt.xz) ---- */

Test(trace_parse, perf_alloc_hex_pfn)
{
	struct zs_trace_event ev;
	const char *l = "       perf-exec  3882 [000]   207.090776:             kmem:mm_page_alloc: "
			"page=0x12275a pfn=0x12275a order=0 migratetype=1 "
			"gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP";

	cr_assert_eq(parse(ZS_TRACE_PERF, l, &ev), ZS_TLINE_EVENT, "%s", why);
	cr_assert_eq(ev.ev, ZS_TEV_ALLOC);
	cr_assert_str_eq(ev.comm, "perf-exec");
	cr_assert_eq(ev.pid, 3882);
	cr_assert_eq(ev.cpu, 0);
	cr_assert_eq(ev.time_ns, INT64_C(207090776000));
	cr_assert_eq(ev.pfn, 0x12275a);
	cr_assert_eq(ev.order, 0);
	cr_assert_eq(ev.migratetype, 1);
	cr_assert_eq(zs_gfp_modern_class(ev.gfp_modern), ZS_MGFP_CLASS_HIGHUSER_MOVABLE);
	cr_assert(ev.gfp_modern & ZS_MGFP(ZERO));
	cr_assert(ev.gfp_modern & ZS_MGFP(COMP));
	cr_assert(ev.gfp_modern & ZS_MGFP(MOVABLE));
	cr_assert_eq(ev.flags & ZS_TEVF_PAGE_NULL, 0);
}

Test(trace_parse, perf_event_kinds)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "       perf-exec  3882 [000]   207.091196:      kmem:mm_page_free_batched: "
			   "page=0x1226a3 pfn=0x1226a3 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_FREE_BATCHED);
	cr_assert_eq(ev.pfn, 0x1226a3);
	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "             hog  3882 [000]   208.721958:              kmem:mm_page_free: "
			   "page=0x109aa1 pfn=0x109aa1 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_FREE);
	cr_assert_str_eq(ev.comm, "hog");
	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "             hog  3882 [000]   207.321836: kmem:mm_page_alloc_zone_locked: "
			   "page=0x124874 pfn=0x124874 order=0 migratetype=1 percpu_refill=1",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_ZONE_LOCKED);
	cr_assert_eq(ev.migratetype, 1);
	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "             hog  3882 [000]   208.174092:        kmem:mm_page_pcpu_drain: "
			   "page=0x124874 pfn=0x124874 order=0 migratetype=1",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_PCPU_DRAIN);
	cr_assert_eq(ev.time_ns, INT64_C(208174092000));
}

Test(trace_parse, perf_order8_folio)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "              dd  4296 [000]   232.576614:        kmem:mm_page_alloc: "
			   "page=0x149200 pfn=0x149200 order=8 migratetype=1 "
			   "gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_WRITE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.order, 8);
	cr_assert_eq(ev.pfn, 0x149200);
	cr_assert_eq(zs_gfp_modern_page_kind(ev.gfp_modern), ZS_KIND_FILE_DIRTY);
}

/* ecosystem.md a.3: perf with a decimal pfn and page= equal to it in hex. */
Test(trace_parse, perf_decimal_pfn)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "perf  6429 [000]    22.498450:             kmem:mm_page_alloc: page=0x176a17 "
			   "pfn=1534487 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_eq(ev.pfn, 1534487);
	cr_assert_eq(ev.pfn, 0x176a17);
	cr_assert_eq(ev.time_ns, INT64_C(22498450000));
	cr_assert_eq(zs_gfp_modern_class(ev.gfp_modern), ZS_MGFP_CLASS_KERNEL);
}

/* ecosystem.md a.3: perf layout with a bare event name (no "sys:"). */
Test(trace_parse, perf_bare_event_name)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "kswapd0    47 [000] 59599.956573: mm_vmscan_kswapd_wake: nid=0 order=0", &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_OTHER);
	cr_assert_str_eq(ev.comm, "kswapd0");
	cr_assert_eq(ev.pid, 47);
	cr_assert_eq(ev.time_ns, INT64_C(59599956573000));
}

Test(trace_parse, perf_comm_with_spaces_and_pid_tid)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "  Jit thread pool  4435 [003] 11640.869472: kmem:mm_page_free: "
			   "page=0x182190 pfn=0x182190 order=2",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_str_eq(ev.comm, "Jit thread pool");
	cr_assert_eq(ev.pid, 4435);
	cr_assert_eq(ev.cpu, 3);
	cr_assert_eq(ev.order, 2);
	/* perf script -F comm,pid,tid prints PID/TID: the tid is kept */
	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "  Web Content 4400/4435 [001] 11640.869472: kmem:mm_page_free: "
			   "page=0x182190 pfn=0x182190 order=0",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_str_eq(ev.comm, "Web Content");
	cr_assert_eq(ev.pid, 4435);
}

/* perf script --ns and trace-cmd report -t print 9 fraction digits. */
Test(trace_parse, nine_digit_timestamp)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "             hog  3882 [000]   207.328669123:   kmem:mm_page_free: "
			   "page=0x124874 pfn=0x124874 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.time_ns, INT64_C(207328669123));
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "            bash-7649    [000] .....   292.786593001: mm_page_free: "
			   "page=000000004ed21327 pfn=0x12cb55 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.time_ns, INT64_C(292786593001));
}

/* ---- ftrace lines (tests/fixtures/ftrace-anon-hog-8m.txt.xz) ---- */

Test(trace_parse, ftrace_alloc_with_flags_column)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "            bash-7649    [000] .....   292.786593: mm_page_alloc: "
			   "page=000000004ed21327 pfn=0x12cb55 order=0 migratetype=0 "
			   "gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_eq(ev.ev, ZS_TEV_ALLOC);
	cr_assert_str_eq(ev.comm, "bash");
	cr_assert_eq(ev.pid, 7649);
	cr_assert_eq(ev.pfn, 0x12cb55);
	cr_assert_eq(ev.migratetype, 0);
	cr_assert_eq(ev.time_ns, INT64_C(292786593000));
	cr_assert_eq(zs_gfp_modern_class(ev.gfp_modern), ZS_MGFP_CLASS_KERNEL_ACCOUNT);
	cr_assert_eq(zs_gfp_modern_page_kind(ev.gfp_modern), ZS_KIND_KERNEL);
}

Test(trace_parse, ftrace_comm_with_colon_and_dash)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   " memfd:sealed-91-1534    [000] ...1.   292.815673: mm_page_free: "
			   "page=0000000072213493 pfn=0x10aa3c order=0",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_str_eq(ev.comm, "memfd:sealed-91");
	cr_assert_eq(ev.pid, 1534);
	cr_assert_eq(ev.ev, ZS_TEV_FREE);
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "          <idle>-0       [001] ..s1.   292.805752: mm_page_free: "
			   "page=00000000ca173ba2 pfn=0x102aa3 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_str_eq(ev.comm, "<idle>");
	cr_assert_eq(ev.pid, 0);
	cr_assert_eq(ev.cpu, 1);
}

/* ---- ecosystem.md a.3 ftrace lines ---- */

Test(trace_parse, ftrace_kworker_order2)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "kworker/10:1-440     [010] .....   355.369905: mm_page_free: "
			   "page=00000000dc8c03bd pfn=0x182190 order=2",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_str_eq(ev.comm, "kworker/10:1");
	cr_assert_eq(ev.pid, 440);
	cr_assert_eq(ev.cpu, 10);
	cr_assert_eq(ev.pfn, 0x182190);
	cr_assert_eq(ev.order, 2);
}

Test(trace_parse, ftrace_unknown_comm_decimal_pfn)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "<...>-3094982 [004] ...1 77212.233931: mm_page_free: "
			   "page=0000000061b2fc33 pfn=1844202 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_str_eq(ev.comm, "");
	cr_assert_eq(ev.pid, 3094982);
	cr_assert_eq(ev.cpu, 4);
	cr_assert_eq(ev.pfn, 1844202);
	cr_assert_eq(ev.time_ns, INT64_C(77212233931000));
}

Test(trace_parse, ftrace_no_flags_column)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "<idle>-0     [002] 236009.284803: mm_vmscan_wakeup_kswapd: nid=0 zid=2 order=8",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_OTHER);
	cr_assert_eq(ev.cpu, 2);
	cr_assert_eq(ev.time_ns, INT64_C(236009284803000));
}

Test(trace_parse, ftrace_spaces_in_comm_and_need_resched_flags)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "Jit thread pool-4435    [003] ..... 11640.869472: "
			   "mm_vmscan_direct_reclaim_begin: order=0 "
			   "gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO|__GFP_CMA",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_str_eq(ev.comm, "Jit thread pool");
	cr_assert_eq(ev.pid, 4435);
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "Jit thread pool-4435    [003] .N... 11640.870354: "
			   "mm_vmscan_direct_reclaim_end: nr_reclaimed=54",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.time_ns, INT64_C(11640870354000));
}

Test(trace_parse, ftrace_tgid_column)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "surfaceflinger-1155  ( 1155) [001] ...1 12839.528756: "
			   "mm_vmscan_direct_reclaim_begin: order=0 may_writepage=1 "
			   "gfp_flags=GFP_KERNEL|GFP_NOWARN|GFP_ZERO|0x2",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_str_eq(ev.comm, "surfaceflinger");
	cr_assert_eq(ev.pid, 1155);
	cr_assert_eq(ev.cpu, 1);
	cr_assert_eq(ev.time_ns, INT64_C(12839528756000));
	/* a tgid the tracer did not know */
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "  kworker/u8:0-12   (-------) [000] ..... 292.850397: mm_page_free: "
			   "page=00000000eb33e70b pfn=0x1048e3 order=0",
			   &ev),
		     ZS_TLINE_EVENT, "%s", why);
	cr_assert_str_eq(ev.comm, "kworker/u8:0");
	cr_assert_eq(ev.pid, 12);
}

/* 2.6.32-era names in the 2.6.32 TP_printk layout (decimal pfn, cold=). */
Test(trace_parse, old_event_names)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "imap-20599 [002] 1287672.803567: mm_page_free_direct: "
			   "page=ffffea0000a1b2c0 pfn=662200 order=0",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_FREE);
	cr_assert_eq(ev.pfn, 662200);
	cr_assert_str_eq(ev.comm, "imap");
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "imap-20599 [002] 1287672.803570: mm_pagevec_free: "
			   "page=ffffea0000a1b300 pfn=662201 order=0 cold=1",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_FREE_BATCHED);
	cr_assert_eq(ev.pfn, 662201);
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "imap-20599 [002] 1287672.803567: mm_page_alloc: page=ffffea0000a1b2c0 "
			   "pfn=662200 order=0 migratetype=2 gfp_flags=GFP_HIGHUSER_MOVABLE",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.ev, ZS_TEV_ALLOC);
	cr_assert_eq(ev.migratetype, 2);
}

Test(trace_parse, fields_in_any_order)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "bash-1 [000] 1.000001: mm_page_alloc: gfp_flags=GFP_ATOMIC order=3 "
			   "migratetype=0 pfn=0x1000 page=0000000012345678",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert_eq(ev.order, 3);
	cr_assert_eq(ev.pfn, 0x1000);
	cr_assert_eq(zs_gfp_modern_class(ev.gfp_modern), ZS_MGFP_CLASS_ATOMIC);
}

Test(trace_parse, failed_allocation_has_null_page)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF,
			   "perf  6429 [000]    22.498450:  kmem:mm_page_alloc: page=(nil) pfn=0x0 "
			   "order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert(ev.flags & ZS_TEVF_PAGE_NULL);
	cr_assert_eq(ev.pfn, 0);
	cr_assert_eq(parse(ZS_TRACE_FTRACE,
			   "bash-1 [000] 1.000001: mm_page_alloc: page=0000000000000000 pfn=0 order=0 "
			   "migratetype=0 gfp_flags=GFP_KERNEL",
			   &ev),
		     ZS_TLINE_EVENT);
	cr_assert(ev.flags & ZS_TEVF_PAGE_NULL);
}

Test(trace_parse, comments_and_headers_skip)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_FTRACE, "# tracer: nop", &ev), ZS_TLINE_SKIP);
	cr_assert_eq(parse(ZS_TRACE_FTRACE, "#           TASK-PID     CPU#  |||||  TIMESTAMP", &ev),
		     ZS_TLINE_SKIP);
	cr_assert_eq(parse(ZS_TRACE_FTRACE, "   ", &ev), ZS_TLINE_SKIP);
	cr_assert_eq(parse(ZS_TRACE_FTRACE, "cpus=2", &ev), ZS_TLINE_SKIP);
	cr_assert_eq(parse(ZS_TRACE_FTRACE, "CPU:1 [LOST 123 EVENTS]", &ev), ZS_TLINE_LOST);
	cr_assert_eq(ev.pfn, 123);
}

/* ---- malformed lines ---- */

Test(trace_parse, malformed_lines_say_why)
{
	struct zs_trace_event ev;

	cr_assert_eq(parse(ZS_TRACE_PERF, "hog 3882 000 207.1: kmem:mm_page_free: pfn=0x1 order=0",
			   &ev),
		     ZS_TLINE_BAD);
	cr_assert(strstr(why, "[CPU]"), "%s", why);
	cr_assert_eq(parse(ZS_TRACE_PERF, "hog 3882 [000] 207: kmem:mm_page_free: pfn=0x1 order=0",
			   &ev),
		     ZS_TLINE_BAD);
	cr_assert(strstr(why, "timestamp"), "%s", why);
	cr_assert_eq(parse(ZS_TRACE_PERF, "hog 3882 [000] 207.1: kmem:mm_page_free: page=0x1 order=0",
			   &ev),
		     ZS_TLINE_BAD);
	cr_assert(strstr(why, "pfn"), "%s", why);
	cr_assert_eq(parse(ZS_TRACE_PERF, "hog 3882 [000] 207.1: kmem:mm_page_free: pfn=0x1 order=16",
			   &ev),
		     ZS_TLINE_BAD);
	cr_assert(strstr(why, "order 16"), "%s", why);
	cr_assert_eq(parse(ZS_TRACE_PERF, "hog 3882 [000] 207.1: kmem:mm_page_free: pfn=0xZZ order=0",
			   &ev),
		     ZS_TLINE_BAD);
	cr_assert(strstr(why, "pfn"), "%s", why);
	cr_assert_eq(parse(ZS_TRACE_FTRACE, "nodash [000] 207.1: mm_page_free: pfn=1 order=0", &ev),
		     ZS_TLINE_BAD);
	cr_assert(strstr(why, "TASK-PID"), "%s", why);
	/* orders up to 15 are the trace's business; the simulator refuses >= MAX_ORDER */
	cr_assert_eq(parse(ZS_TRACE_PERF, "hog 3882 [000] 207.1: kmem:mm_page_free: pfn=0x1 order=15",
			   &ev),
		     ZS_TLINE_EVENT);
}

/* ---- detection ---- */

Test(trace_parse, detect_formats)
{
	const char *perf = "            perf  3881 [001]   207.090643:             kmem:mm_page_alloc: "
			   "page=0x10a8b5 pfn=0x10a8b5 order=0 migratetype=0 gfp_flags=GFP_HIGHUSER\n"
			   "       perf-exec  3882 [000]   207.091193:              kmem:mm_page_free: "
			   "page=0x1226a3 pfn=0x1226a3 order=0\n";
	const char *ft = "            bash-7649    [000] .....   292.786593: mm_page_alloc: "
			 "page=000000004ed21327 pfn=0x12cb55 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
			 " memfd:sealed-91-1534    [000] ...1.   292.815673: mm_page_free: "
			 "page=0000000072213493 pfn=0x10aa3c order=0\n";

	cr_assert_gt(zs_trace_perf_probe(perf, strlen(perf)), zs_trace_ftrace_probe(perf, strlen(perf)));
	cr_assert_gt(zs_trace_ftrace_probe(ft, strlen(ft)), zs_trace_perf_probe(ft, strlen(ft)));
	cr_assert_eq(zs_trace_ftrace_probe("# tracer: nop\n#\n", 16), 100);
	cr_assert_eq(zs_trace_perf_probe("hello world\n", 12), 0);
	cr_assert_eq(zs_trace_ftrace_probe("hello world\n", 12), 0);
}

/* ---- modern gfp names ---- */

Test(trace_parse, gfp_composites_and_singles)
{
	uint64_t m = gfp("GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");

	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_HIGHUSER_MOVABLE);
	cr_assert_eq(m & ZS_MGFP_FLAGS_MASK,
		     ZS_MGFP(DIRECT_RECLAIM) | ZS_MGFP(KSWAPD_RECLAIM) | ZS_MGFP(IO) | ZS_MGFP(FS) |
			     ZS_MGFP(HARDWALL) | ZS_MGFP(HIGHMEM) | ZS_MGFP(MOVABLE) |
			     ZS_MGFP(ZERO) | ZS_MGFP(COMP));
	cr_assert_eq(m & ZS_MGFP_UNKNOWN, 0);

	m = gfp("GFP_NOFS|__GFP_RECLAIMABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP");
	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_NOFS);
	cr_assert(m & ZS_MGFP(RECLAIMABLE));
	cr_assert_eq(m & ZS_MGFP(FS), 0);

	m = gfp("none");
	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_NONE);
	cr_assert_eq(m & ZS_MGFP_FLAGS_MASK, 0);

	m = gfp("__GFP_RECLAIMABLE");
	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_OTHER);
	cr_assert_eq(m & ZS_MGFP_FLAGS_MASK, ZS_MGFP(RECLAIMABLE));

	/* __GFP_ATOMIC is a single flag, GFP_ATOMIC the composite */
	cr_assert_eq(gfp("__GFP_ATOMIC") & ZS_MGFP_FLAGS_MASK, ZS_MGFP(ATOMIC));
	cr_assert_eq(gfp("GFP_ATOMIC") & ZS_MGFP_FLAGS_MASK, ZS_MGFP(HIGH) | ZS_MGFP(KSWAPD_RECLAIM));
}

Test(trace_parse, gfp_2632_spellings_and_hex_remainder)
{
	uint64_t m, hex = 0;
	unsigned unknown;

	/* 2.6.32 prints single flags without the underscores */
	m = gfp("GFP_KERNEL|GFP_ZERO|GFP_NOWARN");
	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_KERNEL);
	cr_assert(m & ZS_MGFP(ZERO));
	cr_assert(m & ZS_MGFP(NOWARN));
	cr_assert_eq(m & ZS_MGFP_UNKNOWN, 0);

	unknown = zs_gfp_modern_parse("GFP_KERNEL|GFP_NOWARN|GFP_ZERO|0x2", 34, &m, &hex);
	cr_assert_eq(unknown, 1);
	cr_assert_eq(hex, 2);
	cr_assert(m & ZS_MGFP_UNKNOWN);
	/* the hex is never decoded by bit position (0x2 is HIGHMEM on recent mainline) */
	cr_assert_eq(m & ZS_MGFP(HIGHMEM), 0);

	unknown = zs_gfp_modern_parse("GFP_KERNEL|__GFP_NOSUCH", 23, &m, NULL);
	cr_assert_eq(unknown, 1);
	cr_assert(m & ZS_MGFP_UNKNOWN);
	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_KERNEL);

	/* old __GFP_WAIT means both reclaim bits */
	m = gfp("GFP_WAIT|GFP_IO");
	cr_assert_eq(zs_gfp_modern_class(m), ZS_MGFP_CLASS_OTHER);
	cr_assert_eq(m & ZS_MGFP_FLAGS_MASK,
		     ZS_MGFP(DIRECT_RECLAIM) | ZS_MGFP(KSWAPD_RECLAIM) | ZS_MGFP(IO));
}

Test(trace_parse, gfp_format_round_trip)
{
	static const char *const texts[] = {
		"GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP",
		"GFP_NOFS|__GFP_RECLAIMABLE|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
		"GFP_NOWAIT",
		"none",
		"GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP",
		"GFP_TRANSHUGE",
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		uint64_t m = gfp(texts[i]);

		zs_gfp_modern_format(m, buf, sizeof(buf));
		cr_assert_eq(gfp(buf), m, "%s -> %s", texts[i], buf);
	}
	zs_gfp_modern_format(gfp("GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP"), buf, sizeof(buf));
	cr_assert_str_eq(buf, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");
}

Test(trace_parse, gfp_to_2632)
{
	unsigned hints;

	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_HIGHUSER_MOVABLE"), NULL),
		     GFP26_HIGHUSER_MOVABLE);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_KERNEL"), NULL), GFP26_KERNEL);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_KERNEL_ACCOUNT"), NULL),
		     GFP26_KERNEL);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_NOFS"), NULL), GFP26_NOFS);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_NOIO"), NULL), GFP26_NOIO);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_ATOMIC"), NULL), GFP26_ATOMIC);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_NOWAIT"), NULL), GFP26_NOWAIT);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("none"), NULL), 0);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_NOWAIT|__GFP_NOWARN"), NULL),
		     GFP26_NOWARN);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632,
					     gfp("GFP_NOFS|__GFP_RECLAIMABLE|__GFP_NOWARN|"
						 "__GFP_RETRY_MAYFAIL|__GFP_COMP|__GFP_WRITE"),
					     NULL),
		     GFP26_NOFS | GFP26_RECLAIMABLE | GFP26_NOWARN | GFP26_REPEAT | GFP26_COMP);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_KERNEL|__GFP_MEMALLOC"), &hints),
		     GFP26_KERNEL);
	cr_assert_eq(hints, ZS_MGFP_HINT_MEMALLOC);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2632, gfp("GFP_TRANSHUGE_LIGHT"), NULL),
		     (GFP26_HIGHUSER_MOVABLE & ~GFP26_WAIT) | GFP26_COMP | GFP26_NOMEMALLOC |
			     GFP26_NOWARN);
}

Test(trace_parse, gfp_to_2618_has_no_movable)
{
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2618, gfp("GFP_HIGHUSER_MOVABLE|__GFP_ZERO"), NULL),
		     GFP26_HIGHUSER | GFP26_ZERO);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_2618, gfp("GFP_NOFS|__GFP_RECLAIMABLE"), NULL),
		     GFP26_NOFS);
}

Test(trace_parse, gfp_to_24)
{
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_KERNEL"), NULL), GFP24_KERNEL);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_KERNEL_ACCOUNT|__GFP_ZERO"), NULL),
		     GFP24_KERNEL);
	/* no __GFP_FS in 2.4.0: GFP_NOFS -> GFP_KERNEL, GFP_NOIO -> GFP_BUFFER */
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_NOFS"), NULL), GFP24_KERNEL);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_NOIO"), NULL), GFP24_BUFFER);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_USER"), NULL), GFP24_USER);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_HIGHUSER_MOVABLE"), NULL),
		     GFP24_HIGHUSER);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_ATOMIC"), NULL), GFP24_ATOMIC);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_NOWAIT"), NULL), 0);
	cr_assert_eq(zs_gfp_modern_to_kernel(ZS_KV_24, gfp("GFP_DMA"), NULL), GFP24_DMA);
}

Test(trace_parse, page_kinds)
{
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP")),
		     ZS_KIND_ANON);
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_HIGHUSER_MOVABLE|__GFP_WRITE|__GFP_COMP")),
		     ZS_KIND_FILE_DIRTY);
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_KERNEL")), ZS_KIND_KERNEL);
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_NOFS|__GFP_NOWARN")), ZS_KIND_KERNEL);
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_ATOMIC")), ZS_KIND_KERNEL);
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_NOWAIT")), ZS_KIND_KERNEL);
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("__GFP_RECLAIMABLE")), ZS_KIND_KERNEL);
	/* from perf-dd-pagecache: page cache read under a filesystem's NOFS mapping gfp */
	cr_assert_eq(zs_gfp_modern_page_kind(gfp("GFP_NOFS|__GFP_HIGHMEM|__GFP_MOVABLE|__GFP_NOWARN|"
						 "__GFP_NORETRY|__GFP_COMP|__GFP_HARDWALL")),
		     ZS_KIND_FILE_CLEAN);
}

Test(trace_parse, migratetype_numbering_swaps)
{
	cr_assert_eq(zs_migratetype_from_modern(0, 0), 0);
	cr_assert_eq(zs_migratetype_from_modern(1, 0), 2); /* movable */
	cr_assert_eq(zs_migratetype_from_modern(2, 0), 1); /* reclaimable */
	cr_assert_eq(zs_migratetype_from_modern(-1, gfp("GFP_HIGHUSER_MOVABLE")), 2);
	cr_assert_eq(zs_migratetype_from_modern(3, gfp("GFP_NOFS|__GFP_RECLAIMABLE")), 1);
	cr_assert_eq(zs_migratetype_from_modern(4, gfp("GFP_KERNEL")), 0);
}
