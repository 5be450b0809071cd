/*
 * write-floor: the least work any tool must do to deliver briefgen's output,
 * once the bytes are made.
 *
 *   write-floor BUILT OUT
 *
 * Reads every file under BUILT (a `briefgen build` output folder) into memory,
 * then, and only this part is measured (getrusage around it), creates the same
 * folders and files under OUT (which must not exist) with one open, one write
 * and one close each, and takes each file's SHA-256 with nettle, as
 * SHA256SUMS needs.  It prints
 *
 *   write-floor: FILES files, BYTES bytes: user U s, sys S s, wall W s
 *
 * This is the part of a build's CPU that depends only on what is delivered
 * (the kernel's cost of making ~2N files, and hashing them), not on how they
 * are made: bench/floor measures reading the input, this measures writing
 * the output.  Neither does any work of briefgen's own.
 *
 * Not part of briefgen's build: bench/run compiles it with
 *   cc -O2 write-floor.c $(pkg-config --cflags --libs nettle)
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file {
	char *path;      /* relative to BUILT and OUT */
	char *data;      /* NULL for a folder */
	size_t len;
};

static struct file *files;
static size_t nfiles, capfiles;

static void die(const char *what, const char *path)
{
	fprintf(stderr, "write-floor: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("write-floor: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = xrealloc(NULL, la + lb + 2);

	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

static void add(char *path, char *data, size_t len)
{
	if (nfiles == capfiles) {
		capfiles = capfiles ? capfiles * 2 : 1024;
		files = xrealloc(files, capfiles * sizeof(*files));
	}
	files[nfiles].path = path;
	files[nfiles].data = data;
	files[nfiles].len = len;
	nfiles++;
}

static char *slurp(const char *path, size_t len)
{
	char *buf = xrealloc(NULL, len ? len : 1);
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die("cannot open", path);
	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r <= 0)
			die("cannot read", path);
		got += (size_t)r;
	}
	close(fd);
	return buf;
}

/* Every file and folder under built/rel, folders before what is in them. */
static void collect(const char *built, const char *rel)
{
	char *dir = rel ? join(built, rel) : strdup(built);
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		die("cannot list", dir);
	while ((de = readdir(d))) {
		char *full, *sub;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		full = join(dir, de->d_name);
		sub = rel ? join(rel, de->d_name) : strdup(de->d_name);
		if (lstat(full, &st) < 0)
			die("cannot stat", full);
		if (S_ISDIR(st.st_mode)) {
			add(sub, NULL, 0);
			collect(built, sub);
		} else if (S_ISREG(st.st_mode)) {
			add(sub, slurp(full, (size_t)st.st_size), (size_t)st.st_size);
		}
		free(full);
	}
	closedir(d);
	free(dir);
}

static double seconds(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct rusage r0, r1;
	struct timespec t0, t1;
	unsigned char digest[SHA256_DIGEST_SIZE], folded = 0;
	size_t i, bytes = 0, written = 0;
	int out;

	if (argc != 3) {
		fputs("usage: write-floor BUILT OUT\n", stderr);
		return 2;
	}
	collect(argv[1], NULL);

	getrusage(RUSAGE_SELF, &r0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (mkdir(argv[2], 0755) < 0)
		die("cannot make", argv[2]);
	out = open(argv[2], O_RDONLY | O_DIRECTORY);
	if (out < 0)
		die("cannot open", argv[2]);
	for (i = 0; i < nfiles; i++) {
		const struct file *f = &files[i];
		struct sha256_ctx ctx;
		int fd;

		if (!f->data) {
			if (mkdirat(out, f->path, 0755) < 0)
				die("cannot make", f->path);
			continue;
		}
		fd = openat(out, f->path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die("cannot create", f->path);
		if (f->len && write(fd, f->data, f->len) != (ssize_t)f->len)
			die("cannot write", f->path);
		if (close(fd) < 0)
			die("cannot close", f->path);
		sha256_init(&ctx);
		sha256_update(&ctx, f->len, (const uint8_t *)f->data);
		sha256_digest(&ctx, sizeof(digest), digest);
		folded ^= digest[0];   /* keeps the hashing from being dropped */
		bytes += f->len;
		written++;
	}
	close(out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &r1);

	printf("write-floor: %zu files, %zu bytes: user %.3f s, sys %.3f s, wall %.3f s (%02x)\n",
	       written, bytes, seconds(r1.ru_utime) - seconds(r0.ru_utime),
	       seconds(r1.ru_stime) - seconds(r0.ru_stime),
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, folded);
	return 0;
}
