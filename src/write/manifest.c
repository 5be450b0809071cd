#include "manifest.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../util/alloc.h"
#include "dirwalk.h"
#include "../util/intl.h"

void manifest_init(struct manifest *m)
{
	m->items = NULL;
	m->n = m->cap = 0;
}

void manifest_release(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->items[i].path);
	free(m->items);
	manifest_init(m);
}

void manifest_add(struct manifest *m, const char *path,
		  const unsigned char digest[MANIFEST_DIGEST_SIZE])
{
	m->items = xgrow(m->items, sizeof(*m->items), m->n + 1, &m->cap);
	m->items[m->n].path = xstrdup(path);
	memcpy(m->items[m->n].digest, digest, MANIFEST_DIGEST_SIZE);
	m->n++;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct manifest_entry *)a)->path,
		      ((const struct manifest_entry *)b)->path);
}

const char *manifest_sort(struct manifest *m)
{
	size_t i;

	if (m->n)
		qsort(m->items, m->n, sizeof(*m->items), entry_cmp);
	for (i = 1; i < m->n; i++)
		if (!strcmp(m->items[i - 1].path, m->items[i].path))
			return m->items[i].path;
	return NULL;
}

const struct manifest_entry *manifest_find(const struct manifest *m, const char *path)
{
	struct manifest_entry key;

	if (!m->n)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, m->items, m->n, sizeof(*m->items), entry_cmp);
}

#ifdef __SSE2__
/* The 32 lowercase hex digits of 16 bytes at p: each byte's two nibbles
 * side by side, then '0' + n, and 'a' - 10 + n for n over 9. */
static void hex16(const unsigned char *p, char *out)
{
	const __m128i nib = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
	__m128i v = _mm_loadu_si128((const __m128i *)p);
	__m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), nib), lo = _mm_and_si128(v, nib);
	__m128i a = _mm_unpacklo_epi8(hi, lo), b = _mm_unpackhi_epi8(hi, lo);

	a = _mm_add_epi8(_mm_add_epi8(a, _mm_set1_epi8('0')),
			 _mm_and_si128(_mm_cmpgt_epi8(a, nine), _mm_set1_epi8('a' - '0' - 10)));
	b = _mm_add_epi8(_mm_add_epi8(b, _mm_set1_epi8('0')),
			 _mm_and_si128(_mm_cmpgt_epi8(b, nine), _mm_set1_epi8('a' - '0' - 10)));
	_mm_storeu_si128((__m128i *)out, a);
	_mm_storeu_si128((__m128i *)(out + 16), b);
}
#endif

void manifest_format_line(struct buf *out, const char *path,
			  const unsigned char digest[MANIFEST_DIGEST_SIZE])
{
	/* A line at a time: the digest in hex, two spaces, the path. */
	char line[2 * MANIFEST_DIGEST_SIZE + 2];
	size_t j;

#ifdef __SSE2__
	for (j = 0; j < MANIFEST_DIGEST_SIZE; j += 16)
		hex16(digest + j, line + 2 * j);
#else
	static const char hex[] = "0123456789abcdef";

	for (j = 0; j < MANIFEST_DIGEST_SIZE; j++) {
		line[2 * j] = hex[digest[j] >> 4];
		line[2 * j + 1] = hex[digest[j] & 15];
	}
#endif
	line[2 * MANIFEST_DIGEST_SIZE] = ' ';
	line[2 * MANIFEST_DIGEST_SIZE + 1] = ' ';
	buf_add(out, line, sizeof(line));
	buf_adds(out, path);
	buf_addc(out, '\n');
}

void manifest_format(struct manifest *m, struct buf *out)
{
	size_t i;

	manifest_sort(m);
	for (i = 0; i < m->n; i++)
		manifest_format_line(out, m->items[i].path, m->items[i].digest);
}

/* What manifest_unsafe_path() makes of each byte of a path: 0 a byte of
 * a name, PATH_END the end of a part ('/' or the NUL), PATH_BAD a
 * backslash or control character. */
enum { PATH_END = 1, PATH_BAD = 2 };
static const unsigned char path_byte[256] = {
	[0x00] = PATH_END, [0x01] = PATH_BAD, [0x02] = PATH_BAD, [0x03] = PATH_BAD,
	[0x04] = PATH_BAD, [0x05] = PATH_BAD, [0x06] = PATH_BAD, [0x07] = PATH_BAD,
	[0x08] = PATH_BAD, [0x09] = PATH_BAD, [0x0a] = PATH_BAD, [0x0b] = PATH_BAD,
	[0x0c] = PATH_BAD, [0x0d] = PATH_BAD, [0x0e] = PATH_BAD, [0x0f] = PATH_BAD,
	[0x10] = PATH_BAD, [0x11] = PATH_BAD, [0x12] = PATH_BAD, [0x13] = PATH_BAD,
	[0x14] = PATH_BAD, [0x15] = PATH_BAD, [0x16] = PATH_BAD, [0x17] = PATH_BAD,
	[0x18] = PATH_BAD, [0x19] = PATH_BAD, [0x1a] = PATH_BAD, [0x1b] = PATH_BAD,
	[0x1c] = PATH_BAD, [0x1d] = PATH_BAD, [0x1e] = PATH_BAD, [0x1f] = PATH_BAD,
	['/'] = PATH_END, ['\\'] = PATH_BAD, [0x7f] = PATH_BAD,
};

const char *manifest_unsafe_path(const char *path)
{
	const unsigned char *p = (const unsigned char *)path, *part;

	if (!*path)
		return "empty path";
	if (*path == '/')
		return "absolute path";
	for (part = p; ; p++) {
		unsigned char k = path_byte[*p];
		size_t n;

		if (!k)
			continue;
		if (k == PATH_BAD)
			return "backslash or control character in path";
		n = (size_t)(p - part);
		if (n == 0)
			return "empty path component";
		if ((n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
			return "'.' or '..' in path";
		if (!*p)
			break;
		part = p + 1;
	}
	return NULL;
}

/* ---- walking a folder ---- */

struct tree_entry {
	char *path;
	bool regular;
};

struct tree {
	struct tree_entry *items;
	size_t n, cap;
};

static void tree_release(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->items[i].path);
	free(t->items);
	t->items = NULL;
	t->n = t->cap = 0;
}

static int tree_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tree_entry *)a)->path, ((const struct tree_entry *)b)->path);
}

/* Note every non-folder entry; go into every folder. */
static int tree_visit(void *ud, const char *rel, const char *name, const struct stat *st,
		      char **err)
{
	struct tree *t = ud;

	(void)name;
	(void)err;
	if (S_ISDIR(st->st_mode))
		return DIRWALK_DESCEND;
	t->items = xgrow(t->items, sizeof(*t->items), t->n + 1, &t->cap);
	t->items[t->n].path = xstrdup(rel);
	t->items[t->n].regular = S_ISREG(st->st_mode);
	t->n++;
	return DIRWALK_NEXT;
}

/* Every non-folder entry of dir, sorted by path. */
static int tree_list(const char *dir, struct tree *t, char **err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	ret = dirwalk(fd, dir, tree_visit, t, err);
	if (ret == 0 && t->n)
		qsort(t->items, t->n, sizeof(*t->items), tree_cmp);
	return ret;
}

/* Hash the regular file path below dir (root fd). */
static int hash_file(int root, const char *top, const char *path,
		     unsigned char digest[MANIFEST_DIGEST_SIZE], char **err)
{
	struct sha256_ctx ctx;
	char chunk[65536];
	int fd = openat(root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		*err = xasprintf("%s/%s: open: %s", top, path, strerror(errno));
		return -1;
	}
	sha256_init(&ctx);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sha256_update(&ctx, (size_t)n, (const uint8_t *)chunk);
	}
	if (n < 0) {
		*err = xasprintf("%s/%s: read: %s", top, path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	sha256_digest(&ctx, MANIFEST_DIGEST_SIZE, digest);
	return 0;
}

int manifest_scan(struct manifest *m, const char *dir, char **err)
{
	struct tree t = {NULL, 0, 0};
	unsigned char digest[MANIFEST_DIGEST_SIZE];
	int root = -1, ret = -1;
	size_t i;

	if (tree_list(dir, &t, err) < 0)
		goto out;
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		goto out;
	}
	for (i = 0; i < t.n; i++) {
		if (!strcmp(t.items[i].path, MANIFEST_NAME))
			continue;
		if (!t.items[i].regular) {
			*err = xasprintf(_("%s/%s: not a regular file"), dir, t.items[i].path);
			goto out;
		}
		if (hash_file(root, dir, t.items[i].path, digest, err) < 0)
			goto out;
		manifest_add(m, t.items[i].path, digest);
	}
	manifest_sort(m);
	ret = 0;
out:
	if (root >= 0)
		close(root);
	tree_release(&t);
	return ret;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int manifest_parse(struct manifest *m, const char *name, const char *text, size_t len,
		   char **err)
{
	const char *p = text, *end = text + len;
	struct buf path = BUF_INIT;
	unsigned char digest[MANIFEST_DIGEST_SIZE];
	const char *why, *dup;
	int lineno = 0, ret = -1;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		bool escaped = false;
		size_t i;

		if (!eol)
			eol = end;
		lineno++;
		q = p;
		if (q < eol && *q == '\\') {
			escaped = true;
			q++;
		}
		if (eol - q < 2 * MANIFEST_DIGEST_SIZE + 2)
			goto malformed;
		for (i = 0; i < MANIFEST_DIGEST_SIZE; i++) {
			int hi = hexval(q[2 * i]), lo = hexval(q[2 * i + 1]);

			if (hi < 0 || lo < 0)
				goto malformed;
			digest[i] = (unsigned char)(hi << 4 | lo);
		}
		q += 2 * MANIFEST_DIGEST_SIZE;
		if (q[0] != ' ' || (q[1] != ' ' && q[1] != '*'))
			goto malformed;
		q += 2;
		buf_reset(&path);
		for (; q < eol; q++) {
			if (escaped && *q == '\\') {
				if (q + 1 < eol && q[1] == 'n')
					buf_addc(&path, '\n');
				else if (q + 1 < eol && q[1] == '\\')
					buf_addc(&path, '\\');
				else
					goto malformed;
				q++;
			} else {
				buf_addc(&path, *q);
			}
		}
		if (memchr(path.ptr, '\0', path.len) || path.len == 0)
			goto malformed;
		/* sha256sum accepts "./x"; keep the path as the walk sees it. */
		while (path.len > 2 && path.ptr[0] == '.' && path.ptr[1] == '/') {
			memmove(path.ptr, path.ptr + 2, path.len - 1);
			path.len -= 2;
		}
		why = manifest_unsafe_path(path.ptr);
		/* Names with control characters are safe to check, only not
		 * ones briefgen writes; ".." and absolute paths are not. */
		if (why && strncmp(why, "backslash", 9) != 0) {
			*err = xasprintf("%s:%d: %s: '%s'", name, lineno, why, path.ptr);
			goto out;
		}
		manifest_add(m, path.ptr, digest);
		p = eol < end ? eol + 1 : end;
		continue;
malformed:
		*err = xasprintf(_("%s:%d: not a sha256sum line (\"<64 hex digits>  <path>\")"),
				 name, lineno);
		goto out;
	}
	dup = manifest_sort(m);
	if (dup) {
		*err = xasprintf(_("%s: '%s' is listed twice"), name, dup);
		goto out;
	}
	ret = 0;
out:
	buf_release(&path);
	return ret;
}

void manifest_report_release(struct manifest_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->items[i].path);
	free(r->items);
	r->items = NULL;
	r->n = r->cap = 0;
	r->verified = 0;
}

const char *manifest_problem_name(enum manifest_problem p)
{
	switch (p) {
	case MANIFEST_MISSING:
		return "missing";
	case MANIFEST_CHANGED:
		return "changed";
	case MANIFEST_EXTRA:
		return "extra";
	}
	return "?";
}

static void finding(struct manifest_report *r, const char *path, enum manifest_problem p)
{
	r->items = xgrow(r->items, sizeof(*r->items), r->n + 1, &r->cap);
	r->items[r->n].path = xstrdup(path);
	r->items[r->n].problem = p;
	r->n++;
}

/* Read all of a (small) file below root into b. */
static int slurp(int root, const char *top, const char *path, struct buf *b, char **err)
{
	char chunk[65536];
	int fd = openat(root, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		*err = xasprintf("%s/%s: %s", top, path, strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf_add(b, chunk, (size_t)n);
	}
	if (n < 0) {
		*err = xasprintf("%s/%s: read: %s", top, path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int manifest_verify(const char *dir, struct manifest_report *r, char **err)
{
	struct manifest m;
	struct tree t = {NULL, 0, 0};
	struct buf text = BUF_INIT;
	char *label = NULL;
	unsigned char digest[MANIFEST_DIGEST_SIZE];
	int root, ret = -1;
	size_t i, j;

	manifest_init(&m);
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		goto out;
	}
	if (slurp(root, dir, MANIFEST_NAME, &text, err) < 0)
		goto out;
	label = xasprintf("%s/%s", dir, MANIFEST_NAME);
	if (manifest_parse(&m, label, text.ptr, text.len, err) < 0)
		goto out;
	if (tree_list(dir, &t, err) < 0)
		goto out;
	/* Both lists are sorted: merge them. */
	for (i = j = 0; i < m.n || j < t.n;) {
		int c;

		if (j < t.n && !strcmp(t.items[j].path, MANIFEST_NAME)) {
			j++;
			continue;
		}
		c = i == m.n ? 1 : j == t.n ? -1 : strcmp(m.items[i].path, t.items[j].path);
		if (c < 0) {
			finding(r, m.items[i].path, MANIFEST_MISSING);
			i++;
		} else if (c > 0) {
			finding(r, t.items[j].path, MANIFEST_EXTRA);
			j++;
		} else {
			if (!t.items[j].regular) {
				finding(r, m.items[i].path, MANIFEST_CHANGED);
			} else {
				if (hash_file(root, dir, m.items[i].path, digest, err) < 0)
					goto out;
				if (memcmp(digest, m.items[i].digest, MANIFEST_DIGEST_SIZE))
					finding(r, m.items[i].path, MANIFEST_CHANGED);
				else
					r->verified++;
			}
			i++;
			j++;
		}
	}
	ret = 0;
out:
	if (root >= 0)
		close(root);
	free(label);
	buf_release(&text);
	tree_release(&t);
	manifest_release(&m);
	return ret;
}

/* The SHA-256 of text, its first MANIFEST_SHORT_DIGEST hex digits. */
static void short_digest(const struct buf *text, char out[MANIFEST_SHORT_DIGEST + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[MANIFEST_DIGEST_SIZE];
	struct sha256_ctx ctx;
	size_t i;

	sha256_init(&ctx);
	sha256_update(&ctx, text->len, (const uint8_t *)text->ptr);
	sha256_digest(&ctx, MANIFEST_DIGEST_SIZE, digest);
	for (i = 0; i < MANIFEST_SHORT_DIGEST / 2; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[MANIFEST_SHORT_DIGEST] = '\0';
}

int manifest_summarize(const char *dir, struct manifest_summary *sum, char **err)
{
	struct manifest m;
	struct buf text = BUF_INIT;
	struct stat st;
	char *label = NULL;
	int root, ret = -1;

	manifest_init(&m);
	memset(sum, 0, sizeof(*sum));
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0 && (errno == ENOENT || errno == ENOTDIR))
		return 0;
	if (root < 0) {
		*err = xasprintf("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (fstatat(root, MANIFEST_NAME, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			ret = 0;
		else
			*err = xasprintf("%s/%s: %s", dir, MANIFEST_NAME, strerror(errno));
		goto out;
	}
	if (slurp(root, dir, MANIFEST_NAME, &text, err) < 0)
		goto out;
	label = xasprintf("%s/%s", dir, MANIFEST_NAME);
	if (manifest_parse(&m, label, text.ptr, text.len, err) < 0)
		goto out;
	sum->files = m.n;
	short_digest(&text, sum->digest);
	sum->built = st.st_mtim;
	ret = 1;
out:
	close(root);
	free(label);
	buf_release(&text);
	manifest_release(&m);
	return ret;
}
