#include "chart.h"

#include <stdbool.h>
#include <string.h>

/*
 * Geometry, in viewBox units.  The chart is narrow (WIDTH) and drawn at
 * most 24rem wide by the stylesheet, so its 16-unit text is never scaled
 * below 12 CSS px down to a 320 px screen (280 px of column) and not blown
 * up on a desktop.  Each partner takes two lines: its name, then the bar
 * with the amount after it, so long names never collide with bars.  The
 * title and the legend are broken into lines that fit the width.
 */
#define WIDTH 360
#define FONT 16              /* text size in viewBox units */
#define NAME_H 19            /* the name line */
#define BAR_H 16
#define ROW 48               /* name + bar + gap */
#define AMOUNT_W 175         /* room kept after the longest bar for its amount */
#define BAR_MAX (WIDTH - AMOUNT_W)
#define OPEN_W 22            /* the open box of an amount not stated */
#define LINE_H 20            /* a line of the title or the legend */
#define TITLE_CHARS 30       /* title line length in characters (bold) */
#define LEGEND_CHARS 34      /* legend line length in characters */

static void add_text(struct buf *out, const char *s)
{
	buf_add_html(out, s, strlen(s));
}

static void money_text(const struct i18n *i, const struct money *m, struct buf *out)
{
	i18n_money(i, m->amount, m->lower_bound, m->any && (m->amount || !m->lower_bound), out);
}

/* Characters (not bytes) of the UTF-8 text s[0..n). */
static size_t chars(const char *s, size_t n)
{
	size_t k, c = 0;

	for (k = 0; k < n; k++)
		c += ((unsigned char)s[k] & 0xc0) != 0x80;
	return c;
}

/* text broken at spaces into lines of at most about max characters, as
 * <tspan>s for one <text>.  Returns the number of lines. */
static int text_lines(const char *text, int x, size_t max, struct buf *out)
{
	const char *p = text;
	int lines = 0;

	while (*p) {
		const char *end = p, *brk = NULL;
		while (*end && chars(p, (size_t)(end - p)) < max) {
			if (*end == ' ')
				brk = end;
			end++;
		}
		if (*end && brk)
			end = brk;
		buf_addf(out, "<tspan x=\"%d\" dy=\"%d\">", x, lines ? LINE_H : 0);
		buf_add_html(out, p, (size_t)(end - p));
		buf_adds(out, "</tspan>");
		lines++;
		p = end;
		while (*p == ' ')
			p++;
	}
	return lines;
}

void chart_svg(const struct budget *b, const struct i18n *i, struct buf *out)
{
	long long max = 0;
	size_t k, bars = 0, rest = 0;
	bool open_bar = false;
	int height, y, top, title, legend = 0;
	struct buf val = BUF_INIT, leg = BUF_INIT, head = BUF_INIT;

	for (k = 0; k < b->npartners; k++) {
		const struct money *m = &b->partners[k].year_total;
		if (!m->any)
			continue;
		if (bars < CHART_MAX_BARS)
			bars++;
		else
			rest++;
		if (m->amount > max)
			max = m->amount;
		open_bar |= m->lower_bound;
	}
	if (!bars)
		return;
	buf_addf(&val, "%s %d", i18n_label(i, "chart_title"), b->year);
	title = text_lines(val.ptr, 0, TITLE_CHARS, &head);
	top = title * LINE_H + 12;
	if (open_bar)
		legend = text_lines(i18n_label(i, "chart_lower_bound"), 32, LEGEND_CHARS, &leg);
	height = top + (int)bars * ROW + (rest ? ROW / 2 : 0) +
		 (open_bar ? 8 + legend * LINE_H : 0);
	buf_addf(out, "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
		      "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" font-size=\"%d\" "
		      "xmlns=\"http://www.w3.org/2000/svg\">\n",
		 WIDTH, height, WIDTH, height, FONT);
	buf_adds(out, "<title id=\"chart-title\">");
	add_text(out, i18n_label(i, "chart_title"));
	buf_addf(out, " %d</title>\n<desc id=\"chart-desc\">", b->year);
	for (k = 0, y = 0; k < b->npartners; k++) {
		const struct budget_partner *bp = &b->partners[k];
		if (!bp->year_total.any)
			continue;
		if (y++)
			buf_adds(out, "; ");
		add_text(out, bp->partner->name);
		buf_adds(out, ": ");
		buf_reset(&val);
		money_text(i, &bp->year_total, &val);
		add_text(out, val.ptr);
	}
	buf_adds(out, ".</desc>\n");
	/* The title is also drawn: the figure has no caption outside the SVG. */
	buf_addf(out, "<text y=\"%d\" class=\"title\">", FONT);
	buf_add(out, head.ptr, head.len);
	buf_adds(out, "</text>\n");
	for (k = 0, y = top; k < b->npartners && (y - top) / ROW < (int)bars; k++) {
		const struct budget_partner *bp = &b->partners[k];
		const struct money *m = &bp->year_total;
		int w = max ? (int)(m->amount * (BAR_MAX - (open_bar ? OPEN_W : 0)) / max) : 0;
		int bar_y = y + NAME_H + 4;

		if (!m->any)
			continue;
		buf_addf(out, "<text x=\"0\" y=\"%d\" class=\"name\">", y + NAME_H - 4);
		add_text(out, bp->partner->name);
		buf_adds(out, "</text>\n");
		if (w > 0)
			buf_addf(out, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar\"/>\n",
				 bar_y, w, BAR_H);
		if (m->lower_bound)
			buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				      "class=\"bar-open\"/>\n", w + 1, bar_y + 1, OPEN_W - 2, BAR_H - 2);
		buf_reset(&val);
		money_text(i, m, &val);
		buf_addf(out, "<text x=\"%d\" y=\"%d\">", w + (m->lower_bound ? OPEN_W : 0) + 6,
			 bar_y + BAR_H - 3);
		add_text(out, val.ptr);
		buf_adds(out, "</text>\n");
		y += ROW;
	}
	if (rest) {
		buf_addf(out, "<text x=\"0\" y=\"%d\">+ %zu ", y + NAME_H - 4, rest);
		add_text(out, i18n_label(i, "chart_more"));
		buf_adds(out, "</text>\n");
		y += ROW / 2;
	}
	if (open_bar) {
		/* A legend for the open box, which colour alone cannot explain. */
		buf_addf(out, "<rect x=\"1\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"bar-open\"/>\n",
			 y + 6, OPEN_W - 2, BAR_H - 4);
		buf_addf(out, "<text y=\"%d\" class=\"legend\">", y + 19);
		buf_add(out, leg.ptr, leg.len);
		buf_adds(out, "</text>\n");
	}
	buf_adds(out, "</svg>");
	buf_release(&val);
	buf_release(&leg);
	buf_release(&head);
}
