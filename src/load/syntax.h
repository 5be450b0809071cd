/*
 * syntax: a YAML syntax error told in a secretary's words.
 *
 * libyaml says "did not find expected '-' indicator while parsing a block
 * collection"; a person needs to hear which line is out of place and how
 * far to indent it ("'amount:' is indented 3 spaces, but the keys in the
 * list item on line 6 are indented 4").  The loader gives libyaml's problem
 * and the places it marked; this module reads the lines of the file around
 * them and adds one error of its own, always at a line and column, with a
 * hint that says what to write.  libyaml's own words are never shown.
 */
#ifndef BRIEFGEN_SYNTAX_H
#define BRIEFGEN_SYNTAX_H

#include <stddef.h>

#include "../diag/diag.h"

struct syntax_error {
	const char *display;            /* the file as shown */
	const char *text;               /* the whole file (valid UTF-8), len bytes */
	size_t len;
	const char *problem, *context;  /* libyaml's texts, or NULL */
	int line, col;                  /* where libyaml found the problem, 1-based */
	int context_line, context_col;  /* where what it was reading began; 0: not known */
};

/* Report e as one error in d; returns its seq (diags_add).  Borrows e. */
size_t syntax_report(const struct syntax_error *e, struct diags *d);

#endif
