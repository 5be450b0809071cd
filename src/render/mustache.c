/*
 * mustache.c: the compiler turns the source into tokens, decides which tags
 * are standalone (and so take their line's whitespace with them), then emits
 * a flat node array.  Rendering walks that array; a container node (section,
 * inverted section, parent, block) knows the index where its body ends.
 *
 * Names are resolved when the template is compiled: each part of a dotted
 * name becomes a struct view_key (an interned atom, render/view.h), partial,
 * parent and block names one atom each.  Rendering then compares atom ids
 * only; it reads the name strings for error messages and to load a partial
 * the first time an environment sees it.  Nothing in a compiled template is
 * written after mustache_compile() returns.
 */
#include "mustache.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/intl.h"
#include "markdown.h"

enum node_op {
	OP_TEXT,
	OP_VAR,       /* {{x}}, HTML-escaped */
	OP_RAW,       /* {{{x}}} and {{&x}} */
	OP_SECTION,
	OP_INVERTED,
	OP_PARTIAL,
	OP_PARENT,    /* body: the blocks that override the parent's */
	OP_BLOCK
};

struct mustache_node {
	enum node_op op;
	unsigned line, col;   /* of the tag, for render errors */
	size_t off, len;      /* OP_TEXT: the text, else the name (NUL-terminated); in pool */
	size_t ind, indlen;   /* OP_PARTIAL, OP_PARENT, OP_BLOCK: indentation, in pool */
	size_t end;           /* the index of the next node: of a container the first
			       * node after its body, of any other node its own + 1 */
	uint32_t key, nkeys;  /* the name resolved: keys[key, key + nkeys) of the template;
			       * variables and sections one key a part ("." none),
			       * partials, parents and blocks one for the whole name */
	struct view_key first;   /* keys[key] when nkeys > 0, here for the lookup */
	/* Any other node than text: the text that follows it at its level (after
	 * a container's body), printed as the text node it would otherwise be,
	 * one step, errors at its own place, but without a turn of the loop. */
	size_t soff, slen;    /* in pool; slen 0: none */
	unsigned sline, scol;
};

struct mustache {
	char *name;
	char *pool;           /* text, names and indentation of all nodes */
	struct mustache_node *nodes;
	size_t n;
	struct view_key *keys;
};

/* ---- compiling: tokens ---- */

enum tok_kind {
	TK_TEXT,      /* never contains a line ending */
	TK_EOL,       /* "\n" or "\r\n" */
	TK_VAR,
	TK_RAW,
	TK_SECTION,
	TK_INVERTED,
	TK_CLOSE,
	TK_COMMENT,
	TK_PARTIAL,
	TK_DELIM,
	TK_PARENT,
	TK_BLOCK
};

struct tok {
	enum tok_kind kind;
	size_t start, end;      /* the whole token in src */
	size_t name, namelen;   /* tags: the trimmed name in src */
	unsigned line, col;
	size_t match;           /* containers and TK_CLOSE: the other end of the pair */
	bool in_parent;         /* directly inside a parent pair, outside its blocks */
	bool drop;              /* removed by the standalone rules */
	size_t ind, indlen;     /* TK_PARTIAL, TK_PARENT, TK_BLOCK: indentation in src */
};

struct compiler {
	const char *name;
	const char *src;
	size_t len;
	const char *otag, *ctag;   /* current delimiters */
	size_t olen, clen;
	struct tok *toks;
	size_t ntok, captok;
	size_t *open;              /* lexing: indices of the unclosed containers */
	size_t nopen, capopen;
	size_t lc_pos;             /* src position that lc_line, lc_col describe */
	unsigned lc_line, lc_col;
	char *err;
	struct buf pool;
	struct mustache_node *nodes;
	size_t nnode, capnode;
	struct view_key *keys;
	size_t nkey, capkey;
	bool merge;                /* text may be added to the text at textnode */
	size_t textnode;           /* the node whose text (or suffix) text goes to */
	bool suffix;               /* textnode's suffix, not a text node */
	size_t attach;             /* the node new text follows as its suffix, or NO_NODE */
};

#define NO_NODE SIZE_MAX

static int compiler_error(struct compiler *c, unsigned line, unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static int compiler_error(struct compiler *c, unsigned line, unsigned col, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (c->err)
		return -1;
	buf_addf(&b, "%s:%u:%u: error: ", c->name, line, col);
	va_start(ap, fmt);
	/* fmt is English; the catalogue may give another (util/intl.h). */
	buf_vaddf(&b, gettext(fmt), ap);
	va_end(ap);
	c->err = buf_detach(&b, NULL);
	return -1;
}

/* Line and column of pos; positions must be asked for in increasing order.
 * Columns count UTF-8 characters, so continuation bytes are skipped. */
static void compiler_locate(struct compiler *c, size_t pos, unsigned *line, unsigned *col)
{
	for (; c->lc_pos < pos; c->lc_pos++) {
		unsigned char ch = (unsigned char)c->src[c->lc_pos];
		if (ch == '\n') {
			c->lc_line++;
			c->lc_col = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c->lc_col++;
		}
	}
	*line = c->lc_line;
	*col = c->lc_col;
}

static struct tok *compiler_push(struct compiler *c, enum tok_kind kind, size_t start, size_t end)
{
	struct tok *t;

	if (c->ntok == c->captok)
		c->toks = xgrow(c->toks, sizeof(*c->toks), c->ntok + 1, &c->captok);
	t = &c->toks[c->ntok++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = start;
	t->end = end;
	compiler_locate(c, start, &t->line, &t->col);
	t->in_parent = c->nopen && c->toks[c->open[c->nopen - 1]].kind == TK_PARENT;
	return t;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

/* Split src[from, to) into text and line-ending tokens. */
static void lex_text(struct compiler *c, size_t from, size_t to)
{
	while (from < to) {
		const char *nl = memchr(c->src + from, '\n', to - from);
		size_t stop = nl ? (size_t)(nl - c->src) : to, eol = stop;

		if (nl && eol > from && c->src[eol - 1] == '\r')
			eol--;
		if (eol > from)
			compiler_push(c, TK_TEXT, from, eol);
		if (!nl)
			break;
		compiler_push(c, TK_EOL, eol, stop + 1);
		from = stop + 1;
	}
}

static const char *find(const char *hay, size_t haylen, const char *needle, size_t len)
{
	return memmem(hay, haylen, needle, len);
}

static bool has_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_space(s[i]))
			return true;
	return false;
}

/* {{=<% %>=}}: the content runs from the first "=" to before the last. */
static int lex_delimiters(struct compiler *c, struct tok *t, size_t cstart, size_t cend)
{
	const char *s = c->src;
	size_t a = cstart + 1, b = cend, mid, i;

	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	for (mid = a; mid < b && !is_space(s[mid]); mid++)
		;
	for (i = mid; i < b && is_space(s[i]); i++)
		;
	if (mid == a || i == b || has_space(s + i, b - i) || memchr(s + a, '=', b - a))
		return compiler_error(c, t->line, t->col,
				      "set-delimiter tag needs two delimiters without '=' or spaces, "
				      "separated by a space (e.g. '%.*s=<%% %%>=%.*s')",
				      (int)c->olen, c->otag, (int)c->clen, c->ctag);
	c->otag = s + a;
	c->olen = mid - a;
	c->ctag = s + i;
	c->clen = b - i;
	return 0;
}

/* A name for lookups: "." or dot-separated non-empty parts. */
static bool name_is_dotted(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == '.')
		return true;
	if (s[0] == '.' || s[n - 1] == '.')
		return false;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

static int lex_name(struct compiler *c, struct tok *t, size_t a, size_t b)
{
	const char *s = c->src;

	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	t->name = a;
	t->namelen = b - a;
	if (a == b)
		return compiler_error(c, t->line, t->col, "tag '%.*s' has no name",
				      (int)(t->end - t->start), s + t->start);
	if (has_space(s + a, b - a))
		return compiler_error(c, t->line, t->col,
				      "name '%.*s' contains whitespace (names are single words "
				      "like 'page.title')",
				      (int)(b - a), s + a);
	if ((t->kind == TK_VAR || t->kind == TK_RAW || t->kind == TK_SECTION ||
	     t->kind == TK_INVERTED) && !name_is_dotted(s + a, b - a))
		return compiler_error(c, t->line, t->col,
				      "name '%.*s' is malformed (write '.' or names joined by "
				      "single dots, like 'page.title')",
				      (int)(b - a), s + a);
	return 0;
}

static int lex_open(struct compiler *c, size_t i)
{
	if (c->nopen == c->capopen)
		c->open = xgrow(c->open, sizeof(*c->open), c->nopen + 1, &c->capopen);
	c->open[c->nopen++] = i;
	return 0;
}

static int lex_close(struct compiler *c, size_t i)
{
	struct tok *t = &c->toks[i], *o;

	if (!c->nopen)
		return compiler_error(c, t->line, t->col,
				      "'%.*s' closes nothing: no section is open (remove it)",
				      (int)(t->end - t->start), c->src + t->start);
	o = &c->toks[c->open[c->nopen - 1]];
	if (o->namelen != t->namelen || memcmp(c->src + o->name, c->src + t->name, t->namelen))
		return compiler_error(c, t->line, t->col,
				      "'%.*s' does not match the open section '%.*s' from line %u "
				      "(close that first with '%.*s/%.*s%.*s')",
				      (int)(t->end - t->start), c->src + t->start,
				      (int)o->namelen, c->src + o->name, o->line,
				      (int)c->olen, c->otag, (int)o->namelen, c->src + o->name,
				      (int)c->clen, c->ctag);
	c->nopen--;
	t->match = c->open[c->nopen];
	o->match = i;
	t->in_parent = o->in_parent;
	return 0;
}

static enum tok_kind sigil_kind(char ch)
{
	switch (ch) {
	case '#': return TK_SECTION;
	case '^': return TK_INVERTED;
	case '/': return TK_CLOSE;
	case '!': return TK_COMMENT;
	case '>': return TK_PARTIAL;
	case '=': return TK_DELIM;
	case '<': return TK_PARENT;
	case '$': return TK_BLOCK;
	case '&': return TK_RAW;
	case '{': return TK_RAW;
	default: return TK_VAR;
	}
}

/*
 * Find the end of tag t.  Most tags end at the closing delimiter; a triple
 * mustache ends at "}" and the closing delimiter, a set-delimiter tag at "="
 * and the closing delimiter.  Sets the content (from the sigil on) and
 * *after, the position after the tag.
 */
static int lex_tag_end(struct compiler *c, struct tok *t, size_t *cstart, size_t *cend,
		       size_t *after)
{
	const char *s = c->src, *end = c->src + c->len, *q;
	size_t p = t->start + c->olen;
	char sigil = p < c->len ? s[p] : '\0', closer = sigil == '{' ? '}' : sigil;

	if (sigil == '{' || sigil == '=') {
		for (q = s + p + 1; (q = memchr(q, closer, (size_t)(end - q))); q++)
			if ((size_t)(end - q - 1) >= c->clen && !memcmp(q + 1, c->ctag, c->clen))
				break;
		if (q)
			*after = (size_t)(q - s) + 1 + c->clen;
	} else {
		q = find(s + p, c->len - p, c->ctag, c->clen);
		if (q)
			*after = (size_t)(q - s) + c->clen;
	}
	if (!q)
		return compiler_error(c, t->line, t->col, "unclosed tag '%.*s%s': add '%s%.*s' after it",
				      (int)c->olen, c->otag, sigil == '{' ? "{" : sigil == '=' ? "=" : "",
				      sigil == '{' ? "}" : sigil == '=' ? "=" : "",
				      (int)c->clen, c->ctag);
	*cstart = p;
	*cend = (size_t)(q - s);
	return 0;
}

/* Lex the tag whose opening delimiter starts at tpos; sets *next. */
static int lex_tag(struct compiler *c, size_t tpos, size_t *next)
{
	const char *s = c->src;
	size_t cstart = 0, cend = 0, after = 0, i;
	struct tok *t = compiler_push(c, TK_VAR, tpos, tpos + c->olen);

	if (lex_tag_end(c, t, &cstart, &cend, &after) < 0)
		return -1;
	t->end = after;
	*next = after;
	t->kind = cstart < cend ? sigil_kind(s[cstart]) : TK_VAR;
	if (t->kind == TK_COMMENT)
		return 0;
	if (t->kind == TK_DELIM)
		return lex_delimiters(c, t, cstart, cend);
	if (find(s + cstart, cend - cstart, c->otag, c->olen))
		return compiler_error(c, t->line, t->col,
				      "unclosed tag '%.*s': add '%.*s' before the next '%.*s'",
				      (int)c->olen, c->otag, (int)c->clen, c->ctag, (int)c->olen, c->otag);
	if (t->kind != TK_VAR)
		cstart++;
	if (lex_name(c, t, cstart, cend) < 0)
		return -1;
	i = c->ntok - 1;
	switch (t->kind) {
	case TK_SECTION:
	case TK_INVERTED:
	case TK_PARENT:
	case TK_BLOCK:
		return lex_open(c, i);
	case TK_CLOSE:
		return lex_close(c, i);
	default:
		return 0;
	}
}

static int lex(struct compiler *c)
{
	size_t pos = 0;

	while (pos < c->len) {
		const char *t = find(c->src + pos, c->len - pos, c->otag, c->olen);
		size_t tpos = t ? (size_t)(t - c->src) : c->len;

		lex_text(c, pos, tpos);
		if (!t)
			break;
		if (lex_tag(c, tpos, &pos) < 0)
			return -1;
	}
	if (c->nopen) {
		struct tok *o = &c->toks[c->open[c->nopen - 1]];
		return compiler_error(c, o->line, o->col,
				      "section '%.*s' is never closed (add '%.*s/%.*s%.*s' where it ends)",
				      (int)o->namelen, c->src + o->name, (int)c->olen, c->otag,
				      (int)o->namelen, c->src + o->name, (int)c->clen, c->ctag);
	}
	return 0;
}

/* ---- compiling: standalone lines ---- */

static bool tok_is_blank(const struct compiler *c, const struct tok *t)
{
	size_t i;

	if (t->kind != TK_TEXT)
		return false;
	for (i = t->start; i < t->end; i++)
		if (!is_blank(c->src[i]))
			return false;
	return true;
}

/* One line of tokens: [a, b), b being its TK_EOL or the end. */
struct line {
	size_t a, b;
	size_t first, last;   /* first and last token that is not blank text, or b */
};

static void line_drop_left(struct compiler *c, const struct line *ln, size_t t)
{
	size_t i;

	for (i = ln->a; i < t; i++)
		c->toks[i].drop = true;
}

static void line_drop_right(struct compiler *c, const struct line *ln, size_t t)
{
	size_t i;

	for (i = t + 1; i < ln->b; i++)
		c->toks[i].drop = true;
	if (ln->b < c->ntok)
		c->toks[ln->b].drop = true;
}

static bool line_clear_left(const struct line *ln, size_t t)
{
	return ln->first >= t;
}

static bool line_clear_right(const struct line *ln, size_t t)
{
	return ln->last == ln->b || ln->last <= t;
}

/*
 * Whether tag t is standalone, and which sides of its line it then removes.
 * Most tags must be alone on their line and remove both sides.  A parent
 * pair prints none of its inner text, so it needs a clear left of its
 * opening tag and a clear right of its closing tag.  A block directly inside
 * a parent is an inline template: its opening tag needs a clear right (the
 * line ending belongs to the tag), its closing tag ends it like the end of a
 * file (the blanks before it belong to the tag).
 */
static bool tag_standalone(const struct compiler *c, const struct line *lines,
			   const size_t *line_of, size_t t, bool *left, bool *right)
{
	const struct tok *k = &c->toks[t], *m = k->kind == TK_CLOSE ? &c->toks[k->match] : NULL;
	const struct line *ln = &lines[line_of[t]], *other = NULL;

	*left = *right = true;
	if (k->kind == TK_PARENT || k->kind == TK_CLOSE)
		other = &lines[line_of[k->match]];
	if (k->kind == TK_PARENT) {
		*right = false;
		return line_clear_left(ln, t) && line_clear_right(other, k->match);
	}
	if (m && m->kind == TK_PARENT) {
		*left = false;
		return line_clear_right(ln, t) && line_clear_left(other, k->match);
	}
	if (k->kind == TK_BLOCK && k->in_parent) {
		*left = false;
		return line_clear_right(ln, t);
	}
	if (m && m->kind == TK_BLOCK && m->in_parent) {
		*right = false;
		return line_clear_left(ln, t);
	}
	return line_clear_left(ln, t) && line_clear_right(ln, t);
}

/*
 * The indentation of a partial or parent is the blank start of its line when
 * it is standalone.  That of a block is the blank start of the line after it
 * when the block is standalone (its "intrinsic" indentation: the content
 * sets it), else the blank start of its own line if only blanks precede it.
 */
static void tag_indent(struct compiler *c, const struct line *ln, size_t t, bool sa)
{
	struct tok *k = &c->toks[t];
	size_t p = c->toks[ln->a].start, q;

	if (k->kind == TK_BLOCK && sa) {
		if (ln->b == c->ntok)
			return;
		p = q = c->toks[ln->b].end;
		while (q < c->len && is_blank(c->src[q]))
			q++;
	} else if ((k->kind == TK_BLOCK && line_clear_left(ln, t)) ||
		   ((k->kind == TK_PARTIAL || k->kind == TK_PARENT) && sa)) {
		q = k->start;
	} else {
		return;
	}
	k->ind = p;
	k->indlen = q - p;
}

static void mark_tag(struct compiler *c, const struct line *lines, const size_t *line_of, size_t t)
{
	const struct line *ln = &lines[line_of[t]];
	bool left, right, sa = tag_standalone(c, lines, line_of, t, &left, &right);

	if (sa && left)
		line_drop_left(c, ln, t);
	if (sa && right)
		line_drop_right(c, ln, t);
	tag_indent(c, ln, t, sa);
}

static void mark_standalone(struct compiler *c)
{
	struct line *lines = xmalloc((c->ntok + 1) * sizeof(*lines));
	size_t *line_of = xmalloc((c->ntok + 1) * sizeof(*line_of));
	size_t nline = 0, a = 0, i;

	while (a <= c->ntok) {
		struct line *ln = &lines[nline];
		ln->a = a;
		for (ln->b = a; ln->b < c->ntok && c->toks[ln->b].kind != TK_EOL; ln->b++)
			;
		ln->first = ln->last = ln->b;
		for (i = a; i < ln->b; i++) {
			line_of[i] = nline;
			if (!tok_is_blank(c, &c->toks[i])) {
				if (ln->first == ln->b)
					ln->first = i;
				ln->last = i;
			}
		}
		line_of[ln->b] = nline;
		nline++;
		a = ln->b + 1;
	}
	for (i = 0; i < c->ntok; i++) {
		enum tok_kind k = c->toks[i].kind;
		if (k != TK_TEXT && k != TK_EOL && k != TK_VAR && k != TK_RAW)
			mark_tag(c, lines, line_of, i);
	}
	free(lines);
	free(line_of);
}

/* ---- compiling: nodes ---- */

static void emit_key(struct compiler *c, const char *s, size_t n)
{
	if (c->nkey == c->capkey)
		c->keys = xgrow(c->keys, sizeof(*c->keys), c->nkey + 1, &c->capkey);
	c->keys[c->nkey++] = view_key_intern(s, n);
}

/* Resolve the name of node nd: a lookup name part by part ("." has none),
 * the name of a partial, parent or block whole. */
static void emit_keys(struct compiler *c, struct mustache_node *nd, const char *s, size_t n)
{
	const char *end = s + n, *dot;

	nd->key = (uint32_t)c->nkey;
	if (nd->op == OP_PARTIAL || nd->op == OP_PARENT || nd->op == OP_BLOCK) {
		emit_key(c, s, n);
	} else if (!(n == 1 && s[0] == '.')) {
		while ((dot = memchr(s, '.', (size_t)(end - s)))) {
			emit_key(c, s, (size_t)(dot - s));
			s = dot + 1;
		}
		emit_key(c, s, (size_t)(end - s));
	}
	nd->nkeys = (uint32_t)(c->nkey - nd->key);
	if (nd->nkeys)
		nd->first = c->keys[nd->key];
}

static struct mustache_node *emit_node(struct compiler *c, enum node_op op, const struct tok *t)
{
	struct mustache_node *nd;

	if (c->nnode == c->capnode)
		c->nodes = xgrow(c->nodes, sizeof(*c->nodes), c->nnode + 1, &c->capnode);
	nd = &c->nodes[c->nnode++];
	memset(nd, 0, sizeof(*nd));
	nd->op = op;
	nd->end = c->nnode;   /* a container's is set when it closes */
	nd->line = t->line;
	nd->col = t->col;
	if (op != OP_TEXT) {
		nd->off = c->pool.len;
		nd->len = t->namelen;
		buf_add(&c->pool, c->src + t->name, t->namelen);
		buf_addc(&c->pool, '\0');
		emit_keys(c, nd, c->src + t->name, t->namelen);
	}
	return nd;
}

/* Add text: to the text being merged, else as the suffix of the node it
 * follows (c->attach) or a new text node. */
static void emit_text(struct compiler *c, const struct tok *t, const char *s, size_t n)
{
	struct mustache_node *nd;

	if (!n)
		return;
	if (!c->merge) {
		if (c->attach != NO_NODE) {
			nd = &c->nodes[c->attach];
			nd->soff = c->pool.len;
			nd->sline = t->line;
			nd->scol = t->col;
			c->textnode = c->attach;
			c->suffix = true;
		} else {
			nd = emit_node(c, OP_TEXT, t);
			nd->off = c->pool.len;
			c->textnode = c->nnode - 1;
			c->suffix = false;
		}
		c->attach = NO_NODE;
		c->merge = true;
	}
	buf_add(&c->pool, s, n);
	nd = &c->nodes[c->textnode];
	if (c->suffix)
		nd->slen += n;
	else
		nd->len += n;
}

static size_t common_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen && a[i] == b[i]; i++)
		;
	return i;
}

/* Store the token's indentation, less the prefix that the enclosing override
 * block removes from its lines. */
static void emit_indent(struct compiler *c, struct mustache_node *nd, const struct tok *t,
			size_t pre, size_t prelen)
{
	size_t k = common_prefix(c->src + t->ind, t->indlen, c->src + pre, prelen);

	nd->ind = c->pool.len;
	nd->indlen = t->indlen - k;
	buf_add(&c->pool, c->src + t->ind + k, t->indlen - k);
}

/* An open container while emitting; pre is the indentation removed from the
 * lines inside it (that of the innermost block which overrides a parent's). */
struct emit_open {
	size_t node;
	size_t pre, prelen;
};

struct emitter {
	struct emit_open *open;
	size_t nopen;
	size_t pre, prelen;
	bool bol;            /* at the start of a source line */
};

static enum node_op tok_op(enum tok_kind kind)
{
	switch (kind) {
	case TK_VAR: return OP_VAR;
	case TK_RAW: return OP_RAW;
	case TK_SECTION: return OP_SECTION;
	case TK_INVERTED: return OP_INVERTED;
	case TK_PARTIAL: return OP_PARTIAL;
	case TK_PARENT: return OP_PARENT;
	case TK_BLOCK: return OP_BLOCK;
	default: return OP_TEXT;
	}
}

static void emit_open(struct compiler *c, struct emitter *e, const struct tok *t)
{
	struct emit_open *o = &e->open[e->nopen++];

	o->node = c->nnode - 1;
	o->pre = e->pre;
	o->prelen = e->prelen;
	if (t->kind == TK_BLOCK && t->in_parent) {
		e->pre = t->ind;
		e->prelen = t->indlen;
	}
}

static void emit_close(struct compiler *c, struct emitter *e)
{
	struct emit_open *o = &e->open[--e->nopen];

	c->nodes[o->node].end = c->nnode;
	c->attach = o->node;
	e->pre = o->pre;
	e->prelen = o->prelen;
}

/* Text directly inside a parent is never printed; the first text of a line
 * inside an overriding block loses that block's indentation. */
static void emit_tok_text(struct compiler *c, struct emitter *e, const struct tok *t)
{
	const char *s = c->src + t->start;
	size_t n = t->end - t->start, k;

	if (t->in_parent)
		return;
	if (e->bol) {
		k = common_prefix(s, n, c->src + e->pre, e->prelen);
		s += k;
		n -= k;
	}
	emit_text(c, t, s, n);
}

static void emit_tok(struct compiler *c, struct emitter *e, const struct tok *t)
{
	struct mustache_node *nd;

	switch (t->kind) {
	case TK_TEXT:
		emit_tok_text(c, e, t);
		return;
	case TK_CLOSE:
		emit_close(c, e);
		return;
	case TK_COMMENT:
	case TK_DELIM:
	case TK_EOL:
		return;
	default:
		break;
	}
	nd = emit_node(c, tok_op(t->kind), t);
	if (t->kind == TK_PARTIAL || t->kind == TK_PARENT || t->kind == TK_BLOCK)
		emit_indent(c, nd, t, e->pre, e->prelen);
	/* Text after a variable or partial follows it; the first text of a
	 * body is a node of its own. */
	c->attach = NO_NODE;
	if (t->kind != TK_VAR && t->kind != TK_RAW && t->kind != TK_PARTIAL)
		emit_open(c, e, t);
	else
		c->attach = c->nnode - 1;
}

static void emit(struct compiler *c)
{
	struct emitter e = { NULL, 0, 0, 0, true };
	size_t i;

	e.open = xmalloc((c->ntok + 1) * sizeof(*e.open));
	for (i = 0; i < c->ntok; i++) {
		const struct tok *t = &c->toks[i];

		if (t->kind == TK_EOL) {
			if (!t->drop && !t->in_parent)
				emit_text(c, t, c->src + t->start, t->end - t->start);
			e.bol = true;
			continue;
		}
		if (t->drop)
			continue;
		if (t->kind != TK_TEXT)
			c->merge = false;
		emit_tok(c, &e, t);
		e.bol = false;
	}
	free(e.open);
}

struct mustache *mustache_compile(const char *name, const char *src, size_t len, char **err)
{
	struct compiler c;
	struct mustache *m = NULL;

	memset(&c, 0, sizeof(c));
	c.name = name;
	c.src = src;
	c.len = len;
	c.otag = "{{";
	c.ctag = "}}";
	c.olen = c.clen = 2;
	c.lc_line = c.lc_col = 1;
	c.attach = NO_NODE;
	buf_init(&c.pool);
	if (lex(&c) < 0)
		goto out;
	mark_standalone(&c);
	emit(&c);
	m = xmalloc(sizeof(*m));
	m->name = xstrdup(name);
	m->pool = buf_detach(&c.pool, NULL);
	m->nodes = c.nodes;
	m->n = c.nnode;
	m->keys = c.keys;
	c.nodes = NULL;
	c.keys = NULL;
out:
	free(c.toks);
	free(c.open);
	free(c.nodes);
	free(c.keys);
	buf_release(&c.pool);
	if (!m && err)
		*err = c.err;
	else
		free(c.err);
	return m;
}

void mustache_free(struct mustache *tmpl)
{
	if (!tmpl)
		return;
	free(tmpl->name);
	free(tmpl->pool);
	free(tmpl->nodes);
	free(tmpl->keys);
	free(tmpl);
}

const char *mustache_name(const struct mustache *tmpl)
{
	return tmpl->name;
}

/* ---- environment: a cache of partials by name ---- */

struct env_slot {
	uint32_t atom;           /* the name's atom id; 0: empty slot */
	struct mustache *tmpl;   /* NULL: no such partial, or err */
	char *err;               /* the partial's syntax error */
};

struct mustache_env {
	struct mustache_loader loader;
	void (*escape)(const char *s, size_t len, struct buf *out);   /* NULL: HTML */
	/* The bit of view.plain that escape's output sets and honours:
	 * VIEW_PLAIN_HTML or VIEW_PLAIN_MD, 0 (none) for another escape. */
	unsigned plain_bit;
	int (*flush)(void *ud, struct buf *out);   /* NULL: keep all output in out */
	void *flush_ud;
	size_t flush_at;
	size_t limit;            /* 0: none */
	bool limit_hit;
	struct env_slot *slots;
	size_t cap, n;           /* cap is 0 or a power of two */
	struct frags *frags;     /* NULL: fragments are not kept */
};

/* ---- kept fragments (mustache_env_keep_fragments) ---- */

/* What a name looked up outside a kept item found. */
enum look_what { LOOK_ABSENT, LOOK_NULL, LOOK_BOOL, LOOK_TEXT, LOOK_KEPT };

struct frag_look {
	const struct view_key *k;   /* the name: keys of a template rendered through env */
	uint32_t nkeys;
	enum look_what what;
	enum view_kind kind;        /* LOOK_TEXT: VIEW_STRING or VIEW_NUMBER */
	bool boolean;               /* LOOK_BOOL */
	double number;              /* LOOK_TEXT of a number */
	const struct view *kept;    /* LOOK_KEPT */
	size_t off, len;            /* LOOK_TEXT: its bytes in the fragment's data */
};

/* An active parent tag, as a fragment keeps it. */
struct frag_frame {
	const struct mustache *tmpl;
	size_t node;
};

/* Where an item was rendered: the key of a fragment. */
struct frag_where {
	const struct mustache *root;   /* the template mustache_render was given */
	const struct mustache *tmpl;   /* the section's; NULL: an empty slot */
	size_t node;
	const void *list;              /* view_source.id */
	size_t index;
	unsigned partials, nesting;    /* the levels it renders at (for the limits) */
};

struct frag {
	struct frag_where at;
	uint64_t hash;
	uint64_t stamp;
	bool bol_in, bol_out;          /* at the start of a line before and after */
	struct frag_frame *frames;     /* the active parents, innermost first */
	size_t nframes;
	struct frag_look *looks;
	size_t nlooks;
	char *data;                    /* the output [0, outlen), the indentation
					* [outlen, outlen + indentlen), then the looks' texts */
	size_t outlen, indentlen;
};

struct frags {
	struct frag *slots;
	size_t cap, n;                 /* cap is 0 or a power of two */
	size_t used, made;
};

static void frag_release(struct frag *f)
{
	free(f->frames);
	free(f->looks);
	free(f->data);
	memset(f, 0, sizeof(*f));
}

static void frags_free(struct frags *fs)
{
	size_t i;

	if (!fs)
		return;
	for (i = 0; i < fs->cap; i++)
		frag_release(&fs->slots[i]);
	free(fs->slots);
	free(fs);
}

void mustache_env_keep_fragments(struct mustache_env *env, bool on)
{
	if (on && !env->frags)
		env->frags = xcalloc(1, sizeof(*env->frags));
	if (!on) {
		frags_free(env->frags);
		env->frags = NULL;
	}
}

size_t mustache_env_fragments_used(const struct mustache_env *env)
{
	return env && env->frags ? env->frags->used : 0;
}

size_t mustache_env_fragments_made(const struct mustache_env *env)
{
	return env && env->frags ? env->frags->made : 0;
}

struct mustache_env *mustache_env_new(const struct mustache_loader *loader)
{
	struct mustache_env *env = xcalloc(1, sizeof(*env));

	if (loader)
		env->loader = *loader;
	return env;
}

void mustache_env_set_escape(struct mustache_env *env,
			     void (*escape)(const char *s, size_t len, struct buf *out))
{
	env->escape = escape;
}

void mustache_env_set_flush(struct mustache_env *env, int (*flush)(void *ud, struct buf *out),
			    void *ud, size_t threshold)
{
	env->flush = flush;
	env->flush_ud = ud;
	env->flush_at = threshold;
}

void mustache_env_set_limit(struct mustache_env *env, size_t limit)
{
	env->limit = limit;
}

bool mustache_env_limit_hit(const struct mustache_env *env)
{
	return env && env->limit_hit;
}

void mustache_env_free(struct mustache_env *env)
{
	size_t i;

	if (!env)
		return;
	for (i = 0; i < env->cap; i++) {
		mustache_free(env->slots[i].tmpl);
		free(env->slots[i].err);
	}
	free(env->slots);
	frags_free(env->frags);
	free(env);
}

static struct env_slot *env_find(struct env_slot *slots, size_t cap, uint32_t atom)
{
	size_t i = (atom * 0x9e3779b1u) & (cap - 1);

	while (slots[i].atom && slots[i].atom != atom)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void env_grow(struct mustache_env *env)
{
	size_t cap = env->cap ? env->cap * 2 : 16, i;
	struct env_slot *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < env->cap; i++)
		if (env->slots[i].atom)
			*env_find(slots, cap, env->slots[i].atom) = env->slots[i];
	free(env->slots);
	env->slots = slots;
	env->cap = cap;
}

/* The compiled partial called name (whose atom id is atom): 0 with *tmpl
 * set (NULL when there is no such partial), or -1 with *err set when it has
 * a syntax error. */
static int env_get(struct mustache_env *env, const char *name, uint32_t atom,
		   const struct mustache **tmpl, char **err)
{
	struct env_slot *slot;
	const char *src;
	size_t len = 0;

	*tmpl = NULL;
	if (!env)
		return 0;
	if (env->cap && (slot = env_find(env->slots, env->cap, atom))->atom)
		goto found;
	if ((env->n + 1) * 2 > env->cap)
		env_grow(env);
	slot = env_find(env->slots, env->cap, atom);
	slot->atom = atom;
	env->n++;
	src = env->loader.load ? env->loader.load(env->loader.ud, name, &len) : NULL;
	if (src)
		slot->tmpl = mustache_compile(name, src, len, &slot->err);
found:
	if (slot->err) {
		*err = xstrdup(slot->err);
		return -1;
	}
	*tmpl = slot->tmpl;
	return 0;
}

/* ---- rendering ---- */

/* An active parent tag: the blocks in its body override the parent's. */
struct frame {
	const struct mustache *tmpl;
	size_t node;
	const struct frame *outer;
};

struct render {
	struct mustache_env *env;
	struct buf *out;
	const struct view **stack;   /* the context stack, top last */
	size_t depth, cap;
	struct buf indent;           /* prepended to each template line */
	bool bol;                    /* output is at the start of a template line */
	unsigned partials;           /* partial and parent levels */
	unsigned nesting;            /* render_nodes levels */
	size_t base;                 /* out->len when this render's output began */
	size_t flushed;              /* bytes handed on by flush */
	long long steps_left;        /* MUSTACHE_MAX_STEPS less the steps taken:
				      * below 0, too many */
	char *err;
	/* The environment's settings, read once per render. */
	void (*escape)(const char *s, size_t len, struct buf *out);   /* NULL: HTML */
	/* The bit of view.plain that escape's output sets and honours:
	 * VIEW_PLAIN_HTML or VIEW_PLAIN_MD, 0 (none) for another escape. */
	unsigned plain_bit;
	size_t limit;
	/* The limit as a length of out: past it, output passes the limit
	 * (SIZE_MAX without one); kept by render_set_stop(). */
	size_t stop;
	/* Kept fragments: the template given to mustache_render, and the item
	 * being rendered to be kept (NULL: none). */
	const struct mustache *root;
	struct frag_rec *rec;
	size_t outer;                /* rec ? rec->base + 1 : 0 */
};

/* An item of a list made on demand being rendered to be kept: the names
 * it looked up below its frame (stack[base]), and what they found. */
struct frag_rec {
	size_t base;
	struct frag_look *looks;
	size_t n, cap;
	struct buf texts;
	bool bad;                    /* it looked up a map or list not kept */
};

static int render_nodes(struct render *r, const struct mustache *t, size_t i, size_t end,
			const struct frame *fr);

#if defined(__GNUC__)
__attribute__((noinline, cold))   /* out of the render's hot paths */
#endif
static int render_error(struct render *r, const struct mustache *t, const struct mustache_node *nd,
			const char *what, int limit)
{
	/* TRANSLATORS: %s is a template word kept in English ("section",
	 * "partial", "parent", "block"), then its name and a number. */
	char *msg = xasprintf(_("%s '%s' nests deeper than %d levels (does a partial include "
				"itself without a condition that ends?)"),
			      what, t->pool + nd->off, limit);

	r->err = xasprintf("%s:%u:%u: error: %s", t->name, nd->line, nd->col, msg);
	free(msg);
	return -1;
}

/* Where out may end before the output passes the limit: the limit less
 * what was flushed, from base on.  Only a node that adds output can pass
 * it, so render_nodes compares out->len with this after those alone. */
static void render_set_stop(struct render *r)
{
	size_t room;

	if (!r->limit) {
		r->stop = SIZE_MAX;
		return;
	}
	room = r->flushed < r->limit ? r->limit - r->flushed : 0;
	r->stop = room > SIZE_MAX - r->base ? SIZE_MAX : r->base + room;
}

/* The output passed the limit at the node (or suffix) at line:col. */
#if defined(__GNUC__)
__attribute__((noinline, cold))   /* out of the render's hot paths */
#endif
static int limit_error(struct render *r, const struct mustache *t, unsigned line, unsigned col)
{
	char *msg = xasprintf(_("output passes the limit of %zu bytes"), r->limit);

	r->env->limit_hit = true;
	r->err = line ? xasprintf("%s:%u:%u: error: %s", t->name, line, col, msg)
		      : xasprintf("%s: error: %s", t->name, msg);
	free(msg);
	return -1;
}

#if defined(__GNUC__)
__attribute__((noinline, cold))   /* out of the render's hot paths */
#endif
static int steps_error(struct render *r, const struct mustache *t)
{
	char *msg = xasprintf(_("rendering takes more than %d steps (are sections over lists "
				"nested in each other?)"), MUSTACHE_MAX_STEPS);

	r->err = xasprintf("%s: error: %s", t->name, msg);
	free(msg);
	return -1;
}

static size_t indent_push(struct render *r, const char *s, size_t n)
{
	size_t save = r->indent.len;

	buf_add(&r->indent, s, n);
	return save;
}

static void indent_pop(struct render *r, size_t save)
{
	r->indent.len = save;
	if (r->indent.cap)
		r->indent.ptr[save] = '\0';
}

static void render_indent(struct render *r)
{
	if (r->bol && r->indent.len)
		buf_add(r->out, r->indent.ptr, r->indent.len);
}

/* Template text with indentation: it goes before each of its lines. */
static void render_text_indented(struct render *r, const char *s, size_t n)
{
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t k = nl ? (size_t)(nl - s) + 1 : n;

		render_indent(r);
		buf_add(r->out, s, k);
		r->bol = nl != NULL;
		s += k;
		n -= k;
	}
}

/* Template text (n > 0). */
#if defined(__GNUC__)
__attribute__((always_inline))   /* the hottest path of a render, twice */
#endif
static inline void render_text(struct render *r, const char *s, size_t n)
{
	if (r->indent.len) {
		render_text_indented(r, s, n);
		return;
	}
	buf_add_inline(r->out, s, n);
	r->bol = s[n - 1] == '\n';
}

/* The view.plain bits of v (render/view.h); v is not changed, but its
 * bits may be, by another thread. */
static inline unsigned view_plain(const struct view *v)
{
	return atomic_load_explicit(&((struct view *)v)->plain, memory_order_relaxed);
}

/* Remember that v's text comes out of the escape of plain bit unchanged:
 * the one write a render makes to its data (render/view.h). */
#if defined(__GNUC__)
__attribute__((always_inline))   /* render_value's */
#endif
static inline void view_plain_note(const struct view *v, unsigned bit)
{
	struct view *w = (struct view *)v;

	atomic_store_explicit(&w->plain, (unsigned char)(view_plain(v) | bit),
			      memory_order_relaxed);
}

/* Data: printed whole, its line endings are not template lines.  A string
 * that an escape copied unchanged before is copied (view.plain). */
#if defined(__GNUC__)
__attribute__((always_inline))   /* render_nodes' own work */
#endif
static inline void render_value(struct render *r, const struct view *v, bool escape)
{
	const char *s;
	size_t n;

	if (!v)
		return;
	/* A string or number prints its text; every other kind has len 0
	 * (render/view.h), and of those only a boolean prints. */
	n = v->len;
	if (n) {
		s = v->text;
	} else if (v->kind == VIEW_BOOL) {
		s = v->boolean ? "true" : "false";
		n = strlen(s);
	} else {
		return;
	}
	render_indent(r);
	r->bol = false;
	if (!escape) {
		buf_add(r->out, s, n);
	} else if (view_plain(v) & r->plain_bit) {
		/* Escaped before, by this escape, to itself. */
		buf_add_inline(r->out, s, n);
	} else {
		size_t before = r->out->len;

		if (r->escape)
			r->escape(s, n, r->out);
		else
			buf_add_html(r->out, s, n);
		if (r->plain_bit && r->out->len - before == n)
			view_plain_note(v, r->plain_bit);
	}
}

/* What the stack holds for a NULL pushed (an item made as NULL), so that
 * the lookups need not test each frame for NULL: it prints and tests as
 * NULL does. */
static const struct view null_frame = { .kind = VIEW_NULL };

static void render_push(struct render *r, const struct view *v)
{
	if (r->depth == r->cap)
		r->stack = xgrow(r->stack, sizeof(*r->stack), r->depth + 1, &r->cap);
	r->stack[r->depth++] = v ? v : &null_frame;
}

/* Resolve the name keys[0, n) against stack[0, depth): its first part in
 * the innermost context that has it, each further part in the value the
 * part before it found.  *at is where the first part was found (depth when
 * nowhere). */
static const struct view *lookup_keys(const struct view *const *stack, size_t depth,
				      const struct view_key *k, uint32_t n, size_t *at)
{
	const struct view_key *end = k + n;
	const struct view *v = NULL;
	size_t i;

	*at = depth;
	for (i = depth; i-- > 0;)
		if ((v = view_lookup(stack[i], *k))) {
			*at = i;
			break;
		}
	while (v && ++k < end)
		v = view_lookup(v, *k);
	return v;
}

static void rec_note(struct frag_rec *rec, const struct view_key *k, uint32_t n,
		     const struct view *v)
{
	struct frag_look *l;
	size_t i;

	for (i = 0; i < rec->n; i++)
		if (rec->looks[i].k == k && rec->looks[i].nkeys == n)
			return;
	if (rec->n == rec->cap)
		rec->looks = xgrow(rec->looks, sizeof(*rec->looks), rec->n + 1, &rec->cap);
	l = &rec->looks[rec->n++];
	memset(l, 0, sizeof(*l));
	l->k = k;
	l->nkeys = n;
	if (!v) {
		l->what = LOOK_ABSENT;
	} else if (v->kind == VIEW_NULL) {
		l->what = LOOK_NULL;
	} else if (v->kind == VIEW_BOOL) {
		l->what = LOOK_BOOL;
		l->boolean = v->boolean;
	} else if (v->kind == VIEW_STRING || v->kind == VIEW_NUMBER) {
		l->what = LOOK_TEXT;
		l->kind = v->kind;
		l->number = v->kind == VIEW_NUMBER ? v->number : 0;
		l->off = rec->texts.len;
		l->len = v->len;
		buf_add(&rec->texts, v->text, v->len);
	} else if (v->kept && !v->source) {
		l->what = LOOK_KEPT;
		l->kept = v;
	} else {
		rec->bad = true;
	}
}

/* Resolve the name of node nd against the context stack (as lookup_keys
 * does, written out: this is the hottest path of a render); while an item
 * is being kept, note what a name found outside it. */
#if defined(__GNUC__)
__attribute__((always_inline))   /* two callers, each on the hottest path */
#endif
static inline const struct view *render_lookup(struct render *r, const struct mustache *t,
					       const struct mustache_node *nd)
{
	const struct view *const *stack = r->stack;
	const struct view *v = NULL;
	size_t i;
	uint32_t n;

	if (!nd->nkeys)
		return r->depth ? stack[r->depth - 1] : NULL;
	/* view_lookup() on each frame, its map case first: frames are
	 * nearly all maps, or the scalars sections push. */
	for (i = r->depth; i-- > 0;) {
		const struct view *f = stack[i];

		if (f->kind == VIEW_MAP) {
			if ((v = view_map_lookup(f, nd->first.atom)))
				break;
		} else if (f->kind == VIEW_LIST && (v = view_list_item(f, nd->first.index))) {
			break;
		}
	}
	for (n = 1; v && n < nd->nkeys; n++)
		v = view_lookup(v, t->keys[nd->key + n]);
	/* Outside the item being kept: i < base, or not found (i is then
	 * SIZE_MAX, and i + 1 is 0).  One compare when none is (outer 0). */
	if (i + 1 < r->outer)
		rec_note(r->rec, t->keys + nd->key, nd->nkeys, v);
	return v;
}

static int render_body(struct render *r, const struct mustache *t, size_t i, const struct frame *fr)
{
	const struct mustache_node *nd = &t->nodes[i];

	if (r->nesting >= MUSTACHE_MAX_NESTING)
		return render_error(r, t, nd, "section", MUSTACHE_MAX_NESTING);
	return render_nodes(r, t, i + 1, nd->end, fr);
}

static uint64_t frag_mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 33);
}

/* The hash of where an item stands: w, the active parents, the
 * indentation and whether it starts a line. */
static uint64_t frag_hash(const struct frag_where *w, const struct frame *fr,
			  const struct buf *indent, bool bol)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t i;

	h = frag_mix(h, (uint64_t)(uintptr_t)w->root);
	h = frag_mix(h, (uint64_t)(uintptr_t)w->tmpl);
	h = frag_mix(h, w->node);
	h = frag_mix(h, (uint64_t)(uintptr_t)w->list);
	h = frag_mix(h, w->index);
	h = frag_mix(h, (uint64_t)w->partials << 32 | w->nesting);
	for (; fr; fr = fr->outer)
		h = frag_mix(frag_mix(h, (uint64_t)(uintptr_t)fr->tmpl), fr->node);
	for (i = 0; i < indent->len; i++)
		h = frag_mix(h, (unsigned char)indent->ptr[i]);
	return frag_mix(h, bol);
}

static bool frag_frames_eq(const struct frag *f, const struct frame *fr)
{
	size_t i;

	for (i = 0; i < f->nframes; i++, fr = fr->outer)
		if (!fr || fr->tmpl != f->frames[i].tmpl || fr->node != f->frames[i].node)
			return false;
	return fr == NULL;
}

/* Is f the fragment of the item standing where the arguments say? */
static bool frag_at(const struct frag *f, uint64_t h, const struct frag_where *w,
		    const struct frame *fr, const struct buf *indent, bool bol)
{
	return f->hash == h && f->at.root == w->root && f->at.tmpl == w->tmpl &&
	       f->at.node == w->node && f->at.list == w->list && f->at.index == w->index &&
	       f->at.partials == w->partials && f->at.nesting == w->nesting &&
	       f->bol_in == bol && f->indentlen == indent->len &&
	       (!indent->len || !memcmp(f->data + f->outlen, indent->ptr, indent->len)) &&
	       frag_frames_eq(f, fr);
}

/* The slot of the item standing there (empty when it has none); fs->cap > 0. */
static struct frag *frags_slot(struct frags *fs, uint64_t h, const struct frag_where *w,
			       const struct frame *fr, const struct buf *indent, bool bol)
{
	size_t i = (size_t)h & (fs->cap - 1);

	while (fs->slots[i].at.tmpl && !frag_at(&fs->slots[i], h, w, fr, indent, bol))
		i = (i + 1) & (fs->cap - 1);
	return &fs->slots[i];
}

static void frags_grow(struct frags *fs)
{
	size_t cap = fs->cap ? fs->cap * 2 : 64, i, j;
	struct frag *slots = xcalloc(cap, sizeof(*slots));

	for (i = 0; i < fs->cap; i++)
		if (fs->slots[i].at.tmpl) {
			for (j = (size_t)fs->slots[i].hash & (cap - 1); slots[j].at.tmpl;
			     j = (j + 1) & (cap - 1))
				;
			slots[j] = fs->slots[i];
		}
	free(fs->slots);
	fs->slots = slots;
	fs->cap = cap;
}

/* Does every name f looked up outside its item find the same again? */
static bool frag_looks_hold(const struct render *r, const struct frag *f)
{
	size_t i, at;

	for (i = 0; i < f->nlooks; i++) {
		const struct frag_look *l = &f->looks[i];
		const struct view *v = lookup_keys(r->stack, r->depth, l->k, l->nkeys, &at);

		switch (l->what) {
		case LOOK_ABSENT:
			if (v)
				return false;
			break;
		case LOOK_NULL:
			if (!v || v->kind != VIEW_NULL)
				return false;
			break;
		case LOOK_BOOL:
			if (!v || v->kind != VIEW_BOOL || v->boolean != l->boolean)
				return false;
			break;
		case LOOK_TEXT:
			if (!v || v->kind != l->kind || v->len != l->len ||
			    (l->kind == VIEW_NUMBER && v->number != l->number) ||
			    memcmp(v->text, f->data + l->off, l->len) != 0)
				return false;
			break;
		case LOOK_KEPT:
			if (v != l->kept)
				return false;
			break;
		}
	}
	return true;
}

/* The kept fragment of the item standing there, if it may stand in for
 * rendering it now: same stamp, same values outside it. */
static const struct frag *frag_find(const struct render *r, const struct frag_where *w,
				    uint64_t h, uint64_t stamp, const struct frame *fr)
{
	struct frags *fs = r->env->frags;
	const struct frag *f;

	if (!fs->cap)
		return NULL;
	f = frags_slot(fs, h, w, fr, &r->indent, r->bol);
	if (!f->at.tmpl || f->stamp != stamp || !frag_looks_hold(r, f))
		return NULL;
	return f;
}

/* Keep out[start, end) as the fragment of the item at w. */
static void frag_keep(struct render *r, const struct frag_where *w, uint64_t h, uint64_t stamp,
		      const struct frame *fr, const struct buf *indent, bool bol_in,
		      size_t start, struct frag_rec *rec)
{
	struct frags *fs = r->env->frags;
	struct frag *f;
	const struct frame *p;
	size_t outlen = r->out->len - start, n = 0, i;

	if ((fs->n + 1) * 2 > fs->cap)
		frags_grow(fs);
	f = frags_slot(fs, h, w, fr, indent, bol_in);
	if (f->at.tmpl)
		frag_release(f);
	else
		fs->n++;
	f->at = *w;
	f->hash = h;
	f->stamp = stamp;
	f->bol_in = bol_in;
	f->bol_out = r->bol;
	for (p = fr; p; p = p->outer)
		n++;
	f->frames = n ? xmalloc(n * sizeof(*f->frames)) : NULL;
	for (p = fr; p; p = p->outer, f->nframes++) {
		f->frames[f->nframes].tmpl = p->tmpl;
		f->frames[f->nframes].node = p->node;
	}
	f->outlen = outlen;
	f->indentlen = indent->len;
	f->data = xmalloc(outlen + indent->len + rec->texts.len + 1);
	memcpy(f->data, r->out->ptr + start, outlen);
	if (indent->len)
		memcpy(f->data + outlen, indent->ptr, indent->len);
	if (rec->texts.len)
		memcpy(f->data + outlen + indent->len, rec->texts.ptr, rec->texts.len);
	f->looks = rec->looks;
	f->nlooks = rec->n;
	rec->looks = NULL;
	for (i = 0; i < f->nlooks; i++)
		if (f->looks[i].what == LOOK_TEXT)
			f->looks[i].off += outlen + indent->len;
	fs->made++;
}

/* Iterate a list made on demand: each item lives in a scratch arena for
 * the time of its rendering, and output past the environment's threshold
 * is flushed, so neither views nor text pile up.  With fragments kept, an
 * item is taken from them when it may be, and kept when it is rendered
 * (not inside another item being kept: that one keeps the whole). */
#if defined(__GNUC__)
__attribute__((noinline))   /* keeps render_nodes, its caller, lean */
#endif
static int render_lazy(struct render *r, const struct mustache *t, size_t i,
		       const struct frame *fr, const struct view *v)
{
	const struct view_source *src = v->source;
	bool keep = r->env && r->env->frags && !r->rec && src->id && src->stamp;
	struct arena scratch;
	struct frag_rec rec;
	struct buf indent = BUF_INIT;
	size_t k;
	int rc = 0;

	memset(&rec, 0, sizeof(rec));
	/* Emptied after each item, keeping its first chunk for the next. */
	arena_init(&scratch);
	for (k = 0; k < v->n && rc == 0; k++) {
		struct frag_where w = {r->root, t, i, src->id, k, r->partials, r->nesting};
		uint64_t stamp = 0, h = 0;
		size_t start = r->out->len;
		bool bol_in = r->bol;

		/* Making an item costs about as much as rendering 50 nodes. */
		r->steps_left -= 50;
		if (r->steps_left < 0) {
			rc = steps_error(r, t);
			break;
		}
		if (keep && (stamp = src->stamp(src->ud, k))) {
			const struct frag *f;

			h = frag_hash(&w, fr, &r->indent, r->bol);
			f = frag_find(r, &w, h, stamp, fr);
			/* Past the bound, render it: the error is then the same. */
			if (f && (!r->limit ||
				  r->flushed + (r->out->len - r->base) + f->outlen <= r->limit)) {
				buf_add(r->out, f->data, f->outlen);
				r->bol = f->bol_out;
				r->env->frags->used++;
				goto flush;
			}
			memset(&rec, 0, sizeof(rec));
			buf_init(&rec.texts);
			rec.base = r->depth;
			buf_reset(&indent);
			buf_add(&indent, r->indent.ptr ? r->indent.ptr : "", r->indent.len);
			r->rec = &rec;
			r->outer = rec.base + 1;
		}
		render_push(r, src->item(src->ud, k, &scratch));
		rc = render_body(r, t, i, fr);
		r->depth--;
		arena_reset(&scratch);
		if (r->rec == &rec) {
			r->rec = NULL;
			r->outer = 0;
			if (rc == 0 && !rec.bad)
				frag_keep(r, &w, h, stamp, fr, &indent, bol_in, start, &rec);
			free(rec.looks);
			buf_release(&rec.texts);
		}
flush:
		/* Not inside an item being kept: its output must stay in out. */
		if (rc == 0 && !r->rec && r->env && r->env->flush &&
		    r->out->len >= r->env->flush_at) {
			r->flushed += r->out->len - r->base;
			r->base = 0;
			render_set_stop(r);
			if (r->env->flush(r->env->flush_ud, r->out) != 0) {
				r->err = xasprintf(_("%s: output failed"), t->name);
				rc = -1;
			}
		}
	}
	arena_release(&scratch);
	buf_release(&indent);
	return rc;
}

/* view_truthy(), its commonest answers without the call: a map or a
 * string is true, nothing and a boolean are what they say. */
static inline bool truthy(const struct view *v)
{
	if (!v)
		return false;
	if (v->kind == VIEW_MAP || v->kind == VIEW_STRING)
		return true;
	if (v->kind == VIEW_BOOL)
		return v->boolean;
	return view_truthy(v);
}

#if defined(__GNUC__)
__attribute__((always_inline))   /* render_nodes' own work */
#endif
static inline int render_section(struct render *r, const struct mustache *t, size_t i,
			  const struct frame *fr)
{
	const struct mustache_node *nd = &t->nodes[i];
	const struct view *v = render_lookup(r, t, nd);
	int rc = 0;
	size_t k;

	if (nd->op == OP_INVERTED)
		return truthy(v) ? 0 : render_body(r, t, i, fr);
	if (v && v->kind == VIEW_LIST && v->source)
		return render_lazy(r, t, i, fr, v);
	if (v && v->kind == VIEW_LIST) {
		for (k = 0; k < v->n && rc == 0; k++) {
			render_push(r, v->items[k]);
			rc = render_body(r, t, i, fr);
			r->depth--;
		}
	} else if (truthy(v)) {
		render_push(r, v);
		rc = render_body(r, t, i, fr);
		r->depth--;
	}
	return rc;
}

/* Render the named partial (OP_PARTIAL) or parent (OP_PARENT, fr being its
 * frame) with the tag's indentation added. */
static int render_partial(struct render *r, const struct mustache *t, size_t i,
			  const struct frame *fr)
{
	const struct mustache_node *nd = &t->nodes[i];
	const struct mustache *p;
	const char *what = nd->op == OP_PARENT ? "parent" : "partial";
	size_t save;
	int rc;

	if (r->partials >= MUSTACHE_MAX_PARTIAL_DEPTH)
		return render_error(r, t, nd, what, MUSTACHE_MAX_PARTIAL_DEPTH);
	if (r->nesting >= MUSTACHE_MAX_NESTING)
		return render_error(r, t, nd, what, MUSTACHE_MAX_NESTING);
	if (env_get(r->env, t->pool + nd->off, t->keys[nd->key].atom, &p, &r->err) < 0)
		return -1;
	if (!p)
		return 0;
	save = indent_push(r, t->pool + nd->ind, nd->indlen);
	r->partials++;
	rc = render_nodes(r, p, 0, p->n, fr);
	r->partials--;
	indent_pop(r, save);
	return rc;
}

/* The block called like node i among the direct children of parent node p. */
static bool parent_find_block(const struct mustache *pt, size_t p, const struct mustache *t,
			      size_t i, size_t *found)
{
	uint32_t atom = t->keys[t->nodes[i].key].atom;
	size_t j = p + 1;

	while (j < pt->nodes[p].end) {
		const struct mustache_node *b = &pt->nodes[j];
		if (b->op == OP_BLOCK && pt->keys[b->key].atom == atom) {
			*found = j;
			return true;
		}
		j = b->end;
	}
	return false;
}

/* A block renders the override from the outermost parent tag that has one,
 * reindented to this block's indentation, or else its own content. */
static int render_block(struct render *r, const struct mustache *t, size_t i,
			  const struct frame *fr)
{
	const struct mustache_node *nd = &t->nodes[i];
	const struct frame *f, *over = NULL;
	size_t b = 0, j, save;
	int rc;

	for (f = fr; f; f = f->outer)
		if (parent_find_block(f->tmpl, f->node, t, i, &j)) {
			over = f;
			b = j;
		}
	if (!over)
		return render_body(r, t, i, fr);
	if (r->nesting >= MUSTACHE_MAX_NESTING)
		return render_error(r, t, nd, "block", MUSTACHE_MAX_NESTING);
	save = indent_push(r, t->pool + nd->ind, nd->indlen);
	rc = render_nodes(r, over->tmpl, b + 1, over->tmpl->nodes[b].end, over->outer);
	indent_pop(r, save);
	return rc;
}

static int render_nodes(struct render *r, const struct mustache *t, size_t i, size_t end,
			const struct frame *fr)
{
	const struct mustache_node *nd;
	int rc = 0;

	/* One step for entering a body (a section over a list enters it once
	 * per item, even an empty one) and one per node. */
	if (--r->steps_left < 0)
		return steps_error(r, t);
	r->nesting++;
	for (; i < end; i = nd->end) {
		struct frame parent;

		nd = &t->nodes[i];
		if (--r->steps_left < 0) {
			rc = steps_error(r, t);
			break;
		}

		/* Only text and values add output (a fragment taken in
		 * render_lazy is checked there), so only they can pass the
		 * limit, at the same node as when every node was checked.
		 * Variables and sections, most nodes, are tried first. */
		if (nd->op == OP_VAR) {
			render_value(r, render_lookup(r, t, nd), true);
			if (r->out->len > r->stop)
				rc = limit_error(r, t, nd->line, nd->col);
		} else if (nd->op == OP_SECTION) {
			rc = render_section(r, t, i, fr);
		} else switch (nd->op) {
		case OP_TEXT:
			render_text(r, t->pool + nd->off, nd->len);
			if (r->out->len > r->stop)
				rc = limit_error(r, t, nd->line, nd->col);
			break;
		case OP_VAR:
		case OP_RAW:
			render_value(r, render_lookup(r, t, nd), nd->op == OP_VAR);
			if (r->out->len > r->stop)
				rc = limit_error(r, t, nd->line, nd->col);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(r, t, i, fr);
			break;
		case OP_PARTIAL:
			rc = render_partial(r, t, i, fr);
			break;
		case OP_PARENT:
			parent.tmpl = t;
			parent.node = i;
			parent.outer = fr;
			rc = render_partial(r, t, i, &parent);
			break;
		case OP_BLOCK:
			rc = render_block(r, t, i, fr);
			break;
		}
		if (rc)
			break;
		/* The text after the node: a step of its own, as the text node
		 * it would be. */
		if (nd->slen) {
			if (--r->steps_left < 0) {
				rc = steps_error(r, t);
				break;
			}
			render_text(r, t->pool + nd->soff, nd->slen);
			if (r->out->len > r->stop) {
				rc = limit_error(r, t, nd->sline, nd->scol);
				break;
			}
		}
	}
	r->nesting--;
	return rc;
}

int mustache_render(struct mustache_env *env, const struct mustache *tmpl,
		    const struct view *ctx, struct buf *out, char **err)
{
	struct render r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.env = env;
	r.out = out;
	r.bol = true;
	r.base = out->len;
	r.escape = env ? env->escape : NULL;
	r.plain_bit = !r.escape ? VIEW_PLAIN_HTML : r.escape == markdown_escape ? VIEW_PLAIN_MD : 0;
	r.limit = env ? env->limit : 0;
	r.steps_left = MUSTACHE_MAX_STEPS;
	render_set_stop(&r);
	r.root = tmpl;
	if (env)
		env->limit_hit = false;
	buf_init(&r.indent);
	if (ctx)
		render_push(&r, ctx);
	rc = render_nodes(&r, tmpl, 0, tmpl->n, NULL);
	if (rc < 0 && err)
		*err = r.err;
	else
		free(r.err);
	free(r.stack);
	buf_release(&r.indent);
	return rc;
}
