/*
 * view: the data a Mustache template is rendered against.
 *
 * A view is a small JSON-like tree: null, boolean, number, string, list or
 * map.  All nodes and strings of one tree live in one arena (see
 * util/arena.h) passed to every constructor; the tree is freed by releasing
 * that arena.  Map keys keep their insertion order.
 *
 * Keys are interned (util/atom.h) when they are set, so a lookup compares
 * integers, never strings: a template resolves its names to struct view_key
 * once, when it is compiled (view_key_intern), and view_lookup() then finds
 * a key in a map of a few keys by scanning their ids and in a larger map
 * through a hash index kept beside the pairs, so a map of thousands of keys
 * (the labels of a language file) costs no more per lookup than a small one.
 *
 * Threads: a view tree is not locked; build and render it on one thread.
 * Different threads may build and read different trees at once (the intern
 * table they share is safe for that).
 */
#ifndef BRIEFGEN_VIEW_H
#define BRIEFGEN_VIEW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/atom.h"

enum view_kind {
	VIEW_NULL,
	VIEW_BOOL,
	VIEW_NUMBER,   /* text holds the number as it is printed */
	VIEW_STRING,
	VIEW_LIST,
	VIEW_MAP
};

struct view;

/*
 * A list whose items are made one at a time while a template iterates it,
 * in a scratch arena that is emptied after each item is rendered, so a
 * table of ten thousand partners never holds ten thousand views at once.
 * Only {{#list}} iteration and truthiness see the items; an index
 * ("list.0") of such a list is absent.
 */
struct view_source {
	struct view *(*item)(void *ud, size_t i, struct arena *scratch);
	void *ud;
	/*
	 * For renders that keep fragments (mustache_env_keep_fragments); both
	 * optional.  id names the list for as long as the fragments are kept
	 * (the same list in every render, whatever view_lazy_list made it);
	 * stamp(ud, i) names item i's data: the same value only while item()
	 * would make the same view for it, never reused for other data (0:
	 * do not keep this item).  A list without id or stamp keeps nothing.
	 */
	const void *id;
	uint64_t (*stamp)(void *ud, size_t i);
};

/* A pair of a map: the key is its atom id alone (what lookups compare; its
 * string is the atom's, util/atom.h), so that a pair is 16 bytes. */
struct view_pair {
	struct view *value;
	uint32_t atom;
};

/* A slot of a map's hash index (render/view.c): the atom id of a key (0:
 * empty) and the value its last pair set. */
struct view_slot {
	uint32_t atom;
	struct view *value;
};

struct view {
	enum view_kind kind;
	bool boolean;            /* VIEW_BOOL */
	bool kept;               /* VIEW_MAP, VIEW_LIST: view_keep() was called */
	unsigned char ishift;    /* VIEW_MAP with an index: 32 - log2(its slots) */
	/* What renders found out about the text (VIEW_PLAIN_*, below): the
	 * one field a render writes (render/mustache.c), atomic because
	 * threads may render one tree at once. */
	_Atomic unsigned char plain;
	union {
		double number;   /* VIEW_NUMBER: for truthiness (0 is falsy) */
		uint64_t bloom;  /* VIEW_MAP: bit id % 64 set for each key's atom id,
				  * so most lookups of a key it lacks stop here */
	};
	const char *text;        /* VIEW_STRING, VIEW_NUMBER: NUL-terminated */
	size_t len;              /* length of text; 0 for every other kind
				  * (render/mustache.c prints by it) */
	union {
		struct view **items;        /* VIEW_LIST */
		struct view_slot *index;    /* VIEW_MAP: its hash index, 2 * cap slots
					     * after pairs[cap] when cap >=
					     * VIEW_INDEX_MIN, else NULL */
	};
	struct view_pair *pairs; /* VIEW_MAP */
	size_t n, cap;           /* items or pairs in use, allocated */
	const struct view_source *source;   /* VIEW_LIST made on demand, or NULL */
};

/*
 * The bits of view.plain: the text of a string or number (or a boolean's
 * word) comes out of an escape unchanged, nothing in it to replace, so a
 * render copies it.  Set by a render that escaped the text and found its
 * output as long as the text (escapes only insert), never cleared: the
 * text of a view never changes (nor the bytes a borrowed string points
 * at, while the view is in use).  Stored and read relaxed: a bit only
 * ever says what is true, and a bit lost to another thread's store is
 * found again by the next render.
 */
#define VIEW_PLAIN_HTML 1u   /* buf_add_html (util/buf.h) */
#define VIEW_PLAIN_MD 2u     /* markdown_escape (render/markdown.h) */

/* Null and the two booleans are shared, static views (a is not used): they
 * are never changed but for their plain bits (atomic, above), and they
 * outlive every arena. */
struct view *view_null(struct arena *a);
struct view *view_bool(struct arena *a, bool b);
struct view *view_number(struct arena *a, double d, const char *text);
/* The string is copied into the arena. */
struct view *view_string(struct arena *a, const char *s);
struct view *view_stringn(struct arena *a, const char *s, size_t len);
/* Borrow s without copying: it must outlive the view, unchanged. */
struct view *view_string_borrowed(struct arena *a, const char *s, size_t len);
struct view *view_list(struct arena *a);
/* A list of n items made by source->item() on demand (source is copied). */
struct view *view_lazy_list(struct arena *a, size_t n, const struct view_source *source);
struct view *view_map(struct arena *a);
/* A map with room for n pairs before it grows (the same map otherwise). */
struct view *view_map_sized(struct arena *a, size_t n);
/* A new map with the pairs of map m (borrowed: its values are shared), in
 * their order, and room for extra more. */
struct view *view_map_copy(struct arena *a, const struct view *m, size_t extra);

/*
 * Promise that the map or list v (and everything under it) is never changed
 * again and outlives every fragment a render keeps (mustache.h), so a
 * kept fragment that looked it up may compare it by identity.  Marks the
 * whole tree; returns v.
 */
struct view *view_keep(struct view *v);

/* Append to a list; returns item. */
struct view *view_push(struct arena *a, struct view *list, struct view *item);
/* Set key in a map (the key is copied; a later set of the same key wins
 * for lookups because view_get searches from the end); returns value. */
struct view *view_set(struct arena *a, struct view *map, const char *key, struct view *value);
/* view_set with the key already interned (k, from atom_intern or
 * view_keys_intern): no string is hashed or compared.  Returns value. */
struct view *view_set_key(struct arena *a, struct view *map, const struct atom *k,
			  struct view *value);
/* Intern the n keys names[i] into atoms[i], once, for view_set_key: a
 * caller that sets the same keys again and again (a page's views) resolves
 * its table of key names at start.  names are borrowed for the call. */
void view_keys_intern(const char *const *names, size_t n, const struct atom **atoms);
/* Shorthands for view_set with a new string, bool or list. */
struct view *view_set_str(struct arena *a, struct view *map, const char *key, const char *s);
struct view *view_set_bool(struct arena *a, struct view *map, const char *key, bool b);

/* Look a key up in a map, or an all-digit key up in a list (an index);
 * NULL when absent or when v is neither.  Hashes key to find its atom: where
 * the same key is looked up often, resolve it once with view_key_intern()
 * and use view_lookup(). */
struct view *view_get(const struct view *v, const char *key, size_t keylen);

/* A key resolved for view_lookup(): its atom id, and the list index that it
 * names when it is at most 9 digits ("items.0"), else VIEW_NO_INDEX. */
struct view_key {
	uint32_t atom;
	uint32_t index;
};
#define VIEW_NO_INDEX UINT32_MAX

/* Maps with room for at least this many pairs (more than half as many set)
 * get a hash index; smaller maps are scanned, comparing atom ids. */
#define VIEW_INDEX_MIN 16

/* Resolve the len bytes at key (borrowed for the call; interned). */
struct view_key view_key_intern(const char *key, size_t len);

/* view_get() with a resolved key: no string is read or compared.  Inline:
 * a render looks up every name of a template this way (the helpers below
 * are view.c's, here only for that). */
static inline struct view *view_lookup(const struct view *v, struct view_key key);

static inline bool view_map_has_index(const struct view *m)
{
	return m->index != NULL;
}

/* Where a map's index starts looking for atom: Fibonacci hashing, so that
 * the consecutive ids of keys interned together fall apart. */
static inline size_t view_index_home(uint32_t atom, unsigned ishift)
{
	return (uint32_t)(atom * 0x9e3779b1u) >> ishift;
}

static inline struct view *view_map_lookup(const struct view *m, uint32_t atom)
{
	size_t i;

	if (!((m->bloom >> (atom & 63)) & 1))
		return NULL;
	if (m->index) {
		/* Linear probing; the slot holds the value, so a hit reads
		 * nothing else.  The index is at most half full. */
		const struct view_slot *ix = m->index;

		uint32_t mask;

		/* The home slot first: the mask is needed past it only. */
		i = view_index_home(atom, m->ishift);
		if (ix[i].atom == atom)
			return ix[i].value;
		if (!ix[i].atom)
			return NULL;
		mask = UINT32_MAX >> m->ishift;
		for (i = (i + 1) & mask;; i = (i + 1) & mask) {
			if (ix[i].atom == atom)
				return ix[i].value;
			if (!ix[i].atom)
				return NULL;
		}
	}
	/* From the end: a later set of a key wins. */
	for (i = m->n; i-- > 0;)
		if (m->pairs[i].atom == atom)
			return m->pairs[i].value;
	return NULL;
}

static inline struct view *view_list_item(const struct view *v, uint32_t index)
{
	if (index == VIEW_NO_INDEX || v->source || index >= v->n)
		return NULL;
	return v->items[index];
}

static inline struct view *view_lookup(const struct view *v, struct view_key key)
{
	if (!v)
		return NULL;
	if (v->kind == VIEW_MAP)
		return view_map_lookup(v, key.atom);
	if (v->kind == VIEW_LIST)
		return view_list_item(v, key.index);
	return NULL;
}

/* Mustache truthiness: null, false, 0, "" (empty string is truthy in the
 * spec, so only null/false/empty list are falsy; see view.c) */
bool view_truthy(const struct view *v);

#endif
