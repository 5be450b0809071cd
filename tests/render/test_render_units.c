/* Unit tests of number/date formatting (i18n) and budget arithmetic. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/budget.h"
#include "model/content.h"
#include "render/i18n.h"
#include "render/site.h"
#include "render/templates.h"

static struct templates *tpl;
static const struct content_options site_copt = {&site_prose, 0};
static struct i18n da, en;
static struct diags diags;

static void setup(void)
{
	tpl = templates_new(NULL);
	diags_init(&diags);
	ck_assert(i18n_load(&da, tpl, "da", &diags));
	ck_assert(i18n_load(&en, tpl, "en", &diags));
}

static void teardown(void)
{
	i18n_release(&da);
	i18n_release(&en);
	templates_free(tpl);
	diags_release(&diags);
}

/* i18n_amount's text; i18n_amount_text (the views' fast path) must make
 * the same, byte for byte. */
static const char *fmt_amount(struct i18n *i, long long n)
{
	static struct buf b = BUF_INIT;
	struct arena a;
	size_t len = 0;
	const char *t;

	buf_reset(&b);
	i18n_amount(i, n, &b);
	arena_init(&a);
	t = i18n_amount_text(i, n, &a, &len);
	ck_assert_uint_eq(len, b.len);
	ck_assert_uint_eq(strlen(t), len);
	ck_assert_str_eq(t, b.ptr);
	arena_release(&a);
	return b.ptr;
}

START_TEST(test_amounts)
{
	ck_assert_str_eq(fmt_amount(&da, 1655000), "1.655.000 kr.");
	ck_assert_str_eq(fmt_amount(&en, 1655000), "DKK 1,655,000");
	ck_assert_str_eq(fmt_amount(&da, 0), "0 kr.");
	ck_assert_str_eq(fmt_amount(&da, 999), "999 kr.");
	ck_assert_str_eq(fmt_amount(&da, 1000), "1.000 kr.");
	ck_assert_str_eq(fmt_amount(&da, 100000), "100.000 kr.");
	ck_assert_str_eq(fmt_amount(&en, 999999999), "DKK 999,999,999");
	ck_assert_str_eq(fmt_amount(&da, -1000), "-1.000 kr.");
	ck_assert_str_eq(fmt_amount(&en, -12345678), "DKK -12,345,678");
	ck_assert_str_eq(fmt_amount(&da, -7), "-7 kr.");
	ck_assert_str_eq(fmt_amount(&da, 12345), "12.345 kr.");
	ck_assert_str_eq(fmt_amount(&da, 1000000000000LL), "1.000.000.000.000 kr.");
	ck_assert_str_eq(fmt_amount(&da, LLONG_MIN), "-9.223.372.036.854.775.808 kr.");
	/* A separator of several bytes (a narrow no-break space), and none. */
	{
		struct i18n thin = da;

		thin.thousands = "\u202f";
		thin.thousands_len = strlen(thin.thousands);
		ck_assert_str_eq(fmt_amount(&thin, 1234567), "1\u202f234\u202f567 kr.");
		thin.thousands = "";
		thin.thousands_len = 0;
		ck_assert_str_eq(fmt_amount(&thin, -1234567), "-1234567 kr.");
	}
}
END_TEST

/* i18n_amount_text writes an amount backwards when it fits (short
 * currency texts and separators) and through buf_int_text when it does
 * not: both ways give i18n_amount's text (fmt_amount compares), for every
 * number of digits, both signs and the extremes. */
START_TEST(test_amount_ways)
{
	static const char long_after[] = " kroner, som anført i det vedtagne budget for året, "
					 "alle beløb i hele kroner";
	struct i18n ways[4];
	size_t w;

	ways[0] = da;
	ways[1] = en;
	ways[2] = da;   /* a separator of three bytes: still backwards */
	ways[2].thousands = "\u202f";
	ways[2].thousands_len = strlen(ways[2].thousands);
	ways[3] = da;   /* too long: through buf_int_text */
	ways[3].currency_after = long_after;
	ways[3].after_len = strlen(long_after);
	ck_assert_uint_gt(ways[3].after_len + 21 + 6, 96);
	ck_assert_str_eq(fmt_amount(&ways[3], -1234567),
			 "-1.234.567 kroner, som anført i det vedtagne budget for året, alle "
			 "beløb i hele kroner");
	for (w = 0; w < 4; w++) {
		long long p = 1;
		int k;

		fmt_amount(&ways[w], LLONG_MAX);
		fmt_amount(&ways[w], LLONG_MIN);
		fmt_amount(&ways[w], LLONG_MIN + 1);
		fmt_amount(&ways[w], 0);
		/* p = 10^k for k = 0..18 (10^19 does not fit). */
		for (k = 0; k < 19; k++) {
			fmt_amount(&ways[w], p);
			fmt_amount(&ways[w], p - 1);
			fmt_amount(&ways[w], -p);
			fmt_amount(&ways[w], -(p - 1));
			fmt_amount(&ways[w], p + p / 3);
			fmt_amount(&ways[w], -(p + p / 7));
			if (k < 18)
				p *= 10;
		}
	}
	ck_assert_str_eq(fmt_amount(&ways[2], -9223372036854775807LL - 1),
			 "-9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f808 kr.");
}
END_TEST

/* i18n_country answers a two-letter code from its table (country2) and
 * anything else from the language file's view: the table must give what
 * the view gives, for every code of both languages. */
START_TEST(test_country_table)
{
	const struct i18n *langs[2] = {&da, &en};
	static const char *const others[] = {"no", "N", "NOR", "", "N1", "Å", "hu"};
	size_t l, k, named = 0;

	for (l = 0; l < 2; l++) {
		struct i18n slow = *langs[l];
		char code[3] = {0};

		ck_assert_ptr_nonnull(langs[l]->country2);
		slow.country2 = NULL;
		for (code[0] = 'A'; code[0] <= 'Z'; code[0]++)
			for (code[1] = 'A'; code[1] <= 'Z'; code[1]++) {
				const char *fast = i18n_country(langs[l], code);

				ck_assert_str_eq(fast, i18n_country(&slow, code));
				named += fast != code;
			}
		for (k = 0; k < sizeof(others) / sizeof(others[0]); k++)
			ck_assert_str_eq(i18n_country(langs[l], others[k]),
					 i18n_country(&slow, others[k]));
	}
	/* The table is used: the languages name many countries. */
	ck_assert_uint_gt(named, 20);
	ck_assert_str_eq(i18n_country(&da, "NO"), "Norge");
	ck_assert_str_eq(i18n_country(&en, "no"), "no");
}
END_TEST

START_TEST(test_money)
{
	struct buf b = BUF_INIT;

	i18n_money(&da, 1655000, true, true, &b);
	ck_assert_str_eq(b.ptr, "mindst 1.655.000 kr.");
	buf_reset(&b);
	i18n_money(&en, 1655000, true, true, &b);
	ck_assert_str_eq(b.ptr, "at least DKK 1,655,000");
	buf_reset(&b);
	i18n_money(&da, 0, true, false, &b);
	ck_assert_str_eq(b.ptr, "ikke oplyst");
	buf_release(&b);
}
END_TEST

START_TEST(test_dates)
{
	struct date d = {2006, 10, 23}, j = {2007, 1, 1};
	struct buf b = BUF_INIT;

	i18n_date(&da, &d, &b);
	ck_assert_str_eq(b.ptr, "23. oktober 2006");
	buf_reset(&b);
	i18n_date(&en, &d, &b);
	ck_assert_str_eq(b.ptr, "23 October 2006");
	buf_reset(&b);
	i18n_date(&da, &j, &b);
	ck_assert_str_eq(b.ptr, "1. januar 2007");
	buf_release(&b);
}
END_TEST

START_TEST(test_labels)
{
	ck_assert_str_eq(i18n_country(&da, "NO"), "Norge");
	ck_assert_str_eq(i18n_country(&en, "HU"), "Hungary");
	ck_assert_str_eq(i18n_country(&da, "KP"), "KP");   /* unnamed: the code */
	ck_assert_str_eq(i18n_label(&da, "no-such-label"), "no-such-label");
	ck_assert_str_eq(i18n_label(&da, "kind_max"), "maks.");
	ck_assert_str_eq(i18n_label(&en, "per_year"), "per year");
	/* Not text: the name itself. */
	ck_assert_str_eq(i18n_label(&da, "months"), "months");
	ck_assert_str_eq(i18n_label(&da, "countries"), "countries");
	ck_assert_str_eq(i18n_country(&da, "kind_max"), "kind_max");
}
END_TEST

static const char *fmt_size(struct i18n *i, long long n)
{
	static struct buf b = BUF_INIT;
	buf_reset(&b);
	i18n_size(i, n, &b);
	return b.ptr;
}

/* The download link's size: decimal units, the language's separators. */
START_TEST(test_sizes)
{
	ck_assert_str_eq(fmt_size(&da, 0), "0 B");
	ck_assert_str_eq(fmt_size(&da, 999), "999 B");
	ck_assert_str_eq(fmt_size(&da, 1000), "1 kB");
	ck_assert_str_eq(fmt_size(&da, 141600), "142 kB");
	ck_assert_str_eq(fmt_size(&da, 999499), "999 kB");
	ck_assert_str_eq(fmt_size(&da, 999500), "1,0 MB");
	ck_assert_str_eq(fmt_size(&en, 999500), "1.0 MB");
	ck_assert_str_eq(fmt_size(&da, 2345678), "2,3 MB");
	ck_assert_str_eq(fmt_size(&en, 2345678), "2.3 MB");
	ck_assert_str_eq(fmt_size(&da, 1234567890), "1.235 MB");
	ck_assert_str_eq(fmt_size(&en, 1234567890), "1,235 MB");
}
END_TEST

static struct content content;

static void load_budget_content(void)
{
	diags_init(&diags);
	ck_assert(content_load(&content, "tests/render/budget-content", &site_copt, &diags));
	ck_assert_uint_eq(diags.errors, 0);
	ck_assert_uint_eq(diags.warnings, 1);   /* b's Institut: amount not stated */
}

static void release_budget_content(void)
{
	content_release(&content);
	diags_release(&diags);
}

START_TEST(test_budget_rules)
{
	struct budget b;
	const struct budget_partner *pa, *pb, *pc;

	budget_compute(&b, &content, false);
	ck_assert_int_eq(b.year, 2007);
	pa = budget_find(&b, "a");
	pb = budget_find(&b, "b");
	pc = budget_find(&b, "c");
	ck_assert_ptr_nonnull(pa);
	/* a: shared 100 + yearly 20; last year's, the ended one and the
	 * internal one do not count. */
	ck_assert_uint_eq(pa->n, 4);
	ck_assert_int_eq(pa->year_total.amount, 120);
	ck_assert(!pa->year_total.lower_bound);
	/* b: the shared cost shows on b too, plus its own 3, plus an amount
	 * not stated: a lower bound. */
	ck_assert_uint_eq(pb->n, 3);
	ck_assert_int_eq(pb->year_total.amount, 103);
	ck_assert(pb->year_total.lower_bound);
	ck_assert(pb->lines[2].shared_in);
	/* c: a yearly cost that starts next year. */
	ck_assert(!pc->year_total.any);
	/* The shared cost is counted once. */
	ck_assert_int_eq(b.partners_once.amount, 103);
	ck_assert_int_eq(b.partners_yearly.amount, 20);
	ck_assert(b.partners_yearly.lower_bound);
	ck_assert_int_eq(b.partners_total.amount, 123);
	ck_assert(b.partners_total.lower_bound);
	ck_assert_int_eq(b.pot_total.amount, 1000);
	ck_assert_int_eq(b.total.amount, 1123);
	/* The scenario swaps the office's 20 for 35. */
	ck_assert(b.has_alternatives);
	ck_assert_str_eq(b.alt_label, "fuld tid");
	ck_assert_int_eq(b.alt_partners_total.amount, 138);
	ck_assert_int_eq(b.alt_total.amount, 1138);
	ck_assert_uint_eq(b.lines_not_stated, 1);
	budget_release(&b);
}
END_TEST

START_TEST(test_budget_internal)
{
	struct budget b;

	budget_compute(&b, &content, true);
	ck_assert_int_eq(budget_find(&b, "a")->year_total.amount, 50120);
	ck_assert_int_eq(b.partners_total.amount, 50123);
	budget_release(&b);
}
END_TEST

/* budget_at finds by position what budget_find finds by slug: every
 * shown partner's line, and NULL for one not shown or past the end. */
START_TEST(test_budget_at)
{
	struct budget b;
	size_t i, hidden = 1;
	int round;

	ck_assert_uint_ge(content.npartners, 2);
	for (round = 0; round < 2; round++) {
		/* round 1: partner 1 internal, so not shown */
		content.partners[hidden].digest->internal = round == 1;
		budget_compute(&b, &content, false);
		for (i = 0; i < content.npartners; i++) {
			const struct budget_partner *bp = budget_at(&b, i);

			ck_assert_ptr_eq(bp, budget_find(&b, content.partners[i].slug));
			if (round == 1 && i == hidden) {
				ck_assert_ptr_null(bp);
			} else {
				ck_assert_ptr_nonnull(bp);
				ck_assert_ptr_eq(bp->partner, content.partners[i].digest);
			}
		}
		ck_assert_ptr_null(budget_at(&b, content.npartners));
		budget_release(&b);
	}
	content.partners[hidden].digest->internal = false;
}
END_TEST

START_TEST(test_in_year)
{
	struct cost k;

	memset(&k, 0, sizeof(k));
	k.recurrence = RECUR_ONCE;
	k.year = 2007;
	ck_assert(budget_in_year(&k, 2007));
	ck_assert(!budget_in_year(&k, 2008));
	k.recurrence = RECUR_YEARLY;
	k.year = 0;
	k.until = 2008;
	ck_assert(budget_in_year(&k, 2007));
	ck_assert(budget_in_year(&k, 2008));
	ck_assert(!budget_in_year(&k, 2009));
	k.year = 2008;
	ck_assert(!budget_in_year(&k, 2007));
}
END_TEST

START_TEST(test_budget_ended)
{
	/* tests/render/budget-ended: d and e end, a continues.  A cost of d
	 * shared with a stays in the totals; d's own costs, the one it shares
	 * with e (which ends too) and e's are counted apart, alternatives
	 * included. */
	struct content ce;
	struct diags de;
	struct budget b;
	const struct budget_partner *pd;
	size_t i, ended = 0;

	diags_init(&de);
	ck_assert(content_load(&ce, "tests/render/budget-ended", &site_copt, &de));
	ck_assert_uint_eq(de.errors, 0);
	ck_assert_uint_eq(de.warnings, 3);   /* d and e end with costs; e's amount */
	budget_compute(&b, &ce, false);
	ck_assert_int_eq(b.partners_total.amount, 100);
	ck_assert(!b.partners_total.lower_bound);
	ck_assert_int_eq(b.total.amount, 1100);
	ck_assert(!b.total.lower_bound);
	ck_assert_int_eq(b.ended_total.amount, 40 + 8 + 20);
	ck_assert(b.ended_total.lower_bound);
	ck_assert(!b.has_alternatives);
	ck_assert_uint_eq(b.lines_not_stated, 0);
	pd = budget_find(&b, "d");
	ck_assert(pd->ended);
	ck_assert(!budget_find(&b, "a")->ended);
	ck_assert_int_eq(pd->year_total.amount, 40 + 8 + 20 + 100);
	for (i = 0; i < pd->n; i++)
		ended += pd->lines[i].ended;
	ck_assert_uint_eq(ended, 3);   /* not "Senere" (2008), not the one shared from a */
	budget_release(&b);
	content_release(&ce);
	diags_release(&de);
}
END_TEST

/* buf_add_int writes what "%lld" writes. */
START_TEST(test_buf_int)
{
	static const long long cases[] = {0, 1, -1, 9, 10, 99, 100, 2007, -2007, 1655000,
					  999999999999LL, LLONG_MAX, LLONG_MIN};
	struct buf b = BUF_INIT;
	char want[32];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		buf_reset(&b);
		buf_adds(&b, "<");
		buf_add_int(&b, cases[i]);
		snprintf(want, sizeof(want), "<%lld", cases[i]);
		ck_assert_str_eq(b.ptr, want);
		ck_assert_uint_eq(b.len, strlen(want));
	}
	buf_release(&b);
}
END_TEST

/* buf_add_html: the five entities, runs between them, a NUL kept. */
START_TEST(test_buf_html)
{
	static const char in[] = "a&b<c>d\"e'f&&\0g\xc3\xa6";
	static const char want[] = "a&amp;b&lt;c&gt;d&quot;e&#39;f&amp;&amp;\0g\xc3\xa6";
	struct buf b = BUF_INIT;

	buf_add_html(&b, in, sizeof(in) - 1);
	ck_assert_uint_eq(b.len, sizeof(want) - 1);
	ck_assert(!memcmp(b.ptr, want, b.len));
	ck_assert_int_eq(b.ptr[b.len], '\0');
	buf_reset(&b);
	buf_add_html(&b, "", 0);
	ck_assert_uint_eq(b.len, 0);
	buf_add_html(&b, "plain", 5);
	ck_assert_str_eq(b.ptr, "plain");
	buf_release(&b);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("render units");
	TCase *fmt = tcase_create("format"), *bud = tcase_create("budget");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(fmt, setup, teardown);
	tcase_add_test(fmt, test_amounts);
	tcase_add_test(fmt, test_amount_ways);
	tcase_add_test(fmt, test_sizes);
	tcase_add_test(fmt, test_money);
	tcase_add_test(fmt, test_dates);
	tcase_add_test(fmt, test_labels);
	tcase_add_test(fmt, test_country_table);
	tcase_add_test(fmt, test_buf_int);
	tcase_add_test(fmt, test_buf_html);
	tcase_add_checked_fixture(bud, load_budget_content, release_budget_content);
	tcase_add_test(bud, test_budget_rules);
	tcase_add_test(bud, test_budget_internal);
	tcase_add_test(bud, test_budget_at);
	tcase_add_test(bud, test_in_year);
	tcase_add_test(bud, test_budget_ended);
	suite_add_tcase(s, fmt);
	suite_add_tcase(s, bud);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
