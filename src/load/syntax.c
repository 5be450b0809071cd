#include "syntax.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"

/* ---- the lines of the file ---------------------------------------------- */

/* One line, read the way a person reads a YAML line. */
struct line {
	int no;            /* 1-based; 0: no such line */
	const char *s;     /* without its line end */
	size_t len;
	int indent;        /* leading spaces */
	bool tab;          /* a tab in the leading white space */
	bool blank;        /* only white space, or a comment */
	bool item;         /* begins with "- " (or is "-") */
	size_t content;    /* offset of what follows the indent (and the "- ") */
	size_t keylen;     /* a plain `key:` at content; 0: none */
	size_t value;      /* offset of the text after "key: "; len when none */
};

struct lines {
	const struct syntax_error *e;
	size_t *start;     /* byte offset of each line */
	size_t n;
};

static void lines_init(struct lines *ls, const struct syntax_error *e)
{
	size_t i = e->len >= 3 && memcmp(e->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, cap = 0;

	ls->e = e;
	ls->start = NULL;
	ls->n = 0;
	ls->start = xgrow(ls->start, sizeof(*ls->start), 1, &cap);
	ls->start[ls->n++] = i;
	for (; i < e->len; i++)
		if (e->text[i] == '\n') {
			ls->start = xgrow(ls->start, sizeof(*ls->start), ls->n + 1, &cap);
			ls->start[ls->n++] = i + 1;
		}
}

/* The plain key at s (len bytes): its length before the ':', or 0. */
static size_t key_at(const char *s, size_t len)
{
	size_t i;

	if (!len || strchr("-[]{}#&*!|>'\"%@`,?:", s[0]))
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == ':' && (i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t'))
			return i;
		if (s[i] == '#' && i && s[i - 1] == ' ')
			return 0;
	}
	return 0;
}

static bool get_line(const struct lines *ls, int no, struct line *l)
{
	const char *t = ls->e->text;
	size_t a, b, i;

	memset(l, 0, sizeof(*l));
	if (no < 1 || (size_t)no > ls->n)
		return false;
	a = ls->start[no - 1];
	b = (size_t)no < ls->n ? ls->start[no] - 1 : ls->e->len;
	if (b > a && t[b - 1] == '\r')
		b--;
	l->no = no;
	l->s = t + a;
	l->len = b - a;
	for (i = 0; i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'); i++) {
		if (l->s[i] == '\t')
			l->tab = true;
		else if (!l->tab)
			l->indent++;
	}
	l->blank = i == l->len || l->s[i] == '#';
	if (i < l->len && l->s[i] == '-' && (i + 1 == l->len || l->s[i + 1] == ' ')) {
		l->item = true;
		for (i++; i < l->len && l->s[i] == ' '; i++)
			;
	}
	l->content = i;
	l->keylen = key_at(l->s + i, l->len - i);
	l->value = l->len;
	if (l->keylen) {
		for (i += l->keylen + 1; i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'); i++)
			;
		if (i < l->len && l->s[i] != '#')
			l->value = i;
	}
	return true;
}

/* The nearest line before no that is not blank; l->no is 0 when none. */
static void line_before(const struct lines *ls, int no, struct line *l)
{
	while (get_line(ls, --no, l))
		if (!l->blank)
			return;
	memset(l, 0, sizeof(*l));
}

/* The 1-based column (in characters) of byte offset off of l. */
static int column(const struct line *l, size_t off)
{
	int col = 1;
	size_t i;

	for (i = 0; i < off && i < l->len; i++)
		col += ((unsigned char)l->s[i] & 0xC0) != 0x80;
	return col;
}

/* The byte offset of column col of l. */
static size_t offset(const struct line *l, int col)
{
	size_t i = 0;

	for (; col > 1 && i < l->len; col--)
		for (i++; i < l->len && ((unsigned char)l->s[i] & 0xC0) == 0x80; i++)
			;
	return i;
}

/* How a line is named in a message: "date:", "- label:", "- shanghai"
 * (cut at 40 bytes).  The caller frees it. */
static char *shown(const struct line *l)
{
	size_t a = (size_t)l->indent, n;

	if (l->keylen)
		return xstrndup(l->s + a, l->content + l->keylen + 1 - a);
	n = l->len - a;
	while (n && (l->s[a + n - 1] == ' ' || l->s[a + n - 1] == '\t'))
		n--;
	if (n > 40) {
		n = 40;
		while (n && ((unsigned char)l->s[a + n] & 0xC0) == 0x80)
			n--;
	}
	return xstrndup(l->s + a, n);
}

/* "1 space", "4 spaces", in the message language.  The caller frees it. */
static char *spaces(int n)
{
	return xasprintf(ngettext("%d space", "%d spaces", (unsigned long)n), n);
}

/* Where the value of l ends: before a comment and trailing white space. */
static size_t value_end(const struct line *l)
{
	size_t i, end;

	for (i = l->value; i < l->len; i++)
		if (l->s[i] == '#' && i > l->value && l->s[i - 1] == ' ')
			break;
	for (end = i; end > l->value && (l->s[end - 1] == ' ' || l->s[end - 1] == '\t'); end--)
		;
	return end;
}

/* The value of l without a trailing comment or white space, in quotation
 * marks: "Foo: bar" or 'say "hi"'.  The caller frees it. */
static char *quoted_value(const struct line *l)
{
	struct buf b = BUF_INIT;
	const char *v = l->s + l->value, *end = l->s + value_end(l), *p;
	bool dq;

	dq = !memchr(v, '"', (size_t)(end - v)) && !memchr(v, '\\', (size_t)(end - v));
	buf_addc(&b, dq ? '"' : '\'');
	for (p = v; p < end; p++) {
		if (!dq && *p == '\'')
			buf_addc(&b, '\'');
		buf_addc(&b, *p);
	}
	buf_addc(&b, dq ? '"' : '\'');
	return buf_detach(&b, NULL);
}

/* ---- what went wrong ---------------------------------------------------- */

static bool is(const char *s, const char *what)
{
	return s && strstr(s, what);
}

struct report {
	const struct syntax_error *e;
	struct lines ls;
	struct diags *d;
	struct line at;   /* the line libyaml stopped at */
};

/* A tab in the indentation: at the tab. */
static size_t tab_indent(struct report *r, const struct line *l)
{
	struct line above;
	size_t i = 0;
	char *hint, *n;

	while (i < l->len && l->s[i] != '\t')
		i++;
	line_before(&r->ls, l->no, &above);
	if (above.no && !above.tab && above.indent) {
		n = spaces(above.indent);
		hint = xasprintf(_("replace it with spaces; YAML does not allow tabs for indentation "
				   "(line %d is indented %s)"), above.no, n);
		free(n);
	} else {
		hint = xstrdup(_("replace it with spaces; YAML does not allow tabs for indentation"));
	}
	i = diags_add(r->d, SEV_ERROR, r->e->display, l->no, column(l, i), hint,
		      "tab in the indentation");
	free(hint);
	return i;
}

/* A quotation mark that is never closed: at the mark. */
static size_t open_quote(struct report *r)
{
	struct line l;
	char q;
	size_t at;

	get_line(&r->ls, r->e->context_line, &l);
	at = offset(&l, r->e->context_col);
	q = at < l.len ? l.s[at] : '"';
	return diags_add(r->d, SEV_ERROR, r->e->display, l.no, r->e->context_col,
			 q == '\'' ? _("end the text with ' where it ends; to write ' inside it, write ''")
				   : _("end the text with \" where it ends; to write \" inside it, write \\\""),
			 "quotation mark %c is never closed", q);
}

/* A backslash in double quotation marks that starts no escape. */
static size_t bad_escape(struct report *r)
{
	size_t at = offset(&r->at, r->e->col), left;
	char shown[3] = "";

	while (at > 0 && (at >= r->at.len || r->at.s[at] != '\\'))
		at--;
	/* The backslash and the character after it, if the text has one: a
	 * text need not end in a NUL (load_text). */
	left = (size_t)(r->e->text + r->e->len - (r->at.s + at));
	memcpy(shown, r->at.s + at, left < 2 ? left : 2);
	return diags_add(r->d, SEV_ERROR, r->e->display, r->at.no, column(&r->at, at),
			 _("write the text in single quotation marks ('...'), where a backslash is an "
			   "ordinary character, or write each backslash twice (\\\\)"),
			 "'%.2s' in double quotation marks is not an escape", shown);
}

/* A [ or { list that is not closed, or holds something it cannot. */
static size_t flow(struct report *r)
{
	struct line l;
	char open = is(r->e->context, "sequence") ? '[' : '{', close = open == '[' ? ']' : '}';
	size_t at, end;
	char *hint;

	get_line(&r->ls, r->e->context_line, &l);
	at = offset(&l, r->e->context_col);
	if (!memchr(l.s + at, close, l.len - at)) {
		for (end = l.len; end > at && (l.s[end - 1] == ' ' || l.s[end - 1] == ','); end--)
			;
		hint = xasprintf(_("close it on the same line: `%.*s%c`"),
				 (int)(end - (size_t)l.indent), l.s + l.indent, close);
		at = diags_add(r->d, SEV_ERROR, r->e->display, l.no, r->e->context_col, hint,
			       "'%c' is never closed", open);
		free(hint);
		return at;
	}
	return diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col,
			 _("separate the items with ', ', and write an item that holds ',', ':', "
			   "'[' or ']' in quotation marks"),
			 "unexpected text in the '%c' list on line %d", open, l.no);
}

/* A second ': ' in the value of a key: "name: Foo: bar". */
static size_t second_colon(struct report *r)
{
	char *key = shown(&r->at), *v = quoted_value(&r->at), *hint;
	size_t seq;

	hint = xasprintf(_("write the value in quotation marks: `%s %s`"), key, v);
	seq = diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col, hint,
			"the value of '%s' holds ': ', which YAML reads as a new key", key);
	free(hint);
	free(key);
	free(v);
	return seq;
}

/* The line of the key that owns the text above line no: the nearest line
 * before it that is indented less than indent and holds a key. */
static void owner(const struct lines *ls, int no, int indent, struct line *l)
{
	while (get_line(ls, --no, l))
		if (!l->blank && l->indent < indent && l->keylen)
			return;
	memset(l, 0, sizeof(*l));
}

/* The nearest list item before line no whose '-' is at most indent deep. */
static void item_before(const struct lines *ls, int no, int indent, struct line *l)
{
	while (get_line(ls, --no, l))
		if (!l->blank && l->item && l->indent <= indent)
			return;
	memset(l, 0, sizeof(*l));
}

/* A line indented more than the key with a value above it: YAML reads it
 * as more text of that value, and stops at its ':'. */
static size_t too_deep(struct report *r, const struct line *above)
{
	struct line *l = &r->at, item, key;
	char *me = shown(l), *other, *n = NULL, *m = NULL, *hint = NULL;
	size_t seq;

	if (l->item) {
		item_before(&r->ls, l->no, l->indent - 1, &item);
		if (item.no) {
			n = spaces(l->indent);
			m = spaces(item.indent);
			hint = xasprintf(_("indent its '-' %s, like the '-' on line %d"), m, item.no);
			seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
					"the list item '%s' is indented %s, more than the one on line "
					"%d (%s)", me, n, item.no, m);
			goto out;
		}
	}
	if (!above->keylen) {
		owner(&r->ls, above->no, above->indent, &key);
		other = key.no ? shown(&key) : xstrdup("");
		hint = xasprintf(_("write the text on the line of its key (`%s %.*s`), or give it "
				   "a key of its own"), other, (int)(above->len - (size_t)above->indent),
				 above->s + above->indent);
		seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
				"'%s' follows text that has no key (line %d)", me, above->no);
		free(other);
		free(hint);
		free(me);
		return seq;
	}
	other = xstrndup(above->s + above->content, above->keylen + 1);
	n = spaces(l->indent);
	m = spaces((int)above->content);
	if (above->content)
		hint = xasprintf(_("indent it %s, like '%s' on line %d; a line indented more is "
				   "read as more text of the value above it"), m, other, above->no);
	else
		hint = xasprintf(_("start it at the beginning of the line, like '%s' on line %d; a "
				   "line indented more is read as more text of the value above it"),
				 other, above->no);
	seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
			"'%s' is indented %s, more than '%s' on line %d (%s)", me, n, other,
			above->no, m);
	free(other);
out:
	free(hint);
	free(n);
	free(m);
	free(me);
	return seq;
}

/* "mapping values are not allowed in this context": a ':' where no key
 * can begin. */
static size_t colon(struct report *r)
{
	struct line above;
	size_t at = offset(&r->at, r->e->col);

	if (r->at.keylen && at > r->at.content + r->at.keylen && r->at.value < r->at.len)
		return second_colon(r);
	line_before(&r->ls, r->at.no, &above);
	if (r->at.keylen && at == r->at.content + r->at.keylen && above.no &&
	    (r->at.indent > above.indent || !above.keylen))
		return too_deep(r, &above);
	return diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col,
			 _("write text that holds ': ' in quotation marks, and start each key on a "
			   "line of its own"),
			 "':' here would start a key, which cannot stand here");
}

/* The deeper lines above line l: how far the first of them is indented and
 * the line that owns them. */
static void block_above(const struct lines *ls, const struct line *l, int *inner,
			struct line *first, struct line *own)
{
	struct line x;
	int no = l->no;

	*inner = -1;
	memset(first, 0, sizeof(*first));
	memset(own, 0, sizeof(*own));
	while (get_line(ls, --no, &x)) {
		if (x.blank)
			continue;
		if (x.indent <= l->indent) {
			*own = x;
			return;
		}
		if (*inner < 0 || x.indent <= *inner) {
			*inner = x.indent;
			*first = x;
		}
	}
}

/* A key indented between the '-' of the list item dash and the keys in it. */
static size_t in_item(struct report *r, const struct line *dash)
{
	struct line *l = &r->at;
	char *me = shown(l), *n = spaces(l->indent), *k = spaces((int)dash->content), *o, *hint;
	size_t seq;

	o = xstrndup(dash->s + dash->content,
		     dash->keylen ? dash->keylen + 1 : dash->len - dash->content);
	hint = xasprintf(_("indent it %s, like '%s' on line %d"), k, o, dash->no);
	seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
			"'%s' is indented %s, but the keys of the list item on line %d are "
			"indented %s", me, n, dash->no, k);
	free(hint);
	free(me);
	free(n);
	free(k);
	free(o);
	return seq;
}

#define NONE ((size_t)-1)

/* A line indented less than the lines above it, but more than the block
 * they are in: it belongs to neither.  NONE when that is not so. */
static size_t between(struct report *r)
{
	struct line *l = &r->at, first, own;
	int inner;
	char *me, *o, *n, *m, *k, *hint;
	size_t seq;

	block_above(&r->ls, l, &inner, &first, &own);
	if (inner < 0 || !own.no)
		return NONE;
	/* A key among list items belongs in one of them. */
	if (!l->item && first.item)
		return in_item(r, &first);
	me = shown(l);
	o = shown(&own);
	n = spaces(l->indent);
	m = spaces(inner);
	k = spaces(own.indent);
	if (l->item && first.item) {
		hint = xasprintf(_("indent its '-' %s, like the item on line %d"), m, first.no);
		seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
				"the list item '%s' is indented %s, but the items under '%s' on line "
				"%d are indented %s", me, n, o, own.no, m);
	} else {
		hint = own.indent
			       ? xasprintf(_("indent it %s to put it under '%s' (like line %d), or "
					     "%s to put it beside '%s'"), m, o, first.no, k, o)
			       : xasprintf(_("indent it %s to put it under '%s' (like line %d), or "
					     "start it at the beginning of the line to put it beside "
					     "'%s'"), m, o, first.no, o);
		if (first.keylen)
			seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
					"'%s' is indented %s, but the keys under '%s' on line %d are "
					"indented %s", me, n, o, own.no, m);
		else
			seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
					"'%s' is indented %s, but the lines under '%s' on line %d are "
					"indented %s", me, n, o, own.no, m);
	}
	free(hint);
	free(me);
	free(o);
	free(n);
	free(m);
	free(k);
	return seq;
}

/* Text after the end of a value: "name: "a" b", "[a, b]]". */
static size_t after_value(struct report *r)
{
	size_t at = offset(&r->at, r->e->col), q = at;
	char c = at < r->at.len ? r->at.s[at] : ' ';

	while (q > 0 && r->at.s[q - 1] == ' ')
		q--;
	if (c == ']' || c == '}')
		return diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col,
				 _("remove it"), "one '%c' too many", c);
	return diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col,
			 q > 0 && (r->at.s[q - 1] == '"' || r->at.s[q - 1] == '\'')
				 ? _("put all of the value inside the quotation marks")
				 : _("remove it, or write the whole value in quotation marks"),
			 "text after the end of the value");
}

/* "did not find expected key": a line at no indentation open above, or
 * text after a value. */
static size_t no_key(struct report *r)
{
	size_t seq;

	if (offset(&r->at, r->e->col) > r->at.content)
		return after_value(r);
	seq = between(r);
	return seq != NONE ? seq
			   : diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col,
			       _("indent it like the keys above it that it belongs with"),
			       "this line is indented differently from the lines around it");
}

/* "did not find expected '-' indicator": a line inside a list that is
 * neither an item nor in one. */
static size_t in_list(struct report *r)
{
	struct line *l = &r->at, dash, own;
	char *me, *n, *m, *k = NULL, *o = NULL, *hint = NULL;
	size_t seq, inner;

	get_line(&r->ls, r->e->context_line, &dash);
	item_before(&r->ls, l->no, dash.indent, &dash);
	if (!dash.no || l->indent < dash.indent)
		return no_key(r);
	me = shown(l);
	n = spaces(l->indent);
	m = spaces(dash.indent);
	if (l->item) {
		hint = xasprintf(_("indent its '-' %s, like the '-' on line %d"), m, dash.no);
		seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
				"the list item '%s' is indented %s, but the items of the list on line "
				"%d are indented %s", me, n, dash.no, m);
		goto out;
	}
	inner = dash.content;
	k = spaces((int)inner);
	if (l->indent == dash.indent) {
		owner(&r->ls, dash.no, dash.indent, &own);
		if (own.no && own.indent) {
			o = shown(&own);
			free(m);
			m = spaces(own.indent);
			hint = xasprintf(_("indent it %s to put it in the item on line %d, or %s to "
					   "put it beside '%s'"), k, dash.no, m, o);
		} else if (own.no) {
			o = shown(&own);
			hint = xasprintf(_("indent it %s to put it in the item on line %d, or start it "
					   "at the beginning of the line to put it beside '%s'"), k,
					 dash.no, o);
		} else {
			hint = xasprintf(_("indent it %s to put it in the item on line %d"), k,
					 dash.no);
		}
		seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, l->indent + 1, hint,
				"'%s' is indented as far as the '-' on line %d: only a new list item "
				"('- ...') can stand there", me, dash.no);
		goto out;
	}
	seq = in_item(r, &dash);
out:
	free(hint);
	free(me);
	free(n);
	free(m);
	free(k);
	free(o);
	return seq;
}

/* "block sequence entries are not allowed in this context": '- ' after a
 * key on its line. */
static size_t dash_after_key(struct report *r)
{
	struct line *l = &r->at;
	char *key, *hint;
	size_t seq;

	if (!l->keylen || offset(l, r->e->col) <= l->content)
		return diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col,
				 _("a list goes on the lines under a key that has no value on its own "
				   "line, each item indented more than the key"),
				 "a list item cannot begin here");
	key = shown(l);
	hint = xasprintf(_("write '%s' alone on its line, and each item on a line of its own "
			   "below it, indented 2 spaces more: `%.*s`"), key,
			 (int)(value_end(l) - l->value), l->s + l->value);
	seq = diags_add(r->d, SEV_ERROR, r->e->display, r->e->line, r->e->col, hint,
			"a list cannot begin on the line of '%s'", key);
	free(hint);
	free(key);
	return seq;
}

/* "could not find expected ':'": a line of text with no key. */
static size_t no_colon(struct report *r)
{
	struct line l, above;
	char *me, *o, *hint;
	size_t seq;

	get_line(&r->ls, r->e->context_line ? r->e->context_line : r->e->line, &l);
	me = shown(&l);
	if (l.len > l.content && l.s[l.content] == '-' && l.content + 1 < l.len &&
	    l.s[l.content + 1] != ' ') {
		hint = xasprintf(_("write `- %s`"), me + 1);
		seq = diags_add(r->d, SEV_ERROR, r->e->display, l.no, l.indent + 1, hint,
				"'%s' needs a space after the '-' to be a list item", me);
		free(hint);
		free(me);
		return seq;
	}
	line_before(&r->ls, l.no, &above);
	if (above.no && above.keylen && above.value < above.len) {
		o = shown(&above);
		hint = xasprintf(_("if it is more of the text of '%s' on line %d, indent it more "
				   "than '%s'; if it is a key, write `%s: ...`"), o, above.no, o, me);
		free(o);
	} else {
		hint = xasprintf(_("write it as `key: value`, or put it after a key"));
	}
	seq = diags_add(r->d, SEV_ERROR, r->e->display, l.no, l.indent + 1, hint,
			"text without a key: '%s'", me);
	free(hint);
	free(me);
	return seq;
}

/* A value that begins with a character YAML keeps for itself: '*' (an
 * alias), '&' (an anchor), '!' (a tag), '@' or '`'. */
static size_t reserved(struct report *r, int col)
{
	struct line *l = &r->at;
	size_t at = offset(l, col);
	char *key, *v, *hint;
	size_t seq;

	if (!l->keylen || l->value != at) {
		return diags_add(r->d, SEV_ERROR, r->e->display, l->no, col,
				 _("write the text in quotation marks"),
				 "a text cannot begin with '%c' in YAML", at < l->len ? l->s[at] : ' ');
	}
	key = shown(l);
	v = quoted_value(l);
	hint = xasprintf(_("write the value in quotation marks: `%s %s`"), key, v);
	seq = diags_add(r->d, SEV_ERROR, r->e->display, l->no, col, hint,
			"a value cannot begin with '%c' in YAML", l->s[at]);
	free(hint);
	free(key);
	free(v);
	return seq;
}

static size_t explain(struct report *r)
{
	const struct syntax_error *e = r->e;

	if (is(e->problem, "tab") || r->at.tab)
		return tab_indent(r, &r->at);
	if (is(e->context, "quoted scalar") && e->context_line &&
	    (is(e->problem, "end of stream") || is(e->problem, "document indicator")))
		return open_quote(r);
	if (is(e->context, "quoted scalar"))
		return bad_escape(r);
	if (is(e->context, "flow node") || (is(e->context, "flow") && is(e->problem, "node content")))
		return diags_add(r->d, SEV_ERROR, e->display, e->line, e->col,
				 _("remove the extra ','"), "empty item in the list");
	if (is(e->context, "flow") && e->context_line)
		return flow(r);
	if (is(e->problem, "mapping values are not allowed"))
		return colon(r);
	if (is(e->problem, "block sequence entries"))
		return dash_after_key(r);
	if (is(e->problem, "expected '-' indicator") && e->context_line)
		return in_list(r);
	if (is(e->problem, "did not find expected key"))
		return no_key(r);
	if (is(e->problem, "could not find expected ':'"))
		return no_colon(r);
	if (is(e->context, "block scalar"))
		return diags_add(r->d, SEV_ERROR, e->display, e->line, e->col,
				 _("write only '|' or '>' after the key, and the text on the lines "
				   "below, each indented more than the key"),
				 "only a comment can follow '|' or '>' on its line");
	if (is(e->context, "anchor") || is(e->context, "alias") || is(e->context, "tag") ||
	    is(e->problem, "cannot start any token"))
		return reserved(r, e->context_col && e->context_line == e->line ? e->context_col
										 : e->col);
	return diags_add(r->d, SEV_ERROR, e->display, e->line, e->col,
			 _("check this line and the one above it: the keys of one mapping start in "
			   "the same column, a list item starts with '- ', and text that holds ': ' "
			   "or ' #' goes in quotation marks"),
			 "the file cannot be read from here");
}

size_t syntax_report(const struct syntax_error *e, struct diags *d)
{
	struct report r;
	size_t seq;

	r.e = e;
	r.d = d;
	lines_init(&r.ls, e);
	/* At the end of the file: the last line. */
	if (!get_line(&r.ls, e->line, &r.at))
		get_line(&r.ls, (int)r.ls.n, &r.at);
	seq = explain(&r);
	free(r.ls.start);
	return seq;
}
