/*
 * buildopts: the options that build, serve and publish share
 * (--lang, --templates, --include-internal, --strict, --no-source) and the
 * content-checking step they all start with.
 */
#ifndef BRIEFGEN_BUILDOPTS_H
#define BRIEFGEN_BUILDOPTS_H

#include <stdbool.h>

#include "../model/content.h"
#include "../render/site.h"
#include "../validate/diag.h"

struct buildopts {
	struct site_options site;
	bool strict;
	bool source;     /* show source lines under diagnostics */
};

void buildopts_init(struct buildopts *o);

/*
 * If argv[*i] is one of the shared options, consume it (and its value,
 * advancing *i) and return 1; return 0 when it is not one; return -1 after
 * printing a usage error (missing value, bad --lang).
 */
int buildopts_parse(struct buildopts *o, int argc, char **argv, int *i);

/*
 * Load and check dir, print the diagnostics.  Returns 0 when the content
 * may be built, EXIT_INVALID or EXIT_TROUBLE otherwise (c is then
 * released).  On 0 the caller releases c and diags.
 */
int buildopts_load(const struct buildopts *o, const char *dir, struct content *c,
		   struct diags *diags);

#endif
