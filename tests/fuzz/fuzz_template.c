/*
 * fuzz_template: libFuzzer harness for the template engine and the site,
 * on the bundled content: what a hostile or careless --templates folder can
 * do to a build (and to serve, which rebuilds on every save).
 *
 * The input is split at NUL bytes into the files of a --templates folder,
 * in this order:
 *
 *   html/index.mustache, html/summary.mustache (a partial of index),
 *   html/layout.mustache (its parent), md/briefing-tail.mustache,
 *   i18n/da.yaml
 *
 * and the bundled content (BRIEFGEN_FUZZ_CONTENT, else FUZZ_CONTENT_DIR set
 * by CMake, else "content") is built against it into memory, with bounds of
 * 1 MiB a file and 8 MiB a build so an exploding template is refused fast.
 * Everything is released, so a leak on a failure path (a template that does
 * not compile, a language file that does not load, a bound passed) shows
 * up under LeakSanitizer; the render bounds (site.h, mustache.h) keep every
 * input's time and memory small.
 *
 * Built by the fuzz preset, run for a short while by the fuzz/template test
 * (tests/fuzz-run); tests/render/test_template_replay compiles this file
 * into an ordinary program and replays the seeds (tests/fuzz/corpus-template)
 * and every kept crash (tests/fuzz/regressions/template-*).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag/diag.h"
#include "model/content.h"
#include "render/fileset.h"
#include "render/site.h"
#include "util/alloc.h"
#include "util/tempdir.h"

#ifndef FUZZ_CONTENT_DIR
#define FUZZ_CONTENT_DIR "content"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_template_files[] = {
	"html/index.mustache", "html/summary.mustache", "html/layout.mustache",
	"md/briefing-tail.mustache", "i18n/da.yaml",
};
#define FUZZ_TEMPLATE_FILES (sizeof(fuzz_template_files) / sizeof(*fuzz_template_files))

static char *fuzz_tpl_base;              /* <tmp>: the --templates folder */
static struct content fuzz_tpl_content;
static int fuzz_tpl_ready;               /* 1: loaded, -1: could not load */
static const struct content_options fuzz_tpl_copt = {&site_prose, 1};
static int fuzz_tpl_last;                /* site_build's result, for the replay test */

static void fuzz_tpl_cleanup(void)
{
	tempdir_remove(fuzz_tpl_base);
	free(fuzz_tpl_base);
	if (fuzz_tpl_ready > 0)
		content_release(&fuzz_tpl_content);
}

static void fuzz_tpl_setup(void)
{
	const char *dir = getenv("BRIEFGEN_FUZZ_CONTENT");
	struct diags d;
	char *p, *err = NULL, *tmpl = tempdir_create("fuzz-template", &err);

	if (!tmpl)
		abort();
	fuzz_tpl_base = tmpl;
	p = xasprintf("%s/html", tmpl);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/md", tmpl);
	mkdir(p, 0700);
	free(p);
	p = xasprintf("%s/i18n", tmpl);
	mkdir(p, 0700);
	free(p);
	diags_init(&d);
	fuzz_tpl_ready = content_load(&fuzz_tpl_content, dir ? dir : FUZZ_CONTENT_DIR, &fuzz_tpl_copt,
				      &d) &&
				 !diags_failed(&d)
			 ? 1
			 : -1;
	if (fuzz_tpl_ready < 0) {
		diags_print(&d, stderr, false);
		fprintf(stderr, "fuzz_template: the bundled content does not load from '%s' "
				"(set BRIEFGEN_FUZZ_CONTENT)\n", dir ? dir : FUZZ_CONTENT_DIR);
		content_release(&fuzz_tpl_content);
		abort();
	}
	diags_release(&d);
	atexit(fuzz_tpl_cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct site_options opt;
	struct fileset *fs;
	struct output out;
	struct diags diags;
	size_t part = 0;

	if (!fuzz_tpl_ready)
		fuzz_tpl_setup();
	/* Each file of the folder: this input's part, or absent (built-in). */
	for (part = 0; part < FUZZ_TEMPLATE_FILES; part++) {
		char *path = xasprintf("%s/%s", fuzz_tpl_base, fuzz_template_files[part]);
		const uint8_t *nul = p <= end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);

		unlink(path);
		if (p <= end && (part == 0 || n > 0)) {
			FILE *f = fopen(path, "wb");
			if (f) {
				fwrite(p, 1, n, f);
				fclose(f);
			}
		}
		free(path);
		p = nul ? nul + 1 : end + 1;
	}

	diags_init(&diags);
	site_options_init(&opt);
	opt.templates_dir = fuzz_tpl_base;
	opt.max_file_bytes = 1u << 20;
	opt.max_build_bytes = 8u << 20;
	fs = fileset_new();
	out = fileset_output(fs);
	fuzz_tpl_last = site_build(&fuzz_tpl_content, &opt, &out, &diags, NULL);
	diags_sort(&diags);
	{
		static FILE *devnull;
		if (!devnull)
			devnull = fopen("/dev/null", "w");
		if (devnull)
			diags_print(&diags, devnull, true);
	}
	fileset_free(fs);
	diags_release(&diags);
	return 0;
}
