/*
 * docinfo: what a document says about itself outside its pages (a PDF's
 * Title, Subject, Author, Keywords and language), in the build's label
 * language.
 */
#ifndef BRIEFGEN_DOCINFO_H
#define BRIEFGEN_DOCINFO_H

#include "../model/content.h"
#include "../diag/diag.h"
#include "site.h"

struct docinfo {
	char *title;     /* briefing title */
	char *subject;   /* "Bilag til punkt nr. 18" */
	char *author;    /* the organisation, or NULL */
	char *keywords;  /* briefing keywords, else committee and partner names */
	char *lang;      /* the content's language: "da" */
};

/* Fill info for c built with opt.  Returns 0, or -1 with diags (the
 * language file of --templates does not load).  Release with
 * docinfo_release(). */
int docinfo_init(struct docinfo *info, const struct content *c, const struct site_options *opt,
		 struct diags *diags);
void docinfo_release(struct docinfo *info);

#endif
