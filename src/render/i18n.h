/*
 * i18n: labels and the way numbers, amounts and dates are written in one
 * language, read from templates' i18n/<lang>.yaml.
 *
 * The file is a mapping of label names to text, plus `months` (a list of
 * twelve names) and `countries` (a mapping of ISO codes to names).
 * Number and date formats come from the file too (thousands separator,
 * currency before/after, date pattern), never from the machine's locale,
 * so output is the same on every machine.
 *
 * The struct i18n owns an arena with the parsed file and its view.
 */
#ifndef BRIEFGEN_I18N_H
#define BRIEFGEN_I18N_H

#include <stdbool.h>

#include "../util/arena.h"
#include "../util/buf.h"
#include "../diag/diag.h"
#include "../validate/record.h"
#include "templates.h"
#include "view.h"

struct i18n {
	struct arena arena;
	const char *lang;           /* "da" or "en" */
	struct node *root;          /* the parsed file */
	struct view *labels;        /* the whole file as a view, for {{t.key}} */
	const struct view *countries;   /* labels' countries, or NULL */
	/* The names of countries' two-letter codes "AA".."ZZ", by
	 * (c0 - 'A') * 26 + c1 - 'A' (NULL: not named), in the arena; NULL
	 * when countries is not a map.  Every partner asks for its country. */
	const char **country2;
	const char *thousands;      /* "." */
	const char *decimal;        /* "," (decimal_separator; default ".") */
	const char *currency_before;/* "" or "DKK " */
	const char *currency_after; /* " kr." or "" */
	const char *date_pattern;   /* "{d}. {month} {yyyy}" */
	const char *at_least;       /* "mindst" */
	const char *not_stated;     /* "ikke oplyst" */
	const char *months[12];
	/* The lengths of thousands, currency_before and currency_after:
	 * amounts are written for every cost line. */
	size_t thousands_len, before_len, after_len;
};

/* Load i18n/<lang>.yaml through t.  Returns false with diags on error
 * (missing file, missing required key); nothing is then left allocated
 * and i18n_release() is not needed. */
bool i18n_load(struct i18n *i, struct templates *t, const char *lang, struct diags *diags);
void i18n_release(struct i18n *i);

/* A label by name; the name itself when the file lacks it. */
const char *i18n_label(const struct i18n *i, const char *key);
/* The country's name, or the code when the file does not name it. */
const char *i18n_country(const struct i18n *i, const char *code);

/* 1655000 -> "1.655.000" */
void i18n_number(const struct i18n *i, long long n, struct buf *out);
/* 1655000 -> "1.655.000 kr." / "DKK 1,655,000" */
void i18n_amount(const struct i18n *i, long long n, struct buf *out);
/* i18n_amount's text as a new NUL-terminated string in a (its length in
 * *len): an amount's view is made without a buffer to grow and copy. */
char *i18n_amount_text(const struct i18n *i, long long n, struct arena *a, size_t *len);
/* A total that may be a lower bound: "mindst 1.655.000 kr."; a total of
 * nothing stated is "ikke oplyst". */
void i18n_money(const struct i18n *i, long long n, bool lower_bound, bool any_stated,
		struct buf *out);
/* A file size in decimal units: 812 -> "812 B", 288411 -> "288 kB",
 * 1234567 -> "1,2 MB" (the decimal separator of the language file). */
void i18n_size(const struct i18n *i, long long bytes, struct buf *out);
/* 2006-10-23 -> "23. oktober 2006" */
void i18n_date(const struct i18n *i, const struct date *d, struct buf *out);

#endif
