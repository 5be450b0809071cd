/*
 * Unit tests for util/atom (interned names) and render/view lookups: equal
 * bytes give the same atom, the per-thread cache of atom_intern_cstr() is
 * never fooled by a reused buffer, maps find every key whether they are
 * scanned or indexed and let a later set of a key win, and threads that
 * intern and render at once agree (run it under the tsan preset too).
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/mustache.h"
#include "render/view.h"
#include "util/arena.h"
#include "util/atom.h"
#include "util/buf.h"

START_TEST(test_atom_identity)
{
	const struct atom *a = atom_intern("test-view-alpha", 15);
	const struct atom *b = atom_intern("test-view-alpha!", 15);
	const struct atom *c = atom_intern("test-view-alph", 14);
	static const char nul[] = { 'x', '\0', 'y' };
	const struct atom *d = atom_intern(nul, 3), *e = atom_intern("x", 1);

	ck_assert_ptr_eq(a, b);
	ck_assert_ptr_ne(a, c);
	ck_assert_uint_ne(a->id, c->id);
	ck_assert_uint_ne(a->id, 0);
	ck_assert_str_eq(a->str, "test-view-alpha");
	ck_assert_uint_eq(a->len, 15);
	/* bytes after a NUL count */
	ck_assert_ptr_ne(d, e);
	ck_assert_uint_eq(d->len, 3);
	ck_assert_ptr_eq(atom_find(nul, 3), d);
	ck_assert_ptr_eq(atom_find("test-view-alpha", 15), a);
	ck_assert_ptr_null(atom_find("test-view-never-interned", 24));
	ck_assert_uint_ge(atom_count(), d->id);
}
END_TEST

/* One buffer holding one string after another: every call must give the
 * atom of what the buffer holds now, however the cache keyed by the
 * pointer has seen it before. */
START_TEST(test_atom_cache_reused_buffer)
{
	static const char *const seq[] = {
		"test-cache-abc", "test-cache-ab", "test-cache-abc", "test-cache-abcd",
		"test-cache-abc", "test-cache-xbc", "", "test-cache-abc", "test-cache-abc",
	};
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(seq) / sizeof(*seq); i++) {
		const struct atom *a;

		strcpy(buf, seq[i]);
		a = atom_intern_cstr(buf);
		ck_assert_str_eq(a->str, seq[i]);
		ck_assert_ptr_eq(a, atom_intern(seq[i], strlen(seq[i])));
	}
}
END_TEST

/* Enough atoms that the table grows several times: all stay findable. */
START_TEST(test_atom_table_grows)
{
	const struct atom *first[3000];
	char name[32];
	int i;

	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "test-grow-%d", i);
		first[i] = atom_intern(name, strlen(name));
	}
	for (i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "test-grow-%d", i);
		ck_assert_ptr_eq(atom_find(name, strlen(name)), first[i]);
		ck_assert_ptr_eq(atom_intern_cstr(name), first[i]);
		if (i)
			ck_assert_uint_ne(first[i]->id, first[i - 1]->id);
	}
}
END_TEST

/* Small maps are scanned, larger ones indexed: check both sides of
 * VIEW_INDEX_MIN, with duplicate keys set before and after the index is
 * built or rebuilt. */
START_TEST(test_map_lookup_sizes)
{
	size_t sizes[] = { 0, 1, 3, 4, 5, 8, 9, 15, 16, 17, 31, 32, 33, 200 };
	char key[32];
	size_t s, i;

	for (s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		size_t n = sizes[s];
		struct arena a;
		struct view *m;

		arena_init(&a);
		m = view_map(&a);
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof(key), "k%zu", i);
			view_set_str(&a, m, key, "first");
			/* every third key again at once, every fifth again later */
			if (i % 3 == 0)
				view_set_str(&a, m, key, "second");
		}
		for (i = 0; i < n; i += 5) {
			snprintf(key, sizeof(key), "k%zu", i);
			view_set_str(&a, m, key, "last");
		}
		for (i = 0; i < n; i++) {
			const char *want = i % 5 == 0 ? "last" : i % 3 == 0 ? "second" : "first";
			struct view *v;

			snprintf(key, sizeof(key), "k%zu", i);
			v = view_get(m, key, strlen(key));
			ck_assert_ptr_nonnull(v);
			ck_assert_str_eq(v->text, want);
			ck_assert_ptr_eq(view_lookup(m, view_key_intern(key, strlen(key))), v);
		}
		snprintf(key, sizeof(key), "k%zu", n);
		ck_assert_ptr_null(view_get(m, key, strlen(key)));
		ck_assert_ptr_null(view_lookup(m, view_key_intern("test-absent", 11)));
		ck_assert_ptr_null(view_get(m, "test-view-never-set-anywhere", 28));
		/* the pairs keep their order and their keys */
		if (n)
			ck_assert_uint_eq(m->pairs[0].atom, atom_find("k0", 2)->id);
		arena_release(&a);
	}
}
END_TEST

/* An indexed map's keys that share a home slot take the slots after it, the
 * last home's going round to the first slot; a lookup follows them and
 * stops at an empty slot, for a key absent with the same home too, and a
 * key set again replaces the value in its own slot, not its neighbour's. */
START_TEST(test_map_index_collisions)
{
	enum { N = 4000 };
	static struct view_key keys[N];
	size_t homes_of_last = 0, i, h, cap = VIEW_INDEX_MIN;
	struct arena a;
	struct view *m;
	char name[32];

	arena_init(&a);
	m = view_map_sized(&a, cap);
	ck_assert_uint_eq(m->cap, cap);
	ck_assert_ptr_nonnull(m->index);
	for (i = 0; i < N; i++) {
		snprintf(name, sizeof(name), "collide-%zu", i);
		keys[i] = view_key_intern(name, strlen(name));
	}
	/* For each home: its first three keys a, b (set) and c (absent). */
	for (h = 0; h < 2 * cap; h++) {
		size_t found[3], n = 0;

		for (i = 0; i < N && n < 3; i++)
			if (view_index_home(keys[i].atom, m->ishift) == h)
				found[n++] = i;
		ck_assert_uint_eq(n, 3);
		if (h == 2 * cap - 1)
			homes_of_last = n;
		/* Only the last home and a few others, to stay at most half
		 * full: homes 0, 5, 2 * cap - 1 (two keys each). */
		if (h != 0 && h != 5 && h != 2 * cap - 1)
			continue;
		snprintf(name, sizeof(name), "collide-%zu", found[0]);
		view_set_str(&a, m, name, "a");
		snprintf(name, sizeof(name), "collide-%zu", found[1]);
		view_set_str(&a, m, name, "b");
	}
	ck_assert_uint_eq(homes_of_last, 3);
	ck_assert_uint_eq(m->cap, cap);   /* 6 keys: not grown, index as made */
	for (h = 0; h < 2 * cap; h++) {
		size_t found[3], n = 0;
		struct view *v;

		if (h != 0 && h != 5 && h != 2 * cap - 1)
			continue;
		for (i = 0; i < N && n < 3; i++)
			if (view_index_home(keys[i].atom, m->ishift) == h)
				found[n++] = i;
		v = view_lookup(m, keys[found[0]]);
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(v->text, "a");
		v = view_lookup(m, keys[found[1]]);
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(v->text, "b");
		ck_assert_ptr_null(view_lookup(m, keys[found[2]]));
		/* Set b again: b changes, a does not. */
		snprintf(name, sizeof(name), "collide-%zu", found[1]);
		view_set_str(&a, m, name, "b2");
		ck_assert_str_eq(view_lookup(m, keys[found[1]])->text, "b2");
		ck_assert_str_eq(view_lookup(m, keys[found[0]])->text, "a");
	}
	arena_release(&a);
}
END_TEST

/* Maps made with room ahead (view_map_sized) or copied from another
 * (view_map_copy) look up as a map built one pair at a time; setting keys
 * in a copy leaves the original as it was. */
START_TEST(test_map_sized_and_copied)
{
	size_t sizes[] = { 0, 1, 3, 4, 5, 15, 16, 17, 33, 200 };
	char key[32];
	size_t s, i, way;

	for (s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
		for (way = 0; way < 4; way++) {
			size_t n = sizes[s], half = n / 2;
			struct arena a;
			struct view *m, *orig = NULL;

			arena_init(&a);
			/* 0, 1: sized too small and large enough; 2, 3: half set in
			 * an original, copied with no and with ample room. */
			m = way == 0 ? view_map_sized(&a, n / 3) : way == 1 ? view_map_sized(&a, n)
								   : view_map(&a);
			for (i = 0; i < n; i++) {
				if (way >= 2 && i == half) {
					orig = m;
					m = view_map_copy(&a, orig, way == 2 ? 0 : n);
				}
				snprintf(key, sizeof(key), "k%zu", i);
				view_set_str(&a, m, key, "first");
				if (i % 3 == 0)
					view_set_str(&a, m, key, "second");
			}
			if (way >= 2 && !orig) {
				orig = m;
				m = view_map_copy(&a, orig, 0);
			}
			for (i = 0; i < n; i++) {
				const char *want = i % 3 == 0 ? "second" : "first";
				struct view *v;

				snprintf(key, sizeof(key), "k%zu", i);
				v = view_get(m, key, strlen(key));
				ck_assert_ptr_nonnull(v);
				ck_assert_str_eq(v->text, want);
				ck_assert_ptr_eq(view_lookup(m, view_key_intern(key, strlen(key))), v);
				if (orig)
					ck_assert_ptr_eq(view_get(orig, key, strlen(key)),
							 i < half ? v : NULL);
			}
			snprintf(key, sizeof(key), "k%zu", n);
			ck_assert_ptr_null(view_get(m, key, strlen(key)));
			/* every pair kept, in the order set */
			ck_assert_uint_eq(m->n, n + (n + 2) / 3);
			if (n)
				ck_assert_uint_eq(m->pairs[0].atom, atom_find("k0", 2)->id);
			if (n > 1)
				ck_assert_uint_eq(m->pairs[2].atom, atom_find("k1", 2)->id);
			arena_release(&a);
		}
}
END_TEST

/* Null and the booleans are shared and outlive the arena they were asked
 * for in; each keeps its kind and value. */
START_TEST(test_shared_scalars)
{
	struct arena a, b;
	struct view *t, *f, *n;

	arena_init(&a);
	arena_init(&b);
	t = view_bool(&a, true);
	f = view_bool(&a, false);
	n = view_null(&a);
	arena_release(&a);
	ck_assert_ptr_eq(view_bool(&b, true), t);
	ck_assert_ptr_eq(view_bool(&b, false), f);
	ck_assert_ptr_eq(view_null(&b), n);
	ck_assert_int_eq(t->kind, VIEW_BOOL);
	ck_assert(t->boolean && view_truthy(t));
	ck_assert_int_eq(f->kind, VIEW_BOOL);
	ck_assert(!f->boolean && !view_truthy(f));
	ck_assert_int_eq(n->kind, VIEW_NULL);
	ck_assert(!view_truthy(n));
	arena_release(&b);
}
END_TEST

START_TEST(test_list_index_and_kinds)
{
	struct arena a;
	struct view *l, *s;
	size_t i;

	arena_init(&a);
	l = view_list(&a);
	for (i = 0; i < 12; i++)
		view_push(&a, l, view_number(&a, (double)i, i == 10 ? "10" : "n"));
	ck_assert_ptr_eq(view_get(l, "0", 1), l->items[0]);
	ck_assert_ptr_eq(view_get(l, "00", 2), l->items[0]);
	ck_assert_ptr_eq(view_get(l, "10", 2), l->items[10]);
	ck_assert_ptr_null(view_get(l, "12", 2));
	ck_assert_ptr_null(view_get(l, "1x", 2));
	ck_assert_ptr_null(view_get(l, "0000000001", 10));   /* more than 9 digits */
	ck_assert_ptr_eq(view_lookup(l, view_key_intern("000000010", 9)), l->items[10]);
	ck_assert_ptr_null(view_lookup(l, view_key_intern("0000000001", 10)));
	ck_assert_ptr_null(view_lookup(l, view_key_intern("n", 1)));
	s = view_string(&a, "x");
	ck_assert_ptr_null(view_lookup(s, view_key_intern("0", 1)));
	ck_assert_ptr_null(view_lookup(NULL, view_key_intern("0", 1)));
	ck_assert_ptr_null(view_get(NULL, "0", 1));
	arena_release(&a);
}
END_TEST

/* A template compiled before any view has its names resolves them against
 * views built afterwards; names in maps and in dotted paths, partial names
 * and block names resolve as atoms. */
START_TEST(test_names_resolved_at_compile)
{
	static const char src[] = "{{test-late.inner}}|{{#test-late}}{{inner}}{{/test-late}}|"
				  "{{test-late.0}}|{{^test-missing}}none{{/test-missing}}";
	struct arena a;
	struct view *ctx, *inner;
	struct buf out = BUF_INIT;
	char *err = NULL;
	struct mustache *m = mustache_compile("t", src, sizeof(src) - 1, &err);

	ck_assert_ptr_nonnull(m);
	arena_init(&a);
	ctx = view_map(&a);
	inner = view_set(&a, ctx, "test-late", view_map(&a));
	view_set_str(&a, inner, "inner", "<i>");
	ck_assert_int_eq(mustache_render(NULL, m, ctx, &out, &err), 0);
	ck_assert_str_eq(out.ptr, "&lt;i&gt;|&lt;i&gt;||none");
	buf_release(&out);
	mustache_free(m);
	arena_release(&a);
}
END_TEST

/* Threads interning the same and different names at once agree on every
 * atom. */
#define RACE_THREADS 4
#define RACE_NAMES 2000

static void *race_intern(void *arg)
{
	const struct atom **got = arg;
	char name[32];
	int i;

	for (i = 0; i < RACE_NAMES; i++) {
		snprintf(name, sizeof(name), "test-race-%d", i);
		got[i] = i % 2 ? atom_intern(name, strlen(name)) : atom_intern_cstr(name);
		if (!atom_find(name, strlen(name)))
			got[i] = NULL;
	}
	return NULL;
}

START_TEST(test_atom_threads)
{
	static const struct atom *got[RACE_THREADS][RACE_NAMES];
	pthread_t th[RACE_THREADS];
	int t, i;

	for (t = 0; t < RACE_THREADS; t++)
		ck_assert_int_eq(pthread_create(&th[t], NULL, race_intern, got[t]), 0);
	for (t = 0; t < RACE_THREADS; t++)
		ck_assert_int_eq(pthread_join(th[t], NULL), 0);
	for (i = 0; i < RACE_NAMES; i++) {
		ck_assert_ptr_nonnull(got[0][i]);
		for (t = 1; t < RACE_THREADS; t++)
			ck_assert_ptr_eq(got[t][i], got[0][i]);
	}
}
END_TEST

/* One compiled template rendered by two threads at once, each with its own
 * environment and views (built while the other thread renders), gives the
 * same output as one thread. */
struct render_job {
	const struct mustache *tmpl;
	int seed;
	char *out;
};

static const char *job_load(void *ud, const char *name, size_t *len)
{
	static const char part[] = "<{{name}}:{{#tags}}{{.}}{{/tags}}>";

	(void)ud;
	if (strcmp(name, "row"))
		return NULL;
	*len = sizeof(part) - 1;
	return part;
}

static void *render_job_run(void *arg)
{
	struct render_job *job = arg;
	struct mustache_loader loader = { job_load, NULL };
	struct mustache_env *env = mustache_env_new(&loader);
	struct buf out = BUF_INIT;
	struct arena a;
	char key[32], *err = NULL;
	int i, k;

	arena_init(&a);
	for (i = 0; i < 200; i++) {
		struct view *ctx = view_map(&a), *rows = view_list(&a);

		for (k = 0; k < 20; k++) {
			struct view *row = view_map(&a), *tags = view_list(&a);

			/* keys new to the table while the other thread renders */
			snprintf(key, sizeof(key), "test-job-%d-%d", job->seed, k);
			view_set_bool(&a, row, key, true);
			snprintf(key, sizeof(key), "r%d", (i + k) % 50);
			view_set_str(&a, row, "name", key);
			view_push(&a, tags, view_string(&a, "a"));
			view_push(&a, tags, view_string(&a, "b"));
			view_set(&a, row, "tags", tags);
			view_push(&a, rows, row);
		}
		view_set(&a, ctx, "rows", rows);
		view_set_str(&a, ctx, "title", "T");
		if (mustache_render(env, job->tmpl, ctx, &out, &err) != 0)
			break;
	}
	job->out = buf_detach(&out, NULL);
	free(err);
	arena_release(&a);
	mustache_env_free(env);
	return NULL;
}

START_TEST(test_render_threads)
{
	static const char src[] = "{{title}}{{#rows}}{{>row}}{{/rows}}\n";
	char *err = NULL;
	struct mustache *m = mustache_compile("t", src, sizeof(src) - 1, &err);
	struct render_job jobs[3] = { { m, 1, NULL }, { m, 2, NULL }, { m, 3, NULL } };
	pthread_t th[2];
	int i;

	ck_assert_ptr_nonnull(m);
	render_job_run(&jobs[2]);   /* one thread alone: the reference */
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_create(&th[i], NULL, render_job_run, &jobs[i]), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	ck_assert_uint_gt(strlen(jobs[2].out), 200 * 20 * 7);
	for (i = 0; i < 2; i++) {
		ck_assert_str_eq(jobs[i].out, jobs[2].out);
		free(jobs[i].out);
	}
	free(jobs[2].out);
	mustache_free(m);
}
END_TEST

/* A key table resolved once (view_keys_intern) gives each name's atom, and
 * view_set_key with those atoms makes the same map as view_set with the
 * names: found by either lookup, a later set winning, sized or not. */
START_TEST(test_key_table)
{
	static const char *const names[] = {
		"test-keys-slug", "test-keys-name", "test-keys-href", "test-keys-", "",
		"test-keys-0", "test-keys-slug2",
	};
	enum { N = sizeof(names) / sizeof(*names) };
	const struct atom *atoms[N];
	size_t i, round;

	view_keys_intern(names, N, atoms);
	for (i = 0; i < N; i++) {
		ck_assert_ptr_eq(atoms[i], atom_intern(names[i], strlen(names[i])));
		ck_assert_str_eq(atoms[i]->str, names[i]);
	}
	/* resolving again (another site) gives the same atoms */
	{
		const struct atom *again[N];

		view_keys_intern(names, N, again);
		for (i = 0; i < N; i++)
			ck_assert_ptr_eq(again[i], atoms[i]);
	}
	/* round 0: a small scanned map; 1: one big enough for an index */
	for (round = 0; round < 2; round++) {
		struct arena a;
		struct view *by_key, *by_name;
		char other[32];

		arena_init(&a);
		by_key = round ? view_map_sized(&a, 40) : view_map(&a);
		by_name = round ? view_map_sized(&a, 40) : view_map(&a);
		for (i = 0; i < N; i++) {
			struct view *v = view_string(&a, names[i]);

			ck_assert_ptr_eq(view_set_key(&a, by_key, atoms[i], v), v);
			view_set(&a, by_name, names[i], v);
		}
		/* a later set of a key wins, by atom as by name */
		view_set_key(&a, by_key, atoms[1], view_string(&a, "later"));
		view_set(&a, by_name, names[1], view_string(&a, "later"));
		for (i = 0; round && i < 20; i++) {
			snprintf(other, sizeof(other), "test-keys-other-%zu", i);
			view_set_key(&a, by_key, atom_intern(other, strlen(other)), view_null(&a));
			view_set(&a, by_name, other, view_null(&a));
		}
		ck_assert_uint_eq(by_key->n, by_name->n);
		ck_assert_uint_eq(by_key->bloom, by_name->bloom);
		for (i = 0; i < by_key->n; i++) {
			ck_assert_uint_eq(by_key->pairs[i].atom, by_name->pairs[i].atom);
		}
		for (i = 0; i < N; i++) {
			struct view *v = view_get(by_key, names[i], strlen(names[i]));

			ck_assert_ptr_nonnull(v);
			ck_assert_str_eq(v->text, i == 1 ? "later" : names[i]);
			ck_assert_ptr_eq(view_lookup(by_key, view_key_intern(names[i], strlen(names[i]))),
					 v);
		}
		arena_release(&a);
	}
}
END_TEST

static Suite *view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_atom_identity);
	tcase_add_test(tc, test_atom_cache_reused_buffer);
	tcase_add_test(tc, test_atom_table_grows);
	tcase_add_test(tc, test_map_lookup_sizes);
	tcase_add_test(tc, test_map_sized_and_copied);
	tcase_add_test(tc, test_map_index_collisions);
	tcase_add_test(tc, test_key_table);
	tcase_add_test(tc, test_shared_scalars);
	tcase_add_test(tc, test_list_index_and_kinds);
	tcase_add_test(tc, test_names_resolved_at_compile);
	tcase_add_test(tc, test_atom_threads);
	tcase_add_test(tc, test_render_threads);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(view_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
