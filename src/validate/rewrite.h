/*
 * rewrite: what a person wrote, read the way they meant it, so a hint can
 * give the value back in the form briefgen reads.
 *
 * A secretary writes dates as "24-10-2006", "24.10.2006" or "24. oktober
 * 2006", amounts as "ca. 50.000 kr." or "1,5 mio. kr.", and enum values in
 * Danish ("fortsættes", "årlig").  None of these is accepted as a value (the
 * file format has one spelling for each); these functions only find what
 * was meant, for "write 2006-10-24".  Nothing here allocates.
 */
#ifndef BRIEFGEN_REWRITE_H
#define BRIEFGEN_REWRITE_H

#include <stdbool.h>

/* A date written day first ("24-10-2006", "24/10/2006", "24.10.06", "24.
 * oktober 2006", "24 Oct 2006"), year first ("2006/10/24", "2006-10-4") or
 * month first with the day past 12 ("10/24/2006", "October 24, 2006").
 * True with the parts (the date may still not exist: 2006-02-30); false
 * when s is not a date in any form recognised. */
bool rewrite_date(const char *s, int *year, int *month, int *day);

/* What a kind word before an amount says. */
enum rewrite_kind { REWRITE_PLAIN, REWRITE_ESTIMATE, REWRITE_MAX };

/* An amount written with words, separators or a unit: "50.000 kr.",
 * "ca. 50.000", "max. 200.000 kr.", "1,5 mio. kr.", "50 000", "DKK 50,000",
 * "450 t.kr.".  True with the whole kroner meant (*exact false when øre
 * were rounded away) and the kind the words say; false when s is not such
 * an amount (only digits is not one either: that needs no rewriting). */
bool rewrite_amount(const char *s, long long *value, bool *exact, enum rewrite_kind *kind);

/* The value of values (a NULL-ended enum list) that word, a Danish (or
 * English) word a secretary would write for it, means: "fortsættes" is
 * "continue", "årlig" is "yearly".  Case and a final '.' do not matter.
 * NULL when it is none of them. */
const char *rewrite_enum_word(const char *word, const char *const *values);

#endif
