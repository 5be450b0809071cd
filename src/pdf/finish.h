/*
 * finish: turn the engine's PDF into the appendix's PDF, with libqpdf.
 *
 * Chromium's PDF is tagged, has an outline from the headings and /Lang
 * from the page, but its document information is the page's <title>,
 * Chromium's user agent and the time of printing.  finish sets what a
 * meeting system and a screen reader show (Title, Subject, Author,
 * Keywords; /DisplayDocTitle, so viewers show the title, not the file
 * name; the outline panel open), replaces the time by SOURCE_DATE_EPOCH
 * (or leaves no date at all), and writes the file again with qpdf's
 * deterministic /ID, so the same content gives the same bytes.
 *
 * It also is the check that the engine wrote a PDF: anything qpdf cannot
 * read without repairs, or a PDF without pages, is refused.
 */
#ifndef BRIEFGEN_FINISH_H
#define BRIEFGEN_FINISH_H

#include <stddef.h>

#include "../render/docinfo.h"
#include "../util/buf.h"

/*
 * Read the PDF in data, set info's fields (NULL fields are left out) and
 * write the result to *out.  date: seconds since the epoch for
 * CreationDate and ModDate, or -1 for none.  Returns 0, or -1 with *err
 * (malloc'd) saying why the input is not a usable PDF.
 */
int pdf_finish(const char *data, size_t len, const struct docinfo *info, long long date,
	       struct buf *out, char **err);

#endif
