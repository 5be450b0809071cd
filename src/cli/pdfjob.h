/*
 * pdfjob: --pdf and --chromium for build and publish: find the engine
 * before anything is written, print the appendix to PDF from an in-memory
 * build, then add bilag.pdf to the real build's output.
 *
 * A build with --pdf renders twice: once in memory for the engine to print,
 * and once into its output, now knowing the PDF's size for the pages'
 * download link.  The second render differs only in that link, which is
 * not printed, so the PDF shows exactly the print.html that is published.
 * Messages go to stderr; functions return exit statuses (cli.h).
 */
#ifndef BRIEFGEN_PDFJOB_H
#define BRIEFGEN_PDFJOB_H

#include <stdbool.h>

#include "../model/content.h"
#include "../pdf/engine.h"
#include "../render/output.h"
#include "../render/site.h"
#include "../util/buf.h"

struct pdfjob {
	bool want;               /* --pdf */
	const char *chromium;    /* --chromium PATH, or NULL */
	struct engine engine;
	struct buf pdf;          /* the finished PDF after pdfjob_make */
};

void pdfjob_init(struct pdfjob *j);
void pdfjob_release(struct pdfjob *j);

/* If argv[*i] is --pdf or --chromium PATH (or --chromium=PATH), consume it
 * and return 1; 0 when it is not; -1 after a usage message. */
int pdfjob_parse(struct pdfjob *j, int argc, char **argv, int *i);

/* With --pdf: find the engine, or print why not and return EXIT_TROUBLE.
 * Without: 0. */
int pdfjob_find_engine(struct pdfjob *j);

/*
 * With --pdf: build c with opt in memory, print it, finish it, and set
 * opt->pdf_bytes to the PDF's size.  Returns 0, EXIT_INVALID (the build
 * failed: diagnostics printed) or EXIT_TROUBLE (the engine failed: one line
 * printed).  SIGINT and SIGTERM stop the engine and fail the job.
 */
int pdfjob_make(struct pdfjob *j, const struct content *c, struct site_options *opt,
		bool show_source);

/* With --pdf: add bilag.pdf to out.  0 or -1 (the output's failure). */
int pdfjob_put(const struct pdfjob *j, const struct output *out);

#endif
