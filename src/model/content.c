#include "content.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../load/loader.h"
#include "budget.h"
#include "../util/alloc.h"
#include "../util/buf.h"
#include "../util/intl.h"
#include "../util/pool.h"
#include "../util/translit.h"
#include "../validate/decode.h"
#include "../validate/schema.h"

/* ---- the folder ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool slug_valid(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* The slug a badly named partner file was meant to have: "Brasov.yaml",
 * "brasov.yml" and "Brașov.yaml" all mean "brasov", "Skåne.yml" "skaane"
 * (util/translit.h).  The caller frees it; "" when nothing is left. */
static char *meant_slug(const char *name)
{
	size_t len = strlen(name);

	if (ends_with(name, ".yaml"))
		len -= 5;
	else if (ends_with(name, ".yml"))
		len -= 4;
	return translit_slug(name, len);
}

/* What to rename a badly named partner file (.yml or .yaml) to.  The
 * caller frees it. */
static char *rename_hint(const char *name)
{
	char *slug = meant_slug(name), *hint;
	size_t stem = strlen(name) - (ends_with(name, ".yml") ? 4 : 5);

	if (*slug && strlen(slug) == stem && strncmp(slug, name, stem) == 0)
		hint = xasprintf(_("rename it to '%s.yaml'"), slug);
	else if (*slug)
		hint = xasprintf(_("rename it to '%s.yaml' (a file name is lower-case letters a to z, "
				   "digits and '-')"), slug);
	else
		hint = xstrdup(_("rename it to the partner's name in lower-case letters a to z, "
				 "digits and '-', e.g. 'brasov.yaml'"));
	free(slug);
	return hint;
}

/* A partner file named against the rules, and the slug it was meant to have. */
struct misnamed {
	char *name;          /* "Brasov.yaml" */
	char *slug;          /* "brasov" */
};

/* The partner files' slugs, sorted; bad file names are reported and go to
 * *misnamed, so a partner without a file can be pointed at the one to
 * rename.  The slugs of the files the listing does not call regular files
 * (d_type other than DT_REG: a link, a FIFO, or DT_UNKNOWN where the file
 * system does not say) go to *odd as well, sorted: those are looked at
 * before they are opened (load_file_at).  The caller frees the arrays and
 * their strings. */
static char **list_partner_files(struct content *c, struct diags *diags, size_t *count,
				 struct misnamed **misnamed, size_t *nmisnamed, char ***odd,
				 size_t *nodd)
{
	char *dirpath = xasprintf("%s/partners", c->dir);
	char *real = realpath(dirpath, NULL);
	DIR *dir = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, mcap = 0, ocap = 0;
	int err;

	*count = 0;
	*misnamed = NULL;
	*nmisnamed = 0;
	*odd = NULL;
	*nodd = 0;
	/* A partners/ that links out of the content folder is not listed:
	 * even its file names are not ours to show. */
	if (real && c->root && !load_path_inside(real, c->root)) {
		diags_add(diags, SEV_ERROR, dirpath, 0, 0,
			  _("copy the folder into the content folder, or remove the link"),
			  "symbolic link to a folder outside the content folder; not read");
		free(real);
		free(dirpath);
		return NULL;
	}
	dir = real ? opendir(real) : NULL;
	err = dir ? 0 : errno;
	free(real);
	if (!dir) {
		if (err != ENOENT) {
			diags_add(diags, SEV_ERROR, dirpath, 0, 0, NULL, "cannot read folder: %s",
				  strerror(err));
			c->io_error = true;
		}
		free(dirpath);
		return NULL;
	}
	while ((de = readdir(dir))) {
		const char *name = de->d_name;
		char *path = NULL;
		bool yaml, yml, valid;

		/* Hidden files are editors' swap and backup files. */
		if (name[0] == '.' || ends_with(name, "~"))
			continue;
		if (c->keep) {
			c->listing = xgrow(c->listing, sizeof(*c->listing), c->nlisting + 1,
					   &c->caplisting);
			c->listing[c->nlisting++] = xstrdup(name);
		}
		yaml = ends_with(name, ".yaml");
		yml = ends_with(name, ".yml");
		valid = yaml && slug_valid(name, strlen(name) - 5);
		if (!valid)   /* the file's path is for a message */
			path = xasprintf("%s/%s", dirpath, name);
		if (yml || (yaml && !valid)) {
			*misnamed = xgrow(*misnamed, sizeof(**misnamed), *nmisnamed + 1, &mcap);
			(*misnamed)[*nmisnamed].name = xstrdup(name);
			(*misnamed)[*nmisnamed].slug = meant_slug(name);
			(*nmisnamed)++;
		}
		if (yml) {
			char *hint = rename_hint(name);
			diags_add(diags, SEV_ERROR, path, 0, 0, hint,
				  "partner files end in .yaml, not .yml");
			free(hint);
		} else if (!yaml) {
			diags_add(diags, SEV_WARNING, path, 0, 0,
				  _("move it out of partners/, which holds only <slug>.yaml files"),
				  "not a partner file; ignored");
		} else if (!valid) {
			char *hint = rename_hint(name);
			diags_add(diags, SEV_ERROR, path, 0, 0, hint,
				  "file name '%s' is not a valid slug", name);
			free(hint);
		} else {
			names = xgrow(names, sizeof(*names), n + 1, &cap);
			names[n++] = xstrndup(name, strlen(name) - 5);
			if (de->d_type != DT_REG) {
				*odd = xgrow(*odd, sizeof(**odd), *nodd + 1, &ocap);
				(*odd)[(*nodd)++] = xstrdup(names[n - 1]);
			}
		}
		free(path);
	}
	closedir(dir);
	free(dirpath);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	if (*nodd)
		qsort(*odd, *nodd, sizeof(**odd), cmp_str);
	if (c->nlisting)
		qsort(c->listing, c->nlisting, sizeof(*c->listing), cmp_str);
	c->listed = true;
	*count = n;
	return names;
}

static struct content_partner *find_mut(struct content *c, const char *slug)
{
	size_t i;

	return strmap_get(&c->index, slug, &i) ? &c->partners[i] : NULL;
}

const struct content_partner *content_find(const struct content *c, const char *slug)
{
	return find_mut((struct content *)c, slug);
}

static struct content_partner *add_partner(struct content *c, const char *slug, size_t *cap)
{
	struct content_partner *p;

	c->partners = xgrow(c->partners, sizeof(*c->partners), c->npartners + 1, cap);
	p = &c->partners[c->npartners++];
	memset(p, 0, sizeof(*p));
	p->slug = arena_strdup(&c->arena, slug);
	p->path = arena_strdup(&c->arena, "");
	strmap_set(&c->index, p->slug, c->npartners - 1);
	return p;
}

static bool have_file(char **files, size_t nfiles, const char *slug)
{
	/* No partners/ folder: files is NULL, which bsearch must not get. */
	return nfiles && bsearch(&slug, files, nfiles, sizeof(*files), cmp_str) != NULL;
}

/* Name the partners in the order the briefing gives; report slugs without a
 * file and slugs named twice. */
struct folder {
	char **files;        /* the slugs of the partner files, sorted */
	size_t nfiles;
	struct misnamed *misnamed;
	size_t nmisnamed;
	char **odd;          /* the slugs of files not listed as regular files, sorted */
	size_t nodd;
};

/* The hint for a partner without a file: rename a misnamed one, fix a
 * misspelt slug, or create the file. */
static char *missing_file_hint(const struct content *c, const struct folder *f, const char *slug)
{
	const char *sugg;
	size_t i;

	for (i = 0; i < f->nmisnamed; i++)
		if (strcmp(f->misnamed[i].slug, slug) == 0)
			return xasprintf(_("rename %s/partners/%s to %s.yaml"), c->dir,
					 f->misnamed[i].name, slug);
	sugg = decode_suggest(slug, (const char *const *)f->files, f->nfiles);
	if (sugg)
		return xasprintf(_("did you mean '%s'?"), sugg);
	return xasprintf(_("create %s/partners/%s.yaml"), c->dir, slug);
}

static void name_from_list(struct content *c, const struct strings *list, bool candidate,
			   const struct folder *folder, size_t *cap, struct diags *diags)
{
	size_t i, seq;

	for (i = 0; i < list->n; i++) {
		const char *slug = list->items[i];
		struct content_partner *p = find_mut(c, slug);

		if (p) {
			size_t j;
			seq = diags_at(diags, SEV_ERROR, list->nodes[i],
				       _("name each partner once, in partners or in new_partnerships.candidates"),
				       "partner '%s' is named twice", slug);
			for (j = 0; j < c->briefing->partners.n; j++)
				if (strcmp(c->briefing->partners.items[j], slug) == 0)
					break;
			diags_note(diags, seq,
				   j < c->briefing->partners.n ? c->briefing->partners.nodes[j] : NULL,
				   "'%s' first named here", slug);
			continue;
		}
		if (!have_file(folder->files, folder->nfiles, slug)) {
			char *hint = missing_file_hint(c, folder, slug);
			diags_at(diags, SEV_ERROR, list->nodes[i], hint,
				 "no file partners/%s.yaml for partner '%s'", slug, slug);
			free(hint);
			continue;
		}
		p = add_partner(c, slug, cap);
		p->candidate = candidate;
		p->named = true;
	}
}

/* ---- cross-file rules ---------------------------------------------------- */

static const char *status_name(int s)
{
	return schema_status_values[s];
}

static int meeting_year(const struct content *c)
{
	return c->briefing ? c->briefing->meeting.date.year : 0;
}

static const struct node *field_node(const struct node *map, const char *key)
{
	const struct node *n = node_get(map, key);
	return n ? n : map;
}

/* Years near the meeting: a typo like 2070 for 2007 is caught, at the
 * value of key in map (looked up only then). */
static void check_year(const struct content *c, const struct node *map, const char *key, int year,
		       struct diags *diags)
{
	int my = meeting_year(c);

	if (!year || !my)
		return;
	if (year < my - 5 || year > my + 10)
		diags_at(diags, SEV_WARNING, field_node(map, key),
			 _("check the year; it is far from the meeting date"),
			 "'%s' %d is more than %s years from the meeting (%d)", key, year,
			 year < my ? "5" : "10", my);
}

/* "did you mean 'shanghai'?" for a slug near one of names, else otherwise
 * (translated).  The caller frees it. */
static char *near_slug_hint(const char *slug, const char *const *names, size_t n,
			    const char *otherwise)
{
	const char *sugg = decode_suggest(slug, names, n);

	return sugg ? xasprintf(_("did you mean '%s'?"), sugg) : xstrdup(otherwise);
}

/* A cost shared with a slug that names no partner: the nearest one that
 * does, if any. */
static void unknown_sharer(const struct content *c, const struct cost *k, const struct node *at,
			   const char *other, struct diags *diags)
{
	const char **names = xmalloc((c->npartners + 1) * sizeof(*names));
	char *hint;
	size_t i;

	for (i = 0; i < c->npartners; i++)
		names[i] = c->partners[i].slug;
	hint = near_slug_hint(other, names, c->npartners,
			      _("name a partner that has a file in partners/"));
	diags_at(diags, SEV_ERROR, at, hint, "cost '%s' is shared with unknown partner '%s'",
		 k->label, other);
	free(hint);
	free(names);
}

static void check_costs(const struct content *c, const struct cost_list *costs, const char *owner,
			struct diags *diags)
{
	size_t i, j;

	for (i = 0; i < costs->n; i++) {
		const struct cost *k = &costs->items[i];

		if (!k->amount.stated)
			diags_at(diags, SEV_WARNING, field_node(k->node, "amount"),
				 _("write the amount in whole kroner when it is known; until then "
				 "totals are shown as a lower bound (\"mindst\")"),
				 "amount of '%s' is not stated", k->label);
		if (k->recurrence == RECUR_ONCE && !k->year)
			diags_at(diags, SEV_ERROR, k->node, _("add the year it is for, e.g. `year: 2007`"),
				 "one-off cost '%s' has no 'year'", k->label);
		check_year(c, k->node, "year", k->year, diags);
		check_year(c, k->node, "until", k->until, diags);
		if (k->until && k->year && k->until < k->year)
			diags_at(diags, SEV_ERROR, field_node(k->node, "until"),
				 _("'until' is the last year of the commitment, not before 'year'"),
				 "'until' %d is before 'year' %d", k->until, k->year);
		if (k->until && k->recurrence == RECUR_ONCE)
			diags_at(diags, SEV_WARNING, field_node(k->node, "until"),
				 _("write `recurrence: yearly` for a commitment that runs until a year"),
				 "'until' on a one-off cost has no effect");
		for (j = 0; j < k->alternatives.n; j++)
			if (!k->alternatives.items[j].amount.stated)
				diags_at(diags, SEV_WARNING,
					 field_node(k->alternatives.items[j].node, "amount"),
					 _("write the amount in whole kroner when it is known"),
					 "amount of alternative '%s' is not stated",
					 k->alternatives.items[j].label);
		for (j = 0; j < k->shared_with.n; j++) {
			const char *other = k->shared_with.items[j];
			const struct node *at = k->shared_with.nodes[j];

			if (owner && strcmp(other, owner) == 0)
				diags_at(diags, SEV_ERROR, at,
					 _("list only the other partners that share the cost"),
					 "cost '%s' is shared with its own partner '%s'", k->label, other);
			else if (!content_find(c, other))
				unknown_sharer(c, k, at, other, diags);
		}
	}
}

/* Count, for every partner, the decisions (other than `note`) that name
 * it, once for the whole briefing rather than once per partner. */
static void count_namings(struct content *c)
{
	const struct briefing *b = c->briefing;
	size_t i, j;

	for (i = 0; i < b->recommendation.decisions.n; i++) {
		const struct decision *d = &b->recommendation.decisions.items[i];
		if (d->status == STATUS_NOTE)
			continue;
		for (j = 0; j < d->partners.n; j++) {
			struct content_partner *p = find_mut(c, d->partners.items[j]);
			/* A name repeated in one decision is that decision's
			 * problem (check_decisions), not a second decision. */
			if (!p || p->last_decision == d)
				continue;
			p->last_decision = d;
			if (p->ndecisions < 2) {
				p->decision[p->ndecisions] = d;
				p->decision_at[p->ndecisions] = d->partners.nodes[j];
			}
			p->ndecisions++;
		}
	}
}

static const struct node *list_node(const struct strings *s, const char *slug)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->items[i], slug) == 0)
			return s->nodes[i];
	return NULL;
}

static void check_status(const struct content *c, const struct content_partner *cp,
			 const struct partner *p, struct diags *diags)
{
	const struct briefing *b = c->briefing;
	const struct decision *const *found = cp->decision;
	const struct node *const *at = cp->decision_at;
	size_t n = cp->ndecisions, seq;

	if (cp->candidate && p->status != STATUS_EXPLORE) {
		seq = diags_at(diags, SEV_ERROR, field_node(p->node, "status"),
			       _("write `status: explore`, or move the partner to briefing.yaml's partners"),
			       "candidate '%s' has status '%s', not 'explore'", cp->slug,
			       status_name(p->status));
		diags_note(diags, seq, list_node(&b->new_partnerships.candidates, cp->slug),
			   "named as a candidate here");
	}
	if (n == 0 && !cp->candidate && cp->named) {
		diags_at(diags, SEV_ERROR, list_node(&b->partners, cp->slug),
			 _("add it to the `partners` of the decision in recommendation.decisions "
			 "that concerns it"),
			 "partner '%s' is named by no decision", cp->slug);
	} else if (n > 1) {
		seq = diags_at(diags, SEV_ERROR, at[1],
			       _("name each partner in one decision only"),
			       "partner '%s' is named by two decisions", cp->slug);
		diags_note(diags, seq, at[0], "'%s' also named here", cp->slug);
	} else if (n == 1 && found[0]->status != p->status) {
		char *hint = xasprintf(_("write `status: %s`, or move it to another decision"),
				       status_name(found[0]->status));
		seq = diags_at(diags, SEV_ERROR, field_node(p->node, "status"), hint,
			       "status '%s' of '%s' disagrees with the decision that names it ('%s')",
			       status_name(p->status), cp->slug, status_name(found[0]->status));
		diags_note(diags, seq, at[0], "the decision names '%s' here", cp->slug);
		free(hint);
	}
}

/* ---- careless content: warnings (issue 8, item 3; briefgen(5)) ---------- */

/* The same cost line twice (same label, amount, year and kind) is almost
 * always a copy that would be counted twice. */
static bool same_cost(const struct cost *a, const struct cost *b)
{
	return a->kind == b->kind && a->year == b->year &&
	       a->amount.stated == b->amount.stated &&
	       (!a->amount.stated || a->amount.value == b->amount.value) &&
	       strcmp(a->label, b->label) == 0;
}

static void check_repeated_costs(const struct cost_list *costs, struct diags *diags)
{
	size_t i, j, seq;

	for (i = 1; i < costs->n; i++)
		for (j = 0; j < i; j++) {
			if (!same_cost(&costs->items[i], &costs->items[j]))
				continue;
			seq = diags_at(diags, SEV_WARNING, costs->items[i].node,
				       _("remove the copy; if both are meant, tell them apart in "
				       "the label (it is counted twice)"),
				       "cost line '%s' repeats an earlier one (same label, amount, "
				       "year and kind)", costs->items[i].label);
			diags_note(diags, seq, costs->items[j].node, "'%s' first written here",
				   costs->items[j].label);
			break;
		}
}

/* Characters (code points) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void check_summary(const struct partner *p, struct diags *diags)
{
	size_t n;
	char *hint;

	/* No more characters than bytes: nearly every summary is not counted. */
	if (!p->summary || strlen(p->summary) <= CONTENT_MAX_SUMMARY ||
	    (n = utf8_chars(p->summary)) <= CONTENT_MAX_SUMMARY)
		return;
	hint = xasprintf(_("shorten it to a few sentences (at most %d characters); the whole "
			 "story belongs in 'body'"), CONTENT_MAX_SUMMARY);
	diags_at(diags, SEV_WARNING, field_node(p->node, "summary"), hint,
		 "'summary' of '%s' is %zu characters, longer than the %d of a summary",
		 p->slug, n, CONTENT_MAX_SUMMARY);
	free(hint);
}

/* A partnership the recommendation ends, with money in the budget year:
 * those costs are shown apart and left out of the totals (budget.h).  Said
 * only when the one decision naming it agrees (else that is the error). */
static void check_terminated_costs(const struct content *c, const struct content_partner *cp,
				   const struct partner *p, struct diags *diags)
{
	int year = c->briefing ? c->briefing->budget_year : 0;
	size_t i, n = 0, seq, first = 0;

	if (p->status != STATUS_TERMINATE || !year || cp->ndecisions != 1 ||
	    cp->decision[0]->status != STATUS_TERMINATE)
		return;
	for (i = 0; i < p->costs.n; i++)
		if (budget_in_year(&p->costs.items[i], year) && !n++)
			first = i;
	if (!n)
		return;
	seq = diags_at(diags, SEV_WARNING, field_node(p->node, "status"),
		       _("if the partnership ends before the budget year, give its costs "
		       "`until` or remove them; they are shown apart and not counted in the totals"),
		       "partner '%s' is to be terminated but has %zu cost line%s in the budget "
		       "year %d", p->slug, n, n == 1 ? "" : "s", year);
	diags_note(diags, seq, p->costs.items[first].node, "'%s' counts in %d",
		   p->costs.items[first].label, year);
}

static void check_partner(const struct content *c, const struct content_partner *cp,
			  const struct partner *p, struct diags *diags)
{
	int my = meeting_year(c);

	check_costs(c, &p->costs, cp->slug, diags);
	check_repeated_costs(&p->costs, diags);
	check_summary(p, diags);
	check_terminated_costs(c, cp, p, diags);
	if (!cp->named && c->briefing)
		diags_add(diags, SEV_ERROR, cp->path, 1, 1,
			  _("add the slug to briefing.yaml's `partners` (or "
			  "new_partnerships.candidates), or remove the file"),
			  "partner file '%s' is not named in briefing.yaml", cp->slug);
	if (p->since && my && p->since > my)
		diags_at(diags, SEV_ERROR, field_node(p->node, "since"),
			 _("'since' is the year the cooperation began"),
			 "'since' %d is after the meeting (%d)", p->since, my);
	if (c->briefing && cp->named)
		check_status(c, cp, p, diags);
}

/* A decision naming a slug the briefing does not: the nearest one it does. */
static void unknown_decided(const struct briefing *b, const struct node *at, const char *slug,
			    struct diags *diags)
{
	size_t np = b->partners.n, nc = b->new_partnerships.candidates.n;
	const char **names = xmalloc((np + nc + 1) * sizeof(*names));
	char *hint;

	if (np)
		memcpy(names, b->partners.items, np * sizeof(*names));
	if (nc)
		memcpy(names + np, b->new_partnerships.candidates.items, nc * sizeof(*names));
	hint = near_slug_hint(slug, names, np + nc,
			      _("name a partner from briefing.yaml's partners or candidates"));
	diags_at(diags, SEV_ERROR, at, hint, "decision names unknown partner '%s'", slug);
	free(hint);
	free(names);
}

static void check_decisions(struct content *c, struct diags *diags)
{
	const struct briefing *b = c->briefing;
	struct strmap named, seen;
	size_t i, j, k, seq;

	/* Maps, not searches: a decision may name ten thousand partners. */
	strmap_init(&named);
	for (i = 0; i < b->partners.n; i++)
		strmap_set(&named, b->partners.items[i], i);
	for (i = 0; i < b->new_partnerships.candidates.n; i++)
		strmap_set(&named, b->new_partnerships.candidates.items[i], i);
	for (i = 0; i < b->recommendation.decisions.n; i++) {
		const struct decision *d = &b->recommendation.decisions.items[i];

		strmap_init(&seen);
		for (j = 0; j < d->partners.n; j++) {
			const char *slug = d->partners.items[j];

			if (strmap_get(&seen, slug, &k)) {
				seq = diags_at(diags, SEV_ERROR, d->partners.nodes[j],
					       _("name each partner once in a decision"),
					       "decision names partner '%s' twice", slug);
				diags_note(diags, seq, d->partners.nodes[k],
					   "'%s' first named here", slug);
				continue;
			}
			strmap_set(&seen, slug, j);
			/* Named in the briefing but without a file: reported there. */
			if (!strmap_get(&named, slug, NULL))
				unknown_decided(b, d->partners.nodes[j], slug, diags);
		}
		strmap_release(&seen);
	}
	strmap_release(&named);
}

static void check_briefing(struct content *c, struct diags *diags)
{
	const struct briefing *b = c->briefing;
	int my = b->meeting.date.year;

	if (b->budget_year && my && (b->budget_year < my - 1 || b->budget_year > my + 5))
		diags_at(diags, SEV_WARNING, field_node(b->node, "budget_year"),
			 _("the budget year is normally the meeting's year or the next"),
			 "'budget_year' %d is far from the meeting (%d)", b->budget_year, my);
	check_costs(c, &b->new_partnerships.costs, NULL, diags);
	check_repeated_costs(&b->new_partnerships.costs, diags);
	check_decisions(c, diags);
	if (b->accessibility_statement.url &&
	    strncmp(b->accessibility_statement.url, "https://", 8) != 0 &&
	    strncmp(b->accessibility_statement.url, "http://", 7) != 0)
		diags_at(diags, SEV_ERROR, field_node(b->accessibility_statement.node, "url"),
			 _("write the full address, starting with https://"),
			 "accessibility statement url '%s' is not an http(s) address",
			 b->accessibility_statement.url);
}

/* ---- digests ------------------------------------------------------------- */

static const char *copy_str(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static void copy_strings(struct arena *a, struct strings *dst, const struct strings *src)
{
	size_t i;

	dst->n = src->n;
	dst->nodes = NULL;
	/* An empty list has no items, as in a record without the field
	 * (10 000 digests of 2 to 4 costs: a few hundred KB of empty arrays). */
	dst->items = src->n ? arena_alloc(a, src->n * sizeof(*dst->items)) : NULL;
	for (i = 0; i < src->n; i++)
		dst->items[i] = arena_strdup(a, src->items[i]);
}

static void copy_costs(struct arena *a, struct cost_list *dst, const struct cost_list *src)
{
	size_t i, j;

	dst->n = src->n;
	dst->items = src->n ? arena_alloc(a, src->n * sizeof(*dst->items)) : NULL;
	for (i = 0; i < src->n; i++) {
		struct cost *d = &dst->items[i];
		const struct cost *s = &src->items[i];

		*d = *s;
		d->node = NULL;
		d->label = copy_str(a, s->label);
		d->note = copy_str(a, s->note);
		copy_strings(a, &d->shared_with, &s->shared_with);
		d->alternatives.items = s->alternatives.n
			? arena_alloc(a, s->alternatives.n * sizeof(struct alternative)) : NULL;
		for (j = 0; j < s->alternatives.n; j++) {
			d->alternatives.items[j] = s->alternatives.items[j];
			d->alternatives.items[j].node = NULL;
			d->alternatives.items[j].label = copy_str(a, s->alternatives.items[j].label);
		}
	}
}

static struct partner *digest(struct arena *a, const struct partner *p)
{
	struct partner *d = arena_alloc(a, sizeof(*d));

	*d = *p;
	d->node = NULL;
	d->slug = copy_str(a, p->slug);
	d->name = copy_str(a, p->name);
	d->local_name = copy_str(a, p->local_name);
	d->country = copy_str(a, p->country);
	d->origin = copy_str(a, p->origin);
	/* Pages that need the prose load the partner again. */
	d->summary = NULL;
	d->body = NULL;
	d->institutions.items = NULL;
	d->institutions.n = 0;
	copy_strings(a, &d->focus, &p->focus);
	copy_costs(a, &d->costs, &p->costs);
	return d;
}

/* ---- prose, rendered as it is checked ------------------------------------ */

/* Prose rendered while one file was decoded, found again by the pointer
 * the record holds (decode_links passes the tree's own string). */
struct rendered {
	const char *src;
	size_t html_off, html_len, md_off, md_len;
};

struct stash {
	const struct content_prose *prose;
	struct buf html, md;
	struct rendered *items;
	size_t n, cap;
};

static void stash_init(struct stash *st, const struct content_prose *prose)
{
	memset(st, 0, sizeof(*st));
	st->prose = prose;
	buf_init(&st->html);
	buf_init(&st->md);
}

static void stash_reset(struct stash *st)
{
	buf_reset(&st->html);
	buf_reset(&st->md);
	st->n = 0;
}

static void stash_release(struct stash *st)
{
	buf_release(&st->html);
	buf_release(&st->md);
	free(st->items);
}

/* decode_links: parse once, check the links, keep both renderings. */
static char *stash_check(void *ud, const char *src, size_t len)
{
	struct stash *st = ud;
	size_t h = st->html.len, m = st->md.len;
	char *bad = st->prose->render(src, len, &st->html, &st->md);

	if (bad)
		return bad;
	st->items = xgrow(st->items, sizeof(*st->items), st->n + 1, &st->cap);
	st->items[st->n++] = (struct rendered){src, h, st->html.len - h, m, st->md.len - m};
	return NULL;
}

/* What was rendered for src; rendered now if decoding did not pass it by. */
static const struct rendered *stash_find(struct stash *st, const char *src)
{
	size_t i;
	char *bad;

	for (i = st->n; i-- > 0;)
		if (st->items[i].src == src)
			return &st->items[i];
	bad = stash_check(st, src, strlen(src));
	free(bad);
	return bad ? NULL : &st->items[st->n - 1];
}

static int cmp_text(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct content_text *)a)->src;
	uintptr_t y = (uintptr_t)((const struct content_text *)b)->src;

	return x < y ? -1 : x > y;
}

/* Keep the briefing's rendered prose for the whole build. */
static void keep_texts(struct content *c, const struct stash *st)
{
	size_t i;

	c->texts = arena_alloc(&c->arena, (st->n ? st->n : 1) * sizeof(*c->texts));
	for (i = 0; i < st->n; i++) {
		const struct rendered *r = &st->items[i];
		struct content_text *t = &c->texts[i];

		t->src = r->src;
		t->html = arena_strndup(&c->arena, st->html.ptr + r->html_off, r->html_len);
		t->html_len = r->html_len;
		t->md = arena_strndup(&c->arena, st->md.ptr + r->md_off, r->md_len);
		t->md_len = r->md_len;
	}
	c->ntexts = st->n;
	if (st->n > 1)
		qsort(c->texts, st->n, sizeof(*c->texts), cmp_text);
}

const struct content_text *content_text(const struct content *c, const char *src)
{
	struct content_text key = {src, NULL, NULL, 0, 0};

	if (!src || !c->ntexts)
		return NULL;
	return bsearch(&key, c->texts, c->ntexts, sizeof(*c->texts), cmp_text);
}

/* ---- a partner's page, kept in the spill --------------------------------- */

/* A page is a run of strings, each its length (4 bytes; all ones for
 * NULL) then its bytes and a NUL, so content_page() points into it.  The
 * summary's Markdown is nearly always its source as it is (all 10 000 of
 * the benchmark's): then it is PAGE_SAME, four bytes instead of a second
 * copy (2.4 MB less spilled and read back at N = 10 000). */
#define PAGE_NULL UINT32_MAX
#define PAGE_SAME (UINT32_MAX - 1)

static void put_str(struct buf *b, const char *s, size_t len)
{
	uint32_t n = s ? (uint32_t)len : PAGE_NULL;

	buf_add(b, &n, sizeof(n));
	if (s) {
		buf_add(b, s, len);
		buf_addc(b, '\0');
	}
}

static void put_cstr(struct buf *b, const char *s)
{
	put_str(b, s, s ? strlen(s) : 0);
}

static void put_rendered(struct buf *b, const struct stash *st, const struct rendered *r)
{
	if (!r) {
		put_str(b, NULL, 0);
		put_str(b, NULL, 0);
		return;
	}
	put_str(b, st->html.ptr + r->html_off, r->html_len);
	put_str(b, st->md.ptr + r->md_off, r->md_len);
}

/* What partner p's page needs, as one record (see content_page). */
static void make_page(const struct partner *p, struct stash *st, struct buf *b)
{
	const struct rendered *summary = p->summary ? stash_find(st, p->summary) : NULL;
	const struct rendered *body = p->body ? stash_find(st, p->body) : NULL;
	uint32_t n = (uint32_t)p->institutions.n;
	size_t i;

	buf_reset(b);
	put_cstr(b, p->summary);
	if (summary && summary->md_len == strlen(p->summary) &&
	    !memcmp(st->md.ptr + summary->md_off, p->summary, summary->md_len)) {
		uint32_t same = PAGE_SAME;

		put_str(b, st->html.ptr + summary->html_off, summary->html_len);
		buf_add(b, &same, sizeof(same));
	} else {
		put_rendered(b, st, summary);
	}
	put_rendered(b, st, body);
	buf_add(b, &n, sizeof(n));
	for (i = 0; i < p->institutions.n; i++) {
		put_cstr(b, p->institutions.items[i].name);
		put_cstr(b, p->institutions.items[i].city);
		put_cstr(b, p->institutions.items[i].note);
	}
}

/* Put a page made by make_page into the spill, for content_page(). */
static void keep_page(struct content *c, struct content_partner *cp, const struct buf *b,
		      struct diags *diags)
{
	size_t off = spill_add(&c->pages, b->ptr, b->len);

	if (off == (size_t)-1) {
		/* Reported once: the spill refuses everything after. */
		if (!c->io_error)
			diags_add(diags, SEV_ERROR, getenv("TMPDIR") && *getenv("TMPDIR")
					 ? getenv("TMPDIR") : "/tmp", 0, 0,
				  _("make room in the temporary folder, or point TMPDIR at another"),
				  "cannot keep the partners' pages in a temporary file: %s",
				  strerror(c->pages.error));
		c->io_error = true;
		return;
	}
	cp->has_page = true;
	cp->page_off = off;
	cp->page_len = b->len;
	c->pages_live += b->len;
}

static const char *get_str(const char **at, const char *end, size_t *len)
{
	uint32_t n;
	const char *s;

	if (end - *at < (ptrdiff_t)sizeof(n))
		return NULL;
	memcpy(&n, *at, sizeof(n));
	*at += sizeof(n);
	if (n == PAGE_NULL || (size_t)(end - *at) < (size_t)n + 1) {
		if (len)
			*len = 0;
		return NULL;
	}
	s = *at;
	*at += n + 1;
	if (len)
		*len = n;
	return s;
}

int content_page(const struct content *c, size_t i, struct arena *arena,
		 struct content_page *page)
{
	const struct content_partner *cp = &c->partners[i];
	const char *at, *end;
	char *blob;
	uint32_t n = 0;
	size_t k, summary_len;

	memset(page, 0, sizeof(*page));
	if (!cp->has_page) {
		errno = ENOENT;
		return -1;
	}
	/* Not zeroed: spill_read fills it whole, or the page is not used. */
	blob = arena_take(arena, cp->page_len);
	if (spill_read(&c->pages, cp->page_off, blob, cp->page_len) != 0)
		return -1;
	at = blob;
	end = blob + cp->page_len;
	page->summary = get_str(&at, end, &summary_len);
	page->summary_html = get_str(&at, end, &page->summary_html_len);
	if (end - at >= (ptrdiff_t)sizeof(n) && (memcpy(&n, at, sizeof(n)), n == PAGE_SAME)) {
		at += sizeof(n);
		page->summary_md = page->summary;
		page->summary_md_len = summary_len;
	} else {
		page->summary_md = get_str(&at, end, &page->summary_md_len);
	}
	n = 0;
	page->body_html = get_str(&at, end, &page->body_html_len);
	page->body_md = get_str(&at, end, &page->body_md_len);
	if (end - at >= (ptrdiff_t)sizeof(n)) {
		memcpy(&n, at, sizeof(n));
		at += sizeof(n);
	}
	page->institutions = arena_alloc(arena, (n ? n : 1) * sizeof(*page->institutions));
	for (k = 0; k < n; k++) {
		page->institutions[k].name = get_str(&at, end, NULL);
		page->institutions[k].city = get_str(&at, end, NULL);
		page->institutions[k].note = get_str(&at, end, NULL);
	}
	page->ninstitutions = n;
	return 0;
}

/* ---- loading ------------------------------------------------------------- */

/* dirfd: partners/ open (load_folder_open), or -1. */
static struct partner *load_partner(const struct content *c, size_t i, int dirfd,
				    struct arena *arena, struct diags *diags,
				    const struct decode_links *links)
{
	const struct content_partner *cp = &c->partners[i];
	struct node *root;
	struct partner *p;
	char name[256];
	int io = 0;
	size_t len = strlen(cp->slug);

	if (len + sizeof(".yaml") > sizeof(name)) {   /* no such file name: by its path */
		dirfd = -1;
		name[0] = '\0';
	} else {
		memcpy(name, cp->slug, len);
		memcpy(name + len, ".yaml", sizeof(".yaml"));
	}
	root = load_file_at(dirfd, name, cp->listed_regular, cp->path, c->root, LOAD_MAX_FILE,
			    arena, diags, &io);
	if (!root)
		return NULL;
	p = arena_alloc(arena, sizeof(*p));
	if (!decode_record_links(&schema_partner, root, p, arena, diags, links))
		return NULL;
	p->slug = cp->slug;
	return p;
}

struct partner *content_load_partner(const struct content *c, size_t i, struct arena *arena,
				     struct diags *diags)
{
	return load_partner(c, i, -1, arena, diags, NULL);
}

/*
 * The partner files are loaded by a pool (util/pool.h): each thread loads
 * and checks a file into a slot, with its own diagnostics, and puts the
 * digest in its own arena; the calling thread takes the slots in the
 * partners' order, so diagnostics, digests and pages come out as with one
 * thread.  Only the calling thread touches the content and the caller's
 * diagnostics.
 */
struct loaded {
	struct diags diags;
	struct partner *digest;      /* in the thread's arena; NULL: none */
	struct buf page;             /* made by make_page */
	bool has_page;
};

struct loader {
	struct content *c;
	struct diags *diags;         /* the caller's */
	struct stash *stashes;       /* one per thread */
	struct loaded direct;        /* the slot of a partner loaded by the caller */
	int dirfd;                   /* partners/ (load_folder_open), or -1 */
};

static void loaded_init(void *slot)
{
	struct loaded *l = slot;

	diags_init(&l->diags);
	buf_init(&l->page);
	l->digest = NULL;
	l->has_page = false;
}

static void loaded_release(void *slot)
{
	struct loaded *l = slot;

	diags_release(&l->diags);
	buf_release(&l->page);
}

static void load_work(void *ud, unsigned thread, size_t i, void *slot)
{
	struct loader *ld = ud;
	struct content *c = ld->c;
	const struct content_partner *cp = &c->partners[i];
	struct stash *st = &ld->stashes[thread];
	struct decode_links links = {stash_check, st};
	struct loaded *l = slot;
	struct arena tmp;
	struct partner *p;

	diags_release(&l->diags);
	l->diags.strict = ld->diags->strict;
	l->digest = NULL;
	l->has_page = false;
	arena_init(&tmp);
	stash_reset(st);
	p = load_partner(c, i, ld->dirfd, &tmp, &l->diags, c->prose ? &links : NULL);
	if (p) {
		check_partner(c, cp, p, &l->diags);
		if (!l->diags.errors) {
			l->digest = digest(&c->digests[thread], p);
			if (c->prose) {
				make_page(p, st, &l->page);
				l->has_page = true;
			}
		}
	}
	arena_release(&tmp);
}

static int load_take(void *ud, size_t i, void *slot)
{
	struct loader *ld = ud;
	struct content_partner *cp = &ld->c->partners[i];
	struct loaded *l = slot;

	if (ld->c->keep)
		diags_append_copy(&ld->c->kept[i], &l->diags, 0);
	diags_append(ld->diags, &l->diags);
	cp->digest = l->digest;
	if (l->has_page)
		keep_page(ld->c, cp, &l->page, ld->diags);
	return 0;
}

static int load_direct(void *ud, size_t i)
{
	struct loader *ld = ud;

	load_work(ud, 0, i, &ld->direct);
	return load_take(ud, i, &ld->direct);
}

static const struct pool_ops load_ops = {
	loaded_init, loaded_release, load_work, load_take, load_direct,
};

static void load_partners(struct content *c, int jobs, struct diags *diags)
{
	unsigned threads = jobs > 0 ? (unsigned)jobs : pool_cpus(CONTENT_MAX_AUTO_JOBS), k;
	struct loader ld;
	struct pool *pool;
	char *path;

	if (c->keep) {
		c->kept = xcalloc(c->npartners ? c->npartners : 1, sizeof(*c->kept));
		for (k = 0; k < c->npartners; k++)
			diags_init(&c->kept[k]);
	}
	ld.c = c;
	ld.diags = diags;
	path = xasprintf("%s/partners", c->dir);
	ld.dirfd = load_folder_open(path, c->root);
	free(path);
	ld.stashes = xcalloc(threads, sizeof(*ld.stashes));
	for (k = 0; k < threads; k++)
		stash_init(&ld.stashes[k], c->prose);
	loaded_init(&ld.direct);
	c->digests = xcalloc(threads, sizeof(*c->digests));
	c->ndigests = threads;
	for (k = 0; k < threads; k++)
		arena_init(&c->digests[k]);
	pool = pool_new(c->npartners, threads, sizeof(struct loaded), &load_ops, &ld);
	pool_take(pool, c->npartners);
	pool_free(pool);
	/* The parsers kept for the next file (80 KiB each) are of no use to
	 * the pages: their memory goes back before rendering begins. */
	load_drop_parsers();
	if (ld.dirfd >= 0)
		close(ld.dirfd);
	loaded_release(&ld.direct);
	for (k = 0; k < threads; k++)
		stash_release(&ld.stashes[k]);
	free(ld.stashes);
}

static bool load(struct content *c, const char *dir, const struct content_options *opt,
		 bool keep, struct diags *diags)
{
	const struct content_prose *prose = opt ? opt->prose : NULL;
	char *path, *real;
	struct node *root;
	char **files;
	size_t nfiles, i, cap = 0, limit_files;
	int io = 0;
	struct stat st;
	struct folder folder;
	size_t diags_from = diags->n;

	memset(c, 0, sizeof(*c));
	arena_init(&c->arena);
	diags_init(&c->kept_before);
	c->keep = keep;
	c->strict = diags->strict;
	spill_init(&c->pages, SPILL_MEMORY);
	c->prose = prose;
	c->dir = arena_strdup(&c->arena, dir);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diags_add(diags, SEV_ERROR, dir, 0, 0, _("give the folder that holds briefing.yaml"),
			  "not a content folder: %s", stat(dir, &st) != 0 ? strerror(errno)
									 : _("not a directory"));
		c->io_error = true;
		return false;
	}
	real = load_real_root(dir);
	if (real) {
		c->root = arena_strdup(&c->arena, real);
		free(real);
	}
	/* partners/ first: briefing.yaml's size limit grows with the partner
	 * files (load_briefing_limit; the misnamed *.yaml count too). */
	files = list_partner_files(c, diags, &nfiles, &folder.misnamed, &folder.nmisnamed,
				   &folder.odd, &folder.nodd);
	folder.files = files;
	folder.nfiles = nfiles;
	/* A page per partner file, at most: at N = 10 000 the first pages
	 * tell that the spill goes to its file, and it does at once. */
	spill_expect(&c->pages, nfiles);
	limit_files = nfiles;
	for (i = 0; i < folder.nmisnamed; i++)
		limit_files += ends_with(folder.misnamed[i].name, ".yaml");
	path = xasprintf("%s/briefing.yaml", dir);
	root = load_file_limit(path, c->root, load_briefing_limit(limit_files), &c->arena, diags,
			       &io);
	if (io)
		c->io_error = true;
	if (root) {
		struct briefing *b = arena_alloc(&c->arena, sizeof(*b));
		struct stash texts;
		struct decode_links links = {stash_check, &texts};

		stash_init(&texts, prose);
		if (decode_record_links(&schema_briefing, root, b, &c->arena, diags,
					prose ? &links : NULL)) {
			c->briefing = b;
			keep_texts(c, &texts);
		}
		stash_release(&texts);
	}
	free(path);

	if (c->briefing) {
		name_from_list(c, &c->briefing->partners, false, &folder, &cap, diags);
		name_from_list(c, &c->briefing->new_partnerships.candidates, true, &folder, &cap,
			       diags);
	}
	for (i = 0; i < folder.nmisnamed; i++) {
		free(folder.misnamed[i].name);
		free(folder.misnamed[i].slug);
	}
	free(folder.misnamed);
	for (i = 0; i < nfiles; i++)
		if (!find_mut(c, files[i]))
			add_partner(c, files[i], &cap);
	for (i = 0; i < c->npartners; i++) {
		struct content_partner *cp = &c->partners[i];
		size_t ld = strlen(dir), ls = strlen(cp->slug);
		char *p = arena_take(&c->arena, ld + sizeof("/partners/.yaml") + ls);

		/* dir/partners/slug.yaml, made in place: a thousand of them. */
		memcpy(p, dir, ld);
		memcpy(p + ld, "/partners/", 10);
		memcpy(p + ld + 10, cp->slug, ls);
		memcpy(p + ld + 10 + ls, ".yaml", sizeof(".yaml"));
		cp->path = p;
		cp->listed_regular = !have_file(folder.odd, folder.nodd, cp->slug);
	}
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	for (i = 0; i < folder.nodd; i++)
		free(folder.odd[i]);
	free(folder.odd);

	if (c->briefing)
		count_namings(c);
	if (c->briefing)
		check_briefing(c, diags);
	if (c->keep)
		diags_append_copy(&c->kept_before, diags, diags_from);
	load_partners(c, opt ? opt->jobs : 0, diags);
	return !c->io_error;
}

bool content_load(struct content *c, const char *dir, const struct content_options *opt,
		  struct diags *diags)
{
	return load(c, dir, opt, false, diags);
}

bool content_load_kept(struct content *c, const char *dir, const struct content_options *opt,
		       struct diags *diags)
{
	return load(c, dir, opt, true, diags);
}

void content_release(struct content *c)
{
	unsigned k;
	size_t i;

	for (k = 0; k < c->ndigests; k++)
		arena_release(&c->digests[k]);
	free(c->digests);
	if (c->kept)
		for (i = 0; i < c->npartners; i++)
			diags_release(&c->kept[i]);
	free(c->kept);
	diags_release(&c->kept_before);
	for (i = 0; i < c->nlisting; i++)
		free(c->listing[i]);
	free(c->listing);
	spill_release(&c->pages);
	free(c->partners);
	strmap_release(&c->index);
	arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
	/* Released twice is released once (no file descriptor 0 to close). */
	spill_init(&c->pages, SPILL_MEMORY);
}

int content_reload_partner(struct content *c, size_t i)
{
	struct content_partner *cp;
	struct diags dummy;
	struct stash st;
	struct loader ld;
	struct loaded l;
	size_t off;
	int rc = -1;

	if (!c->keep || !c->prose || i >= c->npartners || c->io_error || !c->ndigests ||
	    !c->partners[i].has_page || c->pages_dropped > c->pages_live)
		return -1;
	cp = &c->partners[i];
	diags_init(&dummy);
	dummy.strict = c->strict;
	stash_init(&st, c->prose);
	ld.c = c;
	ld.diags = &dummy;
	ld.dirfd = -1;
	ld.stashes = &st;
	loaded_init(&l);
	load_work(&ld, 0, i, &l);
	if (!l.digest || !l.has_page || diags_failed(&l.diags))
		goto out;
	off = spill_add(&c->pages, l.page.ptr, l.page.len);
	if (off == (size_t)-1)
		goto out;
	c->pages_dropped += cp->page_len;
	c->pages_live += l.page.len - cp->page_len;
	cp->page_off = off;
	cp->page_len = l.page.len;
	cp->digest = l.digest;
	diags_release(&c->kept[i]);
	diags_init(&c->kept[i]);
	diags_append(&c->kept[i], &l.diags);
	c->reloads++;
	rc = 0;
out:
	loaded_release(&l);
	stash_release(&st);
	diags_release(&dummy);
	return rc;
}

void content_diags(const struct content *c, struct diags *diags)
{
	size_t i;

	if (!c->keep)
		return;
	diags_append_copy(diags, &c->kept_before, 0);
	for (i = 0; i < c->npartners; i++)
		diags_append_copy(diags, &c->kept[i], 0);
}

bool content_listing_same(const struct content *c)
{
	char *dirpath, *real;
	DIR *dir;
	struct dirent *de;
	size_t n = 0, i;
	bool same = true;
	char **names = NULL;
	size_t cap = 0;

	if (!c->keep || !c->listed)
		return false;
	dirpath = xasprintf("%s/partners", c->dir);
	real = realpath(dirpath, NULL);
	free(dirpath);
	if (!real || (c->root && !load_path_inside(real, c->root)) || !(dir = opendir(real))) {
		free(real);
		return false;
	}
	free(real);
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || ends_with(de->d_name, "~"))
			continue;
		names = xgrow(names, sizeof(*names), n + 1, &cap);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	same = n == c->nlisting;
	for (i = 0; i < n; i++) {
		if (same && strcmp(names[i], c->listing[i]) != 0)
			same = false;
		free(names[i]);
	}
	free(names);
	return same;
}
