/*
 * chart: the budget year's costs per partner as an inline SVG bar chart.
 *
 * No JavaScript; a <title> and a <desc> that lists every value give the
 * text alternative.  Each partner is a name line over a bar with its amount
 * after it; bars are solid, and an amount not stated is an open dashed box
 * explained by a legend, so the chart reads in black and white.  The
 * viewBox is narrow (360 units, text 16 units) so that the text stays 12
 * CSS px or more when the chart shrinks to a 320 px screen's column.  At most
 * CHART_MAX_BARS partners are drawn; the rest are named in a last line.
 */
#ifndef BRIEFGEN_CHART_H
#define BRIEFGEN_CHART_H

#include "../model/budget.h"
#include "../util/buf.h"
#include "i18n.h"

#define CHART_MAX_BARS 40

/* Append the <svg> element to out (nothing when no partner has costs). */
void chart_svg(const struct budget *b, const struct i18n *i, struct buf *out);

#endif
