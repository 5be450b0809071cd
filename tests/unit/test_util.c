/* Unit tests of src/util: the arena's quick path and its chunks. */
#include <stdalign.h>
#include <stdint.h>

#include "unit.h"

/* Every allocation aligned, zeroed, apart from the others, and counted;
 * small ones from the head chunk, large ones in their own. */
START_TEST(arena_hands_out_zeroed_aligned_blocks)
{
	static const size_t sizes[] = {0, 1, 7, 16, 17, 100, 4000, 16384, 16385, 70000, 3};
	struct arena a;
	unsigned char *blocks[200];
	size_t lens[200], i, j, n = 0, used = 0;

	arena_init(&a);
	for (i = 0; i < 200; i++) {
		size_t len = sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];
		unsigned char *p = i % 3 == 2 ? (unsigned char *)arena_strndup(&a, "abcdefghij", len % 11)
					      : arena_alloc(&a, len);

		if (i % 3 == 2)
			len = len % 11 + 1;
		else
			ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
		for (j = 0; i % 3 != 2 && j < len; j++)
			if (p[j])
				ck_abort_msg("block %zu not zeroed at %zu", i, j);
		memset(p, (int)(i + 1), len);   /* overlapping blocks would show below */
		blocks[n] = p;
		lens[n++] = len;
		ck_assert_uint_ge(a.used, used + (len ? len : 1));
		used = a.used;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < lens[i]; j++)
			if (blocks[i][j] != (unsigned char)(i + 1))
				ck_abort_msg("block %zu overwritten at %zu", i, j);
	/* Strings are packed: two in a row take their bytes and no more. */
	{
		size_t before = a.used;
		char *x = arena_strdup(&a, "xy"), *y = arena_strdup(&a, "z");

		ck_assert_str_eq(x, "xy");
		ck_assert_str_eq(y, "z");
		ck_assert_uint_le(a.used - before, 3 + 2 + 15);
	}
	arena_release(&a);
	ck_assert_uint_eq(a.used, 0);
	/* Released, it works as new. */
	ck_assert_ptr_nonnull(arena_alloc(&a, 8));
	arena_release(&a);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *t = tcase_create("arena");

	tcase_add_test(t, arena_hands_out_zeroed_aligned_blocks);
	suite_add_tcase(s, t);
	return run_suite(s);
}
