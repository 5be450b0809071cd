#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

/*
 * The jobs are handed out and the slots marked with atomics, so the
 * threads meet at no lock while there is work: a thread claims the next
 * job with a compare-and-swap on next, marks its slot done when the work
 * is in it, and the caller frees the slot and moves taken on.  The lock
 * and the two condition variables are only for sleeping: a thread that
 * must wait says so (done_waiting, room_waiting) under the lock, looks
 * again and sleeps; whoever changes what it waits for wakes it only when
 * it said so.  A thread that finds the window full sleeps until half of
 * it is free (half_empty), not until the next slot is: while the caller
 * takes more slowly than the others work (it writes the files), one wake
 * then starts several jobs instead of one.  Every atomic is sequentially consistent, which is what
 * makes that safe: either the waker sees the waiter's flag, or the waiter
 * sees the change when it looks again.
 */

struct pool_thread {
	struct pool *p;
	pthread_t id;
	unsigned n;
};

struct pool {
	const struct pool_ops *ops;
	void *ud;
	size_t njobs;
	unsigned threads, started;   /* started: threads running, the caller's counted */
	size_t window;               /* slots: job j is in slot j % window */
	size_t slot_size;
	unsigned char *slots;
	atomic_bool *done;           /* a slot holds its job's work, not yet taken */
	atomic_size_t next;          /* the first job nobody has started */
	atomic_size_t taken;         /* jobs taken (moved on by the caller only) */
	atomic_bool stop;
	pthread_mutex_t lock;        /* for sleeping only */
	pthread_cond_t job_done;     /* the caller waits for its job */
	pthread_cond_t room;         /* the others wait for the window to move, or stop */
	atomic_bool done_waiting;    /* the caller sleeps, or is about to */
	atomic_uint room_waiting;    /* how many others sleep, or are about to */
	struct pool_thread *t;
};

unsigned pool_cpus(unsigned max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		n = 1;
	return (unsigned long)n > max ? max : (unsigned)n;
}

static void *slot_at(struct pool *p, size_t job)
{
	return p->slots + (job % p->window) * p->slot_size;
}

struct pool *pool_new(size_t njobs, unsigned threads, size_t slot_size, const struct pool_ops *ops,
		      void *ud)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	size_t k;

	p->ops = ops;
	p->ud = ud;
	p->njobs = njobs;
	p->threads = threads < 1 ? 1 : threads;
	if ((size_t)p->threads > njobs)
		p->threads = njobs > 1 ? (unsigned)njobs : 1;
	p->started = 1;
	atomic_init(&p->next, 0);
	atomic_init(&p->taken, 0);
	atomic_init(&p->stop, false);
	atomic_init(&p->done_waiting, false);
	atomic_init(&p->room_waiting, 0);
	if (p->threads < 2)
		return p;
	p->window = POOL_WINDOW * (size_t)p->threads;
	p->slot_size = slot_size ? slot_size : 1;
	p->slots = xcalloc(p->window, p->slot_size);
	p->done = xcalloc(p->window, sizeof(*p->done));
	for (k = 0; k < p->window; k++)
		atomic_init(&p->done[k], false);
	if (ops->slot_init)
		for (k = 0; k < p->window; k++)
			ops->slot_init(p->slots + k * p->slot_size);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->job_done, NULL);
	pthread_cond_init(&p->room, NULL);
	p->t = xcalloc(p->threads, sizeof(*p->t));
	return p;
}

/* Whether there is a job to start within the window. */
static bool can_start(struct pool *p, size_t next)
{
	return !atomic_load(&p->stop) && next < p->njobs &&
	       next < atomic_load(&p->taken) + p->window;
}

/* Whether at most half the window is started and not taken: the others
 * sleep until then when they find it full. */
static bool half_empty(struct pool *p)
{
	return atomic_load(&p->next) <= atomic_load(&p->taken) + p->window / 2;
}

/* Claim the next job within the window; false when there is none. */
static bool start_job(struct pool *p, size_t *job)
{
	size_t n = atomic_load(&p->next);

	while (can_start(p, n))
		if (atomic_compare_exchange_weak(&p->next, &n, n + 1)) {
			*job = n;
			return true;
		}
	return false;
}

static void work_job(struct pool *p, unsigned thread, size_t job)
{
	p->ops->work(p->ud, thread, job, slot_at(p, job));
	atomic_store(&p->done[job % p->window], true);
	if (job == atomic_load(&p->taken) && atomic_load(&p->done_waiting)) {
		pthread_mutex_lock(&p->lock);
		pthread_cond_signal(&p->job_done);
		pthread_mutex_unlock(&p->lock);
	}
}

static void *thread_main(void *arg)
{
	struct pool_thread *t = arg;
	struct pool *p = t->p;
	size_t job;

	for (;;) {
		if (start_job(p, &job)) {
			work_job(p, t->n, job);
			continue;
		}
		if (atomic_load(&p->stop) || atomic_load(&p->next) >= p->njobs)
			break;
		/* The window is full: sleep until the caller has moved it
		 * half way, so that one wake is worth several jobs. */
		pthread_mutex_lock(&p->lock);
		atomic_fetch_add(&p->room_waiting, 1);
		while (!atomic_load(&p->stop) && atomic_load(&p->next) < p->njobs &&
		       !half_empty(p))
			pthread_cond_wait(&p->room, &p->lock);
		atomic_fetch_sub(&p->room_waiting, 1);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

static void start_threads(struct pool *p)
{
	unsigned k;

	for (k = 1; k < p->threads; k++) {
		p->t[k].p = p;
		p->t[k].n = k;
		if (pthread_create(&p->t[k].id, NULL, thread_main, &p->t[k]) != 0)
			break;
		p->started++;
	}
}

static int direct(struct pool *p, size_t job)
{
	if (p->ops->direct)
		return p->ops->direct(p->ud, job);
	/* Without a direct(), through a slot: there is one when threads < 2
	 * only if the pool made it, so make do with a temporary one. */
	{
		void *slot = xcalloc(1, p->slot_size ? p->slot_size : 1);
		int rc;

		if (p->ops->slot_init)
			p->ops->slot_init(slot);
		p->ops->work(p->ud, 0, job, slot);
		rc = p->ops->take(p->ud, job, slot);
		if (p->ops->slot_release)
			p->ops->slot_release(slot);
		free(slot);
		return rc;
	}
}

/* Sleep until job j's slot is done (another thread is at it). */
static void wait_done(struct pool *p, size_t j)
{
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->done_waiting, true);
	while (!atomic_load(&p->done[j % p->window]))
		pthread_cond_wait(&p->job_done, &p->lock);
	atomic_store(&p->done_waiting, false);
	pthread_mutex_unlock(&p->lock);
}

int pool_take(struct pool *p, size_t upto)
{
	if (upto > p->njobs)
		upto = p->njobs;
	while (atomic_load(&p->taken) < upto) {
		size_t j = atomic_load(&p->taken), k, n = j;
		int rc;

		if (p->threads < 2 || p->started < 2) {
			/* One thread, or the first job: done here. */
			rc = direct(p, j);
			if (rc)
				return rc;
			atomic_store(&p->taken, j + 1);
			if (p->threads >= 2 && p->started < 2 && j + 1 < p->njobs) {
				atomic_store(&p->next, j + 1);
				start_threads(p);
				if (p->started < 2)
					p->threads = 1;   /* none could start: a plain loop */
			}
			continue;
		}
		if (atomic_compare_exchange_strong(&p->next, &n, j + 1)) {
			/* Nobody had started it: done here and taken at once. */
			rc = direct(p, j);
		} else if (atomic_load(&p->done[j % p->window])) {
			rc = p->ops->take(p->ud, j, slot_at(p, j));
			atomic_store(&p->done[j % p->window], false);
		} else {
			/* Another thread is at it: work ahead meanwhile, or
			 * sleep until it is done. */
			if (start_job(p, &k))
				work_job(p, 0, k);
			else
				wait_done(p, j);
			continue;
		}
		if (rc)
			return rc;
		atomic_store(&p->taken, j + 1);
		if (atomic_load(&p->room_waiting) && half_empty(p)) {
			pthread_mutex_lock(&p->lock);
			pthread_cond_broadcast(&p->room);
			pthread_mutex_unlock(&p->lock);
		}
	}
	return 0;
}

void pool_free(struct pool *p)
{
	unsigned k;
	size_t s;

	if (!p)
		return;
	if (p->slots) {
		atomic_store(&p->stop, true);
		pthread_mutex_lock(&p->lock);
		pthread_cond_broadcast(&p->room);
		pthread_mutex_unlock(&p->lock);
		for (k = 1; k < p->started; k++)
			pthread_join(p->t[k].id, NULL);
		if (p->ops->slot_release)
			for (s = 0; s < p->window; s++)
				p->ops->slot_release(p->slots + s * p->slot_size);
		pthread_cond_destroy(&p->job_done);
		pthread_cond_destroy(&p->room);
		pthread_mutex_destroy(&p->lock);
	}
	free(p->t);
	free((void *)p->done);
	free(p->slots);
	free(p);
}
