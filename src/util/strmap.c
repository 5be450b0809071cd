#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void strmap_init(struct strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void strmap_release(struct strmap *m)
{
	free(m->slots);
	strmap_init(m);
}

static uint64_t load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static uint64_t load4(const char *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/*
 * Eight bytes a step (the keys are slugs and paths of tens of bytes, which
 * byte by byte cost three or four instructions each): the words of s, its
 * last bytes in one word overlapping the one before (or, under eight, in
 * two overlapping halves or three single bytes) and its length, then
 * MurmurHash3's final mix, so every byte reaches the low bits the table
 * uses.
 */
static uint64_t hash(const char *s)
{
	const uint64_t k = 0x9E3779B97F4A7C15ull;
	size_t len = strlen(s), i;
	uint64_t h = len * k, w;

	for (i = 0; i + 8 < len; i += 8)
		h = (h ^ load8(s + i)) * k;
	if (len >= 8)
		w = load8(s + len - 8);
	else if (len >= 4)
		w = load4(s) | load4(s + len - 4) << 32;
	else if (len)
		w = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
		    (uint64_t)(unsigned char)s[len - 1] << 16;
	else
		w = 0;
	h = (h ^ w) * k;
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	h ^= h >> 33;
	return h;
}

static struct strmap_slot *find(struct strmap_slot *slots, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);

	while (slots[i].key && strcmp(slots[i].key, key))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	struct strmap_slot *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(slots, cap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

void strmap_set(struct strmap *m, const char *key, size_t value)
{
	struct strmap_slot *s;

	/* Keep the load under one half so probes stay short. */
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	s = find(m->slots, m->cap, key);
	if (!s->key) {
		s->key = key;
		m->n++;
	}
	s->value = value;
}

bool strmap_get(const struct strmap *m, const char *key, size_t *value)
{
	const struct strmap_slot *s;

	if (!m->cap)
		return false;
	s = find(m->slots, m->cap, key);
	if (!s->key)
		return false;
	if (value)
		*value = s->value;
	return true;
}
