#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/alloc.h"
#include "../util/buf.h"
#include "diag.h"

void source_init(struct source *sc)
{
	memset(sc, 0, sizeof(*sc));
}

void source_release(struct source *sc)
{
	free(sc->file);
	free(sc->text);
	free(sc->lines);
	memset(sc, 0, sizeof(*sc));
}

/* The text of file, or NULL (see source.h for which files are read). */
static char *read_source(const char *file, size_t *len)
{
	struct buf b = BUF_INIT;
	struct stat st;
	char chunk[16384];
	ssize_t r;
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > DIAG_SOURCE_MAX) {
		close(fd);
		return NULL;
	}
	while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		buf_add(&b, chunk, (size_t)r);
		if (b.len > DIAG_SOURCE_MAX)
			break;
	}
	close(fd);
	if (r != 0 || b.len > DIAG_SOURCE_MAX) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, len);
}

bool source_line(struct source *sc, const char *file, int line, const char **start, size_t *n)
{
	size_t cap = 0, i;
	const char *p, *e;

	if (!sc->file || strcmp(sc->file, file) != 0) {
		source_release(sc);
		sc->file = xstrdup(file);
		sc->text = read_source(file, &sc->len);
		if (!sc->text)
			return false;
		sc->lines = xgrow(NULL, sizeof(*sc->lines), 1, &cap);
		sc->lines[sc->nlines++] = 0;
		for (i = 0; (p = memchr(sc->text + i, '\n', sc->len - i)) != NULL;) {
			i = (size_t)(p - sc->text) + 1;
			if (sc->nlines == cap)
				sc->lines = xgrow(sc->lines, sizeof(*sc->lines), sc->nlines + 1, &cap);
			sc->lines[sc->nlines++] = i;
		}
	}
	if (!sc->text || line < 1 || (size_t)line > sc->nlines)
		return false;
	p = sc->text + sc->lines[line - 1];
	for (e = p; e < sc->text + sc->len && *e != '\n' && *e != '\r' && *e; e++)
		;
	*start = p;
	*n = (size_t)(e - p);
	return true;
}
