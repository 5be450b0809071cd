/* Unit tests of src/validate/decode: suggestions, grouped numbers, each field type. */
#include "unit.h"
#include "validate/decode.h"
#include "validate/record.h"
#include "validate/schema.h"

static struct arena arena;
static struct diags diags;
static struct partner partner;
static struct briefing briefing;

static void setup(void)
{
	arena_init(&arena);
	diags_init(&diags);
	memset(&partner, 0, sizeof(partner));
	memset(&briefing, 0, sizeof(briefing));
}

static void teardown(void)
{
	diags_release(&diags);
	arena_release(&arena);
}

#define PARTNER "name: Brasov Amt\ncountry: RO\nstatus: continue\nsummary: Samarbejde.\n"
#define BRIEFING                                                                                   \
	"meeting:\n  committee: Forberedelsesudvalget\n  date: 2006-10-23\n  item: 18\n"           \
	"title: T\nbudget_year: 2007\nintroduction: I\npartners: [brasov]\n"                       \
	"recommendation:\n  by: Direktionen\n  decisions:\n"                                       \
	"    - {text: at, status: continue, partners: [brasov]}\n"

static bool decode_text(const struct schema *s, void *rec, const char *text)
{
	struct node *root = load_text("t.yaml", text, strlen(text), &arena, &diags);

	memset(rec, 0, s->size);
	ck_assert_msg(root != NULL, "does not load: %s", diags.n ? diags.items[0].message : "");
	return decode_record(s, root, rec, &arena, &diags);
}

/* Decode PARTNER plus extra; returns decode_record's result. */
static bool decode_partner(const char *extra)
{
	char *text = xasprintf(PARTNER "%s", extra);
	bool ok = decode_text(&schema_partner, &partner, text);

	free(text);
	return ok;
}

static bool decode_briefing(const char *extra)
{
	char *text = xasprintf(BRIEFING "%s", extra);
	bool ok = decode_text(&schema_briefing, &briefing, text);

	free(text);
	return ok;
}

/* Decode one cost whose amount is written as amount; the partner's only cost. */
static bool decode_amount(const char *amount)
{
	char *extra = xasprintf("costs:\n  - label: L\n    amount: %s\n    year: 2007\n"
				"    kind: max\n",
				amount);
	bool ok = decode_partner(extra);

	free(extra);
	return ok;
}

/* The only diagnostic's hint (asserting there is exactly one error). */
static const char *only_hint(void)
{
	ck_assert_int_eq(diags.errors, 1);
	return diags.items[0].hint ? diags.items[0].hint : "";
}

/* ---- suggestions --------------------------------------------------------- */

START_TEST(distance)
{
	ck_assert_uint_eq(decode_distance("amount", "amount"), 0);
	ck_assert_uint_eq(decode_distance("ammount", "amount"), 1);
	ck_assert_uint_eq(decode_distance("amont", "amount"), 1);
	ck_assert_uint_eq(decode_distance("kitten", "sitting"), 3);
	ck_assert_uint_eq(decode_distance("", "abc"), 3);
	ck_assert_uint_eq(decode_distance("abc", ""), 3);
	ck_assert_uint_eq(decode_distance("shanghia", "shanghai"), 2);
	/* Long words are not compared (bounded work). */
	ck_assert_uint_eq(
	    decode_distance("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			    "a"),
	    99);
}
END_TEST

START_TEST(suggest)
{
	static const char *const fields[] = {"label", "amount", "year", "kind", "until"};
	static const char *const status[] = {"continue", "terminate", "explore", "note"};
	static const char *const kinds[] = {"max", "estimate", "fixed"};

	ck_assert_str_eq(decode_suggest("ammount", fields, 5), "amount");
	ck_assert_str_eq(decode_suggest("yaer", fields, 5), "year");
	ck_assert_ptr_null(decode_suggest("colour", fields, 5));
	ck_assert_ptr_null(decode_suggest("x", fields, 0));
	ck_assert_str_eq(decode_suggest("continued", status, 4), "continue");
	/* A prefix of a value, and a value the word runs on past. */
	ck_assert_str_eq(decode_suggest("term", status, 4), "terminate");
	ck_assert_str_eq(decode_suggest("maximum", kinds, 3), "max");
	ck_assert_str_eq(decode_suggest("estimated", kinds, 3), "estimate");
	/* Too short to be a prefix worth suggesting. */
	ck_assert_ptr_null(decode_suggest("zz", kinds, 3));
}
END_TEST

START_TEST(unknown_key_suggests_once)
{
	ck_assert(!decode_amount("5\n    ammount: 5"));
	ck_assert_int_eq(diags.errors, 1);
	/* amount is there: the unknown key is only unknown. */
	ck_assert_diag(&diags, SEV_ERROR, "unknown key 'ammount' (did you mean 'amount'?)", 8, 5);
}
END_TEST

START_TEST(misspelt_required_key_is_not_also_missing)
{
	ck_assert(!decode_partner("costs:\n  - label: L\n    ammount: 5\n    year: 2007\n"
				  "    kind: max\n"));
	ck_assert_int_eq(diags.errors, 1);
	ck_assert_ptr_null(find_diag(&diags, "missing required key"));
	ck_assert_ptr_nonnull(find_diag(&diags, "did you mean 'amount'"));
}
END_TEST

START_TEST(unknown_key_without_suggestion_lists_keys)
{
	ck_assert(!decode_partner("colour: blue\n"));
	ck_assert_diag(&diags, SEV_ERROR, "unknown key 'colour' in partner", 5, 1);
	ck_assert_ptr_nonnull(strstr(only_hint(), "known keys: name, local_name, country"));
}
END_TEST

START_TEST(missing_required_key)
{
	ck_assert(
	    !decode_text(&schema_partner, &partner, "name: B\ncountry: RO\nstatus: continue\n"));
	ck_assert_diag(&diags, SEV_ERROR, "missing required key 'summary' in partner", 1, 1);
	ck_assert_str_eq(only_hint(), "add `summary: Samarbejde om energi og miljø.`");
}
END_TEST

/* A required key is given when the map holds it, whatever its value
 * (empty, null, the wrong kind): each says its own problem, never "missing".
 * A map with a key decoding did not look up (a tab in it) is searched the
 * slow way, with the same answer. */
START_TEST(required_key_given_whatever_its_value)
{
	static const char *const texts[] = {
		"name:\ncountry: RO\nstatus: continue\nsummary: S.\n",
		"name: ~\ncountry: RO\nstatus: continue\nsummary: [a]\n",
		"name: B\ncountry: RO\nstatus: {a: 1}\nsummary: \"  \"\n",
		"\"na\\tme\": B\nname: B\ncountry: RO\nstatus: continue\nsummary: S.\n",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		diags_release(&diags);
		diags_init(&diags);
		ck_assert(!decode_text(&schema_partner, &partner, texts[i]));
		ck_assert_uint_ge(diags.errors, 1);
		ck_assert_msg(!find_diag(&diags, "missing required key"), "text %zu", i);
	}
	/* Not looked up, and the required key is missing: said as ever. */
	diags_release(&diags);
	diags_init(&diags);
	ck_assert(!decode_text(&schema_partner, &partner,
			       "\"a\\tb\": S.\nname: B\ncountry: RO\nstatus: continue\n"));
	ck_assert_diag(&diags, SEV_ERROR, "missing required key 'summary' in partner", 1, 1);
}
END_TEST

/* A schema of more than 64 fields: the required ones past the 64th are
 * looked for in the map, found or said to be missing. */
enum { WIDE = 70 };
struct wide {
	const struct node *node;
	const char *v[WIDE];
};
static struct field wide_fields[WIDE + 1];
static char wide_names[WIDE][8];
static const struct schema schema_wide = {"wide", sizeof(struct wide), wide_fields, "wide"};

START_TEST(required_keys_past_the_64th_field)
{
	struct wide w;
	size_t i;

	for (i = 0; i < WIDE; i++) {
		snprintf(wide_names[i], sizeof(wide_names[i]), "f%zu", i);
		wide_fields[i] = (struct field){wide_names[i], FT_STRING,
						i == 3 || i >= 63 ? F_REQUIRED : 0,
						offsetof(struct wide, v) + i * sizeof(const char *),
						NULL, NULL, "d", "x"};
	}
	ck_assert(decode_text(&schema_wide, &w,
			      "f3: a\nf63: b\nf64: c\nf65: d\nf66: e\nf67: f\nf68: g\nf69: h\n"));
	ck_assert_str_eq(w.v[69], "h");
	ck_assert(!decode_text(&schema_wide, &w,
			       "f3: a\nf63: b\nf64: c\nf65: d\nf67: f\nf68: g\nf69: h\n"));
	ck_assert_uint_eq(diags.errors, 1);
	ck_assert_diag(&diags, SEV_ERROR, "missing required key 'f66' in wide", 1, 1);
}
END_TEST

/* Keys are looked for from the field after the last key's (find_field_from):
 * right only if no schema names a field twice, and whatever the order of
 * the keys, the record is the same. */
static void fields_distinct(const struct schema *s, int depth)
{
	const struct field *f, *g;

	ck_assert_int_lt(depth, 8);
	for (f = s->fields; f->name; f++) {
		for (g = f + 1; g->name; g++)
			ck_assert_msg(strcmp(f->name, g->name) != 0, "%s twice in %s", f->name,
				      s->name);
		if (f->sub)
			fields_distinct(f->sub, depth + 1);
	}
}

START_TEST(keys_found_in_any_order)
{
	static const char *const orders[] = {
		"name: B\nlocal_name: L\ncountry: RO\nstatus: continue\nsummary: S.\n"
		"costs:\n  - {label: K, amount: 5, year: 2007, kind: max}\n",
		"costs:\n  - {kind: max, year: 2007, amount: 5, label: K}\n"
		"summary: S.\nstatus: continue\ncountry: RO\nlocal_name: L\nname: B\n",
		"country: RO\nname: B\nsummary: S.\nlocal_name: L\n"
		"costs:\n  - {amount: 5, kind: max, label: K, year: 2007}\nstatus: continue\n",
	};
	size_t i;

	fields_distinct(&schema_briefing, 0);
	fields_distinct(&schema_partner, 0);
	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		teardown();
		setup();
		ck_assert_msg(decode_text(&schema_partner, &partner, orders[i]), "order %zu", i);
		ck_assert_int_eq(diags.n, 0);
		ck_assert_str_eq(partner.name, "B");
		ck_assert_str_eq(partner.local_name, "L");
		ck_assert_str_eq(partner.country, "RO");
		ck_assert_str_eq(partner.summary, "S.");
		ck_assert_uint_eq(partner.costs.n, 1);
		ck_assert_str_eq(partner.costs.items[0].label, "K");
		ck_assert_int_eq(partner.costs.items[0].amount.value, 5);
		ck_assert_int_eq(partner.costs.items[0].year, 2007);
	}
}
END_TEST

START_TEST(missing_key_hint_is_one_line)
{
	ck_assert(!decode_text(
	    &schema_briefing, &briefing,
	    "meeting: {committee: F, date: 2006-10-23, item: 18}\ntitle: T\n"
	    "budget_year: 2007\npartners: []\nrecommendation: {by: D, decisions: []}\n"));
	ck_assert_str_eq(only_hint(), "add `introduction: Der er i de 4 amter ...`");
}
END_TEST

START_TEST(empty_required_values)
{
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: \"\"\ncountry: RO\nstatus: continue\nsummary:\n"));
	ck_assert_int_eq(diags.errors, 2);
	ck_assert_diag(&diags, SEV_ERROR, "'name' is empty", 1, 1);
	ck_assert_diag(&diags, SEV_ERROR, "'summary' is empty", 4, 1);
	teardown();
	setup();
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: '  '\ncountry: RO\nstatus: continue\nsummary: S\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'name' is empty", 1, 7);
}
END_TEST

START_TEST(optional_empty_values_are_absent)
{
	ck_assert(decode_partner("local_name:\nsince: ~\nfocus:\n"));
	ck_assert_ptr_null(partner.local_name);
	ck_assert_int_eq(partner.since, 0);
	ck_assert_uint_eq(partner.focus.n, 0);
}
END_TEST

START_TEST(every_error_in_one_pass)
{
	ck_assert(
	    !decode_text(&schema_partner, &partner,
			 "name: [B]\ncountry: dk\nstatus: continued\nsummary: S\nsince: 2001.5\n"
			 "colour: x\ncosts:\n  - label: L\n    amount: 50.000\n    kind: maxi\n"));
	ck_assert_int_eq(diags.errors, 7);
}
END_TEST

/* ---- grouped numbers ----------------------------------------------------- */

START_TEST(danish_thousands_separator)
{
	ck_assert(!decode_amount("50.000"));
	ck_assert_diag(&diags, SEV_ERROR, "'amount' must be a whole number, not '50.000'", 7, 13);
	ck_assert_str_eq(only_hint(), "write 50000 (no thousands separator)");
}
END_TEST

START_TEST(grouped_forms)
{
	static const char *const in[] = {"1.234.567", "50,000", "'50 000'", "'50.000'",
					 "1,234,567"};
	static const char *const out[] = {
	    "write 1234567 (no thousands separator)", "write 50000 (no thousands separator)",
	    "write 50000 (no thousands separator)", "write 50000 (no thousands separator)",
	    "write 1234567 (no thousands separator)"};
	size_t i;

	for (i = 0; i < 5; i++) {
		teardown();
		setup();
		ck_assert(!decode_amount(in[i]));
		ck_assert_str_eq(only_hint(), out[i]);
	}
}
END_TEST

START_TEST(not_grouped)
{
	/* Wrong group sizes and mixed separators are not thousands separators. */
	static const char *const in[] = {"50.00",    "5.0000", "1.23.456", "1,234.567",
					 "1234.567", ".500",   "500."};
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		teardown();
		setup();
		ck_assert(!decode_amount(in[i]));
		ck_assert_msg(!strstr(only_hint(), "thousands"), "%s: %s", in[i], only_hint());
	}
}
END_TEST

START_TEST(grouped_year_and_item)
{
	ck_assert(!decode_partner("since: 2.001\n"));
	ck_assert_str_eq(only_hint(), "write 2001 (no thousands separator)");
}
END_TEST

/* ---- amounts ------------------------------------------------------------- */

START_TEST(amount_values)
{
	ck_assert(decode_amount("450000"));
	ck_assert_int_eq(partner.costs.n, 1);
	ck_assert(partner.costs.items[0].amount.stated);
	ck_assert_int_eq(partner.costs.items[0].amount.value, 450000);
	teardown();
	setup();
	ck_assert(decode_amount("0"));
	ck_assert(partner.costs.items[0].amount.stated);
	teardown();
	setup();
	ck_assert(decode_amount("999999999"));
	ck_assert_int_eq(partner.costs.items[0].amount.value, 999999999);
	teardown();
	setup();
	ck_assert(decode_amount("'450000'")); /* quoted digits are still digits */
	ck_assert_int_eq(partner.costs.items[0].amount.value, 450000);
}
END_TEST

START_TEST(amount_null_is_not_stated)
{
	static const char *const nulls[] = {"null", "~", "", "Null", "NULL"};
	size_t i;

	for (i = 0; i < 5; i++) {
		teardown();
		setup();
		ck_assert(decode_amount(nulls[i]));
		ck_assert_int_eq(diags.n, 0);
		ck_assert(!partner.costs.items[0].amount.stated);
	}
	/* 'null' in quotes is text, not null. */
	teardown();
	setup();
	ck_assert(!decode_amount("'null'"));
}
END_TEST

START_TEST(amount_negative)
{
	ck_assert(!decode_amount("-5000"));
	ck_assert_diag(&diags, SEV_ERROR, "'amount' must not be negative", 7, 13);
	ck_assert_str_eq(only_hint(), "write the amount as a positive number");
}
END_TEST

START_TEST(amount_decimal)
{
	ck_assert(!decode_amount("12500.50"));
	ck_assert_str_eq(only_hint(), "round to whole kroner, e.g. 12500");
}
END_TEST

START_TEST(amount_words)
{
	ck_assert(!decode_amount("ca. 450000 kr."));
	ck_assert_ptr_nonnull(strstr(only_hint(), "kind: estimate"));
	teardown();
	setup();
	ck_assert(!decode_amount("1e6"));
	ck_assert_ptr_nonnull(strstr(only_hint(), "write only"));
}
END_TEST

START_TEST(amount_too_large)
{
	ck_assert(!decode_amount("1000000000"));
	ck_assert_diag(&diags, SEV_ERROR, "'amount' is implausibly large: 1000000000 kr.", 7, 13);
	teardown();
	setup();
	ck_assert(!decode_amount("123456789012345678901234567890"));
	ck_assert_ptr_nonnull(
	    find_diag(&diags, "implausibly large: 123456789012345678901234567890"));
}
END_TEST

START_TEST(amount_not_a_scalar)
{
	ck_assert(!decode_amount("[5]"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'amount' must be a whole number, not a list"));
}
END_TEST

/* ---- other types ----------------------------------------------------------- */

START_TEST(years)
{
	ck_assert(decode_partner("since: 1900\n"));
	ck_assert_int_eq(partner.since, 1900);
	ck_assert(decode_partner("since: 2200\n"));
	ck_assert(!decode_partner("since: 1899\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'since' is not a plausible year: 1899"));
	teardown();
	setup();
	ck_assert(!decode_partner("since: 07\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "not a plausible year: 07"));
	teardown();
	setup();
	ck_assert(!decode_partner("since: 2007.0\n"));
	ck_assert_str_eq(only_hint(), "write only digits, e.g. 2001");
	teardown();
	setup();
	ck_assert(!decode_partner("since: -2001\n"));
	ck_assert_str_eq(only_hint(), "write it without the minus sign, e.g. 2001");
}
END_TEST

START_TEST(whole_numbers)
{
	ck_assert(decode_briefing(""));
	ck_assert_int_eq(briefing.meeting.item, 18);
	teardown();
	setup();
	ck_assert(!decode_text(&schema_briefing, &briefing,
			       "meeting:\n  committee: F\n  date: 2006-10-23\n  item: 100001\n"
			       "title: T\nbudget_year: 2007\nintroduction: I\npartners: []\n"
			       "recommendation: {by: D, decisions: []}\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'item' is implausibly large: 100001", 4, 9);
}
END_TEST

static void decode_date(const char *date)
{
	char *text = xasprintf("meeting:\n  committee: F\n  date: %s\n  item: 18\ntitle: T\n"
			       "budget_year: 2007\nintroduction: I\npartners: []\n"
			       "recommendation: {by: D, decisions: []}\n",
			       date);
	decode_text(&schema_briefing, &briefing, text);
	free(text);
}

START_TEST(dates)
{
	decode_date("2006-10-23");
	ck_assert_int_eq(diags.n, 0);
	ck_assert_int_eq(briefing.meeting.date.year, 2006);
	ck_assert_int_eq(briefing.meeting.date.month, 10);
	ck_assert_int_eq(briefing.meeting.date.day, 23);
	decode_date("2008-02-29");
	decode_date("2000-02-29");
	decode_date("'2006-12-31'");
	ck_assert_int_eq(diags.n, 0);
}
END_TEST

START_TEST(impossible_dates)
{
	decode_date("2006-02-30");
	ck_assert_diag(&diags, SEV_ERROR, "'date' 2006-02-30 does not exist", 3, 9);
	ck_assert_str_eq(only_hint(), "2006-02 has 28 days; check the day and the month");
	teardown();
	setup();
	decode_date("1900-02-29");
	ck_assert_str_eq(only_hint(), "1900-02 has 28 days; check the day and the month");
	teardown();
	setup();
	decode_date("2006-04-31");
	ck_assert_str_eq(only_hint(), "2006-04 has 30 days; check the day and the month");
	teardown();
	setup();
	decode_date("2006-13-01");
	ck_assert_ptr_nonnull(find_diag(&diags, "there is no month 13"));
	teardown();
	setup();
	decode_date("2006-10-00");
	ck_assert_ptr_nonnull(find_diag(&diags, "2006-10-00 does not exist"));
}
END_TEST

START_TEST(malformed_dates)
{
	/* The hint gives the date back as written, in the form to write. */
	static const char *const bad[] = {"23-10-2006",	      "2006-1-5", "2006/10/23",
					  "2006-10-23T10:00", "20061023", "'2006-10-2x'",
					  "24. oktober 2006", "10/24/2006", "30.02.2006"};
	static const char *const hint[] = {
	    "write 2006-10-23 (year-month-day)", "write 2006-01-05 (year-month-day)",
	    "write 2006-10-23 (year-month-day)",
	    "write the date as YYYY-MM-DD (year-month-day), e.g. 2006-10-23",
	    "write 2006-10-23 (year-month-day)",
	    "write the date as YYYY-MM-DD (year-month-day), e.g. 2006-10-23",
	    "write 2006-10-24 (year-month-day)", "write 2006-10-24 (year-month-day)",
	    "write the date as YYYY-MM-DD (year-month-day), but check the day: 2006-02 has 28 days"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		teardown();
		setup();
		decode_date(bad[i]);
		ck_assert_ptr_nonnull(find_diag(&diags, "is not a valid date"));
		ck_assert_str_eq(only_hint(), hint[i]);
	}
	teardown();
	setup();
	decode_date("[2006, 10, 23]");
	ck_assert_ptr_nonnull(find_diag(&diags, "'date' must be a date, not a list"));
}
END_TEST

START_TEST(enums)
{
	ck_assert(decode_text(&schema_partner, &partner,
			      "name: B\ncountry: RO\nstatus: explore\nsummary: S\n"));
	ck_assert_int_eq(partner.status, STATUS_EXPLORE);
	/* A partner cannot be 'note'; a decision can. */
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: B\ncountry: RO\nstatus: note\nsummary: S\n"));
	ck_assert_ptr_nonnull(
	    find_diag(&diags, "'status' must be one of continue, terminate, explore, not 'note'"));
	teardown();
	setup();
	ck_assert(decode_briefing("language: en\n"));
	ck_assert_int_eq(briefing.language, LANG_EN);
	ck_assert(
	    decode_partner("costs:\n  - {label: L, amount: 1, kind: fixed, recurrence: yearly}\n"));
	ck_assert_int_eq(partner.costs.items[0].kind, KIND_FIXED);
	ck_assert_int_eq(partner.costs.items[0].recurrence, RECUR_YEARLY);
}
END_TEST

START_TEST(enum_errors)
{
	ck_assert(
	    !decode_partner("costs:\n  - {label: L, amount: 1, year: 2007, kind: maximum}\n"));
	ck_assert_ptr_nonnull(
	    find_diag(&diags, "'kind' must be one of max, estimate, fixed, not 'maximum'"));
	ck_assert_str_eq(only_hint(), "write `kind: max`");
	teardown();
	setup();
	ck_assert(!decode_partner("costs:\n  - {label: L, amount: 1, year: 2007, kind: max, "
				  "recurrence: annually}\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "must be one of once, yearly, not 'annually'"));
	teardown();
	setup();
	ck_assert(!decode_briefing("language: [da]\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'language' must be one word, not a list"));
}
END_TEST

START_TEST(booleans)
{
	ck_assert(decode_partner("internal: true\n"));
	ck_assert(partner.internal);
	ck_assert(decode_partner("internal: false\n"));
	ck_assert(!partner.internal);
	ck_assert(!decode_partner("internal: yes\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'internal' must be true or false, not 'yes'"));
}
END_TEST

START_TEST(countries)
{
	ck_assert(decode_text(&schema_partner, &partner,
			      "name: Rogaland\ncountry: NO\nstatus: continue\nsummary: S\n"));
	ck_assert_str_eq(partner.country, "NO");
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: Rogaland\ncountry: no\nstatus: continue\nsummary: S\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "country code 'no' must be upper case"));
	ck_assert_str_eq(only_hint(), "write NO");
	teardown();
	setup();
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: X\ncountry: XX\nstatus: continue\nsummary: S\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'XX' is not an ISO 3166-1 alpha-2 country code"));
	teardown();
	setup();
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: X\ncountry: DNK\nstatus: continue\nsummary: S\n"));
	ck_assert_int_eq(diags.errors, 1);
	ck_assert(schema_country_known("DK"));
	ck_assert(schema_country_known("ZW"));
	ck_assert(!schema_country_known("dk"));
	ck_assert(!schema_country_known("D"));
	ck_assert(!schema_country_known(""));
	/* The search of the sorted list says what a look through it says, for
	 * every pair of bytes from A-1 to Z+1; the list is sorted. */
	{
		const char *list = schema_country_codes();
		char code[4] = {0};
		size_t i, n = strlen(list);
		bool listed;
		int a, b;

		for (i = 3; i + 1 < n; i += 3)
			ck_assert_int_lt(strncmp(list + i - 3, list + i, 2), 0);
		for (a = '@'; a <= '['; a++)
			for (b = '@'; b <= '['; b++) {
				code[0] = (char)a;
				code[1] = (char)b;
				for (listed = false, i = 0; i + 1 < n; i += 3)
					listed = listed || (list[i] == a && list[i + 1] == b);
				ck_assert_msg(schema_country_known(code) == listed, "%s", code);
				code[2] = 'X';
				ck_assert(!schema_country_known(code));
				code[2] = '\0';
			}
	}
}
END_TEST

START_TEST(one_line_text)
{
	ck_assert(decode_partner("origin: >-\n  Ringkøbing\n  Amt\n"));
	ck_assert_str_eq(partner.origin, "Ringkøbing Amt");
	ck_assert(!decode_partner("origin: |\n  Ringkøbing\n  Amt\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'origin' must be one line of text", 5, 9);
	teardown();
	setup();
	ck_assert(!decode_partner("origin: [Ringkøbing]\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'origin' must be text, not a list"));
	ck_assert_str_eq(only_hint(), "write it like `origin: Ringkøbing Amt`");
}
END_TEST

START_TEST(markdown_limit)
{
	size_t n = SCHEMA_MAX_PROSE;
	char *text = malloc(n + 256);

	/* Exactly the limit passes, one byte more does not. */
	strcpy(text, PARTNER "body: ");
	memset(text + strlen(text), 'x', n);
	text[strlen(PARTNER) + 6 + n] = '\0';
	ck_assert(decode_text(&schema_partner, &partner, text));
	ck_assert_uint_eq(strlen(partner.body), n);
	strcat(text, "x");
	ck_assert(!decode_text(&schema_partner, &partner, text));
	ck_assert_ptr_nonnull(
	    find_diag(&diags, "'body' is 16385 bytes, more than the limit of 16384 bytes"));
	free(text);
}
END_TEST

START_TEST(lists)
{
	ck_assert(decode_partner("focus: [energi, miljø]\n"));
	ck_assert_uint_eq(partner.focus.n, 2);
	ck_assert_str_eq(partner.focus.items[1], "miljø");
	ck_assert_int_eq(partner.focus.nodes[1]->col, 17);
	ck_assert(!decode_partner("focus: energi\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'focus' must be a list, not a scalar"));
	ck_assert_str_eq(only_hint(), "write it like `focus: [energi, miljø]`");
	teardown();
	setup();
	ck_assert(!decode_partner("focus: [energi, {a: b}, [c]]\n"));
	ck_assert_int_eq(diags.errors, 2);
	ck_assert_diag(&diags, SEV_ERROR, "an item of 'focus' must be text, not a mapping", 5, 17);
	ck_assert_diag(&diags, SEV_ERROR, "an item of 'focus' must be text, not a list", 5, 25);
	/* The good item is kept. */
	ck_assert_uint_eq(partner.focus.n, 1);
}
END_TEST

START_TEST(slugs)
{
	ck_assert(decode_briefing(""));
	ck_assert_uint_eq(briefing.partners.n, 1);
	ck_assert_str_eq(briefing.partners.items[0], "brasov");
	teardown();
	setup();
	ck_assert(!decode_text(&schema_briefing, &briefing,
			       "meeting: {committee: F, date: 2006-10-23, item: 18}\ntitle: T\n"
			       "budget_year: 2007\nintroduction: I\n"
			       "partners: [Shanghai, vastra gotaland, ok-1, {a: b}]\n"
			       "recommendation: {by: D, decisions: []}\n"));
	ck_assert_int_eq(diags.errors, 3);
	ck_assert_diag(&diags, SEV_ERROR, "'Shanghai' is not a valid slug", 5, 12);
	ck_assert_str_eq(diags.items[0].hint,
			 "write 'shanghai' (lower-case letters a to z, digits and '-')");
	ck_assert_str_eq(find_diag(&diags, "'vastra gotaland'")->hint,
			 "write 'vastra-gotaland' (lower-case letters a to z, digits and '-')");
	ck_assert_ptr_nonnull(
	    find_diag(&diags, "an item of 'partners' must be a slug, not a mapping"));
}
END_TEST

START_TEST(prose_items)
{
	ck_assert(decode_briefing("background:\n  - at vokse\n  - text: at samarbejde\n"
				  "    internal: true\n"));
	ck_assert_uint_eq(briefing.background.n, 2);
	ck_assert_str_eq(briefing.background.items[0].text, "at vokse");
	ck_assert(!briefing.background.items[0].internal);
	ck_assert_str_eq(briefing.background.items[1].text, "at samarbejde");
	ck_assert(briefing.background.items[1].internal);
	ck_assert_int_eq(briefing.background.items[1].node->line, 15);
}
END_TEST

START_TEST(prose_errors)
{
	ck_assert(!decode_briefing("priorities:\n  - txt: a\n  - text: b\n    hidden: true\n"
				   "  - \"\"\n  - [x]\n  - internal: true\n"));
	ck_assert_int_eq(diags.errors, 5);
	ck_assert_diag(&diags, SEV_ERROR,
		       "unknown key 'txt' in a priorities item (did you mean 'text'?)", 14, 5);
	ck_assert_diag(&diags, SEV_ERROR, "unknown key 'hidden' in a priorities item", 16, 5);
	ck_assert_diag(&diags, SEV_ERROR, "empty item in 'priorities'", 17, 5);
	ck_assert_diag(&diags, SEV_ERROR, "an item of 'priorities' must be text, not a list", 18,
		       5);
	ck_assert_diag(&diags, SEV_ERROR, "missing required key 'text' in a priorities item", 19,
		       5);
	ck_assert(!decode_briefing("priorities: at vokse\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'priorities' must be a list, not a scalar"));
}
END_TEST

START_TEST(maps)
{
	ck_assert(!decode_text(&schema_briefing, &briefing,
			       "meeting: 2006-10-23\ntitle: T\nbudget_year: 2007\nintroduction: I\n"
			       "partners: []\nrecommendation: {by: D, decisions: []}\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'meeting' must be a mapping, not a scalar", 1, 10);
	ck_assert_str_eq(only_hint(), "write it like `meeting: {committee: Forberedelsesudvalget, "
				      "date: 2006-10-23, item: 18}`");
}
END_TEST

START_TEST(lists_of_maps)
{
	ck_assert(decode_partner("institutions:\n  - name: DAROBI Center\n    city: Brasov\n"
				 "  - name: NUPARK\n"));
	ck_assert_uint_eq(partner.institutions.n, 2);
	ck_assert_str_eq(partner.institutions.items[0].city, "Brasov");
	ck_assert_ptr_null(partner.institutions.items[1].city);
	ck_assert_int_eq(partner.institutions.items[1].node->line, 8);
	/* A bad item is dropped, the good ones kept; a scalar item is named. */
	ck_assert(!decode_partner("institutions:\n  - name: A\n  - city: B\n  - C\n  - name: D\n"));
	ck_assert_uint_eq(partner.institutions.n, 2);
	ck_assert_str_eq(partner.institutions.items[1].name, "D");
	ck_assert_ptr_nonnull(find_diag(&diags, "missing required key 'name' in institution"));
	ck_assert_ptr_nonnull(
	    find_diag(&diags, "an item of 'institutions' must be a mapping, not a scalar"));
}
END_TEST

START_TEST(costs_and_alternatives)
{
	ck_assert(
	    decode_partner("costs:\n  - label: Kontor\n    amount: 200000\n    kind: fixed\n"
			   "    recurrence: yearly\n    shared_with: [bacs-kiskun]\n"
			   "    alternatives:\n      - {label: ved fuld tid, amount: 375000}\n"
			   "    until: 2008\n    note: N\n    internal: true\n"));
	ck_assert_uint_eq(partner.costs.n, 1);
	ck_assert_int_eq(partner.costs.items[0].until, 2008);
	ck_assert_int_eq(partner.costs.items[0].year, 0);
	ck_assert_str_eq(partner.costs.items[0].shared_with.items[0], "bacs-kiskun");
	ck_assert_uint_eq(partner.costs.items[0].alternatives.n, 1);
	ck_assert_int_eq(partner.costs.items[0].alternatives.items[0].amount.value, 375000);
	ck_assert(partner.costs.items[0].internal);
	ck_assert_ptr_nonnull(partner.node);
	ck_assert_int_eq(partner.costs.items[0].node->line, 6);
}
END_TEST

/* ---- numbers as a person means them --------------------------------------- */

/* parse_whole reads plain digits at once: the numbers it reads so are the
 * value written, to 15 digits; a 16th, a leading zero, a sign or anything
 * else goes the long way, and is said as ever. */
START_TEST(plain_digits_read_at_once)
{
	static const struct {
		const char *text;
		long long value;   /* -1: refused, with message */
		const char *message;
	} cases[] = {
		{"0", 0, NULL},
		{"7", 7, NULL},
		{"450000", 450000, NULL},
		{"999999999", 999999999, NULL},
		{"1000000000", -1, "'amount' is implausibly large: 1000000000 kr."},
		{"123456789012345", -1, "'amount' is implausibly large: 123456789012345 kr."},
		{"1234567890123456", -1, "'amount' is implausibly large: 1234567890123456 kr."},
		{"00", -1, "'amount' must be written as plain digits, not '00'"},
		{"045", -1, "'amount' must be written as plain digits, not '045'"},
		{"4500x", -1, "'amount' must be a whole number, not '4500x'"},
		{"45 000", -1, "'amount' must be a whole number, not '45 000'"},
		{"-45", -1, "'amount' must not be negative"},
		{"'450'", 450, NULL},
		{"\"45\\x30\"", 450, NULL},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		teardown();
		setup();
		if (cases[i].value >= 0) {
			ck_assert_msg(decode_amount(cases[i].text), "%s refused", cases[i].text);
			ck_assert_int_eq(partner.costs.items[0].amount.value, cases[i].value);
			ck_assert(partner.costs.items[0].amount.stated);
		} else {
			ck_assert_msg(!decode_amount(cases[i].text), "%s read", cases[i].text);
			ck_assert_uint_eq(diags.errors, 1);
			ck_assert_ptr_nonnull(find_diag(&diags, cases[i].message));
		}
	}
}
END_TEST

START_TEST(leading_zeros_plus_and_underscores)
{
	ck_assert(!decode_amount("0450000"));
	ck_assert_diag(&diags, SEV_ERROR, "'amount' must be written as plain digits, not '0450000'", 7,
		       13);
	ck_assert_str_eq(only_hint(), "write 450000: other YAML readers take 0450000 as octal 151552");
	teardown();
	setup();
	ck_assert(!decode_partner("since: 02005\n"));
	ck_assert_str_eq(only_hint(), "write 2005: other YAML readers take 02005 as octal 1029");
	teardown();
	setup();
	ck_assert(!decode_amount("0490000"));
	ck_assert_str_eq(only_hint(), "write 490000: other YAML readers take a number with a "
				      "leading 0 as octal, and 0490000 as text");
	teardown();
	setup();
	ck_assert(!decode_amount("+450000"));
	ck_assert_str_eq(only_hint(), "write 450000: a whole number is written as digits only");
	teardown();
	setup();
	ck_assert(!decode_amount("450_000"));
	ck_assert_str_eq(only_hint(), "write 450000: YAML 1.2 readers take 450_000 as text, not a number");
	teardown();
	setup();
	ck_assert(!decode_amount("+0_450_000"));
	ck_assert_str_eq(only_hint(), "write 450000: other YAML readers take +0_450_000 as octal 151552");
	teardown();
	setup();
	ck_assert(!decode_amount("00"));
	ck_assert_str_eq(only_hint(), "write 0: other YAML readers take 00 as octal 0");
	teardown();
	setup();
	/* Zero itself, and digits as they are, are fine. */
	ck_assert(decode_amount("0"));
	ck_assert(decode_amount("450000"));
	/* A short year is a short year, not a zero too many. */
	ck_assert(!decode_partner("since: 07\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "not a plausible year: 07"));
	teardown();
	setup();
	/* Not numbers of this kind: the old messages. */
	ck_assert(!decode_amount("450_"));
	ck_assert_ptr_nonnull(find_diag(&diags, "must be a whole number, not '450_'"));
}
END_TEST

/* ---- text hygiene in fields ------------------------------------------------ */

START_TEST(tabs_and_format_characters_by_field)
{
	const struct diag *g;

	/* One-line fields: errors at the character, the value never shown. */
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: \"Bra\\u200bsov\"\ncountry: RO\nstatus: continue\nsummary: S.\n"));
	ck_assert_diag(&diags, SEV_ERROR, "invisible character \\u200b (zero-width space) in 'name'",
		       1, 11);
	ck_assert_str_eq(only_hint(),
			 "write \"Brasov\": it is invisible and breaks searching, sorting and copying");
	ck_assert_ptr_null(partner.name);
	teardown();
	setup();
	ck_assert(!decode_partner("origin: \"Ringk\\u00f8bing \\u202egnibokgniR\"\n"));
	ck_assert_diag(&diags, SEV_ERROR, "\\u202e (right-to-left override) in 'origin'", 5, 26);
	teardown();
	setup();
	ck_assert(!decode_partner("focus: [\"a\\tb\"]\n"));
	ck_assert_diag(&diags, SEV_ERROR, "tab in 'focus'", 5, 11);
	teardown();
	setup();
	/* An enum: the error says what is wrong without repeating the value. */
	ck_assert(!decode_text(&schema_partner, &partner,
			       "name: B\ncountry: RO\nstatus: \"continue\\u2060\"\nsummary: S.\n"));
	ck_assert_int_eq(diags.errors, 1);
	g = find_diag(&diags, "in 'status'");
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_null(strstr(g->message, "\xE2\x81\xA0"));
	teardown();
	setup();
	ck_assert(!decode_partner("\"foc\\u200dus\": [a]\n"));
	ck_assert_diag(&diags, SEV_ERROR, "invisible character \\u200d (zero-width joiner) in a key", 5,
		       5);
	teardown();
	setup();
	ck_assert(!decode_partner("costs:\n  - {label: \"L\\nM\", amount: 5, year: 2007, kind: max}\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'label' must be one line of text"));
	teardown();
	setup();
	ck_assert(!decode_partner("since: \"20\\n07\"\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "'since' must be one line"));
	teardown();
	setup();
	/* Line breaks from the source, in every style but the one escapes write. */
	ck_assert(!decode_partner("origin: Ringkøbing\n\n  Amt\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'origin' must be one line of text", 5, 9);
	teardown();
	setup();
	ck_assert(!decode_partner("origin: 'Ringkøbing\n\n  Amt'\n"));
	ck_assert_diag(&diags, SEV_ERROR, "'origin' must be one line of text", 5, 9);
	teardown();
	setup();
	ck_assert(!decode_partner("? 'ori\n\n  gin'\n: x\n"));
	ck_assert_ptr_nonnull(find_diag(&diags, "must be one line"));
	teardown();
	setup();
	ck_assert(decode_partner("origin: \"Ringk\\xF8bing\"\n"));
	ck_assert_str_eq(partner.origin, "Ringkøbing");
	teardown();
	setup();
	/* Prose: tabs and line breaks are fine, a format character is a warning. */
	ck_assert(decode_partner("body: \"a\\tb\\nc \\u202eX\\u202c\"\n"));
	ck_assert_int_eq(diags.errors, 0);
	ck_assert_int_eq(diags.warnings, 1);
	ck_assert_diag(&diags, SEV_WARNING,
		       "invisible character \\u202e (right-to-left override) in 'body', and more after it",
		       5, 16);
	ck_assert_ptr_nonnull(partner.body);
	teardown();
	setup();
	ck_assert(decode_briefing("background:\n  - \"x\\u200by\"\n  - text: \"\\u2066z\"\n"));
	ck_assert_int_eq(diags.warnings, 2);
	ck_assert_diag(&diags, SEV_WARNING, "\\u200b (zero-width space) in 'background'", 14, 7);
	ck_assert_diag(&diags, SEV_WARNING, "\\u2066 (left-to-right isolate) in 'background'", 15,
		       12);
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("decode");
	TCase *t = tcase_create("keys");
	TCase *n = tcase_create("numbers");
	TCase *y = tcase_create("types");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, distance);
	tcase_add_test(t, suggest);
	tcase_add_test(t, unknown_key_suggests_once);
	tcase_add_test(t, misspelt_required_key_is_not_also_missing);
	tcase_add_test(t, unknown_key_without_suggestion_lists_keys);
	tcase_add_test(t, missing_required_key);
	tcase_add_test(t, keys_found_in_any_order);
	tcase_add_test(t, required_key_given_whatever_its_value);
	tcase_add_test(t, required_keys_past_the_64th_field);
	tcase_add_test(t, missing_key_hint_is_one_line);
	tcase_add_test(t, empty_required_values);
	tcase_add_test(t, optional_empty_values_are_absent);
	tcase_add_test(t, every_error_in_one_pass);
	suite_add_tcase(s, t);

	tcase_add_checked_fixture(n, setup, teardown);
	tcase_add_test(n, danish_thousands_separator);
	tcase_add_test(n, grouped_forms);
	tcase_add_test(n, not_grouped);
	tcase_add_test(n, grouped_year_and_item);
	tcase_add_test(n, amount_values);
	tcase_add_test(n, amount_null_is_not_stated);
	tcase_add_test(n, amount_negative);
	tcase_add_test(n, amount_decimal);
	tcase_add_test(n, amount_words);
	tcase_add_test(n, amount_too_large);
	tcase_add_test(n, amount_not_a_scalar);
	tcase_add_test(n, years);
	tcase_add_test(n, whole_numbers);
	tcase_add_test(n, leading_zeros_plus_and_underscores);
	tcase_add_test(n, plain_digits_read_at_once);
	suite_add_tcase(s, n);

	tcase_add_checked_fixture(y, setup, teardown);
	tcase_add_test(y, dates);
	tcase_add_test(y, impossible_dates);
	tcase_add_test(y, malformed_dates);
	tcase_add_test(y, enums);
	tcase_add_test(y, enum_errors);
	tcase_add_test(y, booleans);
	tcase_add_test(y, countries);
	tcase_add_test(y, one_line_text);
	tcase_add_test(y, markdown_limit);
	tcase_add_test(y, lists);
	tcase_add_test(y, slugs);
	tcase_add_test(y, prose_items);
	tcase_add_test(y, prose_errors);
	tcase_add_test(y, maps);
	tcase_add_test(y, lists_of_maps);
	tcase_add_test(y, costs_and_alternatives);
	tcase_add_test(y, tabs_and_format_characters_by_field);
	suite_add_tcase(s, y);
	return s;
}

int main(void)
{
	return run_suite(decode_suite());
}
