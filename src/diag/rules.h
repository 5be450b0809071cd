/*
 * rules: the stable id of every kind of diagnostic.
 *
 * A rule id ("unknown-key", "amount-separator") names what a diagnostic is
 * about, whatever language its message is printed in; `check --format json`
 * and `--format sarif` give it, and briefgen(5) lists them all.  The id is
 * found from the diagnostic's untranslated format string, so the call sites
 * stay as they are; the table is static.
 */
#ifndef BRIEFGEN_RULES_H
#define BRIEFGEN_RULES_H

#include <stddef.h>

struct diag_rule {
	const char *id;           /* "unknown-key" */
	const char *description;  /* one English sentence, for SARIF and briefgen(5) */
};

/* The rule of a diagnostic with this untranslated format; never NULL (an
 * unlisted format gets the rule "other"). */
const char *diag_rule_for(const char *fmt);

/* Every rule, ending with {NULL, NULL}. */
extern const struct diag_rule diag_rules[];

#endif
