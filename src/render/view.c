#include "view.h"

#include <string.h>

#include "../util/alloc.h"

static struct view *view_new(struct arena *a, enum view_kind kind)
{
	struct view *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	return v;
}

struct view *view_null(struct arena *a)
{
	return view_new(a, VIEW_NULL);
}

struct view *view_bool(struct arena *a, bool b)
{
	struct view *v = view_new(a, VIEW_BOOL);
	v->boolean = b;
	return v;
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

struct view *view_set(struct arena *a, struct view *map, const char *key, struct view *value)
{
	if (map->n == map->cap)
		map->pairs = arena_grow(a, map->pairs, sizeof(*map->pairs), map->n, &map->cap);
	map->pairs[map->n].key = arena_strdup(a, key);
	map->pairs[map->n].keylen = strlen(key);
	map->pairs[map->n].value = value;
	map->n++;
	return value;
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
static struct view *list_index(const struct view *v, const char *key, size_t keylen)
{
	size_t i, index = 0;

	if (!keylen || keylen > 9 || v->source)
		return NULL;
	for (i = 0; i < keylen; i++) {
		if (key[i] < '0' || key[i] > '9')
			return NULL;
		index = index * 10 + (size_t)(key[i] - '0');
	}
	return index < v->n ? v->items[index] : NULL;
}

struct view *view_get(const struct view *v, const char *key, size_t keylen)
{
	size_t i;

	if (v && v->kind == VIEW_LIST)
		return list_index(v, key, keylen);
	if (!v || v->kind != VIEW_MAP)
		return NULL;
	for (i = v->n; i-- > 0;) {
		const struct view_pair *p = &v->pairs[i];
		if (p->keylen == keylen && memcmp(p->key, key, keylen) == 0)
			return p->value;
	}
	return NULL;
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
