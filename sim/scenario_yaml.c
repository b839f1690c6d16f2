/*
 * scenario_yaml.c - YAML document -> struct zs_cfg tree.  The only file that
 * includes yaml.h.  Rejects what libyaml accepts silently but a scenario must
 * not contain: duplicate keys, aliases (they can be cyclic), more than one
 * document, and non-scalar keys.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <yaml.h>

#include "sim/cfg.h"

#define ZS_STR_(x) #x
#define ZS_STR(x) ZS_STR_(x)

struct loader {
	yaml_document_t *doc;
	const char *file;
	struct zs_error *err;
	int depth;
};

static struct zs_cfg *
node_new(enum zs_cfg_type type, const char *file, yaml_mark_t mark)
{
	struct zs_cfg *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->type = type;
	c->file = file;
	c->line = (unsigned)mark.line + 1;
	c->col = (unsigned)mark.column + 1;
	return c;
}

static struct zs_cfg *convert(struct loader *ld, yaml_node_t *n);

static struct zs_cfg *
convert_map(struct loader *ld, yaml_node_t *n)
{
	struct zs_cfg *c = node_new(ZS_CFG_MAP, ld->file, n->start_mark);
	int count = (int)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);

	if (!c)
		return NULL;
	c->keys = calloc((size_t)count + 1, sizeof(*c->keys));
	c->key_line = calloc((size_t)count + 1, sizeof(unsigned));
	c->key_col = calloc((size_t)count + 1, sizeof(unsigned));
	c->vals = calloc((size_t)count + 1, sizeof(*c->vals));
	c->used = calloc((size_t)count + 1, sizeof(int));
	if (!c->keys || !c->vals || !c->used || !c->key_line || !c->key_col)
		goto fail;
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(ld->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(ld->doc, p->value);

		if (k->type != YAML_SCALAR_NODE) {
			zs_error_at(ld->err, ld->file, (unsigned)k->start_mark.line + 1,
				    (unsigned)k->start_mark.column + 1, "mapping keys must be plain words");
			goto fail;
		}
		const char *key = (const char *)k->data.scalar.value;
		for (int i = 0; i < c->n; i++)
			if (!strcmp(c->keys[i], key)) {
				zs_error_at(ld->err, ld->file, (unsigned)k->start_mark.line + 1,
					    (unsigned)k->start_mark.column + 1,
					    "duplicate key '%s' (first given at line %u)", key,
					    c->key_line[i]);
				goto fail;
			}
		c->keys[c->n] = strdup(key);
		c->key_line[c->n] = (unsigned)k->start_mark.line + 1;
		c->key_col[c->n] = (unsigned)k->start_mark.column + 1;
		c->vals[c->n] = convert(ld, v);
		if (!c->keys[c->n] || !c->vals[c->n]) {
			free(c->keys[c->n]);
			goto fail;
		}
		c->n++;
	}
	return c;
fail:
	zs_cfg_free(c);
	return NULL;
}

static struct zs_cfg *
convert(struct loader *ld, yaml_node_t *n)
{
	struct zs_cfg *c;

	if (++ld->depth > ZS_CFG_MAX_DEPTH + 1) {
		zs_error_at(ld->err, ld->file, (unsigned)n->start_mark.line + 1,
			    (unsigned)n->start_mark.column + 1, "nesting too deep");
		ld->depth--;
		return NULL;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		c = node_new(ZS_CFG_SCALAR, ld->file, n->start_mark);
		if (c && !(c->scalar = strdup((const char *)n->data.scalar.value))) {
			free(c);
			c = NULL;
		}
		break;
	case YAML_MAPPING_NODE:
		c = convert_map(ld, n);
		break;
	case YAML_SEQUENCE_NODE: {
		int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);

		c = node_new(ZS_CFG_SEQ, ld->file, n->start_mark);
		if (!c)
			break;
		c->vals = calloc((size_t)count + 1, sizeof(*c->vals));
		if (!c->vals) {
			zs_cfg_free(c);
			c = NULL;
			break;
		}
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			c->vals[c->n] = convert(ld, yaml_document_get_node(ld->doc, *it));
			if (!c->vals[c->n]) {
				zs_cfg_free(c);
				c = NULL;
				break;
			}
			c->n++;
		}
		break;
	}
	default:
		c = NULL;
	}
	ld->depth--;
	if (!c && !ld->err->code)
		zs_error_set(ld->err, EX_OSERR, "out of memory loading %s", ld->file);
	return c;
}

/*
 * Before building any tree, one pass over the event stream refuses what would be
 * costly or unsafe to load: aliases (they share nodes and can make cycles) and
 * nesting deeper than ZS_CFG_MAX_DEPTH, and more than ZS_CFG_MAX_NODES values (the
 * tree costs a few hundred bytes per value).  The depth is checked as each collection
 * opens, so a file of 100,000 '[' stops at the 65th instead of letting libyaml
 * build (in quadratic time) a document nobody can use.  Returns 1 on a refusal.
 */
static int
prescan(yaml_parser_t *p, const char *file, struct zs_error *err)
{
	yaml_event_t ev;
	int depth = 0;
	long nodes = 0;

	for (;;) {
		if (!yaml_parser_parse(p, &ev))
			return 0; /* the loader reports the syntax error */
		const char *why = NULL;
		if (ev.type == YAML_ALIAS_EVENT)
			why = "aliases (*name) are not supported in scenarios";
		else if ((ev.type == YAML_SEQUENCE_START_EVENT ||
			  ev.type == YAML_MAPPING_START_EVENT) &&
			 ++depth > ZS_CFG_MAX_DEPTH)
			why = "nesting too deep";
		else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT)
			depth--;
		if (!why && (ev.type == YAML_SCALAR_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
			     ev.type == YAML_MAPPING_START_EVENT) &&
		    ++nodes > ZS_CFG_MAX_NODES)
			why = "too many values in one scenario (at most " ZS_STR(ZS_CFG_MAX_NODES) ")";
		if (why) {
			zs_error_at(err, file, (unsigned)ev.start_mark.line + 1,
				    (unsigned)ev.start_mark.column + 1, "%s", why);
			yaml_event_delete(&ev);
			return 1;
		}
		int done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (done)
			return 0;
	}
}

static struct zs_cfg *
load(const char *name, const unsigned char *text, size_t len, struct zs_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc, extra;
	struct zs_cfg *root = NULL;
	char *file = strdup(name);

	if (!file) {
		zs_error_set(err, EX_OSERR, "out of memory");
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, text, len);
	if (prescan(&parser, file, err)) {
		yaml_parser_delete(&parser);
		free(file);
		return NULL;
	}
	yaml_parser_delete(&parser);

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		zs_error_at(err, file, (unsigned)parser.problem_mark.line + 1,
			    (unsigned)parser.problem_mark.column + 1, "%s%s%s",
			    parser.problem ? parser.problem : "YAML error",
			    parser.context ? " " : "", parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		free(file);
		return NULL;
	}
	yaml_node_t *top = yaml_document_get_root_node(&doc);
	if (!top) {
		zs_error_at(err, file, 1, 1, "the scenario is empty");
		goto out;
	}
	if (top->type != YAML_MAPPING_NODE) {
		zs_error_at(err, file, (unsigned)top->start_mark.line + 1,
			    (unsigned)top->start_mark.column + 1,
			    "a scenario is a mapping of keys (machine, kernel, workload, ...)");
		goto out;
	}
	struct loader ld = {&doc, file, err, 0};
	root = convert(&ld, top);
	if (root) {
		if (!yaml_parser_load(&parser, &extra)) {
			zs_error_at(err, file, (unsigned)parser.problem_mark.line + 1,
				    (unsigned)parser.problem_mark.column + 1, "%s",
				    parser.problem ? parser.problem : "YAML error");
			zs_cfg_free(root);
			root = NULL;
		} else {
			yaml_node_t *x = yaml_document_get_root_node(&extra);
			if (x) {
				zs_error_at(err, file, (unsigned)x->start_mark.line + 1,
					    (unsigned)x->start_mark.column + 1,
					    "a scenario file holds one YAML document");
				zs_cfg_free(root);
				root = NULL;
			}
			yaml_document_delete(&extra);
		}
	}
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (root)
		root->owns_file = 1;
	else
		free(file);
	return root;
}

struct zs_cfg *
zs_cfg_load_string(const char *name, const char *text, struct zs_error *err)
{
	return load(name, (const unsigned char *)text, strlen(text), err);
}

struct zs_cfg *
zs_cfg_load_file(const char *path, struct zs_error *err)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct zs_cfg *root;

	if (!f) {
		zs_error_set(err, EX_NOINPUT, "%s: %s", path, strerror(errno));
		return NULL;
	}
	/* fopen opens a directory for reading on Linux; the first read fails with EISDIR */
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		zs_error_set(err, EX_NOINPUT, "%s: %s", path, strerror(EISDIR));
		fclose(f);
		return NULL;
	}
	if (st.st_size > ZS_CFG_MAX_BYTES) {
		zs_error_set(err, EX_DATAERR, "%s: a scenario is at most %d MiB", path,
			     ZS_CFG_MAX_BYTES >> 20);
		fclose(f);
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? 2 * cap : 8192;
			char *b = realloc(buf, cap);
			if (!b) {
				free(buf);
				fclose(f);
				zs_error_set(err, EX_OSERR, "out of memory reading %s", path);
				return NULL;
			}
			buf = b;
		}
		size_t n = fread(buf + len, 1, 4096, f);
		len += n;
		if (n < 4096)
			break;
		if (len > ZS_CFG_MAX_BYTES) { /* a pipe or a device has no size to check first */
			free(buf);
			fclose(f);
			zs_error_set(err, EX_DATAERR, "%s: a scenario is at most %d MiB", path,
				     ZS_CFG_MAX_BYTES >> 20);
			return NULL;
		}
	}
	if (ferror(f)) {
		zs_error_set(err, EX_IOERR, "%s: read error", path);
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	root = load(path, (unsigned char *)buf, len, err);
	free(buf);
	return root;
}
