#include "decode.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../load/text.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "../util/translit.h"
#include "links.h"
#include "record.h"
#include "rewrite.h"

struct decoder {
	struct arena *arena;
	struct diags *diags;
	size_t errors;
	const struct schema *schema;   /* the record's, for a hint naming a sibling field */
	const struct node *map;        /* the record's mapping */
	const struct decode_links *links;   /* NULL: links_first_refused() */
};

static void error_at(struct decoder *d, const struct node *at, const char *hint, const char *fmt,
		     ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void error_at(struct decoder *d, const struct node *at, const char *hint, const char *fmt,
		     ...)
{
	va_list ap;

	va_start(ap, fmt);
	diags_vat(d->diags, SEV_ERROR, at, hint, fmt, ap);
	va_end(ap);
	d->errors++;
}

/* The field's example on one line, for a hint: a block scalar's indicator
 * ("|", ">-") is dropped and its lines are joined. */
static char *example_line(const struct field *f)
{
	struct buf b = BUF_INIT;
	const char *p = f->example;

	if (strchr(p, '\n') && (*p == '|' || *p == '>'))
		p = strchr(p, '\n');
	for (; *p; p++) {
		if (*p != '\n') {
			buf_addc(&b, *p);
			continue;
		}
		while (p[1] == ' ')
			p++;
		if (b.len)
			buf_addc(&b, ' ');
	}
	return buf_detach(&b, NULL);
}

size_t decode_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *row, prev, tmp, best;

	if (la > 64 || lb > 64)
		return 99;
	row = xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

const char *decode_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t i, bestd = 3, dist;

	for (i = 0; i < n; i++) {
		dist = decode_distance(word, candidates[i]);
		if (dist < bestd) {
			bestd = dist;
			best = candidates[i];
		}
	}
	if (!best && strlen(word) >= 3)
		for (i = 0; i < n; i++)
			if (strncmp(candidates[i], word, strlen(word)) == 0)
				return candidates[i];
	/* The word runs on past a candidate: "maximum" for "max". */
	if (!best)
		for (i = 0; i < n; i++)
			if (strlen(candidates[i]) >= 3 &&
			    strncmp(word, candidates[i], strlen(candidates[i])) == 0)
				return candidates[i];
	return best;
}

static const struct field *find_field(const struct schema *s, const char *name)
{
	const struct field *f;

	/* The first byte first: a call to strcmp for each field of the
	 * schema, for every key of every record, showed in the profile. */
	for (f = s->fields; f->name; f++)
		if (f->name[0] == name[0] && strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* find_field, looking from field `from` on first (and then from the first
 * up to it): keys are mostly written in the schema's order, so the field
 * after the last key's is nearly always the next key's.  A schema's field
 * names are distinct, so what is found is what find_field finds. */
static const struct field *find_field_from(const struct schema *s, const struct field *from,
					   const char *name)
{
	const struct field *f;

	for (f = from; f->name; f++)
		if (f->name[0] == name[0] && strcmp(f->name, name) == 0)
			return f;
	for (f = s->fields; f != from; f++)
		if (f->name[0] == name[0] && strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static const char *suggest_field(const struct schema *s, const char *word)
{
	const char *names[64];
	size_t n = 0;
	const struct field *f;

	for (f = s->fields; f->name && n < 64; f++)
		names[n++] = f->name;
	return decode_suggest(word, names, n);
}

static char *list_values(const char *const *values)
{
	struct buf b = BUF_INIT;
	const char *const *v;

	for (v = values; *v; v++)
		buf_addf(&b, "%s%s", v == values ? "" : ", ", *v);
	return buf_detach(&b, NULL);
}

static char *field_names(const struct schema *s)
{
	struct buf b = BUF_INIT;
	const struct field *f;

	buf_adds(&b, _("known keys: "));
	for (f = s->fields; f->name; f++)
		buf_addf(&b, "%s%s", f == s->fields ? "" : ", ", f->name);
	return buf_detach(&b, NULL);
}

/* A value of the wrong kind: say what was expected and show the field's example.
 * what is marked N_() by the caller ("text", "a slug", "a list") and
 * translated here, only when there is something to say: a lookup for every
 * field checked would cost more than the check. */
static bool expect_kind(struct decoder *d, const struct node *n, enum node_kind kind,
			const struct field *f, const char *what)
{
	char *ex, *hint = NULL;

	if (n->kind == kind)
		return true;
	if (f->example[0]) {
		ex = example_line(f);
		hint = xasprintf(_("write it like `%s: %s`"), f->name, ex);
		free(ex);
	}
	error_at(d, n, hint, "'%s' must be %s, not %s", f->name, _(what), node_kind_name(n->kind));
	free(hint);
	return false;
}

/* An item of a list field has the wrong kind: name the item, not the list.
 * what and hint are marked N_() and translated here, as for expect_kind. */
static bool expect_item(struct decoder *d, const struct node *n, enum node_kind kind,
			const char *key, const char *what, const char *hint)
{
	if (n->kind == kind)
		return true;
	error_at(d, n, hint ? _(hint) : NULL, "an item of '%s' must be %s, not %s", key, _(what),
		 node_kind_name(n->kind));
	return false;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool has_letters(const char *s)
{
	for (; *s; s++)
		if (isalpha((unsigned char)*s))
			return true;
	return false;
}

/* Remove Danish/English thousands separators for the hint: "50.000" -> "50000". */
static bool looks_grouped(const char *s, char *plain, size_t size)
{
	size_t i = 0, group = 0;
	bool seen_sep = false;
	char sep = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; *s; s++) {
		if (isdigit((unsigned char)*s)) {
			if (i + 1 >= size)
				return false;
			plain[i++] = *s;
			group++;
		} else if ((*s == '.' || *s == ',' || *s == ' ') && (!sep || sep == *s) &&
			   (!seen_sep || group == 3) && group >= 1 && group <= 3) {
			sep = *s;
			seen_sep = true;
			group = 0;
		} else {
			return false;
		}
	}
	plain[i] = '\0';
	return seen_sep && group == 3;
}

/*
 * A whole number written with a leading zero, a '+' sign or '_' between
 * digits: briefgen could read each, but other YAML readers (YAML 1.1, what
 * most tools use) take 0450000 as octal 151552 and 02005 as 1029, and YAML
 * 1.2 readers take 450_000 as text.  Report it with the number meant and why;
 * true when it was reported.
 */
static bool written_oddly(struct decoder *d, const struct node *n, const struct field *f)
{
	const char *v = n->value, *p;
	char meant[32], why[160], *hint;
	size_t k = 0, digits = 0;
	bool plus = false, under = false, zero, octal = true;
	unsigned long long oct = 0;

	if (*v == '+') {
		plus = true;
		v++;
	}
	if (!isdigit((unsigned char)*v))
		return false;
	for (p = v; *p; p++) {
		if (*p == '_' && p > v && (isdigit((unsigned char)p[-1]) || p[-1] == '_')) {
			under = true;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return false;   /* not a number of this kind: the caller says what it is */
		digits++;
		if (*p > '7')
			octal = false;
		else if (oct <= (ULLONG_MAX >> 3))
			oct = oct * 8 + (unsigned)(*p - '0');
		else
			octal = false;   /* too long to say its octal value */
	}
	if (p[-1] == '_')
		return false;
	/* The digits without the leading zeros: the number meant. */
	for (p = v; *p == '0' || *p == '_'; p++)
		;
	zero = v[0] == '0' && digits > 1;
	if (!plus && !under && !zero)
		return false;
	for (; *p && k + 1 < sizeof(meant); p++)
		if (*p != '_')
			meant[k++] = *p;
	if (!k)
		meant[k++] = '0';
	meant[k] = '\0';
	/* "07" for a year is a short year, not a zero too many: the range
	 * check says that better. */
	if (f->type == FT_YEAR && !plus && !under && (atoi(meant) < 1900 || atoi(meant) > 2200))
		return false;
	if (!n->plain)
		snprintf(why, sizeof(why), _("a whole number is written as digits only"));
	else if (zero && octal)
		snprintf(why, sizeof(why), _("other YAML readers take %s as octal %llu"), n->value, oct);
	else if (zero)
		snprintf(why, sizeof(why),
			 _("other YAML readers take a number with a leading 0 as octal, and %s as text"), n->value);
	else if (under)
		snprintf(why, sizeof(why), _("YAML 1.2 readers take %s as text, not a number"), n->value);
	else
		snprintf(why, sizeof(why), _("a whole number is written as digits only"));
	hint = xasprintf(_("write %s: %s"), meant, why);
	error_at(d, n, hint, "'%s' must be written as plain digits, not '%s'", f->name, n->value);
	free(hint);
	return true;
}

/* The hint for an amount written the way people write amounts ("ca.
 * 50.000 kr.", "1,5 mio."): the number to write, and the kind the words
 * said when the record has a `kind` that does not say it yet.  NULL when v
 * is not such an amount, or needs rounding.  The caller frees it. */
static char *amount_hint(const struct decoder *d, const struct field *f, const char *v)
{
	static const char *const kinds[] = {NULL, "estimate", "max"};
	const struct node *k = d->map ? node_get(d->map, "kind") : NULL;
	enum rewrite_kind kind;
	long long value;
	bool exact;

	if (!rewrite_amount(v, &value, &exact, &kind) || !exact)
		return NULL;
	if (kind != REWRITE_PLAIN && d->schema && find_field(d->schema, "kind") &&
	    !(k && k->kind == NODE_SCALAR && strcmp(k->value, kinds[kind]) == 0))
		return xasprintf(_("write `%s: %lld` and `kind: %s`"), f->name, value, kinds[kind]);
	return xasprintf(_("write `%s: %lld` (the number alone, in whole kroner)"), f->name, value);
}

/* Longer digit strings are reported as too large by the callers' range checks. */
#define WHOLE_MAX_DIGITS 15

/* Parse a whole number for field f; false (after an error) when it is not
 * one.  A longer run of digits than WHOLE_MAX_DIGITS comes back as LLONG_MAX,
 * for the caller's range check to report with the text as written. */
static bool parse_whole(struct decoder *d, const struct node *n, const struct field *f,
			long long *out)
{
	char plain[32];
	const char *v = n->value;
	const char *key = f->name;
	bool amount = f->type == FT_AMOUNT;
	char *hint;

	if (n->kind != NODE_SCALAR) {
		hint = xasprintf(_("write only digits, e.g. `%s: %s`"), key, f->example);
		error_at(d, n, hint, "'%s' must be a whole number, not %s", key,
			 node_kind_name(n->kind));
		free(hint);
		return false;
	}
	/* Digits only, no leading zero, not too many (nearly every number):
	 * nothing below would say a word, and the value is theirs. */
	if (n->len && n->len <= WHOLE_MAX_DIGITS && (v[0] != '0' || n->len == 1)) {
		long long x = 0;
		size_t i;

		for (i = 0; i < n->len && v[i] >= '0' && v[i] <= '9'; i++)
			x = x * 10 + (v[i] - '0');
		if (i == n->len) {
			*out = x;
			return true;
		}
	}
	if (looks_grouped(v, plain, sizeof(plain))) {
		hint = xasprintf(_("write %s (no thousands separator)"), plain);
		error_at(d, n, hint, "'%s' must be a whole number, not '%s'", key, v);
		free(hint);
		return false;
	}
	if (v[0] == '-' && all_digits(v + 1)) {
		hint = amount ? xasprintf(_("write the amount as a positive number"))
			      : xasprintf(_("write it without the minus sign, e.g. %s"), f->example);
		error_at(d, n, hint, "'%s' must not be negative", key);
		free(hint);
		return false;
	}
	if (written_oddly(d, n, f))
		return false;
	if (!all_digits(v)) {
		if (amount && (hint = amount_hint(d, f, v)))
			;
		else if (amount && has_letters(v))
			hint = xasprintf(_("write only the number: say 'ca.' with `kind: estimate`, "
					 "'max.' with `kind: max`, and put other words in `note`"));
		else if (amount && isdigit((unsigned char)v[0]) &&
			 (strchr(v, '.') || strchr(v, ',')))
			hint = xasprintf(_("round to whole kroner, e.g. %.*s"),
					 (int)strspn(v, "0123456789"), v);
		else
			hint = xasprintf(_("write only digits, e.g. %s"), f->example);
		error_at(d, n, hint, "'%s' must be a whole number, not '%s'", key, v);
		free(hint);
		return false;
	}
	*out = strlen(v) > WHOLE_MAX_DIGITS ? LLONG_MAX : strtoll(v, NULL, 10);
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return mdays[m - 1] + (m == 2 && leap(y));
}

enum date_problem { DATE_OK, DATE_FORMAT, DATE_MONTH, DATE_DAY };

/* Parse YYYY-MM-DD.  A date in that form that does not exist (2006-02-30)
 * is told apart from one in another form, for the message. */
static enum date_problem parse_date(const char *s, struct date *out)
{
	int y, m, dd, i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return DATE_FORMAT;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return DATE_FORMAT;
	y = atoi(s);
	m = atoi(s + 5);
	dd = atoi(s + 8);
	if (m < 1 || m > 12)
		return DATE_MONTH;
	if (dd < 1 || dd > month_days(y, m))
		return DATE_DAY;
	out->year = y;
	out->month = m;
	out->day = dd;
	return DATE_OK;
}

/* The hint for a date not written YYYY-MM-DD: the person's own date in that
 * form when it can be read ("24. oktober 2006" is 2006-10-24), with what is
 * wrong with it when it does not exist.  The caller frees it. */
static char *date_hint(const struct field *f, const char *s)
{
	int y, m, dd;

	if (!rewrite_date(s, &y, &m, &dd))
		return xasprintf(_("write the date as YYYY-MM-DD (year-month-day), e.g. %s"),
				 f->example);
	if (y < 1000 || y > 9999 || m < 1 || m > 12)
		return xasprintf(_("write the date as YYYY-MM-DD (year-month-day); there is no "
				   "month %d"), m);
	if (dd < 1 || dd > month_days(y, m))
		return xasprintf(_("write the date as YYYY-MM-DD (year-month-day), but check the "
				   "day: %04d-%02d has %d days"), y, m, month_days(y, m));
	return xasprintf(_("write %04d-%02d-%02d (year-month-day)"), y, m, dd);
}

static void decode_date(struct decoder *d, const struct field *f, const struct node *n,
			struct date *out)
{
	char *hint;

	if (n->kind != NODE_SCALAR) {
		hint = xasprintf(_("write the date as YYYY-MM-DD, e.g. %s"), f->example);
		error_at(d, n, hint, "'%s' must be a date, not %s", f->name,
			 node_kind_name(n->kind));
		free(hint);
		return;
	}
	switch (parse_date(n->value, out)) {
	case DATE_OK:
		return;
	case DATE_FORMAT:
		hint = date_hint(f, n->value);
		error_at(d, n, hint, "'%s' is not a valid date: '%s'", f->name, n->value);
		free(hint);
		return;
	case DATE_MONTH:
		error_at(d, n, _("the month is 01 to 12: write the date as YYYY-MM-DD"),
			 "'%s' %s does not exist: there is no month %.2s", f->name, n->value,
			 n->value + 5);
		return;
	case DATE_DAY:
		hint = xasprintf(_("%.7s has %d days; check the day and the month"), n->value,
				 month_days(atoi(n->value), atoi(n->value + 5)));
		error_at(d, n, hint, "'%s' %s does not exist", f->name, n->value);
		free(hint);
		return;
	}
}

static bool slug_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

/* What to write for a slug that is not one: "Győr" is "gyor". */
static char *slug_hint(const char *s)
{
	char *slug = translit_slug(s, strlen(s)), *hint;

	hint = *slug ? xasprintf(_("write '%s' (lower-case letters a to z, digits and '-')"), slug)
		     : xstrdup(_("use lower-case letters a to z, digits and '-'"));
	free(slug);
	return hint;
}

/* ---- text hygiene -------------------------------------------------------- */

/* Is the field one line of text (a name, label, slug, enum, number...)
 * rather than prose, where line breaks, tabs and (with a warning) format
 * characters may stand? */
static bool one_line(const struct field *f)
{
	return f->type != FT_MARKDOWN && f->type != FT_PROSE;
}

/*
 * Check the characters of scalar n, the value of field f (NULL: n is a
 * key), after the loader refused control characters: a one-line field may
 * hold no line break, tab or Unicode format character (an error at the
 * character); prose gets a warning for a format character.  False after an
 * error: the caller then leaves the value alone, so no message shows it.
 */
static bool text_said(struct decoder *d, const struct field *f, const struct node *n);

static inline bool text_ok(struct decoder *d, const struct field *f, const struct node *n)
{
	const struct node_chars *c = n->chars;

	if (n->kind != NODE_SCALAR)
		return true;
	/* Nothing to say (nearly always): return before making the subject,
	 * without the frame text_said() needs for saying it. */
	if (!((!f || one_line(f)) && !n->one_line && memchr(n->value, '\n', n->len)) &&
	    (!c || (!((!f || one_line(f)) && c->tab_line) && !c->nformat)))
		return true;
	return text_said(d, f, n);
}

/* text_ok() for a value it has something to say of. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static bool text_said(struct decoder *d, const struct field *f, const struct node *n)
{
	const struct node_chars *c = n->chars;
	const char *name = f ? f->name : NULL;
	char esc[12], *hint, *subject;
	struct node at;

	subject = name ? xasprintf("'%s'", name) : xstrdup("a key");
	if ((!f || one_line(f)) && !n->one_line && memchr(n->value, '\n', n->len)) {
		if (f && (f->type == FT_STRING || f->type == FT_STRINGS))
			error_at(d, n, _("write it on one line, or use a Markdown field for longer text"),
				 "%s must be one line of text", subject);
		else
			error_at(d, n, _("write it on one line"), "%s must be one line", subject);
		goto bad;
	}
	if (!c)
		goto good;
	at = *n;
	if ((!f || one_line(f)) && c->tab_line) {
		at.line = c->tab_line;
		at.col = c->tab_col;
		hint = text_hint('\t', n->value, n->len);
		error_at(d, &at, hint, "tab in %s", subject);
		free(hint);
		goto bad;
	}
	if (!c->nformat)
		goto good;
	at.line = c->format_line;
	at.col = c->format_col;
	text_escape(c->format, esc);
	if (!f || one_line(f)) {
		hint = text_hint(c->format, n->value, n->len);
		error_at(d, &at, hint, "invisible character %s (%s) in %s", esc,
			 text_char_name(c->format), subject);
		free(hint);
		goto bad;
	}
	diags_at(d->diags, SEV_WARNING, &at,
		 text_is_bidi(c->format)
			 ? _("remove it: text in another script is shown in its own direction without it")
			 : _("remove it, or write an ordinary space where a break is wanted"),
		 "invisible character %s (%s) in %s%s", esc, text_char_name(c->format), subject,
		 c->nformat > 1 ? _(", and more after it") : "");
good:
	free(subject);
	return true;
bad:
	free(subject);
	return false;
}

static void decode_value(struct decoder *d, const struct field *f, const struct node *n,
			 char *rec);

static const char *decode_string(struct decoder *d, const struct field *f, const struct node *n)
{
	if (!expect_kind(d, n, NODE_SCALAR, f, N_("text")))
		return NULL;
	if (f->type == FT_MARKDOWN && n->len > SCHEMA_MAX_PROSE) {
		char *hint = xasprintf(_("shorten it to at most %d bytes"), SCHEMA_MAX_PROSE);
		error_at(d, n, hint, "'%s' is %zu bytes, more than the limit of %d bytes (16 KiB)",
			 f->name, n->len, SCHEMA_MAX_PROSE);
		free(hint);
		return NULL;
	}
	if (f->type == FT_MARKDOWN) {   /* links: issue 8, item 9 (links.h) */
		char *bad = d->links ? d->links->check(d->links->ud, n->value, n->len)
				     : links_first_refused(n->value, n->len);
		if (bad) {
			error_at(d, n, _("link to an https:// address or to a file of the site"),
				 "link to '%s' in '%s' is not an http(s) address or a relative path",
				 bad, f->name);
			free(bad);
			return NULL;
		}
	}
	return n->value;
}

static void decode_enum(struct decoder *d, const struct field *f, const struct node *n, int *out)
{
	const char *const *v;
	char *allowed, *hint;
	const char *sugg;
	size_t count = 0;

	if (!expect_kind(d, n, NODE_SCALAR, f, N_("one word")))
		return;
	for (v = f->values; *v; v++, count++)
		if (strcmp(*v, n->value) == 0) {
			*out = (int)(v - f->values);
			return;
		}
	allowed = list_values(f->values);
	sugg = rewrite_enum_word(n->value, f->values);
	if (sugg) {
		hint = xasprintf(_("write `%s: %s`"), f->name, sugg);
	} else {
		sugg = decode_suggest(n->value, f->values, count);
		hint = sugg ? xasprintf(_("did you mean '%s'? write `%s: %s`"), sugg, f->name, sugg)
			    : NULL;
	}
	error_at(d, n, hint, "'%s' must be one of %s, not '%s'", f->name, allowed, n->value);
	free(hint);
	free(allowed);
}

static void decode_bool(struct decoder *d, const struct field *f, const struct node *n, bool *out)
{
	if (n->kind == NODE_SCALAR && strcmp(n->value, "true") == 0)
		*out = true;
	else if (n->kind == NODE_SCALAR && strcmp(n->value, "false") == 0)
		*out = false;
	else
		error_at(d, n, _("write true or false"), "'%s' must be true or false, not '%s'", f->name,
			 n->kind == NODE_SCALAR ? n->value : node_kind_name(n->kind));
}

static void decode_country(struct decoder *d, const struct field *f, const struct node *n,
			   const char **out)
{
	char up[3];
	char *hint;

	if (!expect_kind(d, n, NODE_SCALAR, f, N_("a country code")))
		return;
	if (schema_country_known(n->value)) {
		*out = n->value;
		return;
	}
	if (n->len == 2) {
		up[0] = (char)toupper((unsigned char)n->value[0]);
		up[1] = (char)toupper((unsigned char)n->value[1]);
		up[2] = '\0';
		if (schema_country_known(up)) {
			hint = xasprintf(_("write %s"), up);
			error_at(d, n, hint, "country code '%s' must be upper case", n->value);
			free(hint);
			return;
		}
	}
	error_at(d, n, _("use the ISO 3166-1 alpha-2 code, e.g. DK, SE, PL, RO, CN"),
		 "'%s' is not an ISO 3166-1 alpha-2 country code", n->value);
}

static void decode_amount(struct decoder *d, const struct field *f, const struct node *n,
			  struct amount *out)
{
	long long v;

	if (node_is_null(n)) {
		out->stated = false;
		return;
	}
	if (!parse_whole(d, n, f, &v))
		return;
	if (v >= SCHEMA_MAX_AMOUNT) {
		error_at(d, n, _("check the number of zeros; amounts are whole kroner"),
			 "'%s' is implausibly large: %s kr.", f->name, n->value);
		return;
	}
	out->value = v;
	out->stated = true;
}

static void decode_year(struct decoder *d, const struct field *f, const struct node *n, int *out)
{
	long long v;

	if (!parse_whole(d, n, f, &v))
		return;
	if (v < 1900 || v > 2200) {
		error_at(d, n, _("write a four-digit year, e.g. 2007"),
			 "'%s' is not a plausible year: %s", f->name, n->value);
		return;
	}
	*out = (int)v;
}

/*
 * A list item indented one space more than the one before it is not an
 * item: YAML reads "- shanghai" as more text of the item above, and the
 * two come out as one, "brasov - shanghai".  Say so, and how to write
 * them; true when n is such an item.
 */
static bool run_together(struct decoder *d, const struct node *n)
{
	const char *dash = strstr(n->value, " - "), *next;
	char *hint;

	if (!n->plain || !dash || dash == n->value || !dash[3])
		return false;
	next = dash + 3;
	hint = xasprintf(_("a '-' starts a new item only at the start of a line, directly under "
			   "the '-' of '%.*s' (line %d): write `- %.*s` on a line of its own"),
			 (int)(dash - n->value), n->value, n->line,
			 (int)(strstr(next, " - ") ? (size_t)(strstr(next, " - ") - next)
						   : strlen(next)), next);
	error_at(d, n, hint, "list items run together: '%s' is read as one item", n->value);
	free(hint);
	return true;
}

static const char *decode_slug(struct decoder *d, const struct field *f, const struct node *n)
{
	char *hint;

	if (!expect_kind(d, n, NODE_SCALAR, f, N_("a slug")))
		return NULL;
	if (slug_ok(n->value))
		return n->value;
	if (f->type == FT_SLUGS && run_together(d, n))
		return NULL;
	hint = slug_hint(n->value);
	error_at(d, n, hint, "'%s' is not a valid slug (lower-case letters, digits, '-')",
		 n->value);
	free(hint);
	return NULL;
}

static void decode_strings(struct decoder *d, const struct field *f, const struct node *n,
			   struct strings *out)
{
	size_t i;
	const char *s;

	if (!expect_kind(d, n, NODE_SEQ, f, N_("a list")))
		return;
	out->items = arena_alloc(d->arena, n->n * sizeof(*out->items));
	out->nodes = arena_alloc(d->arena, n->n * sizeof(*out->nodes));
	for (i = 0; i < n->n; i++) {
		const struct node *item = n->items[i];
		if (!expect_item(d, item, NODE_SCALAR, f->name,
				 f->type == FT_SLUGS ? N_("a slug") : N_("text"), NULL) ||
		    !text_ok(d, f, item))
			continue;
		s = f->type == FT_SLUGS ? decode_slug(d, f, item) : item->value;
		if (!s)
			continue;
		out->items[out->n] = s;
		out->nodes[out->n] = item;
		out->n++;
	}
}

static const char *const prose_keys[] = {"text", "internal"};

static void prose_unknown_key(struct decoder *d, const struct field *f, const struct node *key)
{
	const char *sugg = decode_suggest(key->value, prose_keys, 2);

	if (sugg)
		error_at(d, key, NULL, "unknown key '%s' in a %s item (did you mean '%s'?)",
			 key->value, f->name, sugg);
	else
		error_at(d, key, _("a list item takes only 'text' and 'internal'"),
			 "unknown key '%s' in a %s item", key->value, f->name);
}

/* Is 'text' missing only because it is misspelt (and reported as such)? */
static bool prose_misspelt_text(const struct node *item)
{
	size_t k;

	for (k = 0; k < item->n; k++) {
		const char *key = item->pairs[k].key->value;
		if (strcmp(key, "internal") != 0 &&
		    decode_suggest(key, prose_keys, 2) == prose_keys[0])
			return true;
	}
	return false;
}

static void decode_prose(struct decoder *d, const struct field *f, const struct node *n,
			 struct prose_list *out)
{
	static const struct field text_field = {"text", FT_MARKDOWN, F_REQUIRED, 0, NULL, NULL, "", ""};
	static const struct field internal_field = {"internal", FT_BOOL, 0, 0, NULL, NULL, "", ""};
	size_t i, k;

	if (!expect_kind(d, n, NODE_SEQ, f, N_("a list")))
		return;
	out->items = arena_alloc(d->arena, n->n * sizeof(*out->items));
	for (i = 0; i < n->n; i++) {
		const struct node *item = n->items[i];
		struct prose *p = &out->items[out->n];

		p->node = item;
		if (item->kind == NODE_SCALAR) {
			if (text_ok(d, f, item))
				p->text = decode_string(d, &text_field, item);
		} else if (item->kind == NODE_MAP) {
			for (k = 0; k < item->n; k++) {
				const struct node *key = item->pairs[k].key, *val = item->pairs[k].value;
				if (!text_ok(d, NULL, key))
					continue;
				if (strcmp(key->value, "text") == 0) {
					if (text_ok(d, f, val))
						p->text = decode_string(d, &text_field, val);
				} else if (strcmp(key->value, "internal") == 0) {
					if (text_ok(d, &internal_field, val))
						decode_bool(d, &internal_field, val, &p->internal);
				} else {
					prose_unknown_key(d, f, key);
				}
			}
			if (!node_get(item, "text") && !prose_misspelt_text(item))
				error_at(d, item, _("add `text: ...`"),
					 "missing required key 'text' in a %s item", f->name);
		} else {
			error_at(d, item, _("write the item as text, or as {text: ..., internal: true}"),
				 "an item of '%s' must be text, not a list", f->name);
		}
		if (p->text && !p->text[0])
			error_at(d, item, _("write the item's text, or remove the empty item"),
				 "empty item in '%s'", f->name);
		if (p->text)
			out->n++;
	}
}

static void decode_maps(struct decoder *d, const struct field *f, const struct node *n,
			struct vec *out)
{
	size_t i;
	char *items;

	if (!expect_kind(d, n, NODE_SEQ, f, N_("a list")))
		return;
	items = arena_alloc(d->arena, n->n * f->sub->size);
	for (i = 0; i < n->n; i++) {
		if (!expect_item(d, n->items[i], NODE_MAP, f->name, N_("a mapping"),
				 N_("write the item as `key: value` lines after the '-'")))
			continue;
		/* A record that failed is dropped: clear what it left in the slot. */
		memset(items + out->n * f->sub->size, 0, f->sub->size);
		if (decode_record_links(f->sub, n->items[i], items + out->n * f->sub->size,
					d->arena, d->diags, d->links))
			out->n++;
		else
			d->errors++;
	}
	out->items = items;
}

static void decode_value(struct decoder *d, const struct field *f, const struct node *n,
			 char *rec)
{
	void *slot = rec + f->offset;
	long long v;
	char *hint;

	if (!text_ok(d, f, n))
		return;
	switch (f->type) {
	case FT_STRING:
	case FT_MARKDOWN:
		*(const char **)slot = decode_string(d, f, n);
		break;
	case FT_INT:
		if (parse_whole(d, n, f, &v)) {
			if (v > 100000) {
				hint = xasprintf(_("write a number like %s"), f->example);
				error_at(d, n, hint, "'%s' is implausibly large: %s", f->name,
					 n->value);
				free(hint);
			} else {
				*(int *)slot = (int)v;
			}
		}
		break;
	case FT_YEAR:
		decode_year(d, f, n, slot);
		break;
	case FT_DATE:
		decode_date(d, f, n, slot);
		break;
	case FT_ENUM:
		decode_enum(d, f, n, slot);
		break;
	case FT_BOOL:
		decode_bool(d, f, n, slot);
		break;
	case FT_COUNTRY:
		decode_country(d, f, n, slot);
		break;
	case FT_AMOUNT:
		decode_amount(d, f, n, slot);
		break;
	case FT_SLUG:
		*(const char **)slot = decode_slug(d, f, n);
		break;
	case FT_STRINGS:
	case FT_SLUGS:
		decode_strings(d, f, n, slot);
		break;
	case FT_PROSE:
		decode_prose(d, f, n, slot);
		break;
	case FT_MAP:
		if (expect_kind(d, n, NODE_MAP, f, N_("a mapping")) &&
		    !decode_record_links(f->sub, n, slot, d->arena, d->diags, d->links))
			d->errors++;
		break;
	case FT_MAPS:
		decode_maps(d, f, n, slot);
		break;
	}
}


static void unknown_key(struct decoder *d, const struct schema *s, const struct node *key)
{
	const char *sugg = suggest_field(s, key->value);
	char *names;

	if (sugg) {
		error_at(d, key, NULL, "unknown key '%s' (did you mean '%s'?)", key->value, sugg);
		return;
	}
	names = field_names(s);
	error_at(d, key, names, "unknown key '%s' in %s", key->value, s->name);
	free(names);
}

/* Does map hold an unknown key for which field f was suggested? */
static bool misspelt(const struct schema *s, const struct node *map, const struct field *f)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		const char *key = map->pairs[i].key->value;
		if (!find_field(s, key) && suggest_field(s, key) == f->name)
			return true;
	}
	return false;
}

/* A scalar of only spaces, quoted or not: a required value that says nothing. */
static bool is_blank(const struct node *n)
{
	const char *p;

	if (n->kind != NODE_SCALAR)
		return false;
	for (p = n->value; *p; p++)
		if (*p != ' ' && *p != '\t')
			return false;
	return true;
}

bool decode_record(const struct schema *s, const struct node *map, void *record,
		   struct arena *arena, struct diags *diags)
{
	return decode_record_links(s, map, record, arena, diags, NULL);
}

bool decode_record_links(const struct schema *s, const struct node *map, void *record,
			 struct arena *arena, struct diags *diags, const struct decode_links *links)
{
	struct decoder d = {arena, diags, 0, s, map, links};
	const struct field *f, *next = s->fields;
	size_t i, k;
	char *hint, *ex;
	/* The fields (the first 64) whose key the map holds, found as its keys
	 * are decoded (the loader refused a key given twice), so a required
	 * field needs no search of the map; a map with a key not looked up
	 * (text_ok refused it) is searched as ever. */
	uint64_t given = 0;
	bool looked_up = true;

	/* Every record starts with the node it came from (see record.h). */
	*(const struct node **)record = map;
	for (i = 0; i < map->n; i++) {
		const struct node *key = map->pairs[i].key, *val = map->pairs[i].value;

		if (!text_ok(&d, NULL, key)) {
			looked_up = false;
			continue;
		}
		f = find_field_from(s, next, key->value);
		if (!f) {
			unknown_key(&d, s, key);
			continue;
		}
		next = f + 1;
		k = (size_t)(f - s->fields);
		if (k < 64)
			given |= UINT64_C(1) << k;
		if (!(f->flags & F_NULLABLE) &&
		    (node_is_null(val) || ((f->flags & F_REQUIRED) && is_blank(val)))) {
			if (f->flags & F_REQUIRED) {
				ex = example_line(f);
				hint = xasprintf(_("write a value, e.g. %s: %s"), f->name, ex);
				free(ex);
				error_at(&d, val->kind == NODE_SCALAR && !val->len ? key : val, hint,
					 "'%s' is empty", f->name);
				free(hint);
			}
			continue;
		}
		decode_value(&d, f, val, record);
	}
	for (f = s->fields, k = 0; f->name; f++, k++) {
		if (!(f->flags & F_REQUIRED) ||
		    (looked_up && k < 64 ? (given >> k) & 1 : node_get(map, f->name) != NULL))
			continue;
		/* A misspelt key was reported with "did you mean": that says it. */
		if (!misspelt(s, map, f)) {
			ex = example_line(f);
			hint = xasprintf(_("add `%s: %s`"), f->name, ex);
			free(ex);
			error_at(&d, map, hint, "missing required key '%s' in %s", f->name, s->name);
			free(hint);
		}
	}
	return d.errors == 0;
}
