/*
 * markdown: prose fields through cmark.
 *
 * HTML keeps cmark's safe mode on: raw HTML is dropped and javascript:,
 * vbscript:, file: and data: links are emptied.  cmark's CommonMark
 * renderer does not filter, so for Markdown output the same nodes are
 * removed from the tree before rendering.  Headings inside prose are
 * shifted below the page's own (a "#" in a partner's body becomes an <h3>
 * under the page's <h2>), so the outline stays in order.
 *
 * Input sizes are capped by the schema (SCHEMA_MAX_PROSE): cmark 0.30 has
 * quadratic cases that stay fast at that size.
 */
#ifndef BRIEFGEN_MARKDOWN_H
#define BRIEFGEN_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"

/* Append src rendered as HTML; headings start at level min_heading (1-6). */
void markdown_html(const char *src, size_t len, int min_heading, struct buf *out);
/* Append src normalised as CommonMark, with raw HTML and unsafe links
 * removed; no trailing newline. */
void markdown_commonmark(const char *src, size_t len, int min_heading, struct buf *out);
/* Both at once, parsing only once.  Either out may be NULL.  Both drop
 * bidirectional controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C), which
 * validation only warns about in prose: they cannot reorder the page.
 *
 * The Markdown is src itself (without its trailing line breaks) when cmark's
 * CommonMark renderer is known to write exactly that (plain paragraphs with
 * emphasis, strong, code and links, nothing escaped, nothing removed or
 * shifted); otherwise it comes from the renderer.  The bytes are the same
 * either way.  Returns true when the Markdown was copied from src. */
bool markdown_render(const char *src, size_t len, int min_heading, struct buf *html,
		     struct buf *md);
/* markdown_render() for a field being validated too: the link check of
 * validation (validate/links.h) runs on the same parse.  Returns the first
 * refused link destination (malloc'd; nothing is appended), or NULL after
 * rendering. */
char *markdown_prose(const char *src, size_t len, int min_heading, struct buf *html,
		     struct buf *md);
/* The Markdown of src (headings not shifted) as cmark's CommonMark renderer
 * writes it, written without the renderer, appended to md: what
 * markdown_render() does for prose it cannot copy, such as a bullet list
 * under a paragraph.  Returns false, appending nothing, where it cannot
 * (then the renderer runs).  For tests. */
bool markdown_write(const char *src, size_t len, struct buf *md);
/* markdown_render() that always runs the CommonMark renderer, for tests
 * that compare the two. */
void markdown_render_rendered(const char *src, size_t len, int min_heading, struct buf *html,
			      struct buf *md);
/* Whether the scans of text may go 32 bytes at a time with AVX2 where the
 * processor has it (the default); for tests of the other way.  Not to be
 * changed while another thread renders. */
void markdown_scan_wide(bool on);
/* Append s escaped so that CommonMark shows it literally (ASCII
 * punctuation that could start markup gets a backslash). */
void markdown_escape(const char *s, size_t len, struct buf *out);
/*
 * Append url as a CommonMark link destination that stays whole: as it is
 * when nothing in it could end the link, else in the pointy form <...>
 * with spaces, '<', '>' and control characters percent-encoded and '\\'
 * escaped, so `)` or a space never cuts the link short.
 */
void markdown_link_destination(const char *url, size_t len, struct buf *out);

#endif
