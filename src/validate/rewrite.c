#include "rewrite.h"

#include <ctype.h>
#include <string.h>

/* s lower-cased (ASCII and the Latin-1 letters À to Þ), trimmed, runs of
 * white space as one space; false when it does not fit in out. */
static bool lower(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p; p++) {
		unsigned char c = *p;

		if (n + 2 >= size)
			return false;
		if (c == ' ' || c == '\t') {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		/* A no-break space (U+00A0) or narrow one (U+202F) is a space. */
		if (c == 0xC2 && p[1] == 0xA0) {
			p++;
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		if (c == 0xE2 && p[1] == 0x80 && p[2] == 0xAF) {
			p += 2;
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
			continue;
		}
		if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
			out[n++] = (char)c;
			out[n++] = (char)(p[1] + 0x20);
			p++;
			continue;
		}
		out[n++] = (char)tolower(c);
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return true;
}

/* ---- dates --------------------------------------------------------------- */

static const char *const months[][2] = {
	{"januar", "january"}, {"februar", "february"}, {"marts", "march"}, {"april", "april"},
	{"maj", "may"}, {"juni", "june"}, {"juli", "july"}, {"august", "august"},
	{"september", "september"}, {"oktober", "october"}, {"november", "november"},
	{"december", "december"},
};

/* The month (1-12) a word names, in Danish or English, in full or cut to
 * three letters or more ("okt", "sept"); 0 when none. */
static int month_named(const char *w, size_t len)
{
	int m, k;

	for (m = 0; m < 12; m++)
		for (k = 0; k < 2; k++) {
			const char *name = months[m][k];

			if (len == strlen(name) ? strncmp(w, name, len) == 0
						: len >= 3 && len < strlen(name) && strncmp(w, name, len) == 0)
				return m + 1;
		}
	return 0;
}

struct token {
	const char *s;
	size_t len;
	bool number;
};

/* Split a lower-cased text into numbers and words; separators ('-', '.',
 * '/', ',' and space) between them are dropped.  False on anything else. */
static bool tokens(const char *s, struct token *t, size_t max, size_t *n)
{
	*n = 0;
	while (*s) {
		const char *start = s;
		bool number = isdigit((unsigned char)*s);

		if (strchr("-./, ", *s)) {
			s++;
			continue;
		}
		if (!number && !isalpha((unsigned char)*s) && !((unsigned char)*s & 0x80))
			return false;
		while (*s && (number ? isdigit((unsigned char)*s)
				     : isalpha((unsigned char)*s) || ((unsigned char)*s & 0x80)))
			s++;
		if (*n == max)
			return false;
		t[*n].s = start;
		t[*n].len = (size_t)(s - start);
		t[*n].number = number;
		(*n)++;
	}
	return true;
}

static int number(const struct token *t)
{
	int v = 0;
	size_t i;

	for (i = 0; i < t->len && i < 4; i++)
		v = v * 10 + (t->s[i] - '0');
	return v;
}

/* A year written with two digits is in this century up to 49. */
static bool year_of(const struct token *t, int *year)
{
	if (!t->number || (t->len != 4 && t->len != 2))
		return false;
	*year = number(t);
	if (t->len == 2)
		*year += *year < 50 ? 2000 : 1900;
	return true;
}

static bool small(const struct token *t)
{
	return t->number && t->len <= 2;
}

bool rewrite_date(const char *s, int *year, int *month, int *day)
{
	char low[64];
	struct token t[4];
	size_t n;
	int swap;

	if (!lower(s, low, sizeof(low)) || !tokens(low, t, 4, &n))
		return false;
	if (n == 1 && t[0].number && t[0].len == 8) {   /* 20061024 */
		*year = number(&t[0]);
		*month = (t[0].s[4] - '0') * 10 + (t[0].s[5] - '0');
		*day = (t[0].s[6] - '0') * 10 + (t[0].s[7] - '0');
		return true;
	}
	if (n != 3)
		return false;
	if (t[0].number && t[0].len == 4 && small(&t[1]) && small(&t[2])) {
		*year = number(&t[0]);
		*month = number(&t[1]);
		*day = number(&t[2]);
		return true;
	}
	if (small(&t[0]) && small(&t[1]) && year_of(&t[2], year)) {
		*day = number(&t[0]);
		*month = number(&t[1]);
		/* 10/24/2006: only a month can come first when the day is past 12. */
		if (*month > 12 && *day <= 12) {
			swap = *day;
			*day = *month;
			*month = swap;
		}
		return true;
	}
	if (small(&t[0]) && !t[1].number && year_of(&t[2], year)) {
		*day = number(&t[0]);
		*month = month_named(t[1].s, t[1].len);
		return *month != 0;
	}
	if (!t[0].number && small(&t[1]) && year_of(&t[2], year)) {
		*day = number(&t[1]);
		*month = month_named(t[0].s, t[0].len);
		return *month != 0;
	}
	return false;
}

/* ---- amounts ------------------------------------------------------------- */

/* Words around an amount: what they say of its kind, or what it is to be
 * multiplied by. */
static const struct word {
	const char *text;
	enum rewrite_kind kind;
	long long times;
} words_before[] = {
	{"cirka", REWRITE_ESTIMATE, 1}, {"circa", REWRITE_ESTIMATE, 1},
	{"ca.", REWRITE_ESTIMATE, 1}, {"ca", REWRITE_ESTIMATE, 1}, {"c.", REWRITE_ESTIMATE, 1},
	{"omkring", REWRITE_ESTIMATE, 1}, {"anslået", REWRITE_ESTIMATE, 1},
	{"ansl.", REWRITE_ESTIMATE, 1}, {"skønnet", REWRITE_ESTIMATE, 1},
	{"skønnes", REWRITE_ESTIMATE, 1}, {"forventet", REWRITE_ESTIMATE, 1},
	{"approximately", REWRITE_ESTIMATE, 1}, {"approx.", REWRITE_ESTIMATE, 1},
	{"about", REWRITE_ESTIMATE, 1}, {"~", REWRITE_ESTIMATE, 1},
	{"maksimalt", REWRITE_MAX, 1}, {"maksimum", REWRITE_MAX, 1}, {"maximum", REWRITE_MAX, 1},
	{"maks.", REWRITE_MAX, 1}, {"maks", REWRITE_MAX, 1}, {"max.", REWRITE_MAX, 1},
	{"max", REWRITE_MAX, 1}, {"højst", REWRITE_MAX, 1}, {"op til", REWRITE_MAX, 1},
	{"up to", REWRITE_MAX, 1}, {"kr.", REWRITE_PLAIN, 1}, {"kr", REWRITE_PLAIN, 1},
	{"dkk", REWRITE_PLAIN, 1},
}, words_after[] = {
	{"kroner", REWRITE_PLAIN, 1}, {"kr.", REWRITE_PLAIN, 1}, {"kr", REWRITE_PLAIN, 1},
	{"dkk", REWRITE_PLAIN, 1}, {",-", REWRITE_PLAIN, 1}, {".-", REWRITE_PLAIN, 1},
	{"millioner", REWRITE_PLAIN, 1000000}, {"millions", REWRITE_PLAIN, 1000000},
	{"million", REWRITE_PLAIN, 1000000}, {"mio.", REWRITE_PLAIN, 1000000},
	{"mio", REWRITE_PLAIN, 1000000}, {"mill.", REWRITE_PLAIN, 1000000},
	{"mill", REWRITE_PLAIN, 1000000}, {"t.kr.", REWRITE_PLAIN, 1000},
	{"t. kr.", REWRITE_PLAIN, 1000}, {"tkr.", REWRITE_PLAIN, 1000}, {"tkr", REWRITE_PLAIN, 1000},
	{"tusind", REWRITE_PLAIN, 1000},
};

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

/* Strip one word of the table from the start (at_end false) or the end of
 * [*b, *e): it must stand apart from the number or touch it.  The word
 * found, or NULL. */
static const struct word *strip(const char **b, const char **e, const struct word *w, size_t n,
				bool at_end)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strlen(w[i].text);
		if ((size_t)(*e - *b) < len)
			continue;
		if (!at_end && strncmp(*b, w[i].text, len) == 0 &&
		    (*b + len == *e || (*b)[len] == ' ' || isdigit((unsigned char)(*b)[len]) ||
		     w[i].text[len - 1] == '.' || w[i].text[0] == '~')) {
			*b += len;
			while (*b < *e && **b == ' ')
				(*b)++;
			return &w[i];
		}
		if (at_end && strncmp(*e - len, w[i].text, len) == 0 &&
		    (*e - len == *b || (*e)[-(long)len - 1] == ' ' ||
		     isdigit((unsigned char)(*e)[-(long)len - 1]) || w[i].text[0] == ',' ||
		     w[i].text[0] == '.')) {
			*e -= len;
			while (*e > *b && (*e)[-1] == ' ')
				(*e)--;
			return &w[i];
		}
	}
	return NULL;
}

/* The digits and separators of a number, [b, e): which separator is the
 * decimal one (0: none).  A separator written more than once, or once with
 * three digits after it, groups thousands, unless the number is multiplied
 * ("1,5 mio."): then a single ',' is a decimal comma. */
static char decimal_sep(const char *b, const char *e, bool multiplied)
{
	const char *dot = NULL, *comma = NULL, *p;
	size_t ndot = 0, ncomma = 0, after;

	for (p = b; p < e; p++) {
		if (*p == '.' && ++ndot)
			dot = p;
		if (*p == ',' && ++ncomma)
			comma = p;
	}
	if (dot && comma)
		return dot > comma ? '.' : ',';
	if (ndot + ncomma != 1)
		return 0;
	p = dot ? dot : comma;
	after = strspn(p + 1, "0123456789");
	if (multiplied && comma)
		return ',';
	return after == 3 && p + 1 + after == e ? 0 : *p;
}

/* Read the number [b, e) with its decimal separator dec: digits in groups,
 * then a fraction.  False when the grouping is not of thousands. */
static bool read_number(const char *b, const char *e, char dec, long long times, long long *value,
			bool *exact)
{
	long long whole = 0, frac = 0, scale = 1;
	size_t group = 0, digits = 0;
	bool grouped = false, in_frac = false;
	const char *p;

	for (p = b; p < e; p++) {
		if (isdigit((unsigned char)*p)) {
			if (++digits > 15)
				return false;
			if (in_frac) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			} else {
				whole = whole * 10 + (*p - '0');
				group++;
			}
		} else if (*p == dec && !in_frac) {
			if (!group || (grouped && group != 3))
				return false;
			in_frac = true;
		} else if (!in_frac && (*p == '.' || *p == ',' || *p == ' ') && group &&
			   (grouped ? group == 3 : group <= 3)) {
			grouped = true;
			group = 0;
		} else {
			return false;
		}
	}
	if (!digits || (grouped && !in_frac && group != 3) || (in_frac && scale == 1))
		return false;
	if (whole > 999999999999LL / times)
		return false;
	*value = whole * times + (frac * times + scale / 2) / scale;
	*exact = (frac * times) % scale == 0;
	return true;
}

bool rewrite_amount(const char *s, long long *value, bool *exact, enum rewrite_kind *kind)
{
	char low[96];
	const char *b, *e;
	const struct word *w;
	long long times = 1;
	bool changed = true;

	*kind = REWRITE_PLAIN;
	if (!lower(s, low, sizeof(low)))
		return false;
	b = low;
	e = low + strlen(low);
	while (changed) {
		changed = false;
		if ((w = strip(&b, &e, words_before, NWORDS(words_before), false))) {
			if (w->kind != REWRITE_PLAIN)
				*kind = w->kind;
			changed = true;
		}
		if ((w = strip(&b, &e, words_after, NWORDS(words_after), true))) {
			times *= w->times;
			changed = true;
		}
	}
	if (b >= e || (b == low && !*e && strspn(b, "0123456789") == (size_t)(e - b)) ||
	    times > 1000000)
		return false;
	return read_number(b, e, decimal_sep(b, e, times > 1), times, value, exact);
}

/* ---- enum values --------------------------------------------------------- */

static const struct {
	const char *word, *value;
} enum_words[] = {
	/* partner and decision status */
	{"fortsæt", "continue"}, {"fortsætte", "continue"}, {"fortsættes", "continue"},
	{"fortsat", "continue"}, {"videreføres", "continue"}, {"videreføre", "continue"},
	{"videreført", "continue"}, {"videreførelse", "continue"}, {"forlæng", "continue"},
	{"forlænges", "continue"}, {"ophør", "terminate"}, {"ophører", "terminate"},
	{"ophøre", "terminate"}, {"afslut", "terminate"}, {"afslutte", "terminate"},
	{"afsluttes", "terminate"}, {"afsluttet", "terminate"}, {"stop", "terminate"},
	{"stoppe", "terminate"}, {"stoppes", "terminate"}, {"opsig", "terminate"},
	{"opsiges", "terminate"}, {"end", "terminate"}, {"undersøg", "explore"},
	{"undersøge", "explore"}, {"undersøges", "explore"}, {"afsøg", "explore"},
	{"afsøge", "explore"}, {"afsøges", "explore"}, {"afsøgning", "explore"},
	{"undersøgelse", "explore"}, {"ny", "explore"}, {"orientering", "note"},
	{"til orientering", "note"}, {"efterretning", "note"}, {"til efterretning", "note"},
	/* cost kind */
	{"maks", "max"}, {"maksimum", "max"}, {"maksimal", "max"}, {"maksimalt", "max"},
	{"maximum", "max"}, {"loft", "max"}, {"højst", "max"}, {"skøn", "estimate"},
	{"skønnet", "estimate"}, {"anslået", "estimate"}, {"ansl", "estimate"},
	{"ca", "estimate"}, {"cirka", "estimate"}, {"circa", "estimate"},
	{"overslag", "estimate"}, {"skønnes", "estimate"}, {"forventes", "estimate"},
	{"forventet", "estimate"}, {"udgør", "fixed"}, {"estimat", "estimate"}, {"fast", "fixed"},
	{"fastsat", "fixed"}, {"fastlagt", "fixed"}, {"fix", "fixed"},
	/* recurrence */
	{"årlig", "yearly"}, {"årligt", "yearly"}, {"hvert år", "yearly"}, {"om året", "yearly"},
	{"pr. år", "yearly"}, {"pr år", "yearly"}, {"annual", "yearly"}, {"annually", "yearly"},
	{"every year", "yearly"}, {"engang", "once"}, {"én gang", "once"}, {"en gang", "once"},
	{"engangs", "once"}, {"engangsbeløb", "once"}, {"one-off", "once"},
	/* language */
	{"dansk", "da"}, {"danish", "da"}, {"engelsk", "en"}, {"english", "en"},
};

const char *rewrite_enum_word(const char *word, const char *const *values)
{
	char low[64];
	size_t i, n;
	const char *const *v;

	if (!lower(word, low, sizeof(low)))
		return NULL;
	n = strlen(low);
	if (n && low[n - 1] == '.')
		low[n - 1] = '\0';
	for (i = 0; i < NWORDS(enum_words); i++) {
		if (strcmp(low, enum_words[i].word) != 0)
			continue;
		for (v = values; *v; v++)
			if (strcmp(*v, enum_words[i].value) == 0)
				return *v;
	}
	return NULL;
}
