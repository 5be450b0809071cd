/*
 * bytes: eight bytes at a time, for the scans that skip plain text.
 *
 * Each test says whether any of the eight bytes of a word has a property;
 * not which one.  A scan uses them to step over eight plain bytes at once
 * and looks at a word that fails byte by byte.  Header-only.
 */
#ifndef BRIEFGEN_BYTES_H
#define BRIEFGEN_BYTES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define BYTES_ONES UINT64_C(0x0101010101010101)
#define BYTES_HIGHS UINT64_C(0x8080808080808080)

/* The eight bytes at p, in any order (every test is about all of them). */
static inline uint64_t bytes_load8(const void *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* Is any byte 0x80 or more? */
static inline bool bytes_any_high(uint64_t w)
{
	return (w & BYTES_HIGHS) != 0;
}

/* Is any byte below n (1 <= n <= 128)?  Exact as a yes/no, also when some
 * bytes are 0x80 or more. */
static inline bool bytes_any_below(uint64_t w, unsigned n)
{
	return ((w - BYTES_ONES * n) & ~w & BYTES_HIGHS) != 0;
}

/* Is any byte c? */
static inline bool bytes_any_eq(uint64_t w, unsigned char c)
{
	return bytes_any_below(w ^ (BYTES_ONES * c), 1);
}

/* Are all eight bytes printable ASCII, ' ' to '~'? */
static inline bool bytes_all_printable(uint64_t w)
{
	return !bytes_any_high(w) && !bytes_any_below(w, 0x20) && !bytes_any_eq(w, 0x7F);
}

#endif
