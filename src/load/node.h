/*
 * node: a YAML document as a positioned tree.
 *
 * Every node carries the file it came from and its 1-based line and column,
 * so every later diagnostic can point at the exact place.  All nodes and
 * strings of a tree live in the arena the loader was given; the tree is
 * freed by releasing that arena.  Scalars are kept as text: the schema, not
 * YAML 1.1's guessing, decides what type they have (`country: NO` stays the
 * string "NO").
 */
#ifndef BRIEFGEN_NODE_H
#define BRIEFGEN_NODE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "../diag/diag.h"
#include "../util/arena.h"

enum node_kind { NODE_SCALAR, NODE_SEQ, NODE_MAP };

struct node;

/*
 * Where the characters that only some fields refuse stand in the source, so
 * the decoder can point at them (the loader has the text; the decoder only
 * the tree).  Lines and columns are 1-based; 0 when the value has none.
 */
struct node_chars {
	int tab_line, tab_col;        /* the first tab of the value */
	unsigned format;              /* the first Unicode format character (text_format_name) */
	int format_line, format_col;
	size_t nformat;               /* how many the value holds */
};

/* A map's keys by hash (node.c), made by the loader for a map of at least
 * NODE_INDEX_MIN keys, so node_get does not search the i18n files' long
 * maps key by key. */
struct node_index;
#define NODE_INDEX_MIN 16

struct node_pair {
	struct node *key;    /* always a scalar */
	struct node *value;
};

struct node {
	enum node_kind kind;
	bool plain;          /* NODE_SCALAR unquoted: only plain scalars can be null/bool/number */
	bool one_line;       /* NODE_SCALAR known to hold no line break; false: not known */
	const char *file;    /* display path, in the arena */
	int line, col;       /* 1-based */
	/* NODE_SCALAR */
	const char *value;   /* NUL-terminated, may contain no NUL */
	size_t len;
	const struct node_chars *chars;   /* NULL: no tab and no format character */
	/* NODE_SEQ */
	struct node **items;
	/* NODE_MAP */
	struct node_pair *pairs;
	const struct node_index *index;   /* NULL: searched in order */
	size_t n;            /* items or pairs */
};

/* The value of key in a map, or NULL. */
struct node *node_get(const struct node *map, const char *key);
/* For the loader: an index of the n keys of pairs (keys compared as C
 * strings; the first of equal keys is the one found), in arena. */
const struct node_index *node_index_new(struct arena *arena, const struct node_pair *pairs,
					size_t n);
/* A plain scalar that YAML would read as null ("", "~", "null", "Null", "NULL").
 * Inline: asked of every value of every record. */
static inline bool node_is_null(const struct node *n)
{
	if (!n)
		return true;
	if (n->kind != NODE_SCALAR || !n->plain)
		return false;
	switch (n->len) {   /* a value holds no NUL: len is its strlen */
	case 0:
		return true;
	case 1:
		return n->value[0] == '~';
	case 4:
		return memcmp(n->value, "null", 4) == 0 || memcmp(n->value, "Null", 4) == 0 ||
		       memcmp(n->value, "NULL", 4) == 0;
	default:
		return false;
	}
}
const char *node_kind_name(enum node_kind kind);

/* Add a diagnostic at a node's place (node may be NULL: no position). */
size_t diags_at(struct diags *d, enum severity sev, const struct node *at,
		const char *hint, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
/* diags_at with a va_list, for functions that wrap it. */
size_t diags_vat(struct diags *d, enum severity sev, const struct node *at, const char *hint,
		 const char *fmt, va_list ap);
/* Attach a note to diagnostic seq at a node's place; it is printed right
 * after it. */
void diags_note(struct diags *d, size_t seq, const struct node *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

#endif
