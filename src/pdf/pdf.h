/*
 * pdf: the appendix as one PDF file, bilag.pdf, made from a built site's
 * print.html (render/, in memory) by the engine (engine.h) and finished
 * (finish.h).
 *
 * The site is written to a private temporary folder for the engine to open
 * over file:// and removed afterwards; the caller's output is never
 * touched, so a failed print leaves everything as it was.  Nothing here
 * prints.
 */
#ifndef BRIEFGEN_PDF_H
#define BRIEFGEN_PDF_H

#include "../render/docinfo.h"
#include "../render/fileset.h"
#include "../util/buf.h"
#include "engine.h"

/* The file's name in a built site. */
#define PDF_NAME "bilag.pdf"
/* The page of the site that is printed. */
#define PDF_SOURCE "print.html"

/*
 * Print site's PDF_SOURCE with e and finish it with info; date is
 * SOURCE_DATE_EPOCH or -1.  Returns 0 with the PDF in *out, or -1 with
 * *err (malloc'd, one line) and *out empty.
 */
int pdf_make(const struct fileset *site, const struct engine *e, const struct docinfo *info,
	     long long date, struct buf *out, char **err);

#endif
