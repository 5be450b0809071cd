/*
 * pool: jobs done by several threads, their results taken in order.
 *
 * A build does the same thing for every partner (load and check its file,
 * render its pages) and must hand the results on in the partners' order,
 * the same whatever the number of threads.  A pool runs jobs 0..n-1: other
 * threads do jobs ahead into slots (ops->work), and the calling thread
 * takes the results in job order (ops->take).  The caller works too: a job
 * nobody has started when its turn comes is done and taken at once
 * (ops->direct); while it waits for another thread, it does jobs ahead
 * like them.  At most POOL_WINDOW jobs per thread are ahead of the one
 * taken last, so memory stays flat.
 *
 *   struct pool *p = pool_new(n, threads, sizeof(struct my_slot), &ops, ud);
 *   if (pool_take(p, n) != 0) ...   (in pieces: pool_take(p, k), pool_take(p, n))
 *   pool_free(p);
 *
 * The other threads are started once the first job was done directly, so
 * whatever the first job sets up (compiled templates, caches) is there
 * before they begin.  A pool of fewer than two threads starts none: every
 * job is done directly, in order, as a plain loop would.  Threads that
 * cannot be started leave their share to the others.
 *
 * work() runs in any thread, several at once, with the number of the
 * thread (0: the caller; 1..threads-1) so ud can keep state per thread;
 * take() and direct() run in the calling thread only.  A take() or
 * direct() that fails stops the pool: pool_take() returns -1 and the jobs
 * after it are not taken.
 *
 * The other threads run from the first pool_take() to pool_free(), also
 * while the calling thread does other work between two pool_take()s: it
 * must not change meanwhile what work() reads.  (work() may look messages
 * up: serve's build thread switches the message language with intl_use
 * only before and after a build, never while a pool runs.)
 */
#ifndef BRIEFGEN_POOL_H
#define BRIEFGEN_POOL_H

#include <stddef.h>

/* Jobs ahead per thread.  A thread that finds the window full sleeps until
 * half of it is free, so a build whose caller takes more slowly than the
 * others render (it writes the files) wakes them about once every
 * POOL_WINDOW * threads / 2 jobs: 16 (not 4) cut the render pool's sleeps
 * at N = 10 000, -j 2 from 400-850 to about 230, context switches from
 * 480-1030 to 160-270, futex calls from 1 650-3 450 to 570-1 850, with no
 * peak RSS to show for it (about 30 MB either way: a slot is a few pages). */
#define POOL_WINDOW 16

struct pool_ops {
	void (*slot_init)(void *slot);          /* NULL: slots start zeroed */
	void (*slot_release)(void *slot);       /* NULL: nothing to free */
	void (*work)(void *ud, unsigned thread, size_t job, void *slot);
	int (*take)(void *ud, size_t job, void *slot);
	int (*direct)(void *ud, size_t job);
};

struct pool;

/* A pool for njobs jobs with threads threads (the caller's included).
 * ops and ud are borrowed until pool_free(). */
struct pool *pool_new(size_t njobs, unsigned threads, size_t slot_size, const struct pool_ops *ops,
		      void *ud);
/* Take the results of the jobs before upto, in order.  0, or -1 when a
 * take() or direct() failed (its result is then the caller's to report). */
int pool_take(struct pool *p, size_t upto);
/* Stop and join the threads (a job in progress is finished, not taken) and
 * free the pool.  Accepts NULL. */
void pool_free(struct pool *p);

/* Threads for "one per CPU": the CPUs online, at least 1, at most max. */
unsigned pool_cpus(unsigned max);

#endif
