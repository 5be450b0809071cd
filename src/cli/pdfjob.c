#include "pdfjob.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pdf/pdf.h"
#include "../render/docinfo.h"
#include "../render/fileset.h"
#include "cli.h"
#include "../util/intl.h"

void pdfjob_init(struct pdfjob *j)
{
	memset(j, 0, sizeof(*j));
	buf_init(&j->pdf);
}

void pdfjob_release(struct pdfjob *j)
{
	engine_release(&j->engine);
	buf_release(&j->pdf);
}

int pdfjob_parse(struct pdfjob *j, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	if (!strcmp(arg, "--pdf")) {
		j->want = true;
	} else if (!strcmp(arg, "--chromium")) {
		if (*i + 1 >= argc) {
			intl_say(stderr, "--chromium needs the path of a Chromium binary");
			return -1;
		}
		j->chromium = argv[++*i];
	} else if (!strncmp(arg, "--chromium=", 11)) {
		j->chromium = arg + 11;
	} else {
		return 0;
	}
	return 1;
}

int pdfjob_find_engine(struct pdfjob *j)
{
	char *err = NULL;

	if (!j->want)
		return 0;
	if (engine_find(&j->engine, j->chromium, &err) == 0)
		return 0;
	fprintf(stderr, "briefgen: %s\n", err);
	free(err);
	return EXIT_TROUBLE;
}

/* Ctrl-C or a TERM while Chromium prints: stop it, clean up, then fail. */
static atomic_int interrupted;

static void on_signal(int sig)
{
	atomic_store(&interrupted, sig);
}

static int print_site(struct pdfjob *j, const struct fileset *site, const struct content *c,
		      const struct site_options *opt, bool show_source)
{
	struct sigaction sa, old_int, old_term;
	struct docinfo info;
	struct diags diags;
	char *err = NULL;
	int rc;

	diags_init(&diags);
	if (docinfo_init(&info, c, opt, &diags)) {
		diags_sort(&diags);
		diags_print(&diags, stderr, show_source);
		diags_release(&diags);
		return EXIT_INVALID;
	}
	diags_release(&diags);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	atomic_store(&interrupted, 0);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	j->engine.cancel = &interrupted;
	rc = pdf_make(site, &j->engine, &info, opt->source_date_epoch, &j->pdf, &err);
	j->engine.cancel = NULL;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	docinfo_release(&info);
	if (rc) {
		fprintf(stderr, "briefgen: %s\n", err);
		free(err);
		/* Everything is cleaned up: now die of the signal, as without us. */
		if (atomic_load(&interrupted))
			raise(atomic_load(&interrupted));
		return EXIT_TROUBLE;
	}
	return 0;
}

int pdfjob_make(struct pdfjob *j, const struct content *c, struct site_options *opt,
		bool show_source)
{
	struct fileset *site;
	struct output out;
	struct diags diags;
	bool out_failed = false;
	int status = 0;

	if (!j->want)
		return 0;
	site = fileset_new();
	out = fileset_output(site);
	diags_init(&diags);
	opt->pdf_bytes = 0;
	if (site_build(c, opt, &out, &diags, &out_failed) < 0) {
		diags_sort(&diags);
		diags_print(&diags, stderr, show_source);
		status = EXIT_INVALID;
		goto out;
	}
	status = print_site(j, site, c, opt, show_source);
	if (!status)
		opt->pdf_bytes = (long long)j->pdf.len;
out:
	diags_release(&diags);
	fileset_free(site);
	return status;
}

int pdfjob_put(const struct pdfjob *j, const struct output *out)
{
	if (!j->want)
		return 0;
	return output_put(out, PDF_NAME, j->pdf.ptr, j->pdf.len);
}
