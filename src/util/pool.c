#include "pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"

enum slot_state { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

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
	enum slot_state *state;
	pthread_mutex_t lock;
	pthread_cond_t done;         /* a job was done */
	pthread_cond_t room;         /* the window moved, or stop */
	size_t next;                 /* the first job nobody has started */
	size_t taken;                /* jobs taken */
	bool stop;
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
	if (p->threads < 2)
		return p;
	p->window = POOL_WINDOW * (size_t)p->threads;
	p->slot_size = slot_size ? slot_size : 1;
	p->slots = xcalloc(p->window, p->slot_size);
	p->state = xcalloc(p->window, sizeof(*p->state));
	if (ops->slot_init)
		for (k = 0; k < p->window; k++)
			ops->slot_init(p->slots + k * p->slot_size);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->done, NULL);
	pthread_cond_init(&p->room, NULL);
	p->t = xcalloc(p->threads, sizeof(*p->t));
	return p;
}

/* The next job within the window, marked started; false when there is
 * none.  Lock held. */
static bool start_job(struct pool *p, size_t *job)
{
	if (p->stop || p->next >= p->njobs || p->next >= p->taken + p->window)
		return false;
	*job = p->next++;
	p->state[*job % p->window] = SLOT_BUSY;
	return true;
}

static void work_job(struct pool *p, unsigned thread, size_t job)
{
	p->ops->work(p->ud, thread, job, slot_at(p, job));
	pthread_mutex_lock(&p->lock);
	p->state[job % p->window] = SLOT_DONE;
	pthread_cond_broadcast(&p->done);
	pthread_mutex_unlock(&p->lock);
}

static void *thread_main(void *arg)
{
	struct pool_thread *t = arg;
	struct pool *p = t->p;
	size_t job;

	pthread_mutex_lock(&p->lock);
	while (!p->stop && p->next < p->njobs) {
		if (!start_job(p, &job)) {
			pthread_cond_wait(&p->room, &p->lock);
			continue;
		}
		pthread_mutex_unlock(&p->lock);
		work_job(p, t->n, job);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
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

int pool_take(struct pool *p, size_t upto)
{
	if (upto > p->njobs)
		upto = p->njobs;
	while (p->taken < upto) {
		size_t j = p->taken, k;
		int rc;

		if (p->threads < 2 || p->started < 2) {
			/* One thread, or the first job: done here. */
			rc = direct(p, j);
			if (rc)
				return rc;
			p->taken++;
			if (p->threads >= 2 && p->started < 2 && p->taken < p->njobs) {
				p->next = p->taken;
				start_threads(p);
				if (p->started < 2)
					p->threads = 1;   /* none could start: a plain loop */
			}
			continue;
		}
		pthread_mutex_lock(&p->lock);
		if (j == p->next) {
			/* Nobody has started it: do it here and take it at once. */
			p->next++;
			p->state[j % p->window] = SLOT_BUSY;
			pthread_mutex_unlock(&p->lock);
			rc = direct(p, j);
		} else if (p->state[j % p->window] == SLOT_DONE) {
			pthread_mutex_unlock(&p->lock);
			rc = p->ops->take(p->ud, j, slot_at(p, j));
		} else {
			/* Another thread is at it: work ahead meanwhile. */
			if (start_job(p, &k)) {
				pthread_mutex_unlock(&p->lock);
				work_job(p, 0, k);
			} else {
				pthread_cond_wait(&p->done, &p->lock);
				pthread_mutex_unlock(&p->lock);
			}
			continue;
		}
		if (rc)
			return rc;
		pthread_mutex_lock(&p->lock);
		p->state[j % p->window] = SLOT_FREE;
		p->taken++;
		pthread_cond_broadcast(&p->room);
		pthread_mutex_unlock(&p->lock);
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
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_broadcast(&p->room);
		pthread_mutex_unlock(&p->lock);
		for (k = 1; k < p->started; k++)
			pthread_join(p->t[k].id, NULL);
		if (p->ops->slot_release)
			for (s = 0; s < p->window; s++)
				p->ops->slot_release(p->slots + s * p->slot_size);
		pthread_cond_destroy(&p->done);
		pthread_cond_destroy(&p->room);
		pthread_mutex_destroy(&p->lock);
	}
	free(p->t);
	free(p->state);
	free(p->slots);
	free(p);
}
