/*
 * The shim's simulation thread: the kernel world runs on exactly one host
 * thread, so every call a client thread makes into it is posted here and
 * waited for, and runs as that thread (kworld_set_identity(): its pid,
 * tid, uid, gid and comm). Boot happens here too, once, when the shim
 * loads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "drmsim_abi.h"

#include "shim.h"

struct request {
	long (*fn)(void *);
	void *arg;
	struct kworld_identity id;	/* the calling thread's */
	long ret;
	sem_t done;
	struct request *next;
};

static pthread_t sim;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t posted = PTHREAD_COND_INITIALIZER;
static struct request *head, **tail = &head;
static sem_t booted;
static int boot_result;

static void *sim_main(void *unused)
{
	(void)unused;
	boot_result = shim_boot();
	sem_post(&booted);
	for (;;) {
		struct request *r;

		pthread_mutex_lock(&lock);
		while (!head)
			pthread_cond_wait(&posted, &lock);
		r = head;
		head = r->next;
		if (!head)
			tail = &head;
		pthread_mutex_unlock(&lock);
		/* The kernel's current for this call is the calling thread. */
		kworld_set_identity(&r->id);
		r->ret = r->fn(r->arg);
		shim_refresh_readiness();
		sem_post(&r->done);
	}
	return NULL;
}

int sim_start(void)
{
	sem_init(&booted, 0, 0);
	if (pthread_create(&sim, NULL, sim_main, NULL))
		return -1;
	while (sem_wait(&booted) && errno == EINTR)
		;
	return boot_result;
}

/* A fork()ed child of a private machine: the simulation thread (and the
 * machine with it) stayed in the parent. */
static int orphaned;

void sim_orphan(void)
{
	orphaned = 1;
}

int sim_is_current(void)
{
	return pthread_equal(pthread_self(), sim);
}

long sim_call(long (*fn)(void *), void *arg)
{
	struct request r = { .fn = fn, .arg = arg };

	if (sim_is_current())
		return fn(arg);
	if (orphaned)
		return -EIO;
	/* sem_post/sem_wait, not a condition variable, for the caller's side:
	 * page faults call in from a signal handler. */
	/* Async-signal-safe system calls only: faults call in from a signal
	 * handler. */
	r.id.pid = (int)gettid();
	r.id.tgid = (int)getpid();
	r.id.uid = getuid();
	r.id.gid = getgid();
	if (prctl(PR_GET_NAME, r.id.comm, 0, 0, 0))
		r.id.comm[0] = 0;
	sem_init(&r.done, 0, 0);
	pthread_mutex_lock(&lock);
	*tail = &r;
	tail = &r.next;
	pthread_cond_signal(&posted);
	pthread_mutex_unlock(&lock);
	while (sem_wait(&r.done) && errno == EINTR)
		;
	sem_destroy(&r.done);
	return r.ret;
}
