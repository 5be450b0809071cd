#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../render/site.h"
#include "../util/intl.h"
#include "../write/staging.h"
#include "buildopts.h"
#include "cli.h"
#include "pdfjob.h"

static void print_warning(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "briefgen: warning: %s\n", msg);
}

int cmd_build(int argc, char **argv)
{
	const struct command *self = cli_find("build");
	const char *out = "public";
	struct buildopts o;
	struct pdfjob pdf;
	struct content c;
	struct diags diags;
	struct staging *st;
	struct output output;
	char *err = NULL;
	bool out_failed = false;
	int i, r, files, status;
	size_t count;

	if (cli_wants_help(argc, argv, self))
		return 0;
	buildopts_init(&o);
	pdfjob_init(&pdf);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) {
			if (++i >= argc)
				return cli_usage_error(self, "%s needs a folder", argv[i - 1]);
			out = argv[i];
		} else if ((r = pdfjob_parse(&pdf, argc, argv, &i)) != 0) {
			if (r < 0)
				return EXIT_TROUBLE;
		} else if ((r = buildopts_parse(&o, argc, argv, &i, true)) < 0) {
			return EXIT_TROUBLE;
		}
	}
	/* A missing engine is known before anything is read or written. */
	status = pdfjob_find_engine(&pdf);
	if (status) {
		pdfjob_release(&pdf);
		return status;
	}
	status = buildopts_load(&o, &c);
	if (status) {
		pdfjob_release(&pdf);
		return status;
	}
	diags_init(&diags);
	status = pdfjob_make(&pdf, &c, &o.site, o.source);
	if (status) {
		intl_say(stderr, "build failed; %s is unchanged", out);
		goto out;
	}
	st = staging_begin(out, 0, &err);
	if (!st) {
		fprintf(stderr, "briefgen: %s\n", err);
		free(err);
		status = EXIT_TROUBLE;
		goto out;
	}
	staging_set_warning(st, print_warning, NULL);
	if (o.site.source_date_epoch >= 0)
		staging_set_date(st, o.site.source_date_epoch);
	output = staging_output(st);
	files = site_build(&c, &o.site, &output, &diags, &out_failed);
	if (files >= 0 && pdf.want) {
		if (pdfjob_put(&pdf, &output) == 0) {
			files++;
		} else {
			files = -1;
			out_failed = true;
		}
	}
	/* The content is not needed any more: its memory goes before the
	 * commit builds the list of files and their sums. */
	content_release(&c);
	if (files < 0) {
		diags_sort(&diags);
		diags_print(&diags, stderr, o.source);
		if (out_failed && staging_error(st))
			fprintf(stderr, "briefgen: %s\n", staging_error(st));
		intl_say(stderr, "build failed; %s is unchanged", out);
		staging_abort(st);
		status = out_failed ? EXIT_TROUBLE : EXIT_INVALID;
		goto out;
	}
	/* The count publish and verify give too: every file SHA256SUMS lists
	 * (the pages, the PDF and briefgen's list of its own files). */
	count = staging_count(st);
	if (staging_commit(st, &err) != 0) {
		fprintf(stderr, "briefgen: %s\n", err);
		intl_say(stderr, "build failed; %s is unchanged", out);
		free(err);
		status = EXIT_TROUBLE;
		goto out;
	}
	fputs("briefgen: ", stderr);
	fprintf(stderr, ngettext("wrote %zu file to %s/ (SHA256SUMS lists it); open %s/index.html",
				 "wrote %zu files to %s/ (SHA256SUMS lists them); open %s/index.html",
				 count),
		count, out, out);
	fputc('\n', stderr);
	status = 0;
out:
	diags_release(&diags);
	content_release(&c);
	pdfjob_release(&pdf);
	return status;
}
