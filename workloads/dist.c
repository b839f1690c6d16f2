/* dist.c - distributions read from the scenario and drawn through sim/rng.h; see dist.h. */
#include "workloads/dist.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/cfg.h"
#include "sim/rng.h"

/* Largest size a distribution may name: 2^40 pages (4 PiB), far above any machine. */
#define DIST_MAX_PAGES (1ull << 40)

static const char *const kind_names[] = {"const", "exponential", "lognormal", "pareto", "uniform"};

const char *
zs_dist_kind_name(enum zs_dist_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

struct zs_dist
zs_dist_const(enum zs_dist_unit unit, double v)
{
	return (struct zs_dist){ZS_DIST_CONST, unit, v, 0, INFINITY};
}

struct zs_dist
zs_dist_exponential(enum zs_dist_unit unit, double mean)
{
	return (struct zs_dist){ZS_DIST_EXPONENTIAL, unit, mean, 0, INFINITY};
}

struct zs_dist
zs_dist_lognormal_median(enum zs_dist_unit unit, double median, double sigma)
{
	return (struct zs_dist){ZS_DIST_LOGNORMAL, unit, log(median), sigma, INFINITY};
}

/*
 * Read map[key] as a quantity of `unit` into *out.  Returns 1 when present,
 * 0 when absent, -1 on error.
 */
static int
get_quantity(struct zs_cfg *map, const char *key, enum zs_dist_unit unit, double *out,
	     struct zs_error *err)
{
	if (!zs_cfg_get(map, key))
		return 0;
	switch (unit) {
	case ZS_UNIT_PAGES: {
		uint64_t v = 0;

		if (zs_cfg_pages(map, key, 0, DIST_MAX_PAGES, &v, err))
			return -1;
		*out = (double)v;
		return 1;
	}
	case ZS_UNIT_NS: {
		int64_t v = 0;

		if (zs_cfg_duration(map, key, 0, INT64_MAX, &v, err))
			return -1;
		*out = (double)v;
		return 1;
	}
	default: {
		double v = 0;

		if (zs_cfg_double(map, key, 0, DBL_MAX, &v, err))
			return -1;
		*out = v;
		return 1;
	}
	}
}

/* A plain parameter (sigma, shape, zeta) in [min, max]; 1 present, 0 absent, -1 error. */
static int
get_plain(struct zs_cfg *map, const char *key, double min, double max, double *out,
	  struct zs_error *err)
{
	if (!zs_cfg_get(map, key))
		return 0;
	return zs_cfg_double(map, key, min, max, out, err) ? -1 : 1;
}

static int
need(int got, struct zs_cfg *node, const char *dist, const char *what, struct zs_error *err)
{
	if (got < 0)
		return -1;
	if (got == 0)
		return zs_cfg_error(node, err, "distribution '%s' needs '%s'", dist, what);
	return 0;
}

static int
positive(struct zs_cfg *map, const char *key, double v, struct zs_error *err)
{
	if (v > 0 && isfinite(v))
		return 0;
	return zs_cfg_error(zs_cfg_get(map, key), err, "'%s' must be greater than 0", key);
}

static int
parse_map(struct zs_cfg *node, enum zs_dist_unit unit, struct zs_dist *out, struct zs_error *err)
{
	static const char *const k_exp[] = {"dist", "mean", "cap", NULL};
	static const char *const k_logn[] = {"dist", "zeta", "median", "mean", "sigma", "cap", NULL};
	static const char *const k_par[] = {"dist", "shape", "scale", "cap", NULL};
	static const char *const k_uni[] = {"dist", "min", "max", "cap", NULL};
	static const char *const k_const[] = {"dist", "value", "cap", NULL};
	struct zs_dist d = {ZS_DIST_CONST, unit, 0, 0, INFINITY};
	const char *name = NULL;
	int got;

	if (zs_cfg_string(node, "dist", &name, err))
		return -1;
	if (!name)
		return zs_cfg_error(node, err,
				    "a distribution map needs 'dist:' (exponential, lognormal, "
				    "pareto, uniform or const)");
	if (!strcmp(name, "exponential") || !strcmp(name, "exp")) {
		d.kind = ZS_DIST_EXPONENTIAL;
		if (zs_cfg_check_keys(node, k_exp, err))
			return -1;
		if (need(get_quantity(node, "mean", unit, &d.a, err), node, name, "mean", err) ||
		    positive(node, "mean", d.a, err))
			return -1;
	} else if (!strcmp(name, "lognormal")) {
		double v = 0;
		int have = 0;

		d.kind = ZS_DIST_LOGNORMAL;
		if (zs_cfg_check_keys(node, k_logn, err))
			return -1;
		if (need(get_plain(node, "sigma", 0, 100, &d.b, err), node, name, "sigma", err) ||
		    positive(node, "sigma", d.b, err))
			return -1;
		if ((got = get_plain(node, "zeta", -700, 700, &d.a, err)) < 0)
			return -1;
		have += got;
		if ((got = get_quantity(node, "median", unit, &v, err)) < 0)
			return -1;
		if (got) {
			if (positive(node, "median", v, err))
				return -1;
			d.a = log(v);
		}
		have += got;
		if ((got = get_quantity(node, "mean", unit, &v, err)) < 0)
			return -1;
		if (got) {
			/* E[X] = exp(zeta + sigma^2/2) */
			if (positive(node, "mean", v, err))
				return -1;
			d.a = log(v) - d.b * d.b / 2;
		}
		have += got;
		if (have != 1)
			return zs_cfg_error(node, err,
					    "distribution 'lognormal' needs exactly one of 'zeta', "
					    "'median' or 'mean'");
	} else if (!strcmp(name, "pareto")) {
		d.kind = ZS_DIST_PARETO;
		if (zs_cfg_check_keys(node, k_par, err))
			return -1;
		if (need(get_plain(node, "shape", 0, 1e6, &d.a, err), node, name, "shape", err) ||
		    positive(node, "shape", d.a, err))
			return -1;
		if (need(get_quantity(node, "scale", unit, &d.b, err), node, name, "scale", err) ||
		    positive(node, "scale", d.b, err))
			return -1;
	} else if (!strcmp(name, "uniform")) {
		d.kind = ZS_DIST_UNIFORM;
		if (zs_cfg_check_keys(node, k_uni, err))
			return -1;
		if (need(get_quantity(node, "min", unit, &d.a, err), node, name, "min", err) ||
		    need(get_quantity(node, "max", unit, &d.b, err), node, name, "max", err))
			return -1;
		if (d.b < d.a)
			return zs_cfg_error(zs_cfg_get(node, "max"), err,
					    "uniform 'max' is below 'min'");
	} else if (!strcmp(name, "const") || !strcmp(name, "constant")) {
		d.kind = ZS_DIST_CONST;
		if (zs_cfg_check_keys(node, k_const, err))
			return -1;
		if (need(get_quantity(node, "value", unit, &d.a, err), node, name, "value", err))
			return -1;
	} else {
		return zs_cfg_error(zs_cfg_get(node, "dist"), err,
				    "unknown distribution '%s' (known: const, exponential, "
				    "lognormal, pareto, uniform)",
				    name);
	}
	if ((got = get_quantity(node, "cap", unit, &d.cap, err)) < 0)
		return -1;
	if (!got)
		d.cap = INFINITY;
	*out = d;
	return 0;
}

int
zs_dist_get(struct zs_cfg *map, const char *key, enum zs_dist_unit unit, struct zs_dist *out,
	    struct zs_error *err)
{
	struct zs_cfg *node = zs_cfg_get(map, key);

	if (!node)
		return 0;
	if (node->type == ZS_CFG_MAP)
		return parse_map(node, unit, out, err);
	if (node->type != ZS_CFG_SCALAR)
		return zs_cfg_error(node, err,
				    "'%s' must be a value or a map {dist: ..., ...}", key);
	double v = 0;

	if (get_quantity(map, key, unit, &v, err) < 0)
		return -1;
	*out = zs_dist_const(unit, v);
	return 0;
}

double
zs_dist_draw(const struct zs_dist *d, struct zs_rng *r)
{
	double v;

	switch (d->kind) {
	case ZS_DIST_EXPONENTIAL:
		v = zs_rng_exponential(r, d->a);
		break;
	case ZS_DIST_LOGNORMAL:
		v = zs_rng_lognormal(r, d->a, d->b);
		break;
	case ZS_DIST_PARETO:
		v = zs_rng_pareto(r, d->a, d->b);
		break;
	case ZS_DIST_UNIFORM:
		v = d->a == d->b ? d->a : zs_rng_flat(r, d->a, d->b);
		break;
	default:
		v = d->a;
		break;
	}
	if (!(v >= 0)) /* NaN or a negative rounding artefact */
		v = 0;
	return v > d->cap ? d->cap : v;
}

int64_t
zs_dist_draw_int(const struct zs_dist *d, struct zs_rng *r, int64_t lo, int64_t hi)
{
	double v = zs_dist_draw(d, r);

	if (v <= (double)lo)
		return lo;
	if (v >= (double)hi)
		return hi;
	int64_t x = (int64_t)llround(v);

	return x < lo ? lo : x > hi ? hi : x;
}

double
zs_dist_mean(const struct zs_dist *d)
{
	switch (d->kind) {
	case ZS_DIST_EXPONENTIAL:
		return d->a;
	case ZS_DIST_LOGNORMAL:
		return exp(d->a + d->b * d->b / 2);
	case ZS_DIST_PARETO:
		return d->a > 1 ? d->a * d->b / (d->a - 1) : INFINITY;
	case ZS_DIST_UNIFORM:
		return (d->a + d->b) / 2;
	default:
		return d->a;
	}
}

const char *
zs_dist_format(const struct zs_dist *d, char *buf, unsigned len)
{
	const char *u = d->unit == ZS_UNIT_PAGES ? " pages" : d->unit == ZS_UNIT_NS ? " ns" : "";

	switch (d->kind) {
	case ZS_DIST_EXPONENTIAL:
		snprintf(buf, len, "exponential(mean=%g%s)", d->a, u);
		break;
	case ZS_DIST_LOGNORMAL:
		snprintf(buf, len, "lognormal(zeta=%g, sigma=%g; median=%g%s)", d->a, d->b,
			 exp(d->a), u);
		break;
	case ZS_DIST_PARETO:
		snprintf(buf, len, "pareto(shape=%g, scale=%g%s)", d->a, d->b, u);
		break;
	case ZS_DIST_UNIFORM:
		snprintf(buf, len, "uniform(min=%g, max=%g%s)", d->a, d->b, u);
		break;
	default:
		snprintf(buf, len, "%g%s", d->a, u);
		break;
	}
	return buf;
}
