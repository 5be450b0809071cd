#include "budget.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"

bool budget_in_year(const struct cost *cost, int year)
{
	if (cost->recurrence == RECUR_ONCE)
		return cost->year == year;
	return (!cost->year || cost->year <= year) && (!cost->until || cost->until >= year);
}

void money_add(struct money *m, const struct amount *a)
{
	m->any = true;
	if (a->stated)
		m->amount += a->value;
	else
		m->lower_bound = true;
}

static void money_sum(struct money *m, const struct money *a)
{
	if (!a->any)
		return;
	m->any = true;
	m->amount += a->amount;
	m->lower_bound |= a->lower_bound;
}

static bool visible_partner(const struct content_partner *cp, bool include_internal)
{
	return cp->digest && (include_internal || !cp->digest->internal);
}

/* A cost of a partnership that ends: its owner's status is terminate, and
 * so is that of every partner it is shared with. */
static bool cost_ended(const struct content *c, const struct cost *k, const struct partner *owner)
{
	size_t w;

	if (!owner || owner->status != STATUS_TERMINATE)
		return false;
	for (w = 0; w < k->shared_with.n; w++) {
		const struct content_partner *cp = content_find(c, k->shared_with.items[w]);
		if (!cp || !cp->digest || cp->digest->status != STATUS_TERMINATE)
			return false;
	}
	return true;
}

static void add_line(const struct content *c, struct budget_partner *bp, size_t *cap,
		     const struct cost *k, const struct partner *owner, bool shared_in, int year)
{
	struct budget_line *l;

	bp->lines = xgrow(bp->lines, sizeof(*bp->lines), bp->n + 1, cap);
	l = &bp->lines[bp->n++];
	l->cost = k;
	l->owner = owner;
	l->shared_in = shared_in;
	l->in_year = budget_in_year(k, year);
	l->ended = l->in_year && cost_ended(c, k, owner);
	if (l->in_year)
		money_add(&bp->year_total, &k->amount);
}

/* A cost written in one partner's file and shared with another: one entry
 * per partner it is shared with, chained per that partner's slug. */
struct shared {
	const struct cost *cost;
	const struct partner *owner;
	size_t next;          /* the next entry for the same partner, or SIZE_MAX */
};

struct shared_index {
	struct shared *list;
	size_t n, cap;
	struct strmap first;  /* slug -> its first entry */
};

static void index_shared(struct shared_index *x, const struct cost *k, const struct partner *o,
			 const char *with)
{
	size_t head;

	x->list = xgrow(x->list, sizeof(*x->list), x->n + 1, &x->cap);
	x->list[x->n].cost = k;
	x->list[x->n].owner = o;
	x->list[x->n].next = strmap_get(&x->first, with, &head) ? head : SIZE_MAX;
	strmap_set(&x->first, with, x->n);
	x->n++;
}

/* The shared costs of visible partners, findable by the partner they are
 * shared with, so no partner scans every other partner's costs. */
static void collect_shared(struct shared_index *x, const struct content *c, bool include_internal)
{
	size_t i, j, w;

	memset(x, 0, sizeof(*x));
	strmap_init(&x->first);
	for (i = 0; i < c->npartners; i++) {
		const struct partner *o = c->partners[i].digest;
		if (!visible_partner(&c->partners[i], include_internal))
			continue;
		for (j = 0; j < o->costs.n; j++) {
			const struct cost *k = &o->costs.items[j];
			if (!include_internal && k->internal)
				continue;
			for (w = 0; w < k->shared_with.n; w++)
				if (strcmp(k->shared_with.items[w], o->slug) != 0)
					index_shared(x, k, o, k->shared_with.items[w]);
		}
	}
}

static void shared_release(struct shared_index *x)
{
	free(x->list);
	strmap_release(&x->first);
}

/* The lines of one partner: its own costs, then costs shared into it, in
 * the order the content gives them. */
static void collect_lines(const struct content *c, struct budget *b, struct budget_partner *bp,
			  const struct shared_index *x, bool include_internal)
{
	const struct partner *p = bp->partner;
	size_t i, cap = 0, first = SIZE_MAX, n = 0, *order;
	bool shared = strmap_get(&x->first, p->slug, &first);

	/* Exactly as many lines as it has: ten thousand partners, each with a
	 * few lines, would otherwise each hold room for eight. */
	for (i = 0; i < p->costs.n; i++)
		cap += include_internal || !p->costs.items[i].internal;
	for (i = first; shared && i != SIZE_MAX; i = x->list[i].next)
		n++;
	cap += n;
	bp->lines = xmalloc((cap ? cap : 1) * sizeof(*bp->lines));
	for (i = 0; i < p->costs.n; i++)
		if (include_internal || !p->costs.items[i].internal)
			add_line(c, bp, &cap, &p->costs.items[i], p, false, b->year);
	if (!shared)
		return;
	/* The chain runs newest first: collect it and add it oldest first. */
	order = xmalloc(n * sizeof(*order));
	for (i = first, n = 0; i != SIZE_MAX; i = x->list[i].next)
		order[n++] = i;
	while (n-- > 0)
		add_line(c, bp, &cap, x->list[order[n]].cost, x->list[order[n]].owner, true,
			 b->year);
	free(order);
}

static void count_unique(struct budget *b, const struct budget_line *l, const char **label,
			 bool *mixed)
{
	const struct cost *k = l->cost;
	struct amount alt = k->amount;

	if (!l->in_year || l->shared_in)
		return;
	if (l->ended) {
		money_add(&b->ended_total, &k->amount);
		return;
	}
	money_add(k->recurrence == RECUR_YEARLY ? &b->partners_yearly : &b->partners_once,
		  &k->amount);
	if (!k->amount.stated)
		b->lines_not_stated++;
	if (k->alternatives.n) {
		const char *al = k->alternatives.items[0].label;
		b->has_alternatives = true;
		alt = k->alternatives.items[0].amount;
		if (!*label)
			*label = al;
		else if (strcmp(*label, al) != 0)
			*mixed = true;
	}
	money_add(&b->alt_partners_total, &alt);
}

void budget_compute(struct budget *b, const struct content *c, bool include_internal)
{
	const struct briefing *br = c->briefing;
	const char *label = NULL;
	bool mixed = false;
	size_t i, j;
	struct shared_index shared;

	memset(b, 0, sizeof(*b));
	b->year = br ? br->budget_year : 0;
	b->partners = xcalloc(c->npartners ? c->npartners : 1, sizeof(*b->partners));
	/* The content's slug index and positions, not a second index of
	 * every slug. */
	b->content = c;
	b->at = xcalloc(c->npartners ? c->npartners : 1, sizeof(*b->at));
	collect_shared(&shared, c, include_internal);
	for (i = 0; i < c->npartners; i++) {
		if (!visible_partner(&c->partners[i], include_internal))
			continue;
		b->partners[b->npartners].partner = c->partners[i].digest;
		b->partners[b->npartners].ended = c->partners[i].digest->status == STATUS_TERMINATE;
		b->at[i] = b->npartners + 1;
		collect_lines(c, b, &b->partners[b->npartners], &shared, include_internal);
		b->npartners++;
	}
	shared_release(&shared);
	for (i = 0; i < b->npartners; i++)
		for (j = 0; j < b->partners[i].n; j++)
			count_unique(b, &b->partners[i].lines[j], &label, &mixed);
	money_sum(&b->partners_total, &b->partners_once);
	money_sum(&b->partners_total, &b->partners_yearly);
	if (br) {
		const struct cost_list *pot = &br->new_partnerships.costs;
		b->pot = xcalloc(pot->n ? pot->n : 1, sizeof(*b->pot));
		for (i = 0; i < pot->n; i++) {
			struct budget_line *l;
			if (!include_internal && pot->items[i].internal)
				continue;
			l = &b->pot[b->npot++];
			l->cost = &pot->items[i];
			l->in_year = budget_in_year(l->cost, b->year);
			if (l->in_year)
				money_add(&b->pot_total, &l->cost->amount);
		}
	}
	money_sum(&b->total, &b->partners_total);
	money_sum(&b->total, &b->pot_total);
	b->alt_label = mixed ? NULL : label;
	money_sum(&b->alt_total, &b->alt_partners_total);
	money_sum(&b->alt_total, &b->pot_total);
}

const struct budget_partner *budget_find(const struct budget *b, const char *slug)
{
	size_t i;

	return b->content && strmap_get(&b->content->index, slug, &i) && b->at[i]
		       ? &b->partners[b->at[i] - 1] : NULL;
}

const struct budget_partner *budget_at(const struct budget *b, size_t i)
{
	return b->content && i < b->content->npartners && b->at[i] ? &b->partners[b->at[i] - 1]
								    : NULL;
}

void budget_release(struct budget *b)
{
	size_t i;

	for (i = 0; i < b->npartners; i++)
		free(b->partners[i].lines);
	free(b->partners);
	free(b->pot);
	free(b->at);
	memset(b, 0, sizeof(*b));
}
