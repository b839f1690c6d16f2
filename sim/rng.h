/*
 * rng.h - random streams.  The only randomness in zsim comes from here: GSL
 * mt19937 generators (taus2 for per-task streams), one per source of randomness, each seeded from the
 * scenario seed and a stream name through splitmix64, so adding a workload
 * source never changes another source's draws and seed 0 is not special.
 * rng.c is the only file that includes GSL's rng and randist headers.
 */
#ifndef ZS_RNG_H
#define ZS_RNG_H

#include <stdint.h>

struct zs_rng;
struct zs_discrete;

/* A stream for (seed, name, index). */
struct zs_rng *zs_rng_create(uint64_t seed, const char *name, unsigned index);
/* The same with a small state (GSL taus2, 3 words instead of mt19937's 2.5 KB), for
 * the many short streams of one per simulated task: each task's draws are its own, so
 * when a kernel changes the tasks' timing, the tasks still draw the same numbers. */
struct zs_rng *zs_rng_create_small(uint64_t seed, const char *name, unsigned index);
void zs_rng_destroy(struct zs_rng *r);
/* The 64-bit seed actually given to the generator (for summary.txt). */
uint64_t zs_rng_seed_of(uint64_t seed, const char *name, unsigned index);

double zs_rng_uniform(struct zs_rng *r);                    /* [0, 1) */
uint64_t zs_rng_uniform_int(struct zs_rng *r, uint64_t n);  /* [0, n), n >= 1 */
double zs_rng_exponential(struct zs_rng *r, double mean);
double zs_rng_lognormal(struct zs_rng *r, double zeta, double sigma);
double zs_rng_pareto(struct zs_rng *r, double shape, double scale);
double zs_rng_flat(struct zs_rng *r, double a, double b);
double zs_rng_gaussian(struct zs_rng *r, double sigma);
unsigned zs_rng_poisson(struct zs_rng *r, double mean);

/* Walker alias table over weights w[0..n-1] (gsl_ran_discrete). */
struct zs_discrete *zs_discrete_create(const double *w, uint64_t n);
/* Zipf popularity over n ranks with exponent s (weights 1/k^s). */
struct zs_discrete *zs_discrete_zipf(uint64_t n, double s);
uint64_t zs_discrete_draw(struct zs_rng *r, const struct zs_discrete *d);
double zs_discrete_pdf(const struct zs_discrete *d, uint64_t k);
void zs_discrete_destroy(struct zs_discrete *d);

#endif
