/*
 * budget: the totals of a content folder, computed, never typed by hand.
 *
 * Rules (see briefgen(5)):
 *  - A cost counts in the budget year Y when it is one-off with year == Y,
 *    or yearly with (no year or year <= Y) and (no until or until >= Y).
 *  - A cost shared with other partners is written in one partner's file,
 *    shown on every partner that shares it, and counted once in totals.
 *    A partner's own subtotal includes the shared costs shown on it.
 *  - An amount not stated (null) adds nothing and turns every total that
 *    includes it into a lower bound ("mindst ...").
 *  - Alternatives give a second scenario: each cost that has alternatives
 *    counts with its first alternative's amount instead.
 *  - Internal partners and costs are left out unless include_internal.
 *  - A partnership the recommendation ends (partner status terminate) is
 *    not silently paid for: its costs in the budget year are shown (on the
 *    partner, in its subtotal) but counted apart, in ended_total, and left
 *    out of every other total and of the scenario.  A cost it shares with
 *    a partner that continues stays in the totals: it is still needed.
 *
 * The budget borrows the content's partners and costs; it owns only its
 * own arrays.  budget_release() frees them.
 */
#ifndef BRIEFGEN_BUDGET_H
#define BRIEFGEN_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#include "content.h"

struct money {
	long long amount;     /* sum of the stated amounts */
	bool lower_bound;     /* some amount in the sum is not stated */
	bool any;             /* some line is in the sum at all */
};

struct budget_line {
	const struct cost *cost;
	const struct partner *owner;   /* whose file holds it; NULL for new partnerships */
	bool shared_in;                /* shown here, written in the owner's file */
	bool in_year;                  /* counts in the budget year */
	bool ended;                    /* for partnerships that end only: counted apart */
};

struct budget_partner {
	const struct partner *partner;
	struct budget_line *lines;
	size_t n;
	struct money year_total;       /* includes shared costs shown here */
	bool ended;                    /* status terminate */
};

struct budget {
	int year;
	struct budget_partner *partners;   /* content order, visible partners only */
	size_t npartners;
	struct budget_line *pot;           /* new_partnerships costs */
	size_t npot;
	struct money partners_once;        /* one-off costs in the year, each counted once */
	struct money partners_yearly;      /* yearly costs in the year, each counted once */
	struct money partners_total;
	struct money pot_total;
	struct money total;                /* partners_total + pot_total */
	bool has_alternatives;
	const char *alt_label;             /* the alternatives' common label, or NULL */
	struct money alt_partners_total;   /* partners_total with alternatives */
	struct money alt_total;            /* total with alternatives */
	size_t lines_not_stated;           /* lines in the year without an amount */
	struct money ended_total;          /* costs in the year of partnerships that end:
					    * in no other total */
	const struct content *content;     /* borrowed: its index finds a slug */
	size_t *at;                        /* content position -> position in partners + 1;
					    * 0: not shown */
};

void budget_compute(struct budget *b, const struct content *c, bool include_internal);
void budget_release(struct budget *b);

bool budget_in_year(const struct cost *cost, int year);
void money_add(struct money *m, const struct amount *a);
/* The first budget_partner for slug, or NULL. */
const struct budget_partner *budget_find(const struct budget *b, const char *slug);
/* The budget_partner of the partner at position i of the content, or NULL
 * when it is not shown (budget_find without hashing the slug). */
const struct budget_partner *budget_at(const struct budget *b, size_t i);

#endif
