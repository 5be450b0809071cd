/*
 * spin: a lock held for a few instructions (taking or giving back an item
 * of a free list).  A flag is cheaper than a mutex when it is free, which
 * is nearly always; a thread that finds it taken yields the CPU rather
 * than spinning, so a holder that was preempted is not waited on hot.
 * The caller owns the flag (static, ATOMIC_FLAG_INIT).
 */
#ifndef BRIEFGEN_SPIN_H
#define BRIEFGEN_SPIN_H

#include <sched.h>
#include <stdatomic.h>

static inline void spin_lock(atomic_flag *f)
{
	while (atomic_flag_test_and_set_explicit(f, memory_order_acquire))
		sched_yield();
}

static inline void spin_unlock(atomic_flag *f)
{
	atomic_flag_clear_explicit(f, memory_order_release);
}

#endif
