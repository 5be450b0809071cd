/*
 * unit.h: helpers shared by the check-based unit tests of load/, validate/
 * and model/.  Header-only (static functions), so each test is one file.
 */
#ifndef BRIEFGEN_TEST_UNIT_H
#define BRIEFGEN_TEST_UNIT_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/loader.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "diag/diag.h"

/* The first diagnostic whose message contains needle, or NULL. */
static inline const struct diag *find_diag(const struct diags *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].message, needle))
			return &d->items[i];
	return NULL;
}

/* Assert that d holds an error containing needle at line:col. */
#define ck_assert_diag(d, sev, needle, l, c)                                                       \
	do {                                                                                       \
		const struct diag *g_ = find_diag((d), (needle));                                  \
		ck_assert_msg(g_ != NULL, "no diagnostic containing \"%s\"", (needle));            \
		ck_assert_int_eq(g_->severity, (sev));                                             \
		ck_assert_int_eq(g_->line, (l));                                                   \
		ck_assert_int_eq(g_->col, (c));                                                    \
	} while (0)

/* Everything diags_print writes, as a malloc'd string. */
static inline char *print_to_string(const struct diags *d, bool source)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	diags_print(d, f, source);
	diags_print_summary(d, f);
	fclose(f);
	return s;
}

/* Run a suite; the exit status of a test program. */
static inline int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
