/*
 * content: a content folder, loaded, validated and cross-checked.
 *
 * content_load() reads briefing.yaml and every partners/<slug>.yaml, checks
 * each against the schema and the cross-file rules (each partner named once
 * and has a file, shared costs point at partners, statuses agree with the
 * decisions, years near the meeting), and adds every problem to diags.
 *
 * To keep memory flat however many partners there are, a partner's file is
 * freed after it is checked; the content keeps a digest of it (everything
 * but summary, body and institutions, with node pointers cleared).  A renderer that
 * needs the whole partner loads it again with content_load_partner().
 *
 * The content owns its arena: the briefing's tree and record, the digests
 * and every string in them.  content_release() frees all of it.
 */
#ifndef BRIEFGEN_CONTENT_H
#define BRIEFGEN_CONTENT_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/arena.h"
#include "../util/strmap.h"
#include "../diag/diag.h"
#include "../validate/record.h"

/* A partner's `summary` is the short paragraph that leads its page and
 * stands for it in overviews: longer than this many characters is a warning
 * (briefgen(5)).  The longest of the bundled content has 429; the issue's
 * careless example 2 400. */
#define CONTENT_MAX_SUMMARY 600

struct content_partner {
	const char *slug;
	char *path;                  /* in the arena */
	struct partner *digest;      /* NULL when the file failed to load or decode */
	bool candidate;              /* named in new_partnerships.candidates */
	bool named;                  /* named in briefing's partners or candidates */
	/* The decisions (other than `note`) that name it: how many, and the
	 * first two with the place of the name, for diagnostics. */
	size_t ndecisions;
	const struct decision *decision[2];
	const struct node *decision_at[2];
	const struct decision *last_decision;
};

struct content {
	struct arena arena;
	const char *dir;
	const char *root;            /* dir's real path: no file outside it is read */
	struct briefing *briefing;   /* NULL when briefing.yaml failed */
	struct content_partner *partners;   /* briefing order, then candidates, then unnamed files */
	size_t npartners;
	struct strmap index;         /* slug -> position in partners */
	bool io_error;               /* a file or folder could not be read at all */
};

/* Load and check the folder dir.  Returns true when it could be read at all
 * (diags may still hold errors: see diags_failed()). */
bool content_load(struct content *c, const char *dir, struct diags *diags);
void content_release(struct content *c);

/* The partner with this slug, or NULL. */
const struct content_partner *content_find(const struct content *c, const char *slug);

/* Load partner number i in full into arena (the caller releases it).
 * Returns NULL (with diags) if it no longer loads. */
struct partner *content_load_partner(const struct content *c, size_t i, struct arena *arena,
				     struct diags *diags);

#endif
