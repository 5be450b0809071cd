/*
 * testdir: scratch folders and file helpers for the write/ and publish/
 * unit tests.  Everything is static: each test program includes this once.
 */
#ifndef BRIEFGEN_TESTDIR_H
#define BRIEFGEN_TESTDIR_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/buf.h"

/* A new empty folder under $TMPDIR (or /tmp); caller frees the path. */
static inline char *td_make(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/briefgen-test.XXXXXX", tmp && *tmp ? tmp : "/tmp");

	ck_assert_msg(mkdtemp(path) != NULL, "mkdtemp: %s", strerror(errno));
	return path;
}

/* Remove a folder and everything in it. */
static inline void td_remove(const char *path)
{
	char *cmd = xasprintf("rm -rf '%s'", path);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static inline char *td_path(const char *dir, const char *rel)
{
	return xasprintf("%s/%s", dir, rel);
}

static inline void td_write(const char *dir, const char *rel, const char *text)
{
	char *p = td_path(dir, rel);
	FILE *f = fopen(p, "w");

	ck_assert_msg(f != NULL, "%s: %s", p, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	free(p);
}

/* Contents of dir/rel, or NULL when it does not exist; caller frees. */
static inline char *td_read(const char *dir, const char *rel)
{
	char *p = td_path(dir, rel);
	struct buf b = BUF_INIT;
	char chunk[4096];
	FILE *f = fopen(p, "r");
	size_t n;

	free(p);
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static inline int td_exists(const char *dir, const char *rel)
{
	char *p = td_path(dir, rel);
	struct stat st;
	int r = lstat(p, &st) == 0;

	free(p);
	return r;
}

static inline mode_t td_mode(const char *dir, const char *rel)
{
	char *p = td_path(dir, rel);
	struct stat st;

	ck_assert_msg(lstat(p, &st) == 0, "%s: %s", p, strerror(errno));
	free(p);
	return st.st_mode & 07777;
}

/* Output of a shell command run in dir (stdout and stderr), and its status. */
static inline int td_sh(const char *dir, const char *cmd, char **output)
{
	char *full = xasprintf("cd '%s' && { %s; } 2>&1", dir, cmd);
	struct buf b = BUF_INIT;
	char chunk[4096];
	FILE *p = popen(full, "r");
	size_t n;
	int st;

	ck_assert(p != NULL);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	st = pclose(p);
	free(full);
	if (output)
		*output = buf_detach(&b, NULL);
	else
		buf_release(&b);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Names in dir starting with prefix (e.g. ".site.staging-"). */
static inline int td_count_prefix(const char *dir, const char *prefix)
{
	char *cmd = xasprintf("ls -A | grep -c '^%s' || true", prefix);
	char *out;
	int n;

	td_sh(dir, cmd, &out);
	n = atoi(out);
	free(out);
	free(cmd);
	return n;
}

#endif
