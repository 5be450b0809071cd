/*
 * chart: the budget year's costs per partner as an inline SVG bar chart.
 *
 * No JavaScript; a <title> and a <desc> that lists every value give the
 * text alternative; bars are solid dark with the amount printed beside
 * them, so the chart reads in black and white.  A total that is a lower
 * bound gets a dashed bar end and "mindst" in its label.  At most
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
