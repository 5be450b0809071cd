/*
 * translit: the slug a person meant, from what they wrote.
 *
 * A slug is lower-case ASCII letters, digits and '-'.  A partner file named
 * "Skåne.yml" or a list item "Győr" was meant as "skaane" and "gyor": the
 * letters of the languages briefgen's partners write in are spelt out in
 * ASCII the way a Dane would (æ ae, ø oe, å aa; ö, ő o; ü, ű u; ș s; ț t;
 * ł l ...), upper case is made lower, a space, '_' or '-' becomes one '-',
 * and what has no spelling (punctuation, other scripts) is dropped.
 *
 * The input is UTF-8 (bytes that are not are dropped).  The caller frees
 * what translit_slug returns; it may be "" when nothing was left.
 */
#ifndef BRIEFGEN_TRANSLIT_H
#define BRIEFGEN_TRANSLIT_H

#include <stddef.h>

/* The slug meant by s[0..len). */
char *translit_slug(const char *s, size_t len);

/* The lower-case ASCII spelling of the letter cp beyond ASCII ("aa" for å
 * and Å), or NULL when it has none.  Static. */
const char *translit_letter(unsigned cp);

#endif
