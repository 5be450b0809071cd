#include "chart.h"

#include <stdbool.h>
#include <string.h>

#define ROW 30
#define LABEL_W 230
#define BAR_W 250
#define WIDTH 680
#define TOP 8

static void add_text(struct buf *out, const char *s)
{
	buf_add_html(out, s, strlen(s));
}

static void money_text(const struct i18n *i, const struct money *m, struct buf *out)
{
	i18n_money(i, m->amount, m->lower_bound, m->any && (m->amount || !m->lower_bound), out);
}

void chart_svg(const struct budget *b, const struct i18n *i, struct buf *out)
{
	long long max = 0;
	size_t k, bars = 0, rest = 0;
	bool open_bar = false;
	int height, y;
	struct buf val = BUF_INIT;

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
	height = TOP * 2 + (int)(bars + (rest ? 1 : 0) + (open_bar ? 1 : 0)) * ROW;
	buf_addf(out, "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
		      "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		      "xmlns=\"http://www.w3.org/2000/svg\">\n",
		 WIDTH, height, WIDTH, height);
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
	for (k = 0, y = TOP; k < b->npartners && (y - TOP) / ROW < (int)bars; k++) {
		const struct budget_partner *bp = &b->partners[k];
		const struct money *m = &bp->year_total;
		int w = max ? (int)(m->amount * BAR_W / max) : 0;

		if (!m->any)
			continue;
		buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 8, y + 19);
		add_text(out, bp->partner->name);
		buf_adds(out, "</text>\n");
		if (w > 0)
			buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" class=\"bar\"/>\n",
				 LABEL_W, y + 5, w);
		if (m->lower_bound)
			buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"20\" "
				      "class=\"bar-open\"/>\n", LABEL_W + w, y + 5);
		buf_reset(&val);
		money_text(i, m, &val);
		buf_addf(out, "<text x=\"%d\" y=\"%d\">", LABEL_W + w + (m->lower_bound ? 30 : 6),
			 y + 19);
		add_text(out, val.ptr);
		buf_adds(out, "</text>\n");
		y += ROW;
	}
	if (rest) {
		buf_addf(out, "<text x=\"%d\" y=\"%d\">+ %zu ", LABEL_W, y + 19, rest);
		add_text(out, i18n_label(i, "chart_more"));
		buf_adds(out, "</text>\n");
	}
	if (open_bar) {
		/* A legend for the dashed box, which colour alone cannot explain. */
		buf_addf(out, "<rect x=\"8\" y=\"%d\" width=\"24\" height=\"14\" class=\"bar-open\"/>\n",
			 y + 8);
		buf_addf(out, "<text x=\"40\" y=\"%d\" class=\"legend\">", y + 19);
		add_text(out, i18n_label(i, "chart_lower_bound"));
		buf_adds(out, "</text>\n");
	}
	buf_adds(out, "</svg>");
	buf_release(&val);
}
