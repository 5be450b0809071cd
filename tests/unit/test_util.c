/* Unit tests of src/util: the arena's quick path and its chunks, the
 * heap's reuse and growth, and buf_add_html's scan. */
#include <signal.h>
#include <stdalign.h>
#include <stdint.h>

#include "unit.h"
#include "util/bytes.h"
#include "util/heap.h"
#include "util/pool.h"
#include "util/strmap.h"

#include <stdatomic.h>

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

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v);

/* arena_take, inline as arena_alloc: aligned blocks apart from each other,
 * counted, from the head chunk or a new one (a large one in its own). */
START_TEST(arena_take_hands_out_aligned_blocks)
{
	static const size_t sizes[] = {0, 1, 7, 16, 17, 100, 4000, 16384, 16385, 70000, 3, 9000};
	struct arena a;
	unsigned char *blocks[120];
	size_t lens[120], i, j, used = 0;

	arena_init(&a);
	for (i = 0; i < 120; i++) {
		size_t len = sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];

		blocks[i] = arena_take(&a, len);
		lens[i] = len;
		ck_assert_uint_eq((uintptr_t)blocks[i] % alignof(max_align_t), 0);
		ck_assert_uint_ge(a.used, used + (len ? len : 1));
		used = a.used;
		memset(blocks[i], (int)(i + 1), len);
		if (i % 5 == 4)   /* an arena_alloc between: zeroed as ever */
			ck_assert(all_bytes(arena_alloc(&a, 40), 40, 0));
	}
	for (i = 0; i < 120; i++)
		for (j = 0; j < lens[i]; j++)
			if (blocks[i][j] != (unsigned char)(i + 1))
				ck_abort_msg("block %zu overwritten at %zu", i, j);
	arena_release(&a);
}
END_TEST

/* arena_strndup's quick path and its way to a new chunk: strings of every
 * length up to 300 until many chunks are full (so the free room of a chunk
 * is at some point exactly each length, one more and one less), each kept
 * whole and apart from the others. */
START_TEST(arena_strndup_fills_chunks_exactly)
{
	enum { N = 3000 };
	static char src[301];
	struct arena a;
	char *got[N];
	size_t i;

	memset(src, 'x', sizeof(src) - 1);
	for (i = 0; i < sizeof(src) - 1; i++)
		src[i] = (char)('a' + i % 26);
	arena_init(&a);
	for (i = 0; i < N; i++) {
		got[i] = arena_strndup(&a, src + i % 7, (i * 37) % 294);
		ck_assert((uintptr_t)a.next <= (uintptr_t)a.end);   /* the NUL too in the chunk */
	}
	for (i = 0; i < N; i++) {
		size_t n = (i * 37) % 294;

		ck_assert_uint_eq(strlen(got[i]), n);
		if (memcmp(got[i], src + i % 7, n))
			ck_abort_msg("string %zu overwritten", i);
	}
	/* A string and its NUL that just fill the chunk's room stay in it; one
	 * byte more goes to a new chunk. */
	{
		static char big[20000];
		size_t room = (size_t)(a.end - a.next);
		char *p;

		memset(big, 'y', sizeof(big));
		p = arena_strndup(&a, big, room - 1);
		ck_assert_ptr_eq(a.next, a.end);
		ck_assert_uint_eq(strlen(p), room - 1);
		ck_assert_str_eq(arena_strndup(&a, "new", 3), "new");   /* a new chunk */
		room = (size_t)(a.end - a.next);
		p = arena_strndup(&a, big, room);
		ck_assert_uint_eq(strlen(p), room);
		ck_assert((uintptr_t)a.next <= (uintptr_t)a.end);
	}
	arena_release(&a);
}
END_TEST

/* Whether p[0..n) are all zero. */
static bool all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Released chunks of the usual size are kept, up to ARENA_SPARE_MAX, and
 * handed to the next arenas: a kept chunk is whole (a block as large as a
 * chunk holds fits in it), arena_alloc zeroes what it had, and a large
 * block's own chunk is freed, not kept. */
START_TEST(arena_keeps_released_chunks_for_reuse)
{
	enum { BLOCK = 10000 };   /* one a chunk */
	struct arena a, b;
	unsigned char *p, *q;
	size_t i, before;

	arena_init(&a);
	arena_release(&a);   /* an arena that took nothing gives nothing */
	for (i = 0; i < ARENA_SPARE_MAX + 3; i++)
		memset(arena_take(&a, BLOCK), 0xAB, BLOCK);
	arena_take(&a, 70000);   /* its own chunk */
	arena_release(&a);
	ck_assert_uint_eq(a.used, 0);
	ck_assert_ptr_null(a.head);
	ck_assert_uint_eq(arena_spare_count(), ARENA_SPARE_MAX);

	/* Reused: each new chunk of another arena comes from the spares, and is
	 * handed out zeroed by arena_alloc, whole (two blocks per chunk at most). */
	arena_init(&b);
	for (i = 0; i < 4; i++) {
		before = arena_spare_count();
		p = arena_alloc(&b, BLOCK);
		ck_assert_uint_eq(arena_spare_count(), before - 1);
		ck_assert(all_zero(p, BLOCK));
		q = arena_alloc(&b, 16384 - BLOCK);   /* the rest of the chunk */
		ck_assert_uint_eq(arena_spare_count(), before - 1);
		ck_assert(all_zero(q, 16384 - BLOCK));
		memset(q, 0xCD, 16384 - BLOCK);
		ck_assert(all_zero(p, BLOCK));
	}
	p = (unsigned char *)arena_strndup(&b, "from a kept chunk", 17);
	ck_assert_str_eq((char *)p, "from a kept chunk");
	arena_release(&b);
	ck_assert_uint_eq(arena_spare_count(), ARENA_SPARE_MAX);
	ck_assert_ptr_nonnull(arena_alloc(&b, 8));
	arena_release(&b);
}
END_TEST

/* arena_reset keeps the newest chunk, emptied, for the next blocks (taken
 * from it, zeroed by arena_alloc, no spare taken), and hands the others to
 * the spares; an arena whose newest chunk is a large block's keeps none. */
START_TEST(arena_reset_keeps_one_chunk)
{
	enum { BLOCK = 10000 };   /* one a chunk */
	struct arena a;
	unsigned char *p = NULL, *q;
	size_t i, before;

	arena_init(&a);
	arena_reset(&a);   /* nothing taken: still nothing */
	ck_assert_ptr_null(a.head);
	for (i = 0; i < 3; i++)
		memset(p = arena_take(&a, BLOCK), 0xAB, BLOCK);
	before = arena_spare_count();
	arena_reset(&a);
	ck_assert_uint_eq(a.used, 0);
	ck_assert_uint_eq(arena_spare_count(), before + 2);
	q = arena_alloc(&a, BLOCK);
	ck_assert_ptr_eq(q, p);   /* the newest chunk, from its start */
	ck_assert(all_zero(q, BLOCK));
	ck_assert_uint_eq(arena_spare_count(), before + 2);
	ck_assert_uint_eq(a.used, BLOCK);
	q = (unsigned char *)arena_strndup(&a, "kept", 4);
	ck_assert_ptr_eq(q, p + BLOCK);
	arena_reset(&a);   /* one chunk: kept, nothing to hand on */
	ck_assert_uint_eq(arena_spare_count(), before + 2);
	ck_assert_ptr_eq(arena_take(&a, 1), p);
	arena_release(&a);
	ck_assert_uint_eq(arena_spare_count(), before + 3);

	arena_init(&a);
	arena_take(&a, 70000);   /* its own chunk, the only one */
	arena_reset(&a);
	ck_assert_ptr_null(a.head);
	ck_assert_uint_eq(arena_spare_count(), before + 3);
	arena_release(&a);
}
END_TEST

/* A heap request whose size overflows aborts through alloc.h, with its
 * message, as any allocation that cannot be made. */
static size_t heap_failed_size;

static void heap_failure_hook(size_t size)
{
	heap_failed_size = size;
	fprintf(stderr, "hook %zu\n", size);
}

START_TEST(heap_overflow_aborts)
{
	struct heap h;

	alloc_set_failure_hook(heap_failure_hook);
	heap_init(&h);
	heap_calloc(&h, SIZE_MAX / 2 + 1, 4);
	ck_abort_msg("no abort (hook saw %zu)", heap_failed_size);
}
END_TEST

/* Whether p[0..n) are all v. */
static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* A heap's blocks: aligned, as large as asked, apart from each other while
 * in use, their contents kept when grown, zeroed by heap_calloc; a freed
 * block is handed out again for its class; the last block grows in place;
 * blocks over HEAP_MAX work too.  A random mix of requests checks the
 * live blocks' bytes as it goes. */
START_TEST(heap_reuses_and_grows_blocks)
{
	enum { LIVE = 64 };
	struct heap h;
	unsigned char *blocks[LIVE] = {0};
	size_t sizes[LIVE] = {0}, i, k;
	uint64_t seed = 88172645463325252u;
	void *p, *q;

	heap_init(&h);
	/* Reuse: a freed block is the next one of its class. */
	p = heap_alloc(&h, 100);
	ck_assert_uint_eq(heap_capacity(p), 128);
	ck_assert_uint_eq((uintptr_t)p % alignof(max_align_t), 0);
	q = heap_alloc(&h, 10);
	heap_free(&h, p);
	ck_assert_ptr_eq(heap_alloc(&h, 65), p);
	/* Growth in place: the last block handed out. */
	p = heap_alloc(&h, 16);
	memcpy(p, "fifteen chars..", 16);
	ck_assert_ptr_eq(heap_realloc(&h, p, 200), p);
	ck_assert_uint_eq(heap_capacity(p), 256);
	ck_assert_str_eq(p, "fifteen chars..");
	/* Not the last one: moved, contents kept, the old block reused. */
	memcpy(q, "abc", 4);
	ck_assert_ptr_eq(heap_realloc(&h, q, 16), q);
	p = heap_realloc(&h, q, 17);
	ck_assert_ptr_ne(p, q);
	ck_assert_uint_eq(heap_capacity(p), 32);
	ck_assert_str_eq(p, "abc");
	ck_assert_ptr_eq(heap_alloc(&h, 1), q);
	/* calloc zeroes a reused block. */
	p = heap_alloc(&h, 24);
	memset(p, 0xAB, 24);
	heap_free(&h, p);
	q = heap_calloc(&h, 3, 8);
	ck_assert_ptr_eq(q, p);
	ck_assert(all_bytes(q, 24, 0));
	heap_free(&h, NULL);
	ck_assert_ptr_nonnull(heap_realloc(&h, NULL, 0));
	heap_release(&h);

	heap_init(&h);
	for (i = 0; i < 20000; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		k = seed % LIVE;
		if (blocks[k] && seed % 3 == 0) {
			heap_free(&h, blocks[k]);
			blocks[k] = NULL;
			sizes[k] = 0;
			continue;
		}
		size_t size = (seed >> 8) % 7 == 0 ? (seed >> 16) % 40000 : (seed >> 16) % 300;
		bool grow = seed % 3 == 1;

		if ((seed >> 40) % 500 == 0)
			size = HEAP_MAX + (seed >> 16) % 1000;
		if (grow) {
			blocks[k] = heap_realloc(&h, blocks[k], size);
			if (!all_bytes(blocks[k], size < sizes[k] ? size : sizes[k],
				       (unsigned char)(k + 1)))
				ck_abort_msg("block %zu lost its bytes when grown to %zu", k, size);
		} else {
			heap_free(&h, blocks[k]);
			blocks[k] = heap_calloc(&h, 1, size);
			ck_assert(all_bytes(blocks[k], size, 0));
		}
		ck_assert_uint_eq((uintptr_t)blocks[k] % alignof(max_align_t), 0);
		ck_assert_uint_ge(heap_capacity(blocks[k]), size);
		memset(blocks[k], (int)(k + 1), size);
		sizes[k] = size;
		if (i % 97 == 0)
			for (k = 0; k < LIVE; k++)
				if (blocks[k] && !all_bytes(blocks[k], sizes[k], (unsigned char)(k + 1)))
					ck_abort_msg("block %zu overwritten", k);
	}
	heap_release(&h);
	ck_assert_uint_eq(h.arena.used, 0);
}
END_TEST

/* ---- the thread pool ---- */

struct pool_test {
	size_t njobs, window, fail_at;   /* fail_at: take() fails there (njobs: never) */
	atomic_uint *worked;             /* times each job was worked */
	atomic_size_t taken;             /* jobs taken so far, in order */
	atomic_int too_far;              /* a job worked beyond the window */
	atomic_int inits, releases;
};

struct pool_test_slot {
	size_t job, value;
};

static struct pool_test *pool_test_now;   /* slot_init() has no user pointer */

static void pool_test_init(void *slot)
{
	memset(slot, 0, sizeof(struct pool_test_slot));
	atomic_fetch_add(&pool_test_now->inits, 1);
}

static void pool_test_release(void *slot)
{
	atomic_fetch_add(&pool_test_now->releases, 1);
}

static void pool_test_work(void *ud, unsigned thread, size_t job, void *slot)
{
	struct pool_test *t = ud;
	struct pool_test_slot *s = slot;
	volatile unsigned spin = 0;
	unsigned k, n = (unsigned)((job * 2654435761u) >> 20) % 3000;

	atomic_fetch_add(&t->worked[job], 1);
	if (job >= atomic_load(&t->taken) + t->window)
		atomic_store(&t->too_far, 1);
	for (k = 0; k < n; k++)   /* jobs of uneven length */
		spin += k;
	s->job = job;
	s->value = job * 3 + 1;
}

static int pool_test_take(void *ud, size_t job, void *slot)
{
	struct pool_test *t = ud;
	struct pool_test_slot *s = slot;

	ck_assert_uint_eq(job, atomic_load(&t->taken));
	ck_assert_uint_eq(s->job, job);
	ck_assert_uint_eq(s->value, job * 3 + 1);
	if (job == t->fail_at)
		return -1;
	atomic_store(&t->taken, job + 1);
	return 0;
}

static int pool_test_direct(void *ud, size_t job)
{
	struct pool_test_slot s;

	pool_test_work(ud, 0, job, &s);
	return pool_test_take(ud, job, &s);
}

/* Every job worked once and taken once, in order, whatever the number of
 * threads and the lengths of the jobs, never more than the window ahead;
 * taken in pieces; a take() that fails stops the pool, which still frees
 * (and joins) at once. */
START_TEST(pool_takes_every_job_once_in_order)
{
	static const struct pool_ops ops = {pool_test_init, pool_test_release, pool_test_work,
					    pool_test_take, pool_test_direct};
	unsigned threads;
	int fail;

	for (fail = 0; fail < 2; fail++)
		for (threads = 1; threads <= 4; threads++) {
			struct pool_test t;
			struct pool *p;
			size_t j;

			memset(&t, 0, sizeof(t));
			t.njobs = 3000;
			t.window = POOL_WINDOW * threads;
			t.fail_at = fail ? 1777 : t.njobs;
			t.worked = xcalloc(t.njobs, sizeof(*t.worked));
			pool_test_now = &t;
			p = pool_new(t.njobs, threads, sizeof(struct pool_test_slot), &ops, &t);
			ck_assert_int_eq(pool_take(p, 1), 0);
			ck_assert_int_eq(pool_take(p, 500), 0);
			ck_assert_uint_eq(atomic_load(&t.taken), 500);
			ck_assert_int_eq(pool_take(p, t.njobs + 5), fail ? -1 : 0);
			pool_free(p);
			ck_assert_uint_eq(atomic_load(&t.taken), fail ? t.fail_at : t.njobs);
			for (j = 0; j < (fail ? t.fail_at + 1 : t.njobs); j++)
				ck_assert_msg(atomic_load(&t.worked[j]) == 1,
					      "job %zu worked %u times with %u threads", j,
					      atomic_load(&t.worked[j]), threads);
			for (; j < t.njobs; j++)
				ck_assert_uint_le(atomic_load(&t.worked[j]), 1);
			ck_assert_int_eq(atomic_load(&t.too_far), 0);
			ck_assert_int_eq(atomic_load(&t.inits), atomic_load(&t.releases));
			free(t.worked);
		}
}
END_TEST

/* buf_add_html escapes exactly what a byte at a time would, wherever a
 * special byte falls in its scan (first, last, at and across sixteen-byte
 * steps, in runs, beside bytes of 0x80 and more; in the two words a short
 * string is read as), and appends to what the buffer holds, or to an empty
 * one. */
static void html_by_bytes(struct buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		switch (s[i]) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, s[i]);
		}
}

START_TEST(buf_add_html_escapes_every_special_byte)
{
	static const char specials[] = "&<>\"'";
	static const char others[] = "a \xc3\xa6=;#\x80\xff\t\n%?";
	char s[80];
	struct buf got, want;
	size_t len, at, k, n = 0;

	buf_init(&got);
	buf_init(&want);
	for (len = 0; len < sizeof(s); len++)
		for (at = 0; at <= len; at++)
			for (k = 0; k < 6; k++) {
				size_t i;

				for (i = 0; i < len; i++)
					s[i] = others[(i * 7 + len) % (sizeof(others) - 1)];
				if (at < len && k < 5)
					s[at] = specials[k];
				if (k == 5)   /* every third byte special */
					for (i = at % 3; i < len; i += 3)
						s[i] = specials[(i + at) % 5];
				buf_reset(&got);
				buf_reset(&want);
				buf_adds(&got, "x");
				buf_adds(&want, "x");
				buf_add_html(&got, s, len);
				html_by_bytes(&want, s, len);
				ck_assert_uint_eq(got.len, want.len);
				if (memcmp(got.ptr, want.ptr, got.len + 1) != 0)
					ck_abort_msg("len %zu at %zu kind %zu: '%s' not '%s'", len, at, k,
						     got.ptr, want.ptr);
				/* Into a buffer with no room yet (ASan checks the writes). */
				buf_release(&got);
				buf_add_html(&got, s, len);
				ck_assert_uint_eq(got.len + 1, want.len);
				ck_assert_mem_eq(got.ptr, want.ptr + 1, want.len);
				n++;
			}
	ck_assert_uint_gt(n, 3000);
	buf_release(&got);
	buf_release(&want);
}
END_TEST

/* buf_add_inline appends what buf_add does, for every length on each side
 * of its 1-3, 4-7, 8-16, 17-32 byte copies and memcpy, to a buffer holding
 * 0 to 40 bytes (so at every growth point) or one with no room yet, and
 * reads nothing outside its source (ASan: a copy in a block of its size). */
START_TEST(buf_add_inline_appends_as_buf_add)
{
	char src[64];
	struct buf got, want;
	size_t len, fill, i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)('A' + (i * 7) % 53);
	buf_init(&got);
	buf_init(&want);
	for (len = 0; len <= 48; len++)
		for (fill = 0; fill <= 40; fill++) {
			char *own = malloc(len ? len : 1);

			memcpy(own, src + fill % 9, len);
			buf_release(&got);
			buf_release(&want);
			for (i = 0; i < fill; i++) {
				buf_addc(&got, (char)('a' + i % 26));
				buf_addc(&want, (char)('a' + i % 26));
			}
			buf_add_inline(&got, own, len);
			buf_add(&want, own, len);
			ck_assert_uint_eq(got.len, fill + len);
			ck_assert_mem_eq(got.ptr, want.ptr, want.len + 1);
			free(own);
		}
	buf_release(&got);
	buf_release(&want);
}
END_TEST

/* bytes_plain_prefix16 never counts a byte that is not printable ASCII
 * nor one of its two extra bytes, and (with SSE2) counts every one that is. */
START_TEST(plain_prefix16_stops_at_the_first_other_byte)
{
	static const unsigned char pool[] = {'a', ' ', '~', '\n', '\t', 0x1F, 0x7F, 0x80, 0xC3,
					     0xFF, 0x00, '\r', 0x20, 0x7E};
	unsigned char s[16];
	unsigned seed = 1, n, i, k, want;

	for (n = 0; n < 20000; n++) {
		for (i = 0; i < 16; i++) {
			seed = seed * 1103515245u + 12345u;
			/* Mostly plain, so that long prefixes come up. */
			s[i] = (seed >> 16) % 4 ? (unsigned char)('a' + (seed >> 8) % 26)
						 : pool[(seed >> 16) % sizeof(pool)];
		}
		for (want = 0; want < 16; want++)
			if (!((s[want] >= 0x20 && s[want] < 0x7F) || s[want] == '\n' ||
			      s[want] == '\t'))
				break;
		k = bytes_plain_prefix16(s, '\n', '\t');
		ck_assert_uint_le(k, want);
#ifdef __SSE2__
		ck_assert_uint_eq(k, want);
#endif
	}
}
END_TEST

/* strmap hashes eight bytes a step, the last ones in an overlapping word:
 * keys of every length to 40, alike but for one byte anywhere (or their
 * length), are each found with their own value, and keys not set are not;
 * a later set replaces a value. */
START_TEST(strmap_finds_every_key_of_every_length)
{
	enum { MAXLEN = 40, KEYS = (MAXLEN + 1) * 3 };
	static char keys[KEYS][MAXLEN + 1], other[MAXLEN + 2];
	struct strmap m;
	size_t i, len, v, n = 0;

	strmap_init(&m);
	ck_assert(!strmap_get(&m, "a", &v));
	for (len = 0; len <= MAXLEN; len++) {
		for (i = 0; i < len; i++)
			keys[n][i] = (char)('a' + i % 26);
		keys[n][len] = '\0';
		memcpy(keys[n + 1], keys[n], len + 1);
		memcpy(keys[n + 2], keys[n], len + 1);
		if (len) {
			keys[n + 1][len - 1] = 'Z';   /* the last byte differs */
			keys[n + 2][len / 2] = 'Y';   /* a middle byte */
		} else {
			strcpy(keys[n + 1], "Z");
			strcpy(keys[n + 2], "Y0");
		}
		n += 3;
	}
	for (i = 0; i < n; i++) {
		/* Keys made twice above keep the first value. */
		if (!strmap_get(&m, keys[i], NULL))
			strmap_set(&m, keys[i], i);
	}
	for (i = 0; i < n; i++) {
		ck_assert(strmap_get(&m, keys[i], &v));
		ck_assert_msg(strcmp(keys[v], keys[i]) == 0, "%s found as %s", keys[i], keys[v]);
	}
	for (len = 1; len <= MAXLEN; len++) {
		for (i = 0; i < len; i++)
			other[i] = (char)('a' + i % 26);
		other[len] = '\0';
		for (i = 0; i < len; i++) {
			char was = other[i];

			other[i] = '#';
			ck_assert_msg(!strmap_get(&m, other, NULL), "%s found", other);
			other[i] = was;
		}
		other[len] = '#';
		other[len + 1] = '\0';
		ck_assert_msg(!strmap_get(&m, other, NULL), "%s found", other);
	}
	strmap_set(&m, keys[7], 1000);
	ck_assert(strmap_get(&m, keys[7], &v));
	ck_assert_uint_eq(v, 1000);
	strmap_release(&m);
	ck_assert(!strmap_get(&m, keys[7], &v));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *t = tcase_create("arena");

	TCase *b = tcase_create("buf");

	tcase_add_test(t, arena_hands_out_zeroed_aligned_blocks);
	tcase_add_test(t, heap_reuses_and_grows_blocks);
	tcase_add_test(t, arena_strndup_fills_chunks_exactly);
	tcase_add_test(t, arena_keeps_released_chunks_for_reuse);
	tcase_add_test(t, arena_reset_keeps_one_chunk);
	tcase_add_test(t, arena_take_hands_out_aligned_blocks);
	tcase_add_test_raise_signal(t, heap_overflow_aborts, SIGABRT);
	tcase_add_test(t, pool_takes_every_job_once_in_order);
	suite_add_tcase(s, t);
	tcase_add_test(b, buf_add_html_escapes_every_special_byte);
	tcase_add_test(b, plain_prefix16_stops_at_the_first_other_byte);
	tcase_add_test(b, buf_add_inline_appends_as_buf_add);
	tcase_add_test(b, strmap_finds_every_key_of_every_length);
	suite_add_tcase(s, b);
	return run_suite(s);
}
