/*
 * atom.c: an open-addressing hash table of pointers to immutable entries.
 *
 * Readers never lock.  They load the current table (acquire) and probe its
 * slots (acquire), and every entry and every table is fully written before
 * it is published with a release store, so a reader sees either NULL or a
 * complete entry.  Writers take the mutex, look again (another thread may
 * have interned the same string meanwhile), and either fill an empty slot
 * or, at half load, build a bigger table, copy the entry pointers into it
 * and publish it.  A replaced table is kept (linked from the new one, never
 * freed) because a reader may still be probing it: it stays a correct
 * snapshot of the atoms that existed when it was replaced, so a reader
 * there can at worst miss an atom interned after it started, which is the
 * same as having looked a moment earlier.  Tables double, so the old ones
 * together take less memory than the current one.
 */
#include "atom.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"

struct atom_entry {
	struct atom atom;
	uint32_t hash;
	char str[];
};

struct atom_table {
	size_t mask;                        /* slots - 1; slots is a power of two */
	struct atom_table *older;           /* the table this one replaced */
	_Atomic(struct atom_entry *) slots[];
};

/* atom_intern_cstr()'s cache: the atoms of the last pointers seen, by a
 * hash of the pointer.  A hit is checked against the bytes, so a pointer
 * that now holds another string (a reused buffer) is a miss, not a wrong
 * atom.  Only atoms of strings without NUL bytes are cached. */
#define ATOM_CACHE_BITS 8

struct atom_cache_slot {
	const char *ptr;
	const struct atom *atom;
};

static _Thread_local struct atom_cache_slot atom_cache[1u << ATOM_CACHE_BITS];

static _Atomic(struct atom_table *) atom_current;
static _Atomic uint32_t atom_n;             /* written under atom_lock */
static pthread_mutex_t atom_lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a. */
static uint32_t atom_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct atom_entry *table_find(const struct atom_table *t, const char *s, size_t len,
				     uint32_t h)
{
	size_t i = h & t->mask;
	struct atom_entry *e;

	while ((e = atomic_load_explicit(&t->slots[i], memory_order_acquire))) {
		if (e->hash == h && e->atom.len == len && !memcmp(e->atom.str, s, len))
			return e;
		i = (i + 1) & t->mask;
	}
	return NULL;
}

static struct atom_table *table_new(size_t nslots, struct atom_table *older)
{
	struct atom_table *t = xcalloc(1, sizeof(*t) + nslots * sizeof(t->slots[0]));
	size_t i;

	t->mask = nslots - 1;
	t->older = older;
	for (i = 0; i < nslots; i++)
		atomic_init(&t->slots[i], NULL);
	return t;
}

/* Put e into the first empty slot of its probe sequence (writers only). */
static void table_put(struct atom_table *t, struct atom_entry *e)
{
	size_t i = e->hash & t->mask;

	while (atomic_load_explicit(&t->slots[i], memory_order_relaxed))
		i = (i + 1) & t->mask;
	atomic_store_explicit(&t->slots[i], e, memory_order_release);
}

/* The table with room for one more atom (writers only, under the lock). */
static struct atom_table *table_room(struct atom_table *t, uint32_t n)
{
	struct atom_table *bigger;
	size_t i;

	if (t && ((size_t)n + 1) * 2 <= t->mask + 1)
		return t;
	bigger = table_new(t ? (t->mask + 1) * 2 : 256, t);
	for (i = 0; t && i <= t->mask; i++) {
		struct atom_entry *e = atomic_load_explicit(&t->slots[i], memory_order_relaxed);
		if (e)
			table_put(bigger, e);
	}
	atomic_store_explicit(&atom_current, bigger, memory_order_release);
	return bigger;
}

const struct atom *atom_find(const char *s, size_t len)
{
	const struct atom_table *t = atomic_load_explicit(&atom_current, memory_order_acquire);
	struct atom_entry *e = t ? table_find(t, s, len, atom_hash(s, len)) : NULL;

	return e ? &e->atom : NULL;
}

const struct atom *atom_intern(const char *s, size_t len)
{
	uint32_t h = atom_hash(s, len), n;
	struct atom_table *t = atomic_load_explicit(&atom_current, memory_order_acquire);
	struct atom_entry *e = t ? table_find(t, s, len, h) : NULL;

	if (e)
		return &e->atom;
	pthread_mutex_lock(&atom_lock);
	t = atomic_load_explicit(&atom_current, memory_order_relaxed);
	e = t ? table_find(t, s, len, h) : NULL;
	if (!e) {
		/* Ids cannot wrap: four billion entries do not fit in memory. */
		n = atomic_load_explicit(&atom_n, memory_order_relaxed);
		t = table_room(t, n);
		e = xmalloc(sizeof(*e) + len + 1);
		memcpy(e->str, s, len);
		e->str[len] = '\0';
		e->atom.str = e->str;
		e->atom.len = len;
		e->atom.id = n + 1;
		e->hash = h;
		table_put(t, e);
		atomic_store_explicit(&atom_n, n + 1, memory_order_relaxed);
	}
	pthread_mutex_unlock(&atom_lock);
	return &e->atom;
}

const struct atom *atom_intern_cstr(const char *s)
{
	uintptr_t h = (uintptr_t)s * (uintptr_t)0x9e3779b97f4a7c15u;
	struct atom_cache_slot *c = &atom_cache[h >> (sizeof(h) * 8 - ATOM_CACHE_BITS)];
	/* The cached atom has no NUL before its end, so strcmp (which reads
	 * no byte past s's NUL) says whether s still holds its bytes. */
	if (c->ptr == s && strcmp(c->atom->str, s) == 0)
		return c->atom;
	c->ptr = s;
	c->atom = atom_intern(s, strlen(s));
	return c->atom;
}

uint32_t atom_count(void)
{
	return atomic_load_explicit(&atom_n, memory_order_relaxed);
}
