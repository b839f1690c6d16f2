/* rng.c - GSL random streams and distributions; see rng.h. */
#include "sim/rng.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "sim/diag.h"

struct zs_rng {
	gsl_rng *g;
};

struct zs_discrete {
	gsl_ran_discrete_t *t;
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t
zs_rng_seed_of(uint64_t seed, const char *name, unsigned index)
{
	uint64_t x = seed;
	uint64_t h = 1469598103934665603ull; /* FNV-1a over the stream name */

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	x ^= h;
	x += (uint64_t)index * 0x632be59bd9b4e019ull;
	uint64_t s = splitmix64(&x);
	/* mt19937 treats seed 0 as 4357: never hand it 0 */
	return s ? s : 1;
}

/* A stream of GSL generator `type`, seeded from (seed, name, index). */
static struct zs_rng *
rng_of_type(const gsl_rng_type *type, uint64_t seed, const char *name, unsigned index)
{
	struct zs_rng *r = malloc(sizeof(*r));

	ZS_BUG_ON(!r);
	r->g = gsl_rng_alloc(type);
	ZS_BUG_ON(!r->g);
	gsl_rng_set(r->g, (unsigned long)zs_rng_seed_of(seed, name, index));
	return r;
}

struct zs_rng *
zs_rng_create(uint64_t seed, const char *name, unsigned index)
{
	return rng_of_type(gsl_rng_mt19937, seed, name, index);
}

struct zs_rng *
zs_rng_create_small(uint64_t seed, const char *name, unsigned index)
{
	return rng_of_type(gsl_rng_taus2, seed, name, index);
}

void
zs_rng_destroy(struct zs_rng *r)
{
	if (!r)
		return;
	gsl_rng_free(r->g);
	free(r);
}

double
zs_rng_uniform(struct zs_rng *r)
{
	return gsl_rng_uniform(r->g);
}

uint64_t
zs_rng_uniform_int(struct zs_rng *r, uint64_t n)
{
	if (n <= 1)
		return 0;
	if (n <= 0xffffffffull)
		return gsl_rng_uniform_int(r->g, (unsigned long)n);
	return (uint64_t)(gsl_rng_uniform(r->g) * (double)n) % n;
}

double
zs_rng_exponential(struct zs_rng *r, double mean)
{
	return gsl_ran_exponential(r->g, mean);
}

double
zs_rng_lognormal(struct zs_rng *r, double zeta, double sigma)
{
	return gsl_ran_lognormal(r->g, zeta, sigma);
}

double
zs_rng_pareto(struct zs_rng *r, double shape, double scale)
{
	return gsl_ran_pareto(r->g, shape, scale);
}

double
zs_rng_flat(struct zs_rng *r, double a, double b)
{
	return gsl_ran_flat(r->g, a, b);
}

double
zs_rng_gaussian(struct zs_rng *r, double sigma)
{
	return gsl_ran_gaussian(r->g, sigma);
}

unsigned
zs_rng_poisson(struct zs_rng *r, double mean)
{
	return gsl_ran_poisson(r->g, mean);
}

struct zs_discrete *
zs_discrete_create(const double *w, uint64_t n)
{
	struct zs_discrete *d = malloc(sizeof(*d));

	ZS_BUG_ON(!d);
	d->t = gsl_ran_discrete_preproc((size_t)n, w);
	ZS_BUG_ON(!d->t);
	return d;
}

struct zs_discrete *
zs_discrete_zipf(uint64_t n, double s)
{
	double *w = malloc((size_t)n * sizeof(*w));
	struct zs_discrete *d;

	ZS_BUG_ON(!w);
	for (uint64_t k = 0; k < n; k++)
		w[k] = 1.0 / pow((double)(k + 1), s);
	d = zs_discrete_create(w, n);
	free(w);
	return d;
}

uint64_t
zs_discrete_draw(struct zs_rng *r, const struct zs_discrete *d)
{
	return gsl_ran_discrete(r->g, d->t);
}

double
zs_discrete_pdf(const struct zs_discrete *d, uint64_t k)
{
	return gsl_ran_discrete_pdf((size_t)k, d->t);
}

void
zs_discrete_destroy(struct zs_discrete *d)
{
	if (!d)
		return;
	gsl_ran_discrete_free(d->t);
	free(d);
}
