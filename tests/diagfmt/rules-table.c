/*
 * rules-table: print the rule tables of src/diag/rules.c for rules.sh.
 *
 *   F <TAB> format   each format, escaped as xgettext writes a msgid
 *   R <TAB> id       each rule id
 */
#include <stdio.h>

#include "diag/rules.h"

static void put_escaped(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': fputs("\\\\", stdout); break;
		case '"': fputs("\\\"", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\t': fputs("\\t", stdout); break;
		default: putchar(*s); break;
		}
	}
}

int main(void)
{
	const struct diag_rule_format *f;
	const struct diag_rule *r;

	for (f = diag_rule_formats; f->format; f++) {
		fputs("F\t", stdout);
		put_escaped(f->format);
		putchar('\n');
	}
	for (r = diag_rules; r->id; r++)
		printf("R\t%s\n", r->id);
	return 0;
}
