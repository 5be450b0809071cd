#include "node.h"
#include "../util/intl.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

struct node_index {
	size_t mask;         /* slots - 1, slots a power of two */
	uint32_t slot[];     /* a pair's number + 1; 0: empty */
};

/* FNV-1a of a C string. */
static size_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (size_t)(h ^ (h >> 32));
}

const struct node_index *node_index_new(struct arena *arena, const struct node_pair *pairs,
					size_t n)
{
	size_t cap = 16, i, k;
	struct node_index *x;

	while (cap < 2 * n)   /* at most half full: short probes */
		cap *= 2;
	x = arena_alloc(arena, sizeof(*x) + cap * sizeof(x->slot[0]));
	x->mask = cap - 1;
	for (i = 0; i < n; i++) {
		for (k = key_hash(pairs[i].key->value) & x->mask; x->slot[k]; k = (k + 1) & x->mask)
			;
		x->slot[k] = (uint32_t)(i + 1);
	}
	return x;
}

struct node *node_get(const struct node *map, const char *key)
{
	const struct node_pair *p;
	size_t i, k;

	if (!map || map->kind != NODE_MAP)
		return NULL;
	if (map->index) {
		const struct node_index *x = map->index;

		for (k = key_hash(key) & x->mask; x->slot[k]; k = (k + 1) & x->mask) {
			p = &map->pairs[x->slot[k] - 1];
			if (strcmp(p->key->value, key) == 0)
				return p->value;
		}
		return NULL;
	}
	for (i = 0; i < map->n; i++) {
		p = &map->pairs[i];
		if (p->key->value[0] == key[0] && strcmp(p->key->value, key) == 0)
			return p->value;
	}
	return NULL;
}

const char *node_kind_name(enum node_kind kind)
{
	switch (kind) {
	/* TRANSLATORS: the three kinds of YAML value, put into messages such
	 * as "'amount' must be a number, not a list". */
	case NODE_SCALAR: return _("a scalar");
	case NODE_SEQ: return _("a list");
	case NODE_MAP: return _("a mapping");
	}
	return "?";
}

/*
 * The column just past a scalar written on one line, or 0: a plain scalar
 * is its characters; a quoted one also its two quotes, which is right when
 * it holds no escape (the report finds the closing quote in the source).
 * A value with a line break spans lines; a block scalar (| or >) starts on
 * the line of its indicator, not of its text; the report drops those.
 * A value holding a tab or a format character has none: the decoder points
 * at that character with a copy of the node (validate/decode.c, text_ok).
 */
static int scalar_end_col(const struct node *n)
{
	size_t i, chars = 0;

	if (!n || n->kind != NODE_SCALAR || !n->value || n->chars || n->line <= 0 || n->col <= 0)
		return 0;
	for (i = 0; i < n->len; i++) {
		if (n->value[i] == '\n' || n->value[i] == '\r')
			return 0;
		if (((unsigned char)n->value[i] & 0xC0) != 0x80)
			chars++;
	}
	if (!chars && n->plain)
		return 0;
	if (chars > (size_t)(INT_MAX - n->col - 2))
		return 0;
	return n->col + (int)chars + (n->plain ? 0 : 2);
}

/* diags_vadd at a node's place, with its end column. */
static size_t add_at(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		     size_t parent, const char *fmt, va_list ap)
{
	size_t seq = diags_vadd(d, sev, at ? at->file : NULL, at ? at->line : 0, at ? at->col : 0,
				hint, parent, fmt, ap);

	d->items[seq].end_col = scalar_end_col(at);
	return seq;
}

size_t diags_vat(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		 const char *fmt, va_list ap)
{
	return add_at(d, sev, at, hint, 0, fmt, ap);
}

size_t diags_at(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		const char *fmt, ...)
{
	va_list ap;
	size_t seq;

	va_start(ap, fmt);
	seq = diags_vat(d, sev, at, hint, fmt, ap);
	va_end(ap);
	return seq;
}

void diags_note(struct diags *d, size_t seq, const struct node *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_at(d, SEV_NOTE, at, NULL, seq + 1, fmt, ap);
	va_end(ap);
}
