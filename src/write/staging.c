#include "staging.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/intl.h"
#include "../util/buf.h"
#include "dirwalk.h"
#include "fault.h"
#include "manifest.h"

#define FILE_MODE 0644
#define DIR_MODE 0755
#define SUFFIX_LEN 6
#define FOREIGN_SHOWN 10

/* ---- a set of paths, each mapped to an index (open addressing) ---- */

struct slot {
	const char *key;   /* borrowed from the entry it indexes */
	uint64_t hash;     /* of key: growing rehashes nothing, probes compare it first */
	size_t idx;
};

struct pathset {
	struct slot *slots;
	size_t cap, n;
};

static uint64_t hash_mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

/* A hash of the n bytes at s, eight at a time (the last eight overlapping
 * those before when n is not a multiple); only ever compared within one
 * run, so the byte order of the machine does not matter. */
static uint64_t hash_strn(const char *s, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n, w = 0;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			w = w << 8 | (unsigned char)s[i];
		return hash_mix(h ^ w);
	}
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		h = hash_mix(h ^ w);
	}
	if (i < n) {
		memcpy(&w, s + n - 8, 8);
		h = hash_mix(h ^ w);
	}
	return h;
}

/* The slot of the n bytes at key (no NUL among them) with hash h: where it
 * is, or the empty slot where it would go. */
static struct slot *pathset_slotn(struct slot *slots, size_t cap, const char *key, size_t n,
				  uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].key &&
	       (slots[i].hash != h || strncmp(slots[i].key, key, n) || slots[i].key[n]))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The index stored for the n bytes at key, or (size_t)-1. */
static size_t pathset_getn(const struct pathset *ps, const char *key, size_t n)
{
	struct slot *sl;

	if (!ps->cap)
		return (size_t)-1;
	sl = pathset_slotn(ps->slots, ps->cap, key, n, hash_strn(key, n));
	return sl->key ? sl->idx : (size_t)-1;
}

/* The index stored for key, or (size_t)-1. */
static size_t pathset_get(const struct pathset *ps, const char *key)
{
	return pathset_getn(ps, key, strlen(key));
}

/* Room for one more key: three quarters full at most (ten thousand
 * partners make twenty thousand paths). */
static void pathset_reserve(struct pathset *ps)
{
	size_t ncap, i;
	struct slot *ns;

	if (4 * (ps->n + 1) <= 3 * ps->cap)
		return;
	ncap = ps->cap ? 2 * ps->cap : 64;
	ns = xcalloc(ncap, sizeof(*ns));
	for (i = 0; i < ps->cap; i++)
		if (ps->slots[i].key) {
			size_t j = (size_t)ps->slots[i].hash & (ncap - 1);

			while (ns[j].key)
				j = (j + 1) & (ncap - 1);
			ns[j] = ps->slots[i];
		}
	free(ps->slots);
	ps->slots = ns;
	ps->cap = ncap;
}

/* The slot of key, after pathset_reserve(), and key's hash: a key not
 * there yet is put into it (pathset_fill) without looking for it again. */
static struct slot *pathset_find(struct pathset *ps, const char *key, uint64_t *h)
{
	size_t n = strlen(key);

	*h = hash_strn(key, n);
	return pathset_slotn(ps->slots, ps->cap, key, n, *h);
}

static void pathset_fill(struct pathset *ps, struct slot *sl, const char *key, uint64_t h,
			 size_t idx)
{
	if (!sl->key)
		ps->n++;
	sl->key = key;
	sl->hash = h;
	sl->idx = idx;
}

static void pathset_put(struct pathset *ps, const char *key, size_t idx)
{
	size_t n = strlen(key);
	uint64_t h = hash_strn(key, n);
	struct slot *sl;

	pathset_reserve(ps);
	sl = pathset_slotn(ps->slots, ps->cap, key, n, h);
	pathset_fill(ps, sl, key, h, idx);
}

static void pathset_release(struct pathset *ps)
{
	free(ps->slots);
	ps->slots = NULL;
	ps->cap = ps->n = 0;
}

/* ---- the staging ---- */

/* An appended file's bytes are gathered to STREAM_BUF before they are
 * written: the whole-appendix files come in thousands of small pieces. */
#define STREAM_BUF (64 * 1024)

struct stream {
	int fd;
	struct sha256_ctx ctx;
	size_t used;                 /* bytes in buf not written yet */
	char buf[STREAM_BUF];
};

struct sfile {
	char *path;
	unsigned char digest[MANIFEST_DIGEST_SIZE];
	struct stream *stream;   /* an append stream still open, or NULL */
	bool appended;           /* written with append (never with put) */
	bool dated;              /* modification time set to the staging's date */
};

struct staging {
	char *out;              /* as given, for messages */
	char *prefix;           /* out's parent as given, with '/', or "" */
	char *name;             /* out's last part */
	int parentfd;
	char *stage;            /* ".<name>.staging-XXXXXX" */
	char suffix[SUFFIX_LEN + 1];
	int stagefd;
	unsigned flags;
	bool replaces;          /* out existed at staging_begin */
	struct sfile *files;
	size_t nfiles, capfiles;
	struct pathset fileidx;
	char **dirs;            /* subfolders made, parents before children */
	size_t ndirs, capdirs;
	struct pathset diridx;
	char *error;            /* first failure of the output */
	long long date;         /* SHA256SUMS's modification time; -1: now */
	void (*warn)(void *ud, const char *msg);
	void *warn_ud;
	/* Whether files are created with FILE_MODE already (the umask and any
	 * default ACL give it), so no fchmod is needed: -1 until the first
	 * file tells. */
	int mode_given;
	/* Whether write_ahead may write (staging_write_ahead): decided with
	 * mode_given, by the first file the build's thread creates, so before
	 * any other thread can call it, and only read afterwards. */
	bool ahead_ok;
	size_t written_ahead;   /* files registered by put_written */
};

static void warn(const struct staging *s, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void warn(const struct staging *s, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (!s->warn)
		return;
	va_start(ap, fmt);
	/* fmt is English; the catalogue may give another (util/intl.h). */
	buf_vaddf(&b, gettext(fmt), ap);
	va_end(ap);
	s->warn(s->warn_ud, b.ptr);
	buf_release(&b);
}

/* Split out into the parent as written ("" for the current folder, else
 * ending in '/') and the last part. */
static int split_out(const char *out, char **prefix, char **name, char **err)
{
	size_t len = strlen(out);
	const char *slash;
	char *trimmed;

	while (len > 1 && out[len - 1] == '/')
		len--;
	trimmed = xstrndup(out, len);
	slash = strrchr(trimmed, '/');
	*name = xstrdup(slash ? slash + 1 : trimmed);
	*prefix = slash ? xstrndup(trimmed, (size_t)(slash - trimmed) + 1) : xstrdup("");
	free(trimmed);
	if (!**name || !strcmp(*name, ".") || !strcmp(*name, "..")) {
		*err = xasprintf(_("'%s': name the folder itself (not '/', '.' or '..')"), out);
		free(*prefix);
		free(*name);
		*prefix = *name = NULL;
		return -1;
	}
	return 0;
}

char *staging_sibling(const char *out, const char *suffix, char **err)
{
	char *prefix, *name, *path;

	if (split_out(out, &prefix, &name, err) < 0)
		return NULL;
	path = xasprintf("%s.%s%s", prefix, name, suffix);
	free(prefix);
	free(name);
	return path;
}

static int open_parent(const char *prefix, const char *out, char **err)
{
	int fd = fault_openat(AT_FDCWD, *prefix ? prefix : ".", O_RDONLY | O_DIRECTORY, 0);

	if (fd < 0)
		*err = xasprintf(_("%s: folder of '%s': open: %s"), *prefix ? prefix : ".", out,
				 strerror(errno));
	return fd;
}

static void random_suffix(char out[SUFFIX_LEN + 1])
{
	static const char alnum[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static unsigned counter;
	unsigned char r[SUFFIX_LEN];
	int i;

	if (getentropy(r, sizeof(r)) < 0) {
		uint64_t h = (uint64_t)getpid() * 2654435761u ^ (uint64_t)time(NULL) ^
			     (uint64_t)++counter << 32;

		for (i = 0; i < SUFFIX_LEN; i++, h >>= 8)
			r[i] = (unsigned char)h;
	}
	for (i = 0; i < SUFFIX_LEN; i++)
		out[i] = alnum[r[i] % (sizeof(alnum) - 1)];
	out[SUFFIX_LEN] = '\0';
}

/* ---- removing a tree (cleanup: plain calls, never fault-injected) ---- */

static int remove_tree_at(int dirfd, const char *name)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int fd, ret = 0;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (remove_tree_at(fd, de->d_name) < 0)
			ret = -1;
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		ret = -1;
	return ret;
}

size_t staging_remove_leftovers(const char *out)
{
	char *prefix = NULL, *name = NULL, *err = NULL, *staging = NULL, *old = NULL;
	struct dirent *de;
	DIR *d = NULL;
	size_t removed = 0;
	int fd;

	if (split_out(out, &prefix, &name, &err) < 0)
		goto out;
	staging = xasprintf(".%s.staging-", name);
	old = xasprintf(".%s.old-", name);
	fd = open(*prefix ? prefix : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		goto out;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		goto out;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if ((n == strlen(staging) + SUFFIX_LEN && !strncmp(de->d_name, staging, strlen(staging))) ||
		    (n == strlen(old) + SUFFIX_LEN && !strncmp(de->d_name, old, strlen(old))))
			if (remove_tree_at(dirfd(d), de->d_name) == 0)
				removed++;
	}
out:
	if (d)
		closedir(d);
	free(err);
	free(prefix);
	free(name);
	free(staging);
	free(old);
	return removed;
}

/* ---- is out briefgen's? ---- */

struct owned {
	char **paths;            /* the marker's lines */
	size_t n, cap;
	struct pathset files;    /* the marker's files */
	char **dirs;             /* every folder above them */
	size_t ndirs, capdirs;
	struct pathset dirset;
	struct buf foreign;      /* names shown */
	size_t nforeign;
	bool nonempty;
};

static void owned_release(struct owned *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->paths[i]);
	free(o->paths);
	for (i = 0; i < o->ndirs; i++)
		free(o->dirs[i]);
	free(o->dirs);
	pathset_release(&o->files);
	pathset_release(&o->dirset);
	buf_release(&o->foreign);
}

static void owned_add(struct owned *o, const char *line, size_t len)
{
	char *path = xstrndup(line, len), *slash;

	o->paths = xgrow(o->paths, sizeof(*o->paths), o->n + 1, &o->cap);
	o->paths[o->n] = path;
	pathset_put(&o->files, path, o->n);
	o->n++;
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *dir = xstrndup(path, (size_t)(slash - path));

		if (pathset_get(&o->dirset, dir) != (size_t)-1) {
			free(dir);
			continue;
		}
		o->dirs = xgrow(o->dirs, sizeof(*o->dirs), o->ndirs + 1, &o->capdirs);
		o->dirs[o->ndirs] = dir;
		pathset_put(&o->dirset, dir, o->ndirs);
		o->ndirs++;
	}
}

static void owned_foreign(struct owned *o, const char *path, bool dir)
{
	if (o->nforeign++ < FOREIGN_SHOWN)
		buf_addf(&o->foreign, "%s'%s%s'", o->foreign.len ? ", " : "", path, dir ? "/" : "");
}

/* Read the marker of the folder fd; 1 when there is one, 0 when not. */
static int read_marker(struct staging *s, int fd, struct owned *o, char **err)
{
	struct buf text = BUF_INIT;
	char chunk[8192];
	const char *p, *end;
	int mfd = fault_openat(fd, STAGING_MARKER, O_RDONLY | O_NOFOLLOW, 0);
	int ret = -1;
	ssize_t n;

	if (mfd < 0) {
		if (errno == ENOENT)
			return 0;
		*err = xasprintf("%s/%s: open: %s", s->out, STAGING_MARKER, strerror(errno));
		return -1;
	}
	while ((n = fault_read(mfd, chunk, sizeof(chunk))) > 0)
		buf_add(&text, chunk, (size_t)n);
	if (n < 0) {
		*err = xasprintf("%s/%s: read: %s", s->out, STAGING_MARKER, strerror(errno));
		close(mfd);
		goto out;
	}
	if (fault_close(mfd) < 0) {
		*err = xasprintf("%s/%s: close: %s", s->out, STAGING_MARKER, strerror(errno));
		goto out;
	}
	for (p = text.ptr, end = text.ptr + text.len; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol > p && *p != '#')
			owned_add(o, p, (size_t)(eol - p));
		p = eol + 1;
	}
	ret = 1;
out:
	buf_release(&text);
	return ret;
}

struct owned_walk {
	struct owned *o;
	bool have_marker;
};

/* Note what the marker does not own; a foreign folder is not entered (it
 * is named once); without a marker, the first entry settles it. */
static int owned_visit(void *ud, const char *rel, const char *name, const struct stat *st,
		       char **err)
{
	struct owned_walk *w = ud;
	struct owned *o = w->o;

	(void)name;
	(void)err;
	o->nonempty = true;
	if (!w->have_marker)
		return DIRWALK_STOP;
	if (S_ISDIR(st->st_mode)) {
		if (pathset_get(&o->dirset, rel) != (size_t)-1)
			return DIRWALK_DESCEND;
		owned_foreign(o, rel, true);
	} else if (strcmp(rel, STAGING_MARKER) != 0 && pathset_get(&o->files, rel) == (size_t)-1) {
		owned_foreign(o, rel, false);
	}
	return DIRWALK_NEXT;
}

/* 0 when out may be replaced; -1 with *err (and *refused when
 * STAGING_FORCE would lift the refusal). */
static int check_out(struct staging *s, bool *exists, bool *refused, char **err)
{
	struct owned o;
	struct owned_walk walk;
	struct stat st;
	int fd, have, ret = -1;

	memset(&o, 0, sizeof(o));
	buf_init(&o.foreign);
	*exists = false;
	if (fstatat(s->parentfd, s->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		*err = xasprintf("%s: %s", s->out, strerror(errno));
		return -1;
	}
	*exists = true;
	if (S_ISLNK(st.st_mode)) {
		*err = xasprintf(_("refusing to replace '%s': it is a symbolic link; give the path of "
				 "the folder it points to, or remove the link"),
				 s->out);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		*err = xasprintf(_("refusing to replace '%s': it exists and is not a folder; remove it "
				 "or choose another path"),
				 s->out);
		return -1;
	}
	if (s->flags & STAGING_FORCE)
		return 0;
	fd = fault_openat(s->parentfd, s->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (fd < 0) {
		*err = xasprintf("%s: open: %s", s->out, strerror(errno));
		return -1;
	}
	have = read_marker(s, fd, &o, err);
	if (have < 0) {
		close(fd);
		goto out;
	}
	walk.o = &o;
	walk.have_marker = have == 1;
	if (dirwalk(fd, s->out, owned_visit, &walk, err) < 0)
		goto out;
	if (have == 0 && o.nonempty) {
		*refused = true;
		*err = xasprintf(_("refusing to replace '%s': it is a folder that briefgen did not "
				 "create (it has no %s) and is not empty; choose a new or empty "
				 "folder, or move its files away"),
				 s->out, STAGING_MARKER);
		goto out;
	}
	if (o.nforeign) {
		*refused = true;
		*err = xasprintf(ngettext("refusing to replace '%s': it holds %zu file that "
					  "briefgen did not write, which would be lost: %s%s; move "
					  "it out of '%s' first",
					  "refusing to replace '%s': it holds %zu files that "
					  "briefgen did not write, which would be lost: %s%s; move "
					  "them out of '%s' first", o.nforeign),
				 s->out, o.nforeign, o.foreign.ptr,
				 o.nforeign > FOREIGN_SHOWN ? ", ..." : "", s->out);
		goto out;
	}
	ret = 0;
out:
	owned_release(&o);
	return ret;
}

static void staging_free(struct staging *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		if (s->files[i].stream) {
			close(s->files[i].stream->fd);
			free(s->files[i].stream);
		}
		free(s->files[i].path);
	}
	free(s->files);
	for (i = 0; i < s->ndirs; i++)
		free(s->dirs[i]);
	free(s->dirs);
	pathset_release(&s->fileidx);
	pathset_release(&s->diridx);
	if (s->stagefd >= 0)
		close(s->stagefd);
	if (s->parentfd >= 0)
		close(s->parentfd);
	free(s->out);
	free(s->prefix);
	free(s->name);
	free(s->stage);
	free(s->error);
	free(s);
}

struct staging *staging_begin(const char *out, unsigned flags, char **err)
{
	struct staging *s = xcalloc(1, sizeof(*s));
	bool exists = false, refused = false;
	int tries, e;

	s->parentfd = s->stagefd = -1;
	s->flags = flags;
	s->date = -1;
	s->mode_given = -1;
	s->out = xstrdup(out);
	if (split_out(out, &s->prefix, &s->name, err) < 0)
		goto fail;
	s->parentfd = open_parent(s->prefix, out, err);
	if (s->parentfd < 0)
		goto fail;
	if (check_out(s, &exists, &refused, err) < 0)
		goto fail;
	s->replaces = exists;
	for (tries = 0;; tries++) {
		random_suffix(s->suffix);
		free(s->stage);
		s->stage = xasprintf(".%s.staging-%s", s->name, s->suffix);
		if (fault_mkdirat(s->parentfd, s->stage, DIR_MODE) == 0)
			break;
		if (errno != EEXIST || tries == 100) {
			*err = xasprintf("%s%s: mkdir: %s", s->prefix, s->stage, strerror(errno));
			free(s->stage);
			s->stage = NULL;
			goto fail;
		}
	}
	if (fault_fchmodat(s->parentfd, s->stage, DIR_MODE) < 0) {
		*err = xasprintf("%s%s: chmod: %s", s->prefix, s->stage, strerror(errno));
		goto fail;
	}
	s->stagefd = fault_openat(s->parentfd, s->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (s->stagefd < 0) {
		*err = xasprintf("%s%s: open: %s", s->prefix, s->stage, strerror(errno));
		goto fail;
	}
	return s;
fail:
	if (s->stage && s->parentfd >= 0)
		remove_tree_at(s->parentfd, s->stage);
	staging_free(s);
	/* errno tells the caller whether STAGING_FORCE would help. */
	e = refused ? EEXIST : EINVAL;
	errno = e;
	return NULL;
}

void staging_set_warning(struct staging *s, void (*fn)(void *ud, const char *msg), void *ud)
{
	s->warn = fn;
	s->warn_ud = ud;
}

const char *staging_error(const struct staging *s)
{
	return s->error;
}

bool staging_replaces(const struct staging *s)
{
	return s->replaces;
}

void staging_set_date(struct staging *s, long long epoch)
{
	s->date = epoch;
}

size_t staging_count(const struct staging *s)
{
	return s->nfiles + 1;
}

/* ---- the output ---- */

/* Record the first failure; returns -1. */
static int fail_io(struct staging *s, const char *path, const char *op, int err)
{
	if (!s->error)
		s->error = xasprintf("%s: %s: %s", path, op, strerror(err));
	return -1;
}

static int fail_msg(struct staging *s, const char *path, const char *msg)
{
	if (!s->error)
		s->error = xasprintf("%s: %s", path, msg);
	return -1;
}

static int make_dirs(struct staging *s, const char *path)
{
	const char *slash;

	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		char *dir;

		/* Made before (most files go into partners/): no copy. */
		if (pathset_getn(&s->diridx, path, (size_t)(slash - path)) != (size_t)-1)
			continue;
		dir = xstrndup(path, (size_t)(slash - path));
		if (fault_mkdirat(s->stagefd, dir, DIR_MODE) < 0) {
			fail_io(s, dir, "mkdir", errno);
			free(dir);
			return -1;
		}
		if (fault_fchmodat(s->stagefd, dir, DIR_MODE) < 0) {
			fail_io(s, dir, "chmod", errno);
			free(dir);
			return -1;
		}
		s->dirs = xgrow(s->dirs, sizeof(*s->dirs), s->ndirs + 1, &s->capdirs);
		s->dirs[s->ndirs] = dir;
		pathset_put(&s->diridx, dir, s->ndirs);
		s->ndirs++;
	}
	return 0;
}

/* The entry for path, made (with its folders) when new; NULL on failure. */
static struct sfile *file_for(struct staging *s, const char *path, bool *fresh)
{
	struct slot *sl;
	uint64_t h;
	const char *why;

	*fresh = false;
	/* One lookup: a new path goes into the slot it was looked for in
	 * (make_dirs below changes only the folders' set). */
	pathset_reserve(&s->fileidx);
	sl = pathset_find(&s->fileidx, path, &h);
	if (sl->key)
		return &s->files[sl->idx];
	why = manifest_unsafe_path(path);
	if (why) {
		fail_msg(s, *path ? path : "\"\"", why);
		return NULL;
	}
	if (!strcmp(path, STAGING_MARKER) || !strcmp(path, MANIFEST_NAME)) {
		fail_msg(s, path, _("name reserved for briefgen's own file"));
		return NULL;
	}
	if (make_dirs(s, path) < 0)
		return NULL;
	s->files = xgrow(s->files, sizeof(*s->files), s->nfiles + 1, &s->capfiles);
	memset(&s->files[s->nfiles], 0, sizeof(s->files[s->nfiles]));
	s->files[s->nfiles].path = xstrdup(path);
	pathset_fill(&s->fileidx, sl, s->files[s->nfiles].path, h, s->nfiles);
	*fresh = true;
	return &s->files[s->nfiles++];
}

static int create_file(struct staging *s, const char *path)
{
	int fd = fault_openat(s->stagefd, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW,
			      FILE_MODE);
	struct stat st;

	if (fd < 0)
		return fail_io(s, path, "open", errno);
	/* The first file says whether creation gives FILE_MODE; every later
	 * one is made the same way in folders made the same way, so when it
	 * does, the fchmod of each file (a no-op then) is left out. */
	if (s->mode_given < 0) {
		s->mode_given = fstat(fd, &st) == 0 && (st.st_mode & 07777) == FILE_MODE;
		/* Files written ahead skip the fchmod, the fsync and fault.h
		 * (whose tests count calls in order): only when none of the
		 * three is needed. */
		s->ahead_ok = s->mode_given == 1 && !(s->flags & STAGING_SYNC) && !fault_active();
	}
	if (!s->mode_given && fault_fchmod(fd, FILE_MODE) < 0) {
		fail_io(s, path, "chmod", errno);
		close(fd);
		return -1;
	}
	return fd;
}

/* fsync (under STAGING_SYNC) and close fd, the file at path. */
static int finish_file(struct staging *s, int fd, const char *path)
{
	if ((s->flags & STAGING_SYNC) && fault_fsync(fd) < 0) {
		fail_io(s, path, "fsync", errno);
		close(fd);
		return -1;
	}
	if (fault_close(fd) < 0)
		return fail_io(s, path, "close", errno);
	return 0;
}

_Static_assert(OUTPUT_DIGEST_SIZE == MANIFEST_DIGEST_SIZE, "one SHA-256 size");

/* Write f whole; digest: the data's SHA-256 when the caller has it, else
 * NULL (it is computed here). */
static int write_whole(struct staging *s, struct sfile *f, const char *data, size_t len,
		       const unsigned char *digest)
{
	struct sha256_ctx ctx;
	int fd = create_file(s, f->path);

	if (fd < 0)
		return -1;
	if (len && fault_write_all(fd, data, len) < 0) {
		fail_io(s, f->path, "write", errno);
		close(fd);
		return -1;
	}
	if (f->dated && s->date >= 0) {
		struct timespec t[2] = {{(time_t)s->date, 0}, {(time_t)s->date, 0}};

		if (futimens(fd, t) < 0) {
			fail_io(s, f->path, "set time", errno);
			close(fd);
			return -1;
		}
	}
	if (finish_file(s, fd, f->path) < 0)
		return -1;
	if (digest) {
		memcpy(f->digest, digest, MANIFEST_DIGEST_SIZE);
		return 0;
	}
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)data);
	sha256_digest(&ctx, MANIFEST_DIGEST_SIZE, f->digest);
	return 0;
}

/* The entry of a file given whole (put, put_written), or NULL after an
 * error is recorded. */
static struct sfile *whole_file_for(struct staging *s, const char *path)
{
	struct sfile *f;
	bool fresh;

	if (s->error)
		return NULL;
	f = file_for(s, path, &fresh);
	if (f && f->appended) {
		fail_msg(s, path, _("written whole after being written in pieces"));
		return NULL;
	}
	return f;
}

static int put_whole(struct staging *s, const char *path, const char *data, size_t len,
		     const unsigned char *digest)
{
	struct sfile *f = whole_file_for(s, path);

	if (!f)
		return -1;
	return write_whole(s, f, data, len, digest);
}

static int staging_put(void *ctx, const char *path, const char *data, size_t len)
{
	return put_whole(ctx, path, data, len, NULL);
}

static int staging_put_digest(void *ctx, const char *path, const char *data, size_t len,
			      const unsigned char digest[OUTPUT_DIGEST_SIZE])
{
	return put_whole(ctx, path, data, len, digest);
}

/*
 * write_ahead: any thread, several at once.  Plain system calls only, and
 * no shared state touched but what is read-only by then (stagefd,
 * ahead_ok), so no lock.  Nothing is registered: put_written does that, on
 * the build's thread, in order.  A file written ahead and then put again
 * (rendered again by the build's thread) is simply replaced (O_TRUNC).  A
 * file written ahead that is never registered (the build failed before its
 * turn) is removed with the whole staging folder by staging_abort, the only
 * end of a failed build, so it never reaches a committed folder.
 */
static int staging_write_ahead(void *ctx, const char *path, const char *data, size_t len)
{
	struct staging *s = ctx;
	const char *p = data;
	int fd;

	if (!s->ahead_ok)
		return -1;
	/* ENOENT (its folder is not made yet) and any other failure: the
	 * build's thread writes the file as usual. */
	fd = openat(s->stagefd, path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    FILE_MODE);
	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return close(fd) < 0 ? -1 : 0;
}

/* put_written: register a file write_ahead wrote, as put_digest would. */
static int staging_put_written(void *ctx, const char *path, size_t len,
			       const unsigned char digest[OUTPUT_DIGEST_SIZE])
{
	struct staging *s = ctx;
	struct sfile *f = whole_file_for(s, path);

	(void)len;
	if (!f)
		return -1;
	memcpy(f->digest, digest, MANIFEST_DIGEST_SIZE);
	s->written_ahead++;
	return 0;
}

size_t staging_written_ahead(const struct staging *s)
{
	return s->written_ahead;
}

/* Write out what f's stream holds. */
static int stream_flush(struct staging *s, struct sfile *f)
{
	struct stream *st = f->stream;

	if (st->used && fault_write_all(st->fd, st->buf, st->used) < 0)
		return fail_io(s, f->path, "write", errno);
	st->used = 0;
	return 0;
}

/* Add len bytes to f's stream: gathered while they fit, a large piece
 * written as it is. */
static int stream_add(struct staging *s, struct sfile *f, const char *data, size_t len)
{
	struct stream *st = f->stream;

	if (len > STREAM_BUF - st->used && stream_flush(s, f) < 0)
		return -1;
	if (len >= STREAM_BUF) {
		if (fault_write_all(st->fd, data, len) < 0)
			return fail_io(s, f->path, "write", errno);
		return 0;
	}
	memcpy(st->buf + st->used, data, len);
	st->used += len;
	return 0;
}

static int staging_append(void *ctx, const char *path, const char *data, size_t len)
{
	struct staging *s = ctx;
	struct sfile *f;
	bool fresh;

	if (s->error)
		return -1;
	f = file_for(s, path, &fresh);
	if (!f)
		return -1;
	if (!fresh && !f->appended)
		return fail_msg(s, path, _("written in pieces after being written whole"));
	if (fresh) {
		int fd = create_file(s, path);

		if (fd < 0)
			return -1;
		f->appended = true;
		f->stream = xmalloc(sizeof(*f->stream));
		f->stream->fd = fd;
		f->stream->used = 0;
		sha256_init(&f->stream->ctx);
	}
	if (!f->stream)
		return fail_msg(s, path, _("written after the staging was finished"));
	sha256_update(&f->stream->ctx, len, (const uint8_t *)data);
	return stream_add(s, f, data, len);
}

struct output staging_output(struct staging *s)
{
	struct output o = {staging_put, staging_append, s, staging_put_digest,
			   staging_write_ahead, staging_put_written};
	return o;
}

/* ---- commit ---- */

static int close_streams(struct staging *s)
{
	size_t i;

	for (i = 0; i < s->nfiles; i++) {
		struct sfile *f = &s->files[i];
		struct stream *st = f->stream;

		if (!st)
			continue;
		if (stream_flush(s, f) < 0)
			return -1;
		f->stream = NULL;
		sha256_digest(&st->ctx, MANIFEST_DIGEST_SIZE, f->digest);
		if (finish_file(s, st->fd, f->path) < 0) {
			free(st);
			return -1;
		}
		free(st);
	}
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp((*(const struct sfile *const *)a)->path, (*(const struct sfile *const *)b)->path);
}

/* Write a file of briefgen's own (marker, SHA256SUMS) into the staging;
 * its digest is kept like any other file's. */
static int put_own(struct staging *s, const char *name, const struct buf *text)
{
	struct sfile *f;

	s->files = xgrow(s->files, sizeof(*s->files), s->nfiles + 1, &s->capfiles);
	f = &s->files[s->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(name);
	f->dated = !strcmp(name, MANIFEST_NAME);
	return write_whole(s, f, text->ptr, text->len, NULL);
}

/*
 * The marker lists every file and SHA256SUMS; SHA256SUMS every file and
 * the marker; both sorted by path (manifest.h).  The files are sorted
 * once for both, and the one name of briefgen's own each adds is merged
 * in where it falls (no file has it: file_for refuses them).  Pages are
 * put nearly in order, but not quite; when they are in order already the
 * sort is left out.
 */
static int write_marker_and_sums(struct staging *s)
{
	struct buf text = BUF_INIT;
	const struct sfile **order = xmalloc((s->nfiles + 1) * sizeof(*order)), *marker;
	size_t i, n = s->nfiles;
	bool sorted = true, own_done;
	int ret = -1;

	/* Room for the two files put_own() adds: order stays valid. */
	s->files = xgrow(s->files, sizeof(*s->files), n + 2, &s->capfiles);
	for (i = 0; i < n; i++) {
		order[i] = &s->files[i];
		if (i && sorted && strcmp(order[i - 1]->path, order[i]->path) > 0)
			sorted = false;
	}
	if (!sorted)
		qsort(order, n, sizeof(*order), cmp_file);
	buf_adds(&text, "# Files written by briefgen.  The next build or publish replaces this folder\n"
			"# and removes them; any other file here makes it refuse.\n");
	own_done = false;
	for (i = 0; i < n; i++) {
		const char *path = order[i]->path;

		if (!own_done && strcmp(MANIFEST_NAME, path) < 0) {
			buf_adds(&text, MANIFEST_NAME "\n");
			own_done = true;
		}
		buf_adds(&text, path);
		buf_addc(&text, '\n');
	}
	if (!own_done)
		buf_adds(&text, MANIFEST_NAME "\n");
	marker = &s->files[n];
	if (put_own(s, STAGING_MARKER, &text) < 0)
		goto out;
	buf_reset(&text);
	own_done = false;
	for (i = 0; i < n; i++) {
		const struct sfile *f = order[i];

		if (!own_done && strcmp(STAGING_MARKER, f->path) < 0) {
			manifest_format_line(&text, marker->path, marker->digest);
			own_done = true;
		}
		manifest_format_line(&text, f->path, f->digest);
	}
	if (!own_done)
		manifest_format_line(&text, marker->path, marker->digest);
	if (put_own(s, MANIFEST_NAME, &text) < 0)
		goto out;
	ret = 0;
out:
	buf_release(&text);
	free(order);
	return ret;
}

/* fsync every subfolder (children first), then the staging folder. */
static int sync_dirs(struct staging *s)
{
	size_t i;

	for (i = s->ndirs; i-- > 0;) {
		int fd = fault_openat(s->stagefd, s->dirs[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);

		if (fd < 0)
			return fail_io(s, s->dirs[i], "open", errno);
		if (finish_file(s, fd, s->dirs[i]) < 0)
			return -1;
	}
	if (fault_fsync(s->stagefd) < 0)
		return fail_io(s, s->stage, "fsync", errno);
	return 0;
}

/* Renames done in the parent, so that they can be undone in reverse. */
struct swap {
	int parentfd;
	const char *prefix;    /* for messages */
	const char *name;
	struct {
		bool exchange;
		const char *from, *to;
	} done[4];
	int n;
};

static int swap_rename(struct swap *w, const char *from, const char *to, struct buf *msg)
{
	if (fault_renameat(w->parentfd, from, w->parentfd, to) < 0) {
		buf_addf(msg, "rename '%s%s' to '%s%s': %s", w->prefix, from, w->prefix, to,
			 strerror(errno));
		return -1;
	}
	w->done[w->n].exchange = false;
	w->done[w->n].from = from;
	w->done[w->n].to = to;
	w->n++;
	return 0;
}

/* 0 done; -1 failed (msg set); 1 the filesystem cannot exchange. */
static int swap_exchange(struct swap *w, const char *a, const char *b, struct buf *msg,
			 int *why)
{
	if (fault_exchangeat(w->parentfd, a, w->parentfd, b) < 0) {
		*why = errno;
		if (fault_exchange_unsupported(errno))
			return 1;
		buf_addf(msg, "exchange '%s%s' and '%s%s': %s", w->prefix, a, w->prefix, b,
			 strerror(errno));
		return -1;
	}
	w->done[w->n].exchange = true;
	w->done[w->n].from = a;
	w->done[w->n].to = b;
	w->n++;
	return 0;
}

/* Undo every step, last first; 0 when all were undone, else -1 with the
 * reason appended to msg. */
static int swap_undo(struct swap *w, struct buf *msg)
{
	while (w->n > 0) {
		int i = w->n - 1, r;

		if (w->done[i].exchange)
			r = fault_exchangeat(w->parentfd, w->done[i].from, w->parentfd,
					     w->done[i].to);
		else
			r = fault_renameat(w->parentfd, w->done[i].to, w->parentfd,
					   w->done[i].from);
		if (r < 0) {
			buf_addf(msg, _("; could not undo it (rename '%s%s' back: %s), so nothing was "
				      "removed: the versions are in '%s%s' and '%s.%s.*'"),
				 w->prefix, w->done[i].to, strerror(errno), w->prefix, w->name,
				 w->prefix, w->name);
			return -1;
		}
		w->n--;
	}
	return 0;
}

int staging_commit(struct staging *s, char **err)
{
	struct buf msg = BUF_INIT;
	struct swap w;
	struct stat st;
	char *prev = NULL, *old = NULL, *discard = NULL;
	bool out_exists, had_prev = false;
	int r, why = 0, ret = -1;

	memset(&w, 0, sizeof(w));
	w.parentfd = s->parentfd;
	w.prefix = s->prefix;
	w.name = s->name;
	if (s->error || close_streams(s) < 0 || write_marker_and_sums(s) < 0)
		goto fail_recorded;
	if ((s->flags & STAGING_SYNC) && sync_dirs(s) < 0)
		goto fail_recorded;
	r = fault_close(s->stagefd);
	s->stagefd = -1;
	if (r < 0) {
		buf_addf(&msg, "%s%s: close: %s", s->prefix, s->stage, strerror(errno));
		goto fail;
	}
	if ((s->flags & STAGING_SYNC) && fault_fsync(s->parentfd) < 0) {
		buf_addf(&msg, "%s: fsync: %s", *s->prefix ? s->prefix : ".", strerror(errno));
		goto fail;
	}

	prev = xasprintf(".%s.previous", s->name);
	old = xasprintf(".%s.old-%s", s->name, s->suffix);
	if (fstatat(s->parentfd, s->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		out_exists = true;
	} else if (errno == ENOENT) {
		out_exists = false;
	} else {
		buf_addf(&msg, "%s: %s", s->out, strerror(errno));
		goto fail;
	}

	if (!out_exists) {
		if (swap_rename(&w, s->stage, s->name, &msg) < 0)
			goto fail;
	} else if (s->flags & STAGING_KEEP_PREVIOUS) {
		had_prev = fstatat(s->parentfd, prev, &st, AT_SYMLINK_NOFOLLOW) == 0;
		/* The older previous steps aside first, so that what follows
		 * is the swap itself and nothing else. */
		if (had_prev && swap_rename(&w, prev, old, &msg) < 0)
			goto fail;
		r = swap_exchange(&w, s->stage, s->name, &msg, &why);
		if (r < 0)
			goto fail;
		if (r == 0) {
			/* out is new; the staging name holds the old version. */
			if (swap_rename(&w, s->stage, prev, &msg) < 0)
				goto fail;
		} else {
			if (swap_rename(&w, s->name, prev, &msg) < 0 ||
			    swap_rename(&w, s->stage, s->name, &msg) < 0)
				goto fail;
		}
		discard = had_prev ? old : NULL;
	} else {
		r = swap_exchange(&w, s->stage, s->name, &msg, &why);
		if (r < 0)
			goto fail;
		if (r == 0) {
			discard = s->stage;
		} else {
			if (swap_rename(&w, s->name, old, &msg) < 0 ||
			    swap_rename(&w, s->stage, s->name, &msg) < 0)
				goto fail;
			discard = old;
		}
	}
	if ((s->flags & STAGING_SYNC) && fault_fsync(s->parentfd) < 0) {
		buf_addf(&msg, "%s: fsync: %s", *s->prefix ? s->prefix : ".", strerror(errno));
		goto fail;
	}
	if (why)
		warn(s, "'%s' is on a filesystem that cannot swap folders in one step "
			"(renameat2 RENAME_EXCHANGE: %s); replaced it with two renames instead, "
			"so for an instant it did not exist",
		     s->out, strerror(why));
	if (discard && remove_tree_at(s->parentfd, discard) < 0)
		warn(s, "could not remove the old version '%s%s': %s", s->prefix, discard,
		     strerror(errno));
	ret = 0;
	goto out;

fail_recorded:
	buf_adds(&msg, s->error ? s->error : "staging failed");
fail:
	if (swap_undo(&w, &msg) == 0) {
		if ((s->flags & STAGING_SYNC) && w.parentfd >= 0)
			fsync(s->parentfd);
		if (s->stagefd >= 0) {
			close(s->stagefd);
			s->stagefd = -1;
		}
		remove_tree_at(s->parentfd, s->stage);
	}
	*err = buf_detach(&msg, NULL);
out:
	buf_release(&msg);
	free(prev);
	free(old);
	staging_free(s);
	return ret;
}

void staging_abort(struct staging *s)
{
	if (!s)
		return;
	if (s->stagefd >= 0) {
		close(s->stagefd);
		s->stagefd = -1;
	}
	if (s->stage && s->parentfd >= 0)
		remove_tree_at(s->parentfd, s->stage);
	staging_free(s);
}

int staging_rollback(const char *out, unsigned flags, void (*warnfn)(void *ud, const char *msg),
		     void *ud, char **err)
{
	struct staging tmp;
	struct buf msg = BUF_INIT;
	struct swap w;
	struct stat st;
	char *prev = NULL, *old = NULL;
	int r, why = 0, ret = -1;

	memset(&tmp, 0, sizeof(tmp));
	memset(&w, 0, sizeof(w));
	tmp.parentfd = tmp.stagefd = -1;
	tmp.warn = warnfn;
	tmp.warn_ud = ud;
	tmp.out = xstrdup(out);
	if (split_out(out, &tmp.prefix, &tmp.name, err) < 0)
		goto out;
	tmp.parentfd = open_parent(tmp.prefix, out, err);
	if (tmp.parentfd < 0)
		goto out;
	w.parentfd = tmp.parentfd;
	w.prefix = tmp.prefix;
	w.name = tmp.name;
	prev = xasprintf(".%s.previous", tmp.name);
	if (fstatat(tmp.parentfd, prev, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		*err = xasprintf(_("no previous version of '%s' to roll back to (%s%s: %s)"), out,
				 tmp.prefix, prev, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		*err = xasprintf(_("no previous version of '%s' to roll back to (%s%s is not a "
				 "folder)"),
				 out, tmp.prefix, prev);
		goto out;
	}
	if (fstatat(tmp.parentfd, tmp.name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode)) {
		*err = xasprintf(_("'%s' is not a published folder, so there is nothing to roll back"),
				 out);
		goto out;
	}
	r = swap_exchange(&w, prev, tmp.name, &msg, &why);
	if (r < 0)
		goto fail;
	if (r > 0) {
		random_suffix(tmp.suffix);
		old = xasprintf(".%s.old-%s", tmp.name, tmp.suffix);
		if (swap_rename(&w, tmp.name, old, &msg) < 0 ||
		    swap_rename(&w, prev, tmp.name, &msg) < 0 || swap_rename(&w, old, prev, &msg) < 0)
			goto fail;
	}
	if ((flags & STAGING_SYNC) && fault_fsync(tmp.parentfd) < 0) {
		buf_addf(&msg, "%s: fsync: %s", *tmp.prefix ? tmp.prefix : ".", strerror(errno));
		goto fail;
	}
	if (why)
		warn(&tmp, "'%s' is on a filesystem that cannot swap folders in one step "
			   "(renameat2 RENAME_EXCHANGE: %s); swapped it with three renames instead, "
			   "so for an instant it did not exist",
		     out, strerror(why));
	ret = 0;
	goto out;
fail:
	swap_undo(&w, &msg);
	*err = buf_detach(&msg, NULL);
out:
	buf_release(&msg);
	free(prev);
	free(old);
	if (tmp.parentfd >= 0)
		close(tmp.parentfd);
	free(tmp.out);
	free(tmp.prefix);
	free(tmp.name);
	return ret;
}
