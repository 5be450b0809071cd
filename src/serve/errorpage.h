/*
 * errorpage: the page the browser shows instead of the site while the
 * content has errors.
 *
 * It counts the errors and the warnings apart and lists them apart (notes
 * with what they belong to), each in the order `briefgen check` prints them,
 * as FILE:LINE:COL, severity and message (and hint), followed by the same
 * report as the terminal shows it, source lines and carets included.  Every
 * string from the content is HTML-escaped.  The page carries the live
 * reload script (SITE_LIVE_RELOAD_SCRIPT), so fixing the file brings the
 * site back by itself.  Its style is inline: it needs no other file, and
 * long lines wrap at any width.  It is written in the message language in
 * use (serve's build thread sets the content's, util/intl.h) and says so
 * in its lang attribute.
 */
#ifndef BRIEFGEN_ERRORPAGE_H
#define BRIEFGEN_ERRORPAGE_H

#include "../util/buf.h"
#include "../diag/diag.h"

/* Append the page for diags (sorted, as diags_sort leaves them) found in
 * the content folder dir to out. */
void errorpage_render(struct buf *out, const struct diags *diags, const char *dir);

#endif
