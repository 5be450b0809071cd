/*
 * fuzz_content: libFuzzer harness for a whole content folder, so the
 * cross-file rules of src/model/content.c run on fuzzed input too.
 *
 * The input is split at NUL bytes (which no content file may hold): the
 * first part is briefing.yaml, each further part a file in partners/.  A
 * part that begins with a line "# file: NAME" is written as partners/NAME
 * (NAME without '/', at most 64 bytes), so seeds can use real slugs and bad
 * names (Brasov.yaml, x.yml); other parts are partners/p1.yaml, p2.yaml...
 * The folder is written under one temporary directory per process, checked
 * with content_load(), and emptied again.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/content.h"
#include "util/alloc.h"
#include "diag/diag.h"

#define FUZZ_MAX_PARTS 12

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *fuzz_dir; /* <tmp>/content */
static char *fuzz_written[FUZZ_MAX_PARTS + 1];

static void write_part(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return;
	fwrite(p, 1, n, f);
	fclose(f);
}

/* The file name a part asks for with "# file: NAME\n", or NULL. */
static char *part_name(const uint8_t *p, size_t n)
{
	static const char tag[] = "# file: ";
	const uint8_t *nl;
	size_t len, i;

	if (n < sizeof(tag) || memcmp(p, tag, sizeof(tag) - 1) != 0)
		return NULL;
	p += sizeof(tag) - 1;
	n -= sizeof(tag) - 1;
	nl = memchr(p, '\n', n);
	len = nl ? (size_t)(nl - p) : n;
	if (!len || len > 64)
		return NULL;
	for (i = 0; i < len; i++)
		if (p[i] == '/' || p[i] < 0x20)
			return NULL;
	if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
		return NULL;
	return xstrndup((const char *)p, len);
}

static char *fuzz_base, *fuzz_partners;

static void cleanup(void)
{
	rmdir(fuzz_partners);
	rmdir(fuzz_dir);
	rmdir(fuzz_base);
	free(fuzz_partners);
	free(fuzz_dir);
	free(fuzz_base);
}

static void setup_once(void)
{
	char tmpl[] = "/tmp/briefgen-fuzz-content.XXXXXX";

	if (!mkdtemp(tmpl))
		abort();
	fuzz_base = xstrdup(tmpl);
	fuzz_dir = xasprintf("%s/content", fuzz_base);
	fuzz_partners = xasprintf("%s/partners", fuzz_dir);
	if (mkdir(fuzz_dir, 0700) != 0 || mkdir(fuzz_partners, 0700) != 0)
		abort();
	atexit(cleanup);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct content content;
	struct diags diags;
	const uint8_t *p = data, *end = data + size;
	size_t part = 0, nwritten = 0, i;

	if (!fuzz_dir)
		setup_once();
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	while (p <= end && part <= FUZZ_MAX_PARTS) {
		const uint8_t *nul = memchr(p, '\0', (size_t)(end - p));
		size_t n = nul ? (size_t)(nul - p) : (size_t)(end - p);
		char *path, *name;

		if (part == 0) {
			path = xasprintf("%s/briefing.yaml", fuzz_dir);
		} else {
			name = part_name(p, n);
			path = name ? xasprintf("%s/partners/%s", fuzz_dir, name)
				    : xasprintf("%s/partners/p%zu.yaml", fuzz_dir, part);
			free(name);
		}
		write_part(path, p, n);
		fuzz_written[nwritten++] = path;
		part++;
		if (!nul)
			break;
		p = nul + 1;
	}

	diags_init(&diags);
	content_load(&content, fuzz_dir, NULL, &diags);
	diags_sort(&diags);
	if (devnull) {
		diags_print(&diags, devnull, true);
		diags_print_summary(&diags, devnull);
	}
	content_release(&content);
	diags_release(&diags);

	for (i = 0; i < nwritten; i++) {
		unlink(fuzz_written[i]);
		free(fuzz_written[i]);
	}
	return 0;
}
