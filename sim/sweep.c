/* sweep.c - sweep files and their job lists; see sweep.h. */
#include "sim/sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "alloc/gfp.h"
#include "sim/cfg.h"
#include "sim/output.h"

void
zs_sweep_free(struct zs_sweep *sw)
{
	for (int a = 0; a < sw->naxes; a++) {
		free(sw->axis[a]);
		for (int v = 0; v < sw->nvalues[a]; v++)
			free(sw->value[a][v]);
	}
	free(sw->seeds);
	free(sw->jobs);
	free(sw->sets);
	free(sw->setp);
	memset(sw, 0, sizeof(*sw));
}

static int
scalar_list(struct zs_cfg *node, const char *what, struct zs_error *err)
{
	if (zs_cfg_expect(node, ZS_CFG_SEQ, what, err))
		return -1;
	if (node->n < 1)
		return zs_cfg_error(node, err, "%s: give at least one", what);
	for (int i = 0; i < node->n; i++)
		if (zs_cfg_expect(node->vals[i], ZS_CFG_SCALAR, what, err))
			return -1;
	return 0;
}

static int
load_tree(struct zs_sweep *sw, struct zs_cfg *root, const char *path, struct zs_error *err)
{
	static const char *const known[] = {"base", "kernels", "seeds", "axes", "out", NULL};
	struct zs_cfg *k, *s, *ax;
	const char *base = NULL, *out = NULL;

	if (zs_cfg_expect(root, ZS_CFG_MAP, "a sweep", err) || zs_cfg_check_keys(root, known, err))
		return -1;
	if (zs_cfg_string(root, "base", &base, err) || zs_cfg_string(root, "out", &out, err))
		return -1;
	if (!base)
		return zs_error_at(err, path, root->line, root->col, "a sweep needs 'base'");
	/* base is relative to the sweep file, as a trace path is to its scenario */
	const char *slash = strrchr(path, '/');
	if (base[0] != '/' && slash)
		snprintf(sw->base, sizeof(sw->base), "%.*s/%s", (int)(slash - path), path, base);
	else
		snprintf(sw->base, sizeof(sw->base), "%s", base);
	if (out) {
		snprintf(sw->out, sizeof(sw->out), "%s", out);
	} else {
		const char *nm = slash ? slash + 1 : path;
		size_t n = strcspn(nm, ".");

		snprintf(sw->out, sizeof(sw->out), "results/%.*s", (int)n, nm);
	}
	k = zs_cfg_get(root, "kernels");
	if (!k) {
		static const char *const all[] = {"2.4.0", "2.6.18", "2.6.32"};

		for (int i = 0; i < 3; i++)
			snprintf(sw->kernels[i], sizeof(sw->kernels[i]), "%s", all[i]);
		sw->nkernels = 3;
	} else {
		if (scalar_list(k, "'kernels'", err))
			return -1;
		if (k->n > 8)
			return zs_cfg_error(k, err, "at most 8 kernels");
		for (int i = 0; i < k->n; i++) {
			enum zs_kver v;

			if (zs_kver_parse(k->vals[i]->scalar, &v))
				return zs_cfg_error(k->vals[i], err,
						    "unknown kernel '%s' (2.4, 2.6.18, 2.6.32)",
						    k->vals[i]->scalar);
			snprintf(sw->kernels[i], sizeof(sw->kernels[i]), "%s", zs_kver_name(v));
		}
		sw->nkernels = k->n;
	}
	s = zs_cfg_get(root, "seeds");
	if (s && s->type == ZS_CFG_SEQ) {
		if (scalar_list(s, "'seeds'", err))
			return -1;
		sw->seeds = calloc((size_t)s->n, sizeof(*sw->seeds));
		ZS_BUG_ON(!sw->seeds);
		for (int i = 0; i < s->n; i++) {
			char *end;

			sw->seeds[i] = strtoull(s->vals[i]->scalar, &end, 10);
			if (*end || !*s->vals[i]->scalar || s->vals[i]->scalar[0] == '-')
				return zs_cfg_error(s->vals[i], err, "a seed is a whole number");
		}
		sw->nseeds = s->n;
	} else {
		uint64_t n = 10;

		if (zs_cfg_uint(root, "seeds", 1, 10000, &n, err))
			return -1;
		sw->seeds = calloc((size_t)n, sizeof(*sw->seeds));
		ZS_BUG_ON(!sw->seeds);
		for (uint64_t i = 0; i < n; i++)
			sw->seeds[i] = i + 1;
		sw->nseeds = (int)n;
	}
	ax = zs_cfg_get(root, "axes");
	sw->npoints = 1;
	if (ax) {
		if (zs_cfg_expect(ax, ZS_CFG_MAP, "'axes'", err))
			return -1;
		if (ax->n > ZS_SWEEP_MAX_AXES)
			return zs_cfg_error(ax, err, "at most %d axes", ZS_SWEEP_MAX_AXES);
		for (int a = 0; a < ax->n; a++) {
			struct zs_cfg *vals = ax->vals[a];

			ax->used[a] = 1;
			if (scalar_list(vals, "an axis' values", err))
				return -1;
			if (vals->n > ZS_SWEEP_MAX_VALUES)
				return zs_cfg_error(vals, err, "at most %d values", ZS_SWEEP_MAX_VALUES);
			/* names and values go into points.csv and sweep.csv as they are */
			if (strpbrk(ax->keys[a], ",\"\r\n") || strlen(ax->keys[a]) > 200)
				return zs_cfg_error(ax, err,
						    "axis '%.40s': a name of at most 200 characters, "
						    "without a comma, a double quote or a line break",
						    ax->keys[a]);
			for (int v = 0; v < vals->n; v++) {
				const char *x = vals->vals[v]->scalar;

				if (strpbrk(x, ",\"\r\n") || strlen(x) > 200)
					return zs_cfg_error(vals->vals[v], err,
							    "an axis value of at most 200 characters, "
							    "without a comma, a double quote or a line "
							    "break (points.csv holds it as it is)");
			}
			sw->axis[a] = strdup(ax->keys[a]);
			for (int v = 0; v < vals->n; v++)
				sw->value[a][v] = strdup(vals->vals[v]->scalar);
			sw->nvalues[a] = vals->n;
			sw->naxes++;
			sw->npoints *= vals->n;
		}
	}
	return 0;
}

static void
expand(struct zs_sweep *sw)
{
	int per_point = sw->nkernels * sw->nseeds;

	sw->njobs = sw->npoints * per_point;
	sw->jobs = calloc((size_t)sw->njobs, sizeof(*sw->jobs));
	sw->sets = calloc((size_t)sw->npoints, sizeof(*sw->sets));
	sw->setp = calloc((size_t)sw->npoints, sizeof(*sw->setp));
	ZS_BUG_ON(!sw->jobs || !sw->sets || !sw->setp);
	for (int p = 0; p < sw->npoints; p++) {
		/* mixed radix: the last axis varies fastest */
		for (int a = sw->naxes - 1, rest = p; a >= 0; a--) {
			snprintf(sw->sets[p][a], sizeof(sw->sets[p][a]), "%s=%s", sw->axis[a],
				 sw->value[a][rest % sw->nvalues[a]]);
			sw->setp[p][a] = sw->sets[p][a];
			rest /= sw->nvalues[a];
		}
		for (int k = 0; k < sw->nkernels; k++)
			for (int s = 0; s < sw->nseeds; s++) {
				struct zs_runjob *j = &sw->jobs[p * per_point + k * sw->nseeds + s];

				j->scenario = sw->base;
				j->kernel = sw->kernels[k];
				j->seed = sw->seeds[s];
				j->set = sw->setp[p];
				j->nset = sw->naxes;
				snprintf(j->out, sizeof(j->out), "%s/points/p%03d/runs/%s/seed-%" PRIu64,
					 sw->out, p, sw->kernels[k], sw->seeds[s]);
			}
	}
}

int
zs_sweep_load(struct zs_sweep *sw, const char *path, const char *out_override,
	      struct zs_error *err)
{
	struct zs_cfg *root;
	int rc;

	memset(sw, 0, sizeof(*sw));
	root = zs_cfg_load_file(path, err);
	if (!root)
		return -1;
	rc = load_tree(sw, root, path, err);
	zs_cfg_free(root);
	if (rc) {
		zs_sweep_free(sw);
		return -1;
	}
	if (out_override)
		snprintf(sw->out, sizeof(sw->out), "%s", out_override);
	expand(sw);
	return 0;
}

/* A word for a shell command line: quoted unless it is plainly safe. */
static void
shell_word(FILE *f, const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/=:,+@") ==
			  strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

void
zs_sweep_list(const struct zs_sweep *sw, FILE *f, const char *zsim)
{
	for (int i = 0; i < sw->njobs; i++) {
		const struct zs_runjob *j = &sw->jobs[i];

		shell_word(f, zsim);
		fputs(" run ", f);
		shell_word(f, j->scenario);
		fprintf(f, " -q --kernel %s --seed %" PRIu64, j->kernel, j->seed);
		for (int s = 0; s < j->nset; s++) {
			fputs(" --set ", f);
			shell_word(f, j->set[s]);
		}
		fputs(" --out ", f);
		shell_word(f, j->out);
		fputc('\n', f);
	}
}

int
zs_sweep_write_points(const struct zs_sweep *sw, struct zs_error *err)
{
	struct zs_outset out;
	FILE *f;

	if (zs_out_begin(&out, sw->out, err) || !(f = zs_out_open(&out, "points.csv", err)))
		return -1;
	fputs("point", f);
	for (int a = 0; a < sw->naxes; a++)
		fprintf(f, ",%s", sw->axis[a]);
	fputc('\n', f);
	for (int p = 0; p < sw->npoints; p++) {
		fprintf(f, "p%03d", p);
		for (int a = 0; a < sw->naxes; a++)
			fprintf(f, ",%s", strchr(sw->sets[p][a], '=') + 1);
		fputc('\n', f);
	}
	return zs_out_commit(&out, err);
}

int
zs_sweep_emit_slurm(const struct zs_sweep *sw, const char *zsim, char *script, size_t len,
		    struct zs_error *err)
{
	struct zs_outset out;
	FILE *jobs, *sb;

	if (zs_out_begin(&out, sw->out, err))
		return -1;
	jobs = zs_out_open(&out, "sweep.jobs", err);
	sb = jobs ? zs_out_open(&out, "sweep.sbatch", err) : NULL;
	if (!sb) {
		zs_out_abort(&out);
		return -1;
	}
	zs_sweep_list(sw, jobs, zsim);
	/* each array task runs the line of sweep.jobs its index names (1-based) */
	fprintf(sb, "#!/bin/bash\n"
		    "# zsim sweep: one Slurm array task per run; submit with sbatch %s/sweep.sbatch\n"
		    "#SBATCH --job-name=zsim-sweep\n"
		    "#SBATCH --array=1-%d\n"
		    "#SBATCH --ntasks=1\n"
		    "#SBATCH --cpus-per-task=1\n"
		    "#SBATCH --output=%s/slurm-%%A_%%a.out\n"
		    "set -euo pipefail\n"
		    ": \"${SLURM_ARRAY_TASK_ID:?run me with sbatch, or set SLURM_ARRAY_TASK_ID}\"\n"
		    "line=$(sed -n \"${SLURM_ARRAY_TASK_ID}p\" ",
		sw->out, sw->njobs, sw->out);
	shell_word(sb, sw->out);
	fputs("/sweep.jobs)\n"
	      "test -n \"$line\"\n"
	      "eval \"$line\"\n",
	      sb);
	if (zs_out_commit(&out, err))
		return -1;
	snprintf(script, len, "%s/sweep.sbatch", sw->out);
	chmod(script, 0755);
	return 0;
}
