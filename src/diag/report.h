/*
 * report: diagnostics for machines, as `briefgen check --format json|sarif`
 * prints them (briefgen(1), briefgen(5) RULES).
 *
 * json: one array, one object per diagnostic, in the text mode's order:
 *
 *   {"file": "content/partners/brasov.yaml", "line": 7, "column": 13,
 *    "endColumn": 20, "severity": "error", "rule": "not-a-number",
 *    "message": "...", "hint": "write 450000 (no thousands separator)",
 *    "notes": [{"file": ..., "line": ..., "column": ..., "message": ...}]}
 *
 * Every key is always there; file, line, column, endColumn and hint are
 * null when unknown.  Columns count characters from 1; endColumn is the
 * column just past the value (a scalar on one line), so the value is
 * [column, endColumn).  Notes are nested in the diagnostic they belong to.
 *
 * sarif: SARIF 2.1.0, one run; every rule of rules.h in tool.driver.rules
 * (ruleIndex is its place there); a result per diagnostic with its notes as
 * relatedLocations and its hint after the message, on its own line, and in
 * properties.hint; paths relative to the current folder (uriBaseId
 * %SRCROOT%) and percent-encoded; columns count Unicode code points; a
 * diagnostic about a whole file has the region of its first line.
 *
 * Both give every diagnostic, not the text mode's first 20 of a file and
 * 200 of a run: a machine reads them all, and the diagnostics are bounded
 * by the input already (256 KiB a file).  Output is written as it is made,
 * in 64 KiB pieces.  Messages and hints are in the message language; rule
 * ids, severities and keys never are.  Every string is valid UTF-8 whatever
 * the input: text goes through diag_escape() first, as in the text mode.
 * The diagnostics must be sorted (diags_sort).
 */
#ifndef BRIEFGEN_REPORT_H
#define BRIEFGEN_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "source.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_SARIF };

/* "text", "json" or "sarif" into *f; false for anything else. */
bool report_format_parse(const char *name, enum report_format *f);

/* Write d as JSON to out; false (errno set) when writing failed. */
bool report_json(const struct diags *d, FILE *out);

/* Write d as a SARIF log to out.  root: the absolute path of the folder
 * relative paths start from (the current folder), for %SRCROOT%; NULL
 * leaves it out.  False (errno set) when writing failed. */
bool report_sarif(const struct diags *d, const char *root, FILE *out);

/* The column just past g's value, checked against its line in the source
 * (a quoted scalar's closing quote found there), or 0 when unknown. */
int diag_end_col(const struct diag *g, struct source *sc);

#endif
