/*
 * cfg.h - the scenario as a tree of nodes with source positions.
 *
 * scenario_yaml.c (the only file that includes yaml.h) turns a YAML document
 * into this tree; every module then reads its own part with the typed getters
 * below, which report mistakes as "file:line:col: message" (EX_DATAERR).
 * Scalars stay strings until a getter converts them, so the same getter gives
 * the same message for a YAML value and a `--set key.path=value` override.
 *
 * Invariant: a map never holds two pairs with the same key (the loader rejects
 * duplicates); every node keeps the position of its first character.
 */
#ifndef ZS_CFG_H
#define ZS_CFG_H

#include <stdint.h>

#include "sim/diag.h"

enum zs_cfg_type { ZS_CFG_SCALAR, ZS_CFG_MAP, ZS_CFG_SEQ };

/* Limits of what the loader accepts (small input must not cost much). */
#define ZS_CFG_MAX_DEPTH 64           /* nested lists and maps */
#define ZS_CFG_MAX_BYTES (8 << 20)    /* size of a scenario file */
#define ZS_CFG_MAX_NODES 250000       /* values (keys count as values) */

struct zs_cfg {
	enum zs_cfg_type type;
	const char *file;  /* shared, owned by the root */
	unsigned line, col; /* 1-based */
	char *scalar;       /* SCALAR: the text */
	int n;              /* MAP: pairs; SEQ: items */
	char **keys;        /* MAP: keys[i] */
	unsigned *key_line, *key_col;
	struct zs_cfg **vals; /* MAP: values; SEQ: items */
	int *used;          /* MAP: set when a getter read the key (for unknown-key checks) */
	int owns_file;      /* this node frees `file` (the root, and nodes a --set made) */
};

/* Load a YAML file into a tree.  NULL with err ("file:line:col: ...") on failure. */
struct zs_cfg *zs_cfg_load_file(const char *path, struct zs_error *err);
/* Load from a string (tests); `name` stands in for the file name in messages. */
struct zs_cfg *zs_cfg_load_string(const char *name, const char *text, struct zs_error *err);
void zs_cfg_free(struct zs_cfg *root);

/* New empty map node (for scenarios built in code, e.g. replay without a scenario). */
struct zs_cfg *zs_cfg_new_map(const char *file);

/*
 * Apply "a.b.c=value": walk maps (creating missing ones), index sequences with
 * a number ("workload.0.rate=5"), and set the final key to a scalar.
 */
int zs_cfg_set(struct zs_cfg *root, const char *assignment, struct zs_error *err);

/* Move src[srckey] into dst[key] (replacing what dst had there).  0 or -1 with err. */
int zs_cfg_graft(struct zs_cfg *dst, const char *key, struct zs_cfg *src, const char *srckey,
		 struct zs_error *err);

/* Remove key (and its subtree) from a map; 1 if it was there. */
int zs_cfg_remove(struct zs_cfg *map, const char *key);

/* Child of a map by key (marks it used), or NULL. */
struct zs_cfg *zs_cfg_get(struct zs_cfg *map, const char *key);

/*
 * Fail on the first key of `map` not in the NULL-terminated list `known`,
 * suggesting the nearest known key ("unknown key 'sed' (did you mean 'seed'?)").
 */
int zs_cfg_check_keys(struct zs_cfg *map, const char *const *known, struct zs_error *err);

/* Require node to be of a type; err names the position and what was expected. */
int zs_cfg_expect(struct zs_cfg *node, enum zs_cfg_type type, const char *what,
		  struct zs_error *err);

/* Report an error at a node's position. */
int zs_cfg_error(const struct zs_cfg *node, struct zs_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Typed getters: if `key` is absent the default is kept and 0 returned; a
 * present value of the wrong form or outside [min, max] is an error at its
 * position.
 */
int zs_cfg_int(struct zs_cfg *map, const char *key, int64_t min, int64_t max, int64_t *out,
	       struct zs_error *err);
int zs_cfg_uint(struct zs_cfg *map, const char *key, uint64_t min, uint64_t max, uint64_t *out,
		struct zs_error *err);
int zs_cfg_double(struct zs_cfg *map, const char *key, double min, double max, double *out,
		  struct zs_error *err);
int zs_cfg_bool(struct zs_cfg *map, const char *key, int *out, struct zs_error *err);
/* A string; *out points into the tree (valid while the tree lives). */
int zs_cfg_string(struct zs_cfg *map, const char *key, const char **out, struct zs_error *err);
/* A size in pages: "64MiB", "4GiB", "512KiB", "16384 pages", "16384" (pages). */
int zs_cfg_pages(struct zs_cfg *map, const char *key, uint64_t min, uint64_t max, uint64_t *out,
		 struct zs_error *err);
/* A duration in ns: "10s", "250ms", "40us", "100ns", "2min"; a bare number is seconds. */
int zs_cfg_duration(struct zs_cfg *map, const char *key, int64_t min, int64_t max, int64_t *out,
		    struct zs_error *err);

/* The same conversions on a scalar node itself (for sequence items). */
int zs_cfg_node_pages(struct zs_cfg *node, uint64_t *out, struct zs_error *err);
int zs_cfg_node_double(struct zs_cfg *node, double *out, struct zs_error *err);

#endif
