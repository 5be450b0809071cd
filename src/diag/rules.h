/*
 * rules: the stable id of every kind of diagnostic.
 *
 * A rule id ("unknown-key", "amount-separator") names what a diagnostic is
 * about, whatever language its message is printed in; `check --format json`
 * and `--format sarif` give it, and briefgen(5), RULES, lists them all.  The
 * id is found from the diagnostic's untranslated format string, so the call
 * sites stay as they are: rules.c maps every format to its rule, several
 * formats to one rule where they say the same thing.  Both tables are
 * static, sorted and searched by bsearch, so a lookup costs a few string
 * compares however many diagnostics there are.
 *
 * A new diagnostic format needs a line in rules.c (tests/diagfmt/rules.sh
 * names every format that has none); a new rule needs its id documented in
 * briefgen(5).  Ids never change meaning once released.
 */
#ifndef BRIEFGEN_RULES_H
#define BRIEFGEN_RULES_H

#include <stddef.h>

/* The severity a rule's diagnostics have (before --strict). */
enum rule_level {
	RULE_ERROR,
	RULE_WARNING,
	RULE_ERROR_OR_WARNING,   /* depends on the field: see the description */
	RULE_NOTE                /* notes attached to another diagnostic */
};

struct diag_rule {
	const char *id;           /* "unknown-key": lower-case words joined by '-' */
	enum rule_level level;
	const char *description;  /* one English sentence, for SARIF and briefgen(5) */
};

/* A diagnostic format and the id of its rule. */
struct diag_rule_format {
	const char *format;       /* untranslated, as passed to diags_add */
	const char *rule;
};

/* Every rule, sorted by id (strcmp), ending with {NULL, 0, NULL}. */
extern const struct diag_rule diag_rules[];
/* Every known format, sorted by format (strcmp), ending with {NULL, NULL}. */
extern const struct diag_rule_format diag_rule_formats[];

/* The rule id of a diagnostic with this untranslated format; never NULL
 * (an unlisted format gets the rule "other").  The id is static. */
const char *diag_rule_for(const char *fmt);

/* The rule with this id, or NULL. */
const struct diag_rule *diag_rule_find(const char *id);

/* "error", "warning", "error or warning" or "note" (English: a SARIF and
 * man page word, never translated). */
const char *diag_rule_level_name(enum rule_level level);

#endif
