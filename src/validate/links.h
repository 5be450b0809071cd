/*
 * links: the link destinations written in CommonMark prose.
 *
 * A link or image in a prose field may point at an http(s) address, a
 * mailto: address or a relative path (a file of the site, a #fragment);
 * any other scheme (javascript:, data:, file:, vbscript:, ftp: ...) is an
 * error of validation, not something a page silently drops.  Written as
 * `[text](url)`, `[text][ref]` with `[ref]: url`, `<https://...>` or
 * `![alt](url)`, all are found: the text is parsed as CommonMark.
 */
#ifndef BRIEFGEN_LINKS_H
#define BRIEFGEN_LINKS_H

#include <stdbool.h>
#include <stddef.h>

/* True for an http(s) or mailto: address or a relative reference (no
 * scheme before the first '/', '?' or '#'). */
bool links_url_allowed(const char *url);

/* The first link destination in md[0..len) that links_url_allowed()
 * refuses, malloc'd (the caller frees it), or NULL when all are allowed. */
char *links_first_refused(const char *md, size_t len);

struct cmark_node;
/* The same for md already parsed into doc (borrowed, not changed): for a
 * caller that parses prose anyway, so it is parsed once. */
char *links_first_refused_in(const char *md, size_t len, struct cmark_node *doc);

#endif
