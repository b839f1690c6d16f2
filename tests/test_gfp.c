/* test_gfp.c - gfp names per kernel version, and the portable names. */
#include <criterion/criterion.h>
#include <string.h>

#include "alloc/gfp.h"
#include "sim/diag.h"

static uint32_t
parse(enum zs_kver v, const char *s)
{
	struct zs_error err = {0, ""};
	uint32_t m = 0xdeadbeef;

	cr_assert_eq(zs_gfp_parse(v, s, &m, &err), 0, "%s: %s", s, err.msg);
	return m;
}

Test(gfp, values_of_each_version)
{
	cr_assert_eq(parse(ZS_KV_24, "GFP_KERNEL"), 0x07);   /* HIGH|WAIT|IO in 2.4.0 */
	cr_assert_eq(parse(ZS_KV_24, "GFP_HIGHUSER"), 0x15); /* WAIT|IO|HIGHMEM */
	cr_assert_eq(parse(ZS_KV_24, "GFP_ATOMIC"), 0x02);
	cr_assert_eq(parse(ZS_KV_2618, "GFP_KERNEL"), 0xd0);
	cr_assert_eq(parse(ZS_KV_2632, "GFP_HIGHUSER_MOVABLE"), 0x200da);
	cr_assert_eq(parse(ZS_KV_2632, "GFP_KERNEL|__GFP_COLD"), 0x1d0);
	cr_assert_eq(parse(ZS_KV_2632, "gfp_atomic | __GFP_NOWARN"), 0x220);
	cr_assert_eq(parse(ZS_KV_2632, "0xd0"), 0xd0);
	cr_assert_eq(parse(ZS_KV_2632, "GFP_NOWAIT"), 0);
}

Test(gfp, portable_names_map_to_the_older_equivalent)
{
	/* what the older kernels used for the same allocations */
	cr_assert_eq(parse(ZS_KV_2618, "GFP_HIGHUSER_MOVABLE"), parse(ZS_KV_2618, "GFP_HIGHUSER"));
	cr_assert_eq(parse(ZS_KV_24, "GFP_HIGHUSER_MOVABLE"), 0x15);
	cr_assert_eq(parse(ZS_KV_24, "GFP_NOFS"), 0x07);
	cr_assert_eq(parse(ZS_KV_24, "GFP_NOIO"), 0x03);
	/* hint bits that do nothing on a version are dropped */
	cr_assert_eq(parse(ZS_KV_24, "GFP_KERNEL|__GFP_COLD|__GFP_NOWARN"), 0x07);
	cr_assert_eq(parse(ZS_KV_2618, "GFP_KERNEL|__GFP_RECLAIMABLE"), 0xd0);
}

Test(gfp, errors_name_the_flag)
{
	struct zs_error err = {0, ""};
	uint32_t m;

	cr_assert_eq(zs_gfp_parse(ZS_KV_2632, "GFP_KERNAL", &m, &err), -1);
	cr_assert(strstr(err.msg, "unknown gfp flag 'GFP_KERNAL'"), "%s", err.msg);
	/* a zone the kernel does not have is never silently dropped */
	cr_assert_eq(zs_gfp_parse(ZS_KV_24, "GFP_DMA32", &m, &err), -1);
	cr_assert(strstr(err.msg, "does not exist in 2.4.0"), "%s", err.msg);
	cr_assert_eq(zs_gfp_parse(ZS_KV_2632, "GFP_KERNEL||", &m, &err), -1);
}

Test(gfp, format_round_trips)
{
	char buf[128];

	cr_assert_str_eq(zs_gfp_format(ZS_KV_2632, 0x200da, buf, sizeof(buf)),
			 "GFP_HIGHUSER_MOVABLE");
	cr_assert_str_eq(zs_gfp_format(ZS_KV_2632, 0x1d0, buf, sizeof(buf)), "GFP_KERNEL|__GFP_COLD");
	cr_assert_str_eq(zs_gfp_format(ZS_KV_24, 0x07, buf, sizeof(buf)), "GFP_KERNEL");
	cr_assert_eq(parse(ZS_KV_2618, zs_gfp_format(ZS_KV_2618, 0x2d0, buf, sizeof(buf))), 0x2d0);
}

Test(gfp, versions)
{
	enum zs_kver v;

	cr_assert_eq(zs_kver_parse("2.6", &v), 0);
	cr_assert_eq(v, ZS_KV_2632);
	cr_assert_eq(zs_kver_parse("2.4.0", &v), 0);
	cr_assert_eq(v, ZS_KV_24);
	cr_assert_eq(zs_kver_parse("2.6.20", &v), -1);
	cr_assert_str_eq(zs_kver_name(ZS_KV_2618), "2.6.18");
}
