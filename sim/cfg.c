/* cfg.c - typed access to the scenario tree, --set overrides, key checks; see cfg.h. */
#include "sim/cfg.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

void
zs_cfg_free(struct zs_cfg *c)
{
	if (!c)
		return;
	free(c->scalar);
	for (int i = 0; i < c->n; i++) {
		if (c->keys)
			free(c->keys[i]);
		zs_cfg_free(c->vals[i]);
	}
	free(c->keys);
	free(c->key_line);
	free(c->key_col);
	free(c->vals);
	free(c->used);
	if (c->owns_file)
		free((char *)c->file);
	free(c);
}

int
zs_cfg_error(const struct zs_cfg *node, struct zs_error *err, const char *fmt, ...)
{
	char body[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	/* nodes zsim built itself ("(command line)") have no position worth printing */
	if (node->file[0] == '(')
		return zs_error_set(err, EX_DATAERR, "%s", body);
	/* a node a --set made is named by the whole argument, which the user can find */
	if (!strncmp(node->file, "--set ", 6))
		return zs_error_set(err, EX_DATAERR, "%s: %s", node->file, body);
	return zs_error_at(err, node->file, node->line, node->col, "%s", body);
}

static int
map_find(const struct zs_cfg *map, const char *key)
{
	if (!map || map->type != ZS_CFG_MAP)
		return -1;
	for (int i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return i;
	return -1;
}

struct zs_cfg *
zs_cfg_get(struct zs_cfg *map, const char *key)
{
	int i = map_find(map, key);

	if (i < 0)
		return NULL;
	map->used[i] = 1;
	return map->vals[i];
}

static const char *const type_names[] = {"a single value", "a mapping (key: value)",
					 "a list"};

int
zs_cfg_expect(struct zs_cfg *node, enum zs_cfg_type type, const char *what, struct zs_error *err)
{
	if (node->type == type)
		return 0;
	return zs_cfg_error(node, err, "%s must be %s", what, type_names[type]);
}

/* Edit distance, for "did you mean". */
static int
distance(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	int row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (int j = 0; j <= lb; j++)
		row[j] = j;
	for (int i = 1; i <= la; i++) {
		int prev = row[0];

		row[0] = i;
		for (int j = 1; j <= lb; j++) {
			int cur = row[j];
			int sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			int best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;

			row[j] = sub < best ? sub : best;
			prev = cur;
		}
	}
	return row[lb];
}

int
zs_cfg_check_keys(struct zs_cfg *map, const char *const *known, struct zs_error *err)
{
	for (int i = 0; i < map->n; i++) {
		const char *best = NULL;
		int bestd = 99, found = 0;

		for (const char *const *k = known; *k; k++) {
			if (!strcmp(*k, map->keys[i])) {
				found = 1;
				break;
			}
			int d = distance(*k, map->keys[i]);
			if (d < bestd) {
				bestd = d;
				best = *k;
			}
		}
		if (found)
			continue;
		char hint[96] = "";
		if (best && bestd <= 2 + (int)strlen(map->keys[i]) / 4)
			snprintf(hint, sizeof(hint), " (did you mean '%s'?)", best);
		/* a key a --set added is blamed on that --set, not on the scenario's line */
		const struct zs_cfg *v = map->vals[i];
		if (v && !strncmp(v->file, "--set ", 6))
			return zs_error_set(err, EX_DATAERR, "%s: unknown key '%s'%s", v->file,
					    map->keys[i], hint);
		return zs_error_at(err, map->file, map->key_line[i], map->key_col[i],
				   "unknown key '%s'%s", map->keys[i], hint);
	}
	return 0;
}

static struct zs_cfg *
scalar(struct zs_cfg *map, const char *key, struct zs_error *err, int *rc)
{
	struct zs_cfg *n = zs_cfg_get(map, key);

	*rc = 0;
	if (!n)
		return NULL;
	if (n->type != ZS_CFG_SCALAR) {
		*rc = zs_cfg_error(n, err, "'%s' must be %s", key, type_names[ZS_CFG_SCALAR]);
		return NULL;
	}
	return n;
}

static int
parse_int(const char *s, int64_t *out)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

int
zs_cfg_int(struct zs_cfg *map, const char *key, int64_t min, int64_t max, int64_t *out,
	   struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);
	int64_t v;

	if (!n)
		return rc;
	if (parse_int(n->scalar, &v))
		return zs_cfg_error(n, err, "'%s' must be a whole number, not '%s'", key, n->scalar);
	if (v < min || v > max)
		return zs_cfg_error(n, err, "'%s' = %lld is out of range [%lld, %lld]", key,
				    (long long)v, (long long)min, (long long)max);
	*out = v;
	return 0;
}

int
zs_cfg_uint(struct zs_cfg *map, const char *key, uint64_t min, uint64_t max, uint64_t *out,
	    struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);
	char *end;

	if (!n)
		return rc;
	errno = 0;
	if (n->scalar[0] == '-')
		return zs_cfg_error(n, err, "'%s' must not be negative (got '%s')", key, n->scalar);
	unsigned long long v = strtoull(n->scalar, &end, 0);
	if (errno || end == n->scalar || *end)
		return zs_cfg_error(n, err, "'%s' must be a whole number, not '%s'", key, n->scalar);
	if (v < min || v > max)
		return zs_cfg_error(n, err, "'%s' = %llu is out of range [%llu, %llu]", key, v,
				    (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int
zs_cfg_node_double(struct zs_cfg *n, double *out, struct zs_error *err)
{
	char *end;

	if (n->type != ZS_CFG_SCALAR)
		return zs_cfg_error(n, err, "expected a number");
	errno = 0;
	double v = strtod(n->scalar, &end);
	if (errno || end == n->scalar || *end || !isfinite(v))
		return zs_cfg_error(n, err, "expected a number, not '%s'", n->scalar);
	*out = v;
	return 0;
}

int
zs_cfg_double(struct zs_cfg *map, const char *key, double min, double max, double *out,
	      struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);
	double v;

	if (!n)
		return rc;
	if (zs_cfg_node_double(n, &v, err))
		return zs_cfg_error(n, err, "'%s' must be a number, not '%s'", key, n->scalar);
	if (v < min || v > max)
		return zs_cfg_error(n, err, "'%s' = %g is out of range [%g, %g]", key, v, min, max);
	*out = v;
	return 0;
}

int
zs_cfg_bool(struct zs_cfg *map, const char *key, int *out, struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);
	static const char *const yes[] = {"true", "yes", "on", "1", NULL};
	static const char *const no[] = {"false", "no", "off", "0", NULL};

	if (!n)
		return rc;
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(n->scalar, yes[i])) {
			*out = 1;
			return 0;
		}
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(n->scalar, no[i])) {
			*out = 0;
			return 0;
		}
	return zs_cfg_error(n, err, "'%s' must be true or false, not '%s'", key, n->scalar);
}

int
zs_cfg_string(struct zs_cfg *map, const char *key, const char **out, struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);

	if (!n)
		return rc;
	*out = n->scalar;
	return 0;
}

#define TWO_POW_64 18446744073709551616.0

/* Split "12.5 MiB" into a number and a unit word. */
static int
number_unit(const char *s, double *num, char *unit, size_t ulen)
{
	char *end;

	errno = 0;
	*num = strtod(s, &end);
	if (errno || end == s || !isfinite(*num))
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (strlen(end) >= ulen)
		return -1;
	strcpy(unit, end);
	return 0;
}

int
zs_cfg_node_pages(struct zs_cfg *n, uint64_t *out, struct zs_error *err)
{
	double v;
	char unit[16];
	double bytes_per = 0;

	if (n->type != ZS_CFG_SCALAR || number_unit(n->scalar, &v, unit, sizeof(unit)))
		return zs_cfg_error(n, err, "expected a size such as 64MiB, 4GiB or '16384 pages'");
	if (v < 0)
		return zs_cfg_error(n, err, "a size cannot be negative (got '%s')", n->scalar);
	if (!*unit || !strcasecmp(unit, "pages") || !strcasecmp(unit, "page")) {
		if (v != floor(v))
			return zs_cfg_error(n, err, "a page count must be whole (got '%s')", n->scalar);
		if (v >= TWO_POW_64)
			return zs_cfg_error(n, err, "size '%s' is too large", n->scalar);
		*out = (uint64_t)v;
		return 0;
	}
	if (!strcasecmp(unit, "KiB") || !strcasecmp(unit, "K") || !strcasecmp(unit, "KB"))
		bytes_per = 1024.0;
	else if (!strcasecmp(unit, "MiB") || !strcasecmp(unit, "M") || !strcasecmp(unit, "MB"))
		bytes_per = 1024.0 * 1024;
	else if (!strcasecmp(unit, "GiB") || !strcasecmp(unit, "G") || !strcasecmp(unit, "GB"))
		bytes_per = 1024.0 * 1024 * 1024;
	else if (!strcasecmp(unit, "TiB") || !strcasecmp(unit, "T") || !strcasecmp(unit, "TB"))
		bytes_per = 1024.0 * 1024 * 1024 * 1024;
	else if (!strcasecmp(unit, "B") || !strcasecmp(unit, "bytes"))
		bytes_per = 1;
	else
		return zs_cfg_error(n, err, "unknown size unit '%s' (use KiB, MiB, GiB, TiB or pages)",
				    unit);
	double bytes = v * bytes_per;
	/* a double past 2^64 pages has no uint64_t value: converting it is undefined */
	if (bytes / 4096.0 >= TWO_POW_64)
		return zs_cfg_error(n, err, "size '%s' is too large", n->scalar);
	if (fmod(bytes, 4096.0) != 0)
		return zs_cfg_error(n, err, "'%s' is not a whole number of 4 KiB pages", n->scalar);
	*out = (uint64_t)(bytes / 4096.0);
	return 0;
}

int
zs_cfg_pages(struct zs_cfg *map, const char *key, uint64_t min, uint64_t max, uint64_t *out,
	     struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);
	uint64_t v;

	if (!n)
		return rc;
	if (zs_cfg_node_pages(n, &v, err))
		return -1;
	if (v < min || v > max)
		return zs_cfg_error(n, err, "'%s' = %llu pages is out of range [%llu, %llu]", key,
				    (unsigned long long)v, (unsigned long long)min,
				    (unsigned long long)max);
	*out = v;
	return 0;
}

int
zs_cfg_duration(struct zs_cfg *map, const char *key, int64_t min, int64_t max, int64_t *out,
		struct zs_error *err)
{
	int rc;
	struct zs_cfg *n = scalar(map, key, err, &rc);
	double v, scale;
	char unit[16];

	if (!n)
		return rc;
	if (number_unit(n->scalar, &v, unit, sizeof(unit)))
		return zs_cfg_error(n, err, "'%s' must be a duration such as 10s, 250ms or 40us", key);
	if (!*unit || !strcmp(unit, "s") || !strcmp(unit, "sec"))
		scale = 1e9;
	else if (!strcmp(unit, "ms"))
		scale = 1e6;
	else if (!strcmp(unit, "us"))
		scale = 1e3;
	else if (!strcmp(unit, "ns"))
		scale = 1;
	else if (!strcmp(unit, "min"))
		scale = 60e9;
	else if (!strcmp(unit, "h"))
		scale = 3600e9;
	else
		return zs_cfg_error(n, err, "unknown time unit '%s' (use ns, us, ms, s, min or h)",
				    unit);
	if (v < 0)
		return zs_cfg_error(n, err, "'%s' cannot be negative", key);
	double ns = v * scale;
	/* (double)INT64_MAX rounds up to 2^63, which llround cannot return */
	if (ns < (double)min || ns > (double)max || ns >= 9223372036854775807.0)
		return zs_cfg_error(n, err, "'%s' = %s is out of range [%gs, %gs]", key, n->scalar,
				    (double)min / 1e9, (double)max / 1e9);
	*out = (int64_t)llround(ns);
	return 0;
}

struct zs_cfg *
zs_cfg_new_map(const char *file)
{
	struct zs_cfg *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->type = ZS_CFG_MAP;
	c->file = strdup(file);
	c->owns_file = 1;
	c->line = c->col = 1;
	return c;
}

/* Append key -> val to a map (growing its arrays). */
static int
map_append(struct zs_cfg *map, const char *key, struct zs_cfg *val)
{
	int n = map->n + 1;
	char **k = realloc(map->keys, (size_t)n * sizeof(*k));
	if (k)
		map->keys = k;
	unsigned *kl = realloc(map->key_line, (size_t)n * sizeof(*kl));
	if (kl)
		map->key_line = kl;
	unsigned *kc = realloc(map->key_col, (size_t)n * sizeof(*kc));
	if (kc)
		map->key_col = kc;
	struct zs_cfg **v = realloc(map->vals, (size_t)n * sizeof(*v));
	if (v)
		map->vals = v;
	int *u = realloc(map->used, (size_t)n * sizeof(*u));
	if (u)
		map->used = u;
	if (!k || !kl || !kc || !v || !u)
		return -1;
	map->keys[map->n] = strdup(key);
	map->key_line[map->n] = val->line;
	map->key_col[map->n] = val->col;
	map->vals[map->n] = val;
	map->used[map->n] = 0;
	map->n = n;
	return 0;
}

/* A node made by `--set assignment`: it owns the file name "--set assignment", so
 * every message about it names the argument the user typed. */
static struct zs_cfg *
set_node(enum zs_cfg_type type, const char *assignment)
{
	struct zs_cfg *c = calloc(1, sizeof(*c));
	size_t len = strlen(assignment) + 7;
	char *file = malloc(len);

	if (!c || !file) {
		free(c);
		free(file);
		return NULL;
	}
	snprintf(file, len, "--set %s", assignment);
	c->type = type;
	c->file = file;
	c->owns_file = 1;
	c->line = c->col = 1;
	return c;
}

int
zs_cfg_set(struct zs_cfg *root, const char *assignment, struct zs_error *err)
{
	const char *eq = strchr(assignment, '=');
	char path[512];
	struct zs_cfg *node = root;

	if (!eq || eq == assignment || (size_t)(eq - assignment) >= sizeof(path))
		return zs_error_set(err, EX_USAGE, "--set wants key.path=value, got '%s'",
				    assignment);
	memcpy(path, assignment, (size_t)(eq - assignment));
	path[eq - assignment] = '\0';
	char *save = NULL;
	char *part = strtok_r(path, ".", &save);
	while (part) {
		char *next = strtok_r(NULL, ".", &save);
		struct zs_cfg *child = NULL;

		if (node->type == ZS_CFG_SEQ) {
			char *end;
			long i = strtol(part, &end, 10);
			if (*end || i < 0 || i >= node->n)
				return zs_error_set(err, EX_USAGE,
						    "--set %s: '%s' is not an index of that list (0..%d)",
						    assignment, part, node->n - 1);
			child = node->vals[i];
			if (!next) {
				if (child->type != ZS_CFG_SCALAR)
					return zs_error_set(err, EX_USAGE,
							    "--set %s: that entry is not a single value",
							    assignment);
				struct zs_cfg *v = set_node(ZS_CFG_SCALAR, assignment);
				if (!v || !(v->scalar = strdup(eq + 1))) {
					zs_cfg_free(v);
					return zs_error_set(err, EX_OSERR, "out of memory");
				}
				zs_cfg_free(child);
				node->vals[i] = v;
				return 0;
			}
		} else if (node->type == ZS_CFG_MAP) {
			int i = map_find(node, part);

			if (!next) {
				struct zs_cfg *v = set_node(ZS_CFG_SCALAR, assignment);
				if (!v || !(v->scalar = strdup(eq + 1))) {
					zs_cfg_free(v);
					return zs_error_set(err, EX_OSERR, "out of memory");
				}
				v->col = (unsigned)(eq - assignment) + 2;
				if (i >= 0) {
					zs_cfg_free(node->vals[i]);
					node->vals[i] = v;
				} else if (map_append(node, part, v)) {
					zs_cfg_free(v);
					return zs_error_set(err, EX_OSERR, "out of memory");
				}
				return 0;
			}
			if (i >= 0) {
				child = node->vals[i];
			} else {
				child = set_node(ZS_CFG_MAP, assignment);
				if (!child)
					return zs_error_set(err, EX_OSERR, "out of memory");
				if (map_append(node, part, child)) {
					zs_cfg_free(child);
					return zs_error_set(err, EX_OSERR, "out of memory");
				}
			}
		} else {
			return zs_error_set(err, EX_USAGE, "--set %s: '%s' is inside a single value",
					    assignment, part);
		}
		node = child;
		part = next;
	}
	return 0;
}

/* Point every node of a subtree at a file name that outlives its old root. */
static void
set_file(struct zs_cfg *c, const char *file)
{
	if (!c)
		return;
	if (c->owns_file)
		free((char *)c->file);
	c->owns_file = 0;
	c->file = file;
	for (int i = 0; i < c->n; i++)
		set_file(c->vals[i], file);
}

int
zs_cfg_graft(struct zs_cfg *dst, const char *key, struct zs_cfg *src, const char *srckey,
	     struct zs_error *err)
{
	int si = map_find(src, srckey), di = map_find(dst, key);
	struct zs_cfg *v;

	if (si < 0)
		return zs_error_set(err, EX_SOFTWARE, "graft: no key '%s'", srckey);
	v = src->vals[si];
	src->vals[si] = NULL;
	src->keys[si][0] = '\0';
	/* src's file name dies with src; the grafted part is named by its key */
	set_file(v, "(command line)");
	if (di >= 0) {
		zs_cfg_free(dst->vals[di]);
		dst->vals[di] = v;
	} else if (map_append(dst, key, v)) {
		zs_cfg_free(v);
		return zs_error_set(err, EX_OSERR, "out of memory");
	}
	return 0;
}

int
zs_cfg_remove(struct zs_cfg *map, const char *key)
{
	int i = map_find(map, key);

	if (i < 0)
		return 0;
	free(map->keys[i]);
	zs_cfg_free(map->vals[i]);
	for (int j = i + 1; j < map->n; j++) {
		map->keys[j - 1] = map->keys[j];
		map->vals[j - 1] = map->vals[j];
		map->key_line[j - 1] = map->key_line[j];
		map->key_col[j - 1] = map->key_col[j];
		map->used[j - 1] = map->used[j];
	}
	map->n--;
	return 1;
}
