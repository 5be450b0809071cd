#include "view.h"

#include <string.h>

#include "../util/alloc.h"

static struct view *view_new(struct arena *a, enum view_kind kind)
{
	struct view *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	return v;
}

/* Null and the booleans are shared by every tree: nothing changes a view
 * that is neither a map nor a list. */
static struct view view_null_v = {.kind = VIEW_NULL};
static struct view view_false_v = {.kind = VIEW_BOOL, .boolean = false};
static struct view view_true_v = {.kind = VIEW_BOOL, .boolean = true};

struct view *view_null(struct arena *a)
{
	(void)a;
	return &view_null_v;
}

struct view *view_bool(struct arena *a, bool b)
{
	(void)a;
	return b ? &view_true_v : &view_false_v;
}

struct view *view_number(struct arena *a, double d, const char *text)
{
	struct view *v = view_new(a, VIEW_NUMBER);
	v->number = d;
	v->text = arena_strdup(a, text);
	v->len = strlen(text);
	return v;
}

struct view *view_stringn(struct arena *a, const char *s, size_t len)
{
	return view_string_borrowed(a, arena_strndup(a, s, len), len);
}

struct view *view_string(struct arena *a, const char *s)
{
	return view_stringn(a, s, strlen(s));
}

struct view *view_string_borrowed(struct arena *a, const char *s, size_t len)
{
	struct view *v = view_new(a, VIEW_STRING);
	v->text = s;
	v->len = len;
	return v;
}

struct view *view_list(struct arena *a)
{
	return view_new(a, VIEW_LIST);
}

struct view *view_lazy_list(struct arena *a, size_t n, const struct view_source *source)
{
	struct view *v = view_new(a, VIEW_LIST);
	struct view_source *copy = arena_alloc(a, sizeof(*copy));

	*copy = *source;
	v->source = copy;
	v->n = n;
	return v;
}

struct view *view_keep(struct view *v)
{
	size_t i;

	/* A list made on demand makes new items each time: never kept. */
	if (!v || v->kept || v->source || (v->kind != VIEW_MAP && v->kind != VIEW_LIST))
		return v;
	v->kept = true;
	for (i = 0; i < v->n; i++)
		view_keep(v->kind == VIEW_MAP ? v->pairs[i].value : v->items[i]);
	return v;
}

struct view *view_map(struct arena *a)
{
	return view_new(a, VIEW_MAP);
}

/* Arena arrays cannot be realloc'd in place: copy to a doubled block.  The
 * old block is wasted until the arena is released, which costs at most as
 * much again as the final array. */
static void *arena_grow(struct arena *a, void *old, size_t elem, size_t n, size_t *cap)
{
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = arena_alloc(a, ncap * elem);
	if (old)
		memcpy(p, old, n * elem);
	*cap = ncap;
	return p;
}

struct view *view_push(struct arena *a, struct view *list, struct view *item)
{
	if (list->n == list->cap)
		list->items = arena_grow(a, list->items, sizeof(*list->items), list->n, &list->cap);
	list->items[list->n++] = item;
	return item;
}

/* A map's hash index: 2 * cap slots after pairs[cap], each empty (atom 0)
 * or an atom id and the value of the last pair set with it.  Linear
 * probing; at most half full, since n <= cap. */
static bool map_has_index(const struct view *m)
{
	return view_map_has_index(m);
}

/* Point the index at pairs[i], replacing an earlier pair of the same key. */
static void index_put(struct view *m, size_t i)
{
	struct view_slot *ix = m->index;
	uint32_t atom = m->pairs[i].atom;
	size_t j = view_index_home(atom, m->ishift);

	/* As view_map_lookup(): the mask only past the home slot. */
	if (ix[j].atom && ix[j].atom != atom) {
		uint32_t mask = UINT32_MAX >> m->ishift;

		do
			j = (j + 1) & mask;
		while (ix[j].atom && ix[j].atom != atom);
	}
	ix[j].atom = atom;
	ix[j].value = m->pairs[i].value;
}

/* Make room for cap pairs, a power of two (and rebuild the index); as
 * arena_grow().  Only the index is zeroed: pairs past n are never read. */
static void map_reserve(struct arena *a, struct view *m, size_t cap)
{
	size_t i, nix = cap >= VIEW_INDEX_MIN ? 2 * cap : 0;
	struct view_pair *pairs = arena_take(a, cap * sizeof(*pairs) + nix * sizeof(struct view_slot));
	unsigned bits = 0;

	if (m->n)
		memcpy(pairs, m->pairs, m->n * sizeof(*pairs));
	m->pairs = pairs;
	m->cap = cap;
	m->index = NULL;
	if (!nix)
		return;
	m->index = (struct view_slot *)(pairs + cap);
	memset(m->index, 0, nix * sizeof(struct view_slot));
	while (((size_t)1 << bits) < nix)
		bits++;
	m->ishift = (unsigned char)(32 - bits);
	for (i = 0; i < m->n; i++)
		index_put(m, i);
}

/* Double the pairs. */
static void map_grow(struct arena *a, struct view *m)
{
	map_reserve(a, m, m->cap ? m->cap * 2 : 4);
}

struct view *view_map_sized(struct arena *a, size_t n)
{
	struct view *v = view_new(a, VIEW_MAP);
	size_t cap = 4;

	while (cap < n)
		cap *= 2;
	map_reserve(a, v, cap);
	return v;
}

struct view *view_map_copy(struct arena *a, const struct view *m, size_t extra)
{
	struct view *v = view_map_sized(a, m->n + extra);
	size_t i;

	if (m->n)
		memcpy(v->pairs, m->pairs, m->n * sizeof(*m->pairs));
	v->n = m->n;
	v->bloom = m->bloom;
	if (map_has_index(v))
		for (i = 0; i < v->n; i++)
			index_put(v, i);
	return v;
}

/* Set the pair in a map with room for it. */
static inline struct view *pair_put(struct view *map, const struct atom *k, struct view *value)
{
	struct view_pair *p = &map->pairs[map->n];

	p->value = value;
	p->atom = k->id;
	map->bloom |= (uint64_t)1 << (k->id & 63);
	if (map_has_index(map))
		index_put(map, map->n);
	map->n++;
	return value;
}

/* view_set_key on a full map: out of line, so that the common case calls
 * nothing and saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static struct view *set_key_grown(struct arena *a, struct view *map, const struct atom *k,
				  struct view *value)
{
	map_grow(a, map);
	return pair_put(map, k, value);
}

struct view *view_set_key(struct arena *a, struct view *map, const struct atom *k,
			  struct view *value)
{
	if (map->n == map->cap)
		return set_key_grown(a, map, k, value);
	return pair_put(map, k, value);
}

struct view *view_set(struct arena *a, struct view *map, const char *key, struct view *value)
{
	return view_set_key(a, map, atom_intern_cstr(key), value);
}

void view_keys_intern(const char *const *names, size_t n, const struct atom **atoms)
{
	size_t i;

	for (i = 0; i < n; i++)
		atoms[i] = atom_intern(names[i], strlen(names[i]));
}

struct view *view_set_str(struct arena *a, struct view *map, const char *key, const char *s)
{
	return view_set(a, map, key, s ? view_string(a, s) : view_null(a));
}

struct view *view_set_bool(struct arena *a, struct view *map, const char *key, bool b)
{
	return view_set(a, map, key, view_bool(a, b));
}

/* An all-digit key indexes a list ("items.0"), so a template can say
 * {{#items.0}}...{{/items.0}}: "only if the list has an item". */
static uint32_t key_index(const char *key, size_t keylen)
{
	uint32_t index = 0;
	size_t i;

	if (!keylen || keylen > 9)
		return VIEW_NO_INDEX;
	for (i = 0; i < keylen; i++) {
		if (key[i] < '0' || key[i] > '9')
			return VIEW_NO_INDEX;
		index = index * 10 + (uint32_t)(key[i] - '0');
	}
	return index;
}

struct view_key view_key_intern(const char *key, size_t len)
{
	struct view_key k;

	k.atom = atom_intern(key, len)->id;
	k.index = key_index(key, len);
	return k;
}

struct view *view_get(const struct view *v, const char *key, size_t keylen)
{
	const struct atom *k;

	if (v && v->kind == VIEW_LIST)
		return view_list_item(v, key_index(key, keylen));
	if (!v || v->kind != VIEW_MAP)
		return NULL;
	/* A key never interned is in no map. */
	k = atom_find(key, keylen);
	return k ? view_map_lookup(v, k->id) : NULL;
}

bool view_truthy(const struct view *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case VIEW_NULL: return false;
	case VIEW_BOOL: return v->boolean;
	case VIEW_NUMBER: return v->number != 0;
	case VIEW_LIST: return v->n > 0;
	default: return true;
	}
}
