/*
 * scaffold: a new content folder, and a new partner in an existing one
 * (`briefgen new`).
 *
 * scaffold_create() writes a content folder that `briefgen check` passes:
 * a briefing.yaml whose Danish comments explain each field a secretary
 * fills in and how the recommendation is built, one example partner in
 * partners/, and the JSON Schemas (validate/jsonschema.h) in .schema/,
 * which the loader never reads (it reads only briefing.yaml and
 * partners/).  Each YAML file starts with
 *   # yaml-language-server: $schema=<relative path of its schema>
 * so an editor with the YAML extension completes and checks it.  The
 * folder is written whole under a hidden name beside DIR
 * (.<name>.new-XXXXXX), flushed, and renamed to DIR, so a failure leaves
 * no half folder; DIR may not exist yet, or be an empty folder.
 *
 * scaffold_add_partner() writes partners/<slug>.yaml (status explore, the
 * schema line) and names the slug under new_partnerships.candidates in
 * briefing.yaml by inserting lines at the place the loader's positioned
 * tree points to, so every other line of briefing.yaml stays as it was,
 * comments and layout included (the section is added at the end when it
 * is missing).  The edited text is read again before anything is written:
 * it must name the candidate and decode with no more errors than before.
 * Files are replaced by rename; the schemas in .schema/ are written again.
 *
 * All I/O goes through fault.h.  Errors come back as *err (and, where one
 * helps, a *hint), malloc'd and translated; nothing here prints.
 */
#ifndef BRIEFGEN_SCAFFOLD_H
#define BRIEFGEN_SCAFFOLD_H

/* The slug of the example partner scaffold_create() writes. */
#define SCAFFOLD_EXAMPLE_SLUG "eksempel-region"
/* The folder beside the YAML files that holds the JSON Schemas. */
#define SCAFFOLD_SCHEMA_DIR ".schema"

struct scaffold_partner {
	const char *slug;      /* the file name: [a-z0-9-]+ */
	const char *name;      /* one line */
	const char *country;   /* ISO 3166-1 alpha-2, upper case */
};

/* Write the new content folder dir.  Returns 0, or -1 with *err set. */
int scaffold_create(const char *dir, char **err);

/* Add partner p to the content folder dir.  Returns 0, or -1 with *err
 * set and *hint set or NULL. */
int scaffold_add_partner(const char *dir, const struct scaffold_partner *p, char **err,
			 char **hint);

/* A slug made from text ("Västra Götaland" -> "vastra-gotaland"), for a
 * hint; "" when nothing of it is left.  The caller frees it. */
char *scaffold_slug_from(const char *text);

#endif
