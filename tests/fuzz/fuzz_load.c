/*
 * fuzz_load: libFuzzer harness for the loader and the decoder.
 *
 * Each input is loaded as one YAML file and, when it loads, decoded as a
 * partner and as a briefing; the diagnostics are sorted and printed (to
 * /dev/null) so their formatting runs too.  Everything is released, so a
 * leak shows up under LeakSanitizer.
 *
 * Built by the fuzz preset (cmake --preset fuzz; tests/fuzz/CMakeLists.txt),
 * run for a short while by the fuzz-run test (tests/fuzz-run).  The unit
 * test test_fuzz_replay compiles this file into an ordinary program and
 * replays the seed corpus and every kept crash (tests/fuzz/regressions).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "load/loader.h"
#include "util/arena.h"
#include "validate/decode.h"
#include "diag/diag.h"
#include "validate/record.h"
#include "validate/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct arena arena;
	struct diags diags;
	struct node *root;
	struct partner partner;
	struct briefing briefing;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	arena_init(&arena);
	diags_init(&diags);
	root = load_text("fuzz.yaml", (const char *)data, size, &arena, &diags);
	if (root) {
		memset(&partner, 0, sizeof(partner));
		decode_record(&schema_partner, root, &partner, &arena, &diags);
		memset(&briefing, 0, sizeof(briefing));
		decode_record(&schema_briefing, root, &briefing, &arena, &diags);
	}
	diags_sort(&diags);
	if (devnull) {
		/* No file "fuzz.yaml" exists: the source lines are skipped. */
		diags_print(&diags, devnull, true);
		diags_print_summary(&diags, devnull);
	}
	diags_release(&diags);
	arena_release(&arena);
	return 0;
}
