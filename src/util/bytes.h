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
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/*
 * How many of the eight bytes at p, from the first on, are printable ASCII
 * (0 to 8).  Each test above marks its first byte exactly (a borrow only
 * carries upwards), so on a little-endian machine the lowest mark of the
 * three is the first byte that is not printable.
 */
static inline unsigned bytes_printable_prefix(const void *p)
{
	uint64_t w = bytes_load8(p);
	uint64_t del = w ^ (BYTES_ONES * 0x7F);
	uint64_t m = (w & BYTES_HIGHS) | ((w - BYTES_ONES * 0x20) & ~w & BYTES_HIGHS) |
		     ((del - BYTES_ONES) & ~del & BYTES_HIGHS);
	unsigned k = 0;

	if (!m)
		return 8;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	(void)k;
	return (unsigned)__builtin_ctzll(m) / 8;
#else
	while (((const unsigned char *)p)[k] >= 0x20 && ((const unsigned char *)p)[k] < 0x7F)
		k++;
	return k;
#endif
}

/*
 * How many of the sixteen bytes at p, from the first on, are printable
 * ASCII or one of the bytes a and b (0 to 16): a scan over text that is
 * mostly plain lines.  It may say fewer than there are (without SSE2 it
 * stops at the first a or b), never more: the caller looks at the byte it
 * stops at byte by byte.
 */
static inline unsigned bytes_plain_prefix16(const void *p, unsigned char a, unsigned char b)
{
#ifdef __SSE2__
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	__m128i ok = _mm_or_si128(
		_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x1F)),
			      _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F))),
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)a)),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8((char)b))));
	unsigned bad = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;

	return bad ? (unsigned)__builtin_ctz(bad) : 16;
#else
	unsigned k = bytes_printable_prefix(p);

	(void)a;
	(void)b;
	return k < 8 ? k : 8 + bytes_printable_prefix((const unsigned char *)p + 8);
#endif
}

#endif
