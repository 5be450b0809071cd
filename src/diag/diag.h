/*
 * diag: diagnostics collected as values.
 *
 * Every stage appends what it finds to one struct diags and goes on; only
 * cli/ decides what the outcome means for the exit status.  A diagnostic is
 * printed the way compilers print them, so editors can jump to it:
 *
 *   content/partners/brasov.yaml:14:5: error: unknown key 'ammount' (did you mean 'amount'?)
 *
 * followed, where it helps, by the source line with a caret and a hint line.
 * Lines and columns are 1-based.  The diags own copies of every string they
 * are given.
 *
 * Every stage reports through here, the loader first, so this module sits
 * below load/ and knows nothing of YAML trees: the helpers that place a
 * diagnostic at a tree node (diags_at, diags_note) are in load/node.h.
 */
#ifndef BRIEFGEN_DIAG_H
#define BRIEFGEN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct buf;

/*
 * Bounds of a printed report (briefgen(1), DIAGNOSTICS): at most
 * DIAGS_PER_FILE diagnostics of one file and DIAGS_PER_RUN in all are
 * printed in full, each with its notes; one line then says how many more
 * there are (all are still counted).  A source line longer than DIAG_WINDOW
 * characters is shown as a window of that many around the caret; a source
 * file is shown only when it is a regular file of at most DIAG_SOURCE_MAX
 * bytes.
 */
#define DIAGS_PER_FILE 20
#define DIAGS_PER_RUN 200
#define DIAG_WINDOW 160
#define DIAG_SOURCE_MAX (4 * 1024 * 1024)

enum severity { SEV_NOTE, SEV_WARNING, SEV_ERROR };

struct diag {
	char *file;        /* path as shown to the user; "" for none */
	int line, col;     /* 1-based; 0 when unknown */
	int end_col;       /* the column just past the value the diagnostic is
			    * about, on line; 0 when unknown.  Set by diags_at
			    * for a scalar on one line (load/node.h), checked
			    * against the source by diag_end_col (report.h). */
	enum severity severity;
	char *message;
	char *hint;        /* NULL or "write 50000 (no thousands separator)" */
	char *source;      /* NULL or the source line, for the caret display */
	const char *rule;  /* stable rule id ("unknown-key"), see rules.h; static */
	size_t seq;        /* insertion order, to keep the sort stable */
	size_t parent;     /* for notes attached to another diagnostic: its seq + 1 */
};

struct diags {
	struct diag *items;
	size_t n, cap;
	size_t errors, warnings;
	bool strict;        /* --strict: warnings count as errors */
};

/* "error", "warning" or "note". */
const char *diag_severity_name(enum severity s);

void diags_init(struct diags *d);
void diags_release(struct diags *d);

/* Add a diagnostic at an explicit place; returns its seq for diag_note.
 * fmt is the English format: it is translated here (util/intl.h) and names
 * the diagnostic's rule (rules.h).  hint is given already translated. */
size_t diags_add(struct diags *d, enum severity sev, const char *file, int line, int col,
		 const char *hint, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 7, 8)))
#endif
	;
/* diags_add with a va_list; parent is 0, or the seq + 1 of the diagnostic
 * a note belongs to (it is then printed right after it and not counted). */
size_t diags_vadd(struct diags *d, enum severity sev, const char *file, int line, int col,
		  const char *hint, size_t parent, const char *fmt, va_list ap);

/* Move every diagnostic of src to the end of d, as if it had been added to
 * d in the same order (notes keep their parent); src is left empty.  For
 * work done by several threads, each into its own diags, and merged in an
 * order that does not depend on the threads. */
void diags_append(struct diags *d, struct diags *src);

/* Copy the diagnostics of src from number from on (src unsorted; a note's
 * parent among them) to the end of d, as diags_append would move them; src
 * is not changed.  For serve's incremental builds, which give a full
 * build's list again from the parts kept (model/content.h). */
void diags_append_copy(struct diags *d, const struct diags *src, size_t from);

/* True when there are errors, or warnings under strict. */
bool diags_failed(const struct diags *d);

/* Sort by file, line, column, then insertion order; notes follow their
 * parent.  Deterministic. */
void diags_sort(struct diags *d);

/*
 * Print the diagnostics (sorted first) through one buffer, within the bounds
 * above.  source: show the source line and a caret, once for a run of
 * diagnostics on the same line.  No raw control or format character is ever
 * written: see diag_escape().
 */
void diags_print(const struct diags *d, FILE *out, bool source);

/* Which diagnostics diags_print() prints in full: shown[i] for items[i]
 * (the caller gives d->n bools).  Returns how many diagnostics (notes not
 * counted) are left out. */
size_t diags_select(const struct diags *d, bool *shown);

/*
 * Append s[0..len) with every control character and invisible format
 * character written as an escape: C0 controls and DEL as \x1b, C1 controls
 * and Unicode format characters (bidi embeddings, overrides and isolates,
 * zero-width space and joiners, word joiner, BOM, line and paragraph
 * separators) as \u202e; a byte that is not UTF-8 as \xff.  Everything
 * else is copied.  Used for every text a diagnostic prints.
 */
void diag_escape(struct buf *b, const char *s, size_t len);
/* True for the code points diag_escape() escapes (tab included). */
bool diag_char_needs_escape(unsigned cp);
/* "2 errors, 1 warning" in the message language, or NULL when clean; the
 * caller frees it. */
char *diags_summary(const struct diags *d);
/* Print diags_summary() as one line (nothing when clean). */
void diags_print_summary(const struct diags *d, FILE *out);

#endif
