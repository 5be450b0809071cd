#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../publish/publish.h"
#include "../render/site.h"
#include "../util/intl.h"
#include "buildopts.h"
#include "cli.h"
#include "pdfjob.h"

struct render_job {
	const struct pdfjob *pdf;
	struct content *content;
	const struct site_options *site;
	struct diags *diags;
	bool out_failed;
};

static int render_site(void *ud, const struct output *out)
{
	struct render_job *job = ud;

	int rc = 0;

	if (site_build(job->content, job->site, out, job->diags, &job->out_failed) < 0) {
		rc = -1;
	} else if (pdfjob_put(job->pdf, out)) {
		job->out_failed = true;
		rc = -1;
	}
	/* Not needed any more: its memory goes before the commit. */
	content_release(job->content);
	return rc;
}

static void print_warning(void *ud, const char *msg)
{
	(void)ud;
	fprintf(stderr, "briefgen: warning: %s\n", msg);
}

/* "briefgen: live now: ..." and "briefgen: kept for --rollback: ...". */
static void print_state(const struct publish_state *state)
{
	char *text = publish_state_text(state, "briefgen");

	fputs(text, stderr);
	free(text);
}

/* Which way a rollback went, from the build times of the two versions. */
static void print_rolled(const char *to, const struct publish_state *state)
{
	int cmp = publish_version_cmp(&state->live, &state->kept);

	if (cmp < 0)
		fprintf(stderr, _("briefgen: rolled %s back: the older version is live again; "
				  "--rollback again brings the newer one back\n"), to);
	else if (cmp > 0)
		fprintf(stderr, _("briefgen: rolled %s forward: the newer version is live again; "
				  "--rollback again brings the older one back\n"), to);
	else
		fprintf(stderr, _("briefgen: swapped %s with the version kept beside it; "
				  "--rollback again swaps them back\n"), to);
	print_state(state);
}

/* BRIEFGEN_LOCK_WAIT=SECONDS (documented in the usage text); 0 = default. */
static int lock_wait_ms(void)
{
	const char *v = getenv("BRIEFGEN_LOCK_WAIT");
	char *end;
	double secs;

	if (!v || !*v)
		return 0;
	secs = strtod(v, &end);
	if (*end || secs <= 0 || secs > 3600)
		return 0;
	return (int)(secs * 1000);
}

static int rollback(const char *to)
{
	struct publish_options opt;
	struct publish_state state;
	char *err = NULL;
	enum publish_status st;

	memset(&opt, 0, sizeof(opt));
	opt.lock_wait_ms = lock_wait_ms();
	opt.warn = print_warning;
	st = publish_rollback(to, &opt, &state, &err);
	if (st != PUBLISH_OK) {
		fprintf(stderr, "briefgen: %s\n", err);
		free(err);
		return EXIT_TROUBLE;
	}
	print_rolled(to, &state);
	return 0;
}

int cmd_publish(int argc, char **argv)
{
	const struct command *self = cli_find("publish");
	const char *to = NULL;
	bool force = false, back = false;
	struct buildopts o;
	struct pdfjob pdf;
	struct publish_options opt;
	struct render_job job;
	struct content c;
	struct diags diags;
	enum publish_status st;
	char *err = NULL;
	struct publish_result res;
	struct publish_source sources[2];
	int i, r, status;

	if (cli_wants_help(argc, argv, self))
		return 0;
	buildopts_init(&o);
	pdfjob_init(&pdf);
	for (i = 1; i < argc; i++) {
		if ((r = pdfjob_parse(&pdf, argc, argv, &i)) != 0) {
			if (r < 0)
				return EXIT_TROUBLE;
		} else if (!strcmp(argv[i], "--to")) {
			if (++i >= argc)
				return cli_usage_error(self, "--to needs a folder");
			to = argv[i];
		} else if (!strncmp(argv[i], "--to=", 5)) {
			to = argv[i] + 5;
		} else if (!strcmp(argv[i], "--force")) {
			force = true;
		} else if (!strcmp(argv[i], "--rollback")) {
			back = true;
		} else if ((r = buildopts_parse(&o, argc, argv, &i, true)) < 0) {
			return EXIT_TROUBLE;
		}
	}
	if (!to || !*to)
		return cli_usage_error(self, "say where to publish with --to PATH");
	if (back) {
		if (o.dir)
			return cli_usage_error(self, "--rollback takes no content folder");
		return rollback(to);
	}
	/* Before anything is read, printed or written: a target in or over the
	 * source is refused whatever --force says. */
	sources[0].path = o.dir ? o.dir : "content";
	sources[0].what = N_("content folder");
	sources[1].path = o.site.templates_dir;
	sources[1].what = N_("templates folder");
	if (publish_check_target(to, sources, o.site.templates_dir ? 2 : 1, &err) != 0) {
		fprintf(stderr, "briefgen: %s\n", err);
		free(err);
		pdfjob_release(&pdf);
		return EXIT_TROUBLE;
	}
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
	/* Printed before the lock is taken: Chromium takes a second or two. */
	status = pdfjob_make(&pdf, &c, &o.site, o.source);
	if (status) {
		fprintf(stderr, _("briefgen: publish failed; %s is unchanged\n"), to);
		goto out;
	}

	job.pdf = &pdf;
	job.content = &c;
	job.site = &o.site;
	job.diags = &diags;
	job.out_failed = false;
	memset(&opt, 0, sizeof(opt));
	opt.lock_wait_ms = lock_wait_ms();
	opt.force = force;
	opt.render = render_site;
	opt.render_ud = &job;
	opt.sources = sources;
	opt.nsources = o.site.templates_dir ? 2 : 1;
	opt.warn = print_warning;
	opt.dated = o.site.source_date_epoch >= 0;
	opt.date = o.site.source_date_epoch;
	memset(&res, 0, sizeof(res));
	st = publish_site(to, &opt, &res, &err);
	switch (st) {
	case PUBLISH_OK:
		if (res.kept_previous)
			fprintf(stderr, ngettext("briefgen: published %s to %s (%zu file); previous "
						 "version kept for --rollback\n",
						 "briefgen: published %s to %s (%zu files); previous "
						 "version kept for --rollback\n", res.files),
				o.dir ? o.dir : "content", to, res.files);
		else
			fprintf(stderr, ngettext("briefgen: published %s to %s (%zu file)\n",
						 "briefgen: published %s to %s (%zu files)\n",
						 res.files),
				o.dir ? o.dir : "content", to, res.files);
		print_state(&res.state);
		status = 0;
		break;
	case PUBLISH_RENDER:
		diags_sort(&diags);
		diags_print(&diags, stderr, o.source);
		diags_print_summary(&diags, stderr);
		fprintf(stderr, _("briefgen: publish failed; %s is unchanged\n"), to);
		status = EXIT_INVALID;
		break;
	case PUBLISH_REFUSED:
		fprintf(stderr, "briefgen: %s\n", err);
		fputs(_("briefgen: (--force replaces it anyway and keeps what was there as the "
			"previous version)\n"), stderr);
		status = EXIT_INVALID;
		break;
	case PUBLISH_UNSAFE:
		fprintf(stderr, "briefgen: %s\n", err);
		status = EXIT_TROUBLE;
		break;
	case PUBLISH_BUSY:
	case PUBLISH_FAILED:
	default:
		if (err)
			fprintf(stderr, "briefgen: %s\n", err);
		fprintf(stderr, _("briefgen: publish failed; %s is unchanged\n"), to);
		status = EXIT_TROUBLE;
		break;
	}
	free(err);
out:
	diags_release(&diags);
	content_release(&c);
	pdfjob_release(&pdf);
	return status;
}
