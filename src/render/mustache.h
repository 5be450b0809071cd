/*
 * mustache: compile Mustache templates once, render them many times.
 *
 * The engine follows the Mustache spec 1.4 (https://github.com/mustache/spec):
 * variables {{x}} (HTML-escaped with buf_add_html), {{{x}}} and {{&x}}
 * (raw), dotted names and the implicit iterator {{.}}, sections {{#x}} and
 * inverted sections {{^x}}, comments {{! }}, partials {{>x}}, set delimiters
 * {{=<% %>=}}, standalone-line whitespace rules, indentation of standalone
 * partials, and template inheritance: parents {{<x}}...{{/x}} with blocks
 * {{$b}}default{{/b}} (the optional ~inheritance spec, with block
 * reindentation).  Lambdas and dynamic names are not supported: data is a
 * plain view tree (render/view.h), so nothing in it can be called.
 *
 * Values print as follows: a string as itself, a number as its text, a
 * boolean as "true" or "false", and null, a missing name, a list or a map as
 * nothing.  In a section a list is iterated, any other truthy value (see
 * view_truthy) is pushed once onto the context stack.
 *
 * A tag is standalone when it is the only thing on its line apart from spaces
 * and tabs; only then are that whitespace and the line ending removed, so a
 * line "{{#a}}{{/a}}" keeps its newline.  A parent tag pair counts as one tag
 * (its inner text is never printed), and a block directly inside a parent
 * needs only the rest of its opening line to be blank.
 *
 * Ownership: a compiled template (struct mustache) owns a copy of everything
 * it needs, so the source may be freed after mustache_compile().  An
 * environment (struct mustache_env) owns the partials it compiled.  Every
 * error message returned through a char **err is malloc'd and belongs to the
 * caller, who frees it with free(); it reads "NAME:LINE:COL: error: message",
 * with 1-based line and column (the column counts UTF-8 characters).
 *
 * Names are resolved when a template is compiled: every part of a dotted
 * name is interned (util/atom.h) into a struct view_key, and a render finds
 * a name by comparing atom ids, not strings (render/view.h).
 *
 * Threads: a compiled template is never written after mustache_compile()
 * returns, so any number of threads may render the same template at once,
 * each with its own environment (see below) and its own views.  Compiling
 * may also happen on any thread.
 *
 * Limits: partials and parents nest at most MUSTACHE_MAX_PARTIAL_DEPTH levels
 * deep at render time, so a partial that includes itself without a stopping
 * condition is an error, not a stack overflow; sections, partials, parents
 * and blocks together nest at most MUSTACHE_MAX_NESTING levels.  One render
 * takes at most MUSTACHE_MAX_STEPS steps (a node rendered or a body
 * entered is one step, an item of a list made on demand 50: the
 * bundled templates take under 1 000 for the bundled content and under a
 * million for 10 000 partners), so sections over lists nested in each other
 * cannot keep a build or the preview busy for hours even when they print
 * nothing.
 */
#ifndef BRIEFGEN_MUSTACHE_H
#define BRIEFGEN_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/buf.h"
#include "view.h"

#define MUSTACHE_MAX_PARTIAL_DEPTH 64
#define MUSTACHE_MAX_NESTING 1024
#define MUSTACHE_MAX_STEPS 20000000

/* A compiled template: a flat array of nodes, rendered without re-parsing. */
struct mustache;

/*
 * Compile src (len bytes, need not be NUL-terminated; borrowed for the call
 * only).  name is copied and used in error messages (e.g. the file name).
 * Returns the template, to be freed with mustache_free(); on a syntax error
 * (unclosed tag, unclosed or mismatched section, bad delimiters, empty or
 * malformed name) returns NULL and sets *err.
 */
struct mustache *mustache_compile(const char *name, const char *src, size_t len, char **err);

/* Free a template; NULL is allowed. */
void mustache_free(struct mustache *tmpl);

/* The name given to mustache_compile(). */
const char *mustache_name(const struct mustache *tmpl);

/*
 * Where partials and parents come from.  load() returns the source of the
 * template called name and sets *len, or returns NULL when there is none
 * (such a partial renders as the empty string, as the spec says).  The
 * returned bytes are borrowed only until load() returns; the engine copies
 * what it keeps.  ud is passed through untouched.
 */
struct mustache_loader {
	const char *(*load)(void *ud, const char *name, size_t *len);
	void *ud;
};

/*
 * An environment: the loader plus a cache of the partials compiled through
 * it.  Each name is loaded and compiled at most once per environment, and a
 * missing name or a syntax error is remembered too, so make a new environment
 * when the templates on disk change.  An environment may be shared by any
 * number of renders, but not by two threads at once.
 */
struct mustache_env;

/* A new environment with a copy of *loader; free it with mustache_env_free(). */
struct mustache_env *mustache_env_new(const struct mustache_loader *loader);

/*
 * How {{name}} escapes values rendered through env: by default HTML
 * (buf_add_html); a Markdown template sets markdown_escape.  {{{name}}} and
 * {{&name}} never escape.  A render notes in a string that one of those
 * two copied it unchanged (view.plain, render/view.h: the one thing a
 * render writes to its data) and from then on copies it without looking;
 * any other escape function is called every time.
 */
void mustache_env_set_escape(struct mustache_env *env,
			     void (*escape)(const char *s, size_t len, struct buf *out));

/*
 * Let renders through env hand their output on in pieces: after each item
 * of a list made on demand (view_lazy_list), when out holds at least
 * threshold bytes, flush(ud, out) is called; it takes the bytes and empties
 * out (returns 0), or fails (-1, and the render fails).  Output is
 * otherwise unchanged: the pieces concatenated are the whole rendering.
 */
void mustache_env_set_flush(struct mustache_env *env, int (*flush)(void *ud, struct buf *out),
			    void *ud, size_t threshold);

/*
 * Bound what one render through env may produce: once the output (flushed
 * pieces included) passes limit bytes, the render stops with -1, *err set
 * and mustache_env_limit_hit() true.  0 (the default) means no bound.  A
 * render overshoots by at most the output of one template node.
 */
void mustache_env_set_limit(struct mustache_env *env, size_t limit);
/* True when the last render through env stopped at the limit. */
bool mustache_env_limit_hit(const struct mustache_env *env);

/*
 * Keep fragments (serve's updates; off by default, and off for full
 * builds): with on, a render through env keeps the output of each item of
 * a list made on demand (view_lazy_list) whose source gives an id and a
 * stamp (view.h), by (the rendered template, the section's template and
 * node, the list's id, the item's index), with every name the item looked
 * up outside its own frame and the value it found.  A later render through
 * env copies an item's kept output instead of making and rendering it when
 * its stamp is the same, its section stands in the same place (parents,
 * indentation, start of line) and every one of those names finds the same
 * value again: a string or number with the same bytes, the same boolean,
 * null or nothing again, or the very same map or list when it was marked
 * with view_keep(); an item that looked up any other map or list outside
 * itself is not kept.  Lists made on demand inside a kept item are rendered
 * in full.  The output is the same, byte for byte, as without fragments.
 *
 * The kept fragments point at the templates rendered through env: those
 * must outlive env, or turn fragments off first (that drops them).
 */
void mustache_env_keep_fragments(struct mustache_env *env, bool on);

/* How many items renders through env took from kept fragments, and how many
 * they rendered and kept, since fragments were turned on (for tests). */
size_t mustache_env_fragments_used(const struct mustache_env *env);
size_t mustache_env_fragments_made(const struct mustache_env *env);

/* Free an environment and every partial it compiled; NULL is allowed. */
void mustache_env_free(struct mustache_env *env);

/*
 * Render tmpl against the context stack whose bottom is ctx (may be NULL for
 * an empty stack), appending to out.  env supplies partials and parents; it
 * may be NULL when the template uses none (they then render as nothing).
 * Returns 0, or -1 with *err set when a partial has a syntax error or
 * nesting exceeds the limits above; out then holds a partial rendering
 * that the caller should discard.  Borrows everything.
 */
int mustache_render(struct mustache_env *env, const struct mustache *tmpl,
		    const struct view *ctx, struct buf *out, char **err);

#endif
