/*
 * atom: a process-wide table of interned strings.
 *
 * Interning a string gives the one struct atom that stands for those bytes:
 * two strings are equal exactly when their atoms are the same pointer, and
 * the atom's id is a small integer (1, 2, 3, ... in the order of first
 * interning) that can index a table or be hashed without reading the
 * string.  The view keys and the names in compiled templates are interned
 * (render/view.h, render/mustache.h), so rendering compares integers, not
 * strings.
 *
 * Ownership: atoms are never freed; they live until the process exits.  The
 * table therefore grows by the distinct strings interned (a few hundred for
 * the bundled templates and language files), not by how often they are.
 *
 * Threads: every function may be called from any number of threads at once.
 * atom_find() takes no lock (it reads an immutable snapshot of the table);
 * atom_intern() takes one only when the string is new.
 */
#ifndef BRIEFGEN_ATOM_H
#define BRIEFGEN_ATOM_H

#include <stddef.h>
#include <stdint.h>

struct atom {
	const char *str;    /* NUL-terminated; may also contain NUL bytes within len */
	size_t len;
	uint32_t id;        /* 1 for the first atom, then 2, ...; never 0 */
};

/* The atom for the len bytes at s, made on first use.  Never NULL (running
 * out of memory aborts, see alloc.h).  s is borrowed for the call only. */
const struct atom *atom_intern(const char *s, size_t len);

/* atom_intern(s, strlen(s)), faster when the same s comes back again and
 * again (a string literal naming a view key): a small per-thread cache
 * keyed by the pointer skips hashing when the bytes there are still the
 * same.  s is borrowed for the call only. */
const struct atom *atom_intern_cstr(const char *s);

/* The atom for the len bytes at s, or NULL when they were never interned
 * (then no view key and no template name is equal to them). */
const struct atom *atom_find(const char *s, size_t len);

/* How many atoms exist: the largest id given out so far. */
uint32_t atom_count(void);

#endif
