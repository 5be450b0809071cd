/*
 * text: which characters a content string may hold, and how to name the
 * ones it may not without writing them.
 *
 * Two classes are refused.  Control characters (C0 but tab and line feed,
 * DEL, C1 with NEL, and the line and paragraph separators U+2028/U+2029,
 * which YAML readers disagree on) are errors in every string: the loader
 * refuses them, raw or escaped.  Unicode format characters (bidi marks,
 * embeddings, overrides and isolates, zero-width space and joiners, word
 * joiner, BOM) are invisible: the decoder refuses them in one-line fields
 * and warns about them in prose.  A diagnostic never holds the character
 * itself, only its escaped form (text_escape) and name.
 *
 * Input is valid UTF-8 (the loader checks that first).
 */
#ifndef BRIEFGEN_TEXT_H
#define BRIEFGEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* A control character: refused in every string. */
bool text_is_control(unsigned cp);
/* A Unicode format character: refused in one-line fields, warned in prose. */
bool text_is_format(unsigned cp);
/* A format character that changes the order text is shown in. */
bool text_is_bidi(unsigned cp);

/*
 * How many bytes at the start of s (len bytes) surely hold no control
 * character, tab or format character: printable ASCII, line feeds and the
 * UTF-8 characters that are none of those.  A quick skip for the checks,
 * which decode what follows it character by character.  The run ends where
 * a character text_decode would give starts, whatever the bytes are.
 */
size_t text_plain_run(const char *s, size_t len);

/* Decode the UTF-8 character at s (len > 0 bytes left); returns its length
 * (1 for a byte that is not UTF-8, given back as the byte's value). */
size_t text_decode(const char *s, size_t len, unsigned *cp);

/* The character as an escape a reader can type: "\0", "\x1b", "\u202e".
 * out has room for 12 bytes. */
void text_escape(unsigned cp, char out[12]);
/* Its name in words: "escape", "right-to-left override", or NULL. */
const char *text_char_name(unsigned cp);
/* Why the character is refused, in words, for a hint. */
const char *text_char_reason(unsigned cp);

/* What the writer most likely meant: s without control and format
 * characters and terminal escape sequences (ESC [ ... final), tabs as
 * spaces.  NULL when that is empty, longer than max bytes or more than one
 * line (a hint would not help).  The caller frees it. */
char *text_meant(const char *s, size_t len, size_t max);

/* A hint that writes what was meant or, failing that, what to do:
 * `write "Brasov": most programs cut the text at a NUL`.  malloc'd. */
char *text_hint(unsigned cp, const char *s, size_t len);

#endif
