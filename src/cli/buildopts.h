/*
 * buildopts: the options that build, serve and publish share
 * (-j, --lang, --templates, --include-internal, --strict, --no-source) and the
 * content-checking step they all start with.
 */
#ifndef BRIEFGEN_BUILDOPTS_H
#define BRIEFGEN_BUILDOPTS_H

#include <stdbool.h>

#include "../model/content.h"
#include "../render/site.h"
#include "../diag/diag.h"

struct buildopts {
	const char *dir;     /* the content folder argument, or NULL */
	struct site_options site;
	bool strict;
	bool source;     /* show source lines under diagnostics */
};

void buildopts_init(struct buildopts *o);

/*
 * If argv[*i] is one of the shared options or the content folder, consume
 * it (and an option's value, advancing *i) and return 1; return 0 when it
 * is not; return -1 after printing a usage error (missing value, bad
 * --lang, a second folder, an unknown option when last is true).  A
 * command first tries its own options, then calls this with last = true.
 */
int buildopts_parse(struct buildopts *o, int argc, char **argv, int *i, bool last);

/*
 * Load and check the content folder (o->dir, default "content") and print
 * its diagnostics.  Returns 0 when the content may be built (the caller
 * releases c), EXIT_INVALID or EXIT_TROUBLE otherwise (c is released).
 */
int buildopts_load(const struct buildopts *o, struct content *c);

#endif
