/*
 * schema: the content format as data.
 *
 * One table per record kind (briefing, partner and the maps inside them)
 * says, field by field, its YAML key, type, whether it is required, its
 * allowed values, a description and an example.  The decoder (decode.h)
 * checks and fills records from these tables, and `briefgen schema` prints
 * the reference from the same tables, so the documentation and the checks
 * cannot drift apart.  Everything here is static and read-only.
 */
#ifndef BRIEFGEN_SCHEMA_H
#define BRIEFGEN_SCHEMA_H

#include <stddef.h>
#include <stdio.h>

enum field_type {
	FT_STRING,     /* one line of text */
	FT_MARKDOWN,   /* CommonMark text, at most SCHEMA_MAX_PROSE bytes */
	FT_INT,        /* whole number >= 0 */
	FT_YEAR,       /* four-digit year */
	FT_DATE,       /* YYYY-MM-DD */
	FT_ENUM,       /* one of field.values */
	FT_BOOL,       /* true or false */
	FT_COUNTRY,    /* ISO 3166-1 alpha-2 code */
	FT_AMOUNT,     /* whole kroner, or null when the source does not state it */
	FT_SLUG,       /* [a-z0-9-]+ */
	FT_STRINGS,    /* list of FT_STRING */
	FT_SLUGS,      /* list of FT_SLUG */
	FT_PROSE,      /* list of Markdown strings or {text, internal} */
	FT_MAP,        /* nested record, field.sub */
	FT_MAPS        /* list of nested records, field.sub */
};

#define F_REQUIRED 1u
#define F_NULLABLE 2u   /* the key must be there, but its value may be null */

struct schema;

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	size_t offset;                /* into the record */
	const char *const *values;    /* FT_ENUM: NULL-terminated */
	const struct schema *sub;     /* FT_MAP, FT_MAPS */
	const char *doc;
	const char *example;          /* YAML, as the user would write it */
};

struct schema {
	const char *name;             /* "briefing", "partner", "cost", ... */
	size_t size;                  /* sizeof the record */
	const struct field *fields;   /* ends with a NULL name */
	const char *doc;
};

/* Prose fields are capped so that no input can stall cmark (whose 0.30
 * release has quadratic cases): see briefgen(5). */
#define SCHEMA_MAX_PROSE (16 * 1024)
/* No single amount in a regional budget line is near a billion kroner. */
#define SCHEMA_MAX_AMOUNT 1000000000LL

extern const struct schema schema_briefing;
extern const struct schema schema_partner;
extern const char *const schema_status_values[];
extern const char *const schema_kind_values[];
extern const char *const schema_recurrence_values[];
extern const char *const schema_language_values[];

/* Is code an ISO 3166-1 alpha-2 code (upper case)? */
int schema_country_known(const char *code);
/* Every code schema_country_known() accepts, sorted, each followed by one
 * space but the last ("AD AE ... ZW"), for the JSON Schema's enum. */
const char *schema_country_codes(void);
/* The file kind "briefing" or "partner", or NULL. */
const struct schema *schema_find(const char *name);

/*
 * What the decoder accepts, as JSON Schema (ECMA 262) patterns, so the
 * JSON Schema (jsonschema.h) says exactly what the checks say: a slug is
 * [a-z0-9-]+ (decode.c slug_ok, content.c slug_valid); a date has the
 * form YYYY-MM-DD with a month 01-12 and a day 01-31 (decode.c
 * parse_date, which also refuses 2006-02-30); a one-line text holds no
 * line break or tab; a required value is not blank (only spaces or tabs).
 */
#define SCHEMA_SLUG_PATTERN "^[a-z0-9-]+$"
#define SCHEMA_DATE_PATTERN "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
#define SCHEMA_LINE_PATTERN "^[^\\n\\t]*$"
#define SCHEMA_FILLED_LINE_PATTERN "^[^\\n\\t]*[^\\n\\t ][^\\n\\t]*$"
#define SCHEMA_FILLED_PATTERN "[^ \\t]"
/* Bounds of the whole numbers (decode.c decode_year, decode_value). */
#define SCHEMA_MIN_YEAR 1900
#define SCHEMA_MAX_YEAR 2200
#define SCHEMA_MAX_INT 100000
const char *schema_type_name(enum field_type t);

/* Print the Markdown reference of every field of every file kind. */
void schema_print_reference(FILE *out);

#endif
