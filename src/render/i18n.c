#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../load/loader.h"
#include "../util/alloc.h"
#include "../util/intl.h"

static struct view *node_to_view(struct arena *a, const struct node *n)
{
	struct view *v;
	size_t k;

	switch (n->kind) {
	case NODE_SCALAR:
		return view_string_borrowed(a, n->value, n->len);
	case NODE_SEQ:
		v = view_list(a);
		for (k = 0; k < n->n; k++)
			view_push(a, v, node_to_view(a, n->items[k]));
		return v;
	case NODE_MAP:
		v = view_map(a);
		for (k = 0; k < n->n; k++)
			view_set(a, v, n->pairs[k].key->value, node_to_view(a, n->pairs[k].value));
		return v;
	}
	return view_null(a);
}

static const char *scalar(const struct node *root, const char *key)
{
	const struct node *n = node_get(root, key);
	return n && n->kind == NODE_SCALAR ? n->value : NULL;
}

bool i18n_load(struct i18n *i, struct templates *t, const char *lang, struct diags *diags)
{
	static const char *const required[] = {"thousands_separator", "date_format", "at_least",
					       "not_stated", NULL};
	char *path = xasprintf("i18n/%s.yaml", lang);
	const char *origin, *text;
	size_t len, errors = diags->errors, k;
	const struct node *months;
	const char *const *r;

	memset(i, 0, sizeof(*i));
	arena_init(&i->arena);
	i->lang = arena_strdup(&i->arena, lang);
	/* The language file is the first template file a build reads:
	 * refusals of the override folder's files go to the same diags. */
	templates_report_to(t, diags);
	text = templates_get(t, path, &len, &origin);
	if (!text && diags->errors != errors) {
		free(path);   /* refused, and reported as such */
		goto fail;
	}
	if (!text) {
		diags_add(diags, SEV_ERROR, path, 0, 0, _("write the file, or use --lang da or en"),
			  "no language file for '%s'", lang);
		free(path);
		goto fail;
	}
	free(path);
	i->root = load_text(origin, text, len, &i->arena, diags);
	if (!i->root)
		goto fail;
	for (r = required; *r; r++)
		if (!scalar(i->root, *r))
			diags_at(diags, SEV_ERROR, i->root, NULL,
				 "language file lacks the text key '%s'", *r);
	months = node_get(i->root, "months");
	if (!months || months->kind != NODE_SEQ || months->n != 12) {
		diags_at(diags, SEV_ERROR, months ? months : i->root, _("list the twelve month names"),
			 "language file needs 'months', a list of 12 names");
	} else {
		for (k = 0; k < 12; k++)
			i->months[k] = months->items[k]->kind == NODE_SCALAR ? months->items[k]->value : "";
	}
	if (diags->errors != errors)
		goto fail;
	i->thousands = scalar(i->root, "thousands_separator");
	i->decimal = scalar(i->root, "decimal_separator");
	if (!i->decimal)
		i->decimal = ".";
	i->currency_before = scalar(i->root, "currency_before");
	i->currency_after = scalar(i->root, "currency_after");
	if (!i->currency_before)
		i->currency_before = "";
	if (!i->currency_after)
		i->currency_after = "";
	i->thousands_len = strlen(i->thousands);
	i->before_len = strlen(i->currency_before);
	i->after_len = strlen(i->currency_after);
	i->date_pattern = scalar(i->root, "date_format");
	i->at_least = scalar(i->root, "at_least");
	i->not_stated = scalar(i->root, "not_stated");
	i->labels = node_to_view(&i->arena, i->root);
	i->countries = view_get(i->labels, "countries", 9);
	i->country2 = NULL;
	if (i->countries && i->countries->kind == VIEW_MAP) {
		const struct view *m = i->countries;

		i->country2 = arena_alloc(&i->arena, 26 * 26 * sizeof(*i->country2));
		/* Each code AA..ZZ looked up once: whatever view_get finds
		 * (the last pair of a key) is what the table answers. */
		for (k = 0; k < 26 * 26; k++) {
			const char code[2] = { (char)('A' + k / 26), (char)('A' + k % 26) };
			const struct view *v = view_get(m, code, 2);

			i->country2[k] = v && v->kind == VIEW_STRING ? v->text : NULL;
		}
	}
	return true;
fail:
	/* Nothing of a language file that failed is kept: the caller releases
	 * only what loaded (serve retries on every save). */
	arena_release(&i->arena);
	memset(i, 0, sizeof(*i));
	return false;
}

void i18n_release(struct i18n *i)
{
	arena_release(&i->arena);
}

/* The text of key in map (a view of the file: duplicate keys are refused
 * when it is loaded, so this is what node_get finds), or NULL when it is
 * absent or not a scalar.  Pages ask for labels per partner: the view's
 * hash index answers without comparing strings. */
static const char *view_text(const struct view *map, const char *key)
{
	const struct view *v = view_get(map, key, strlen(key));

	return v && v->kind == VIEW_STRING ? v->text : NULL;
}

const char *i18n_label(const struct i18n *i, const char *key)
{
	const char *s = view_text(i->labels, key);
	return s ? s : key;
}

const char *i18n_country(const struct i18n *i, const char *code)
{
	const char *s;

	if (i->country2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z' &&
	    !code[2]) {
		s = i->country2[(code[0] - 'A') * 26 + code[1] - 'A'];
		return s ? s : code;
	}
	s = view_text(i->countries, code);
	return s ? s : code;
}

/* The nd digits d at w: the first group, then sep before each group of
 * three (nd + (nd - 1) / 3 * seplen bytes).  Returns the end. */
static char *put_grouped(char *w, const char *d, size_t nd, const char *sep, size_t seplen)
{
	size_t k = nd % 3 ? nd % 3 : 3;

	memcpy(w, d, k);
	w += k;
	for (; k < nd; k += 3) {
		memcpy(w, sep, seplen);
		memcpy(w + seplen, d + k, 3);
		w += seplen + 3;
	}
	return w;
}

void i18n_number(const struct i18n *i, long long n, struct buf *out)
{
	char digits[BUF_INT_MAX], *d = buf_int_text(digits + sizeof(digits), n);
	size_t seplen = i->thousands_len, len, total;

	if (n < 0) {
		buf_addc(out, '-');
		d++;
	}
	len = (size_t)(digits + sizeof(digits) - d);
	/* Written straight into room made once. */
	total = len + (len - 1) / 3 * seplen;
	buf_grow(out, total);
	put_grouped(out->ptr + out->len, d, len, i->thousands, seplen);
	out->len += total;
	out->ptr[out->len] = '\0';
}

void i18n_amount(const struct i18n *i, long long n, struct buf *out)
{
	buf_add(out, i->currency_before, i->before_len);
	i18n_number(i, n, out);
	buf_add(out, i->currency_after, i->after_len);
}

/* The longest amount i18n_amount_text writes backwards (currency, sign,
 * 20 digits and their separators); a longer one (long currency texts or
 * separators) takes the way through buf_int_text. */
#define AMOUNT_STACK 96

char *i18n_amount_text(const struct i18n *i, long long n, struct arena *a, size_t *len)
{
	char digits[BUF_INT_MAX], *d, *p, *w;
	size_t neg = n < 0, nd, seplen = i->thousands_len;

	/* Written backwards from the end of room for the longest, a
	 * separator before each group of three: no digits to copy again, no
	 * call per group.  The few bytes before the text stay unused. */
	if (i->before_len + i->after_len + 1 + 20 + 6 * seplen <= AMOUNT_STACK) {
		size_t room = i->before_len + i->after_len + 1 + 20 + 6 * seplen + 1;
		char *e = (char *)arena_take(a, room) + room - 1;
		unsigned long long u = neg ? 0 - (unsigned long long)n : (unsigned long long)n;
		unsigned group = 0;

		*e = '\0';
		w = e - i->after_len;
		memcpy(w, i->currency_after, i->after_len);
		for (;;) {
			*--w = (char)('0' + u % 10);
			u /= 10;
			if (!u)
				break;
			if (++group == 3) {
				group = 0;
				if (seplen == 1) {
					*--w = i->thousands[0];
				} else {
					w -= seplen;
					memcpy(w, i->thousands, seplen);
				}
			}
		}
		if (neg)
			*--w = '-';
		w -= i->before_len;
		memcpy(w, i->currency_before, i->before_len);
		*len = (size_t)(e - w);
		return w;
	}
	/* As i18n_amount writes it: currency, sign, the first group and a
	 * separator before each group of three, currency. */
	d = buf_int_text(digits + sizeof(digits), n) + neg;
	nd = (size_t)(digits + sizeof(digits) - d);
	*len = i->before_len + neg + nd + (nd - 1) / 3 * seplen + i->after_len;
	p = w = arena_take(a, *len + 1);
	memcpy(w, i->currency_before, i->before_len);
	w += i->before_len;
	if (neg)
		*w++ = '-';
	w = put_grouped(w, d, nd, i->thousands, seplen);
	memcpy(w, i->currency_after, i->after_len);
	w[i->after_len] = '\0';
	return p;
}

void i18n_money(const struct i18n *i, long long n, bool lower_bound, bool any_stated,
		struct buf *out)
{
	if (!any_stated) {
		buf_adds(out, i->not_stated);
		return;
	}
	if (lower_bound) {
		buf_adds(out, i->at_least);
		buf_addc(out, ' ');
	}
	i18n_amount(i, n, out);
}

void i18n_size(const struct i18n *i, long long bytes, struct buf *out)
{
	long long tenths;

	if (bytes < 1000) {
		buf_addf(out, "%lld B", bytes < 0 ? 0 : bytes);
		return;
	}
	if ((bytes + 500) / 1000 < 1000) {
		i18n_number(i, (bytes + 500) / 1000, out);
		buf_adds(out, " kB");
		return;
	}
	/* Megabytes with one decimal from 1 MB up to 100 MB, whole above. */
	tenths = (bytes + 50000) / 100000;
	if (tenths < 1000) {
		buf_addf(out, "%lld%s%lld MB", tenths / 10, i->decimal, tenths % 10);
		return;
	}
	i18n_number(i, (bytes + 500000) / 1000000, out);
	buf_adds(out, " MB");
}

void i18n_date(const struct i18n *i, const struct date *d, struct buf *out)
{
	const char *p = i->date_pattern;

	while (*p) {
		if (!strncmp(p, "{d}", 3)) {
			buf_addf(out, "%d", d->day);
			p += 3;
		} else if (!strncmp(p, "{dd}", 4)) {
			buf_addf(out, "%02d", d->day);
			p += 4;
		} else if (!strncmp(p, "{month}", 7)) {
			buf_adds(out, d->month >= 1 && d->month <= 12 ? i->months[d->month - 1] : "?");
			p += 7;
		} else if (!strncmp(p, "{m}", 3)) {
			buf_addf(out, "%d", d->month);
			p += 3;
		} else if (!strncmp(p, "{yyyy}", 6)) {
			buf_addf(out, "%d", d->year);
			p += 6;
		} else {
			buf_addc(out, *p++);
		}
	}
}
