/*
 * dist.h - a random quantity described in the scenario: a constant or one of
 * the GSL distributions, with the unit of the quantity it describes.
 *
 * Forms accepted wherever a generator takes a distribution:
 *   footprint: 64MiB                                   constant
 *   footprint: {dist: exponential, mean: 64MiB}
 *   footprint: {dist: lognormal, median: 16MiB, sigma: 1.0}   (or zeta:, or mean:)
 *   footprint: {dist: pareto, shape: 1.5, scale: 4MiB}
 *   footprint: {dist: uniform, min: 1MiB, max: 64MiB}
 * Every map form also takes `cap:` (draws above it are clamped to it).
 * Sizes use zs_cfg_pages' rules and are kept in pages; durations use
 * zs_cfg_duration's rules and are kept in ns; plain quantities are numbers.
 * A lognormal's zeta is the log of the quantity in those base units.
 *
 * Invariant: a parsed distribution has finite, valid parameters (mean > 0,
 * sigma > 0, shape > 0, scale > 0, min <= max, cap >= 0), and every draw is a
 * finite number >= 0 (or >= min for uniform) and <= cap.
 */
#ifndef ZS_DIST_H
#define ZS_DIST_H

#include <stdint.h>

struct zs_cfg;
struct zs_error;
struct zs_rng;

enum zs_dist_kind {
	ZS_DIST_CONST = 0,
	ZS_DIST_EXPONENTIAL,
	ZS_DIST_LOGNORMAL,
	ZS_DIST_PARETO,
	ZS_DIST_UNIFORM
};

enum zs_dist_unit {
	ZS_UNIT_NUMBER = 0, /* a plain number */
	ZS_UNIT_PAGES,      /* "64MiB", "16384 pages", "16384" */
	ZS_UNIT_NS          /* "10s", "250ms", a bare number is seconds */
};

struct zs_dist {
	enum zs_dist_kind kind;
	enum zs_dist_unit unit;
	double a, b;  /* const: a; exponential: mean a; lognormal: zeta a, sigma b;
			 pareto: shape a, scale b; uniform: min a, max b */
	double cap;   /* upper clamp; INFINITY when none */
};

/* A constant distribution. */
struct zs_dist zs_dist_const(enum zs_dist_unit unit, double v);
/* An exponential distribution with the given mean. */
struct zs_dist zs_dist_exponential(enum zs_dist_unit unit, double mean);
/* A lognormal distribution with the given median (zeta = ln median). */
struct zs_dist zs_dist_lognormal_median(enum zs_dist_unit unit, double median, double sigma);

/*
 * Read map[key] as a distribution of `unit`.  Absent key: *out untouched and 0.
 * Returns -1 with err ("file:line:col: ...") on a malformed value or unknown key.
 */
int zs_dist_get(struct zs_cfg *map, const char *key, enum zs_dist_unit unit, struct zs_dist *out,
		struct zs_error *err);

/* One draw (in the base unit: pages, ns or a number). */
double zs_dist_draw(const struct zs_dist *d, struct zs_rng *r);
/* One draw rounded to the nearest integer and clamped to [lo, hi]. */
int64_t zs_dist_draw_int(const struct zs_dist *d, struct zs_rng *r, int64_t lo, int64_t hi);

/* The mean of the distribution before the cap; INFINITY for Pareto with shape <= 1. */
double zs_dist_mean(const struct zs_dist *d);
/* "const", "exponential", "lognormal", "pareto", "uniform". */
const char *zs_dist_kind_name(enum zs_dist_kind k);
/* Human-readable text such as "lognormal(zeta=8.3, sigma=1)"; returns buf. */
const char *zs_dist_format(const struct zs_dist *d, char *buf, unsigned len);

#endif
