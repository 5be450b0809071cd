#include "docinfo.h"

#include <stdlib.h>
#include <string.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "../validate/schema.h"
#include "i18n.h"
#include "templates.h"

/* briefing.yaml's `keywords`; without them, the committee and the partners
 * the appendix is about, which is what a search in a meeting system asks
 * for. */
static char *keywords(const struct content *c, const struct site_options *opt)
{
	const struct briefing *b = c->briefing;
	struct buf k = BUF_INIT;
	size_t i;

	if (b->keywords.n) {
		for (i = 0; i < b->keywords.n; i++)
			buf_addf(&k, "%s%s", i ? ", " : "", b->keywords.items[i]);
		return buf_detach(&k, NULL);
	}
	buf_adds(&k, b->meeting.committee);
	for (i = 0; i < b->partners.n; i++) {
		const struct content_partner *cp = content_find(c, b->partners.items[i]);
		if (!cp || !cp->digest || (cp->digest->internal && !opt->include_internal))
			continue;
		buf_addf(&k, ", %s", cp->digest->name);
	}
	return buf_detach(&k, NULL);
}

int docinfo_init(struct docinfo *info, const struct content *c, const struct site_options *opt,
		 struct diags *diags)
{
	const struct briefing *b = c->briefing;
	struct templates *t = templates_new(opt->templates_dir);
	const char *lang = opt->lang ? opt->lang : schema_language_values[b->language];
	struct i18n i18n;
	int rc = -1;

	memset(info, 0, sizeof(*info));
	templates_report_to(t, diags);
	if (!i18n_load(&i18n, t, lang, diags))
		goto out;
	info->title = xstrdup(b->title);
	info->subject = xasprintf("%s %d", i18n_label(&i18n, "appendix_to_item"), b->meeting.item);
	info->author = b->organisation ? xstrdup(b->organisation) : NULL;
	info->keywords = keywords(c, opt);
	info->lang = xstrdup(schema_language_values[b->language]);
	i18n_release(&i18n);
	rc = 0;
out:
	templates_free(t);
	return rc;
}

void docinfo_release(struct docinfo *info)
{
	free(info->title);
	free(info->subject);
	free(info->author);
	free(info->keywords);
	free(info->lang);
	memset(info, 0, sizeof(*info));
}
