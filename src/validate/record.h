/*
 * record: the typed records that validation decodes a content file into.
 *
 * The schema (schema.h) describes each record field by field; decoding
 * fills these structs.  Every string is borrowed from the node tree and so
 * lives in the arena the file was loaded into; lists are allocated in that
 * arena too.  A record that came from a YAML mapping keeps that mapping in
 * `node`, for diagnostics (NULL in a copy that outlives its file).
 *
 * Absent optional values: NULL strings, 0 years, empty lists,
 * amount.stated == false only where null is allowed.
 */
#ifndef BRIEFGEN_RECORD_H
#define BRIEFGEN_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "../load/node.h"

/* The generic shape of every list field: decoding writes through this. */
struct vec {
	void *items;
	size_t n;
};
#define VEC(type) struct { type *items; size_t n; }

struct strings {
	const char **items;
	const struct node **nodes;   /* the scalar of each item, or NULL in a copy */
	size_t n;
};

struct prose {
	const struct node *node;
	const char *text;            /* CommonMark */
	bool internal;
};

struct prose_list {
	struct prose *items;
	size_t n;
};

struct amount {
	long long value;             /* whole kroner */
	bool stated;                 /* false: the source does not state it (null) */
};

struct date {
	int year, month, day;
};

enum status { STATUS_CONTINUE, STATUS_TERMINATE, STATUS_EXPLORE, STATUS_NOTE };
enum cost_kind { KIND_MAX, KIND_ESTIMATE, KIND_FIXED };
enum recurrence { RECUR_ONCE, RECUR_YEARLY };
enum language { LANG_DA, LANG_EN };

struct alternative {
	const struct node *node;
	const char *label;
	struct amount amount;
};

struct cost {
	const struct node *node;
	const char *label;
	struct amount amount;
	int year;                    /* 0: not given */
	int kind;                    /* enum cost_kind */
	int recurrence;              /* enum recurrence */
	struct strings shared_with;
	VEC(struct alternative) alternatives;
	int until;                   /* 0: open-ended */
	const char *note;
	bool internal;
};

struct cost_list {
	struct cost *items;
	size_t n;
};

struct institution {
	const struct node *node;
	const char *name;
	const char *city;
	const char *note;
};

struct partner {
	const struct node *node;
	const char *slug;            /* from the file name, not the YAML */
	const char *name;
	const char *local_name;
	const char *country;         /* ISO 3166-1 alpha-2 */
	int since;
	const char *origin;
	int status;                  /* enum status, never STATUS_NOTE */
	struct strings focus;
	const char *summary;
	const char *body;
	VEC(struct institution) institutions;
	struct cost_list costs;
	bool internal;
};

struct meeting {
	const struct node *node;
	const char *committee;       /* the committee the recommendation goes to */
	const char *body;            /* whose meeting the appendix belongs to, if not committee's */
	const char *prepared_by;
	struct date date;
	int item;
};

struct new_partnerships {
	const struct node *node;
	const char *text;
	struct strings candidates;
	struct cost_list costs;
};

struct decision {
	const struct node *node;
	const char *text;
	int status;                  /* enum status */
	struct strings partners;
};

struct recommendation {
	const struct node *node;
	const char *by;
	VEC(struct decision) decisions;
};

struct link {
	const struct node *node;
	const char *label;
	const char *url;
};

struct briefing {
	const struct node *node;
	const char *organisation;
	struct meeting meeting;
	const char *title;
	const char *subtitle;
	int language;                /* enum language */
	int budget_year;
	const char *introduction;
	struct prose_list background;
	struct prose_list considerations;
	struct prose_list purposes;
	struct prose_list priorities;
	const char *partners_intro;
	struct strings partners;
	struct new_partnerships new_partnerships;
	struct recommendation recommendation;
	struct link accessibility_statement;
	struct strings keywords;
};

#endif
