/*
 * SIGSEGV and SIGBUS stay the shim's, whatever handlers the program
 * installs and whenever: a touch of a card mapping the kernel zapped (or
 * has not populated yet) faults, and only the shim can fault it back in.
 * So sigaction(), signal(), bsd_signal() and sysv_signal() for those two
 * signals record the program's action instead of installing it; the
 * shim's handler resolves faults on card mappings first and hands
 * everything else to the program's action as the kernel would have
 * delivered it (SA_SIGINFO, sa_mask, SA_NODEFER, SA_RESETHAND; SIG_DFL
 * and SIG_IGN as for a real fault: the process ends). Querying returns
 * the program's action, never the shim's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "shim.h"

#define PUBLIC __attribute__((visibility("default")))

extern long (*host_fault_resolver)(unsigned long addr, int write);

static int (*real_sigaction_fn)(int, const struct sigaction *, struct sigaction *);

static int real_sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	int (*f)(int, const struct sigaction *, struct sigaction *) =
		__atomic_load_n(&real_sigaction_fn, __ATOMIC_ACQUIRE);

	if (!f) {
		f = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT,
										       "sigaction");
		__atomic_store_n(&real_sigaction_fn, f, __ATOMIC_RELEASE);
	}
	return f(sig, act, old);
}

/* The program's actions for SIGSEGV and SIGBUS once ours is installed. */
static struct sigaction program_act[2];
static int installed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int slot(int sig)
{
	return sig == SIGSEGV ? 0 : sig == SIGBUS ? 1 : -1;
}

/* What the program's action would have done with this signal. */
static void deliver(int sig, siginfo_t *si, void *uctx)
{
	int s = slot(sig);
	struct sigaction a;
	sigset_t mask, old;

	if (s < 0)
		return;
	a = program_act[s];

	if (a.sa_handler == SIG_IGN && si->si_code <= 0)
		return;		/* sent by someone, ignored */
	if (a.sa_handler == SIG_DFL || a.sa_handler == SIG_IGN) {
		/* A fault cannot be ignored (force_sig_fault()): the default
		 * ends the process, by the same fault once we return, or by
		 * the signal again if it was sent. */
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		real_sigaction(sig, &dfl, NULL);
		if (si->si_code <= 0) {
			sigemptyset(&mask);
			sigaddset(&mask, sig);
			pthread_sigmask(SIG_UNBLOCK, &mask, NULL);
			raise(sig);
		}
		return;
	}
	if (a.sa_flags & SA_RESETHAND) {
		memset(&program_act[s], 0, sizeof(program_act[s]));
		program_act[s].sa_handler = SIG_DFL;
	}
	mask = a.sa_mask;
	if (!(a.sa_flags & SA_NODEFER))
		sigaddset(&mask, sig);
	pthread_sigmask(SIG_BLOCK, &mask, &old);
	if (a.sa_flags & SA_SIGINFO)
		a.sa_sigaction(sig, si, uctx);
	else
		a.sa_handler(sig);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void on_fault(int sig, siginfo_t *si, void *uctx)
{
	unsigned long addr = (unsigned long)si->si_addr;

	/* A write fault cannot be told from a read without decoding the
	 * instruction; mapping writable where the vma allows covers both. */
	if (si->si_code > 0 && host_vm_mmio_fault(addr, uctx))
		return;
	if (si->si_code > 0 && host_vm_is_client(addr, 1) && host_fault_resolver(addr, 1) == 0)
		return;
	deliver(sig, si, uctx);
}

void signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	/* NODEFER: a card mapping may fault again inside the program's
	 * handler; ONSTACK: the program's alternate stack, if it has one. */
	sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&lock);
	if (!installed) {
		real_sigaction(SIGSEGV, &sa, &program_act[0]);
		real_sigaction(SIGBUS, &sa, &program_act[1]);
		installed = 1;
	}
	pthread_mutex_unlock(&lock);
}

/* A handler inside this library: the runtime's own (usermap.c installs
 * its refault handler on every mapping), which ours replaces here. */
static int is_ours(const struct sigaction *act)
{
	Dl_info h, self;

	return dladdr((void *)act->sa_handler, &h) && dladdr((void *)signals_install, &self) &&
	       h.dli_fbase == self.dli_fbase;
}

PUBLIC int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	int s = slot(sig);

	if (s < 0 || !__atomic_load_n(&installed, __ATOMIC_ACQUIRE))
		return real_sigaction(sig, act, old);
	pthread_mutex_lock(&lock);
	if (old)
		*old = program_act[s];
	if (act && !is_ours(act))
		program_act[s] = *act;
	pthread_mutex_unlock(&lock);
	return 0;
}

static sighandler_t set_handler(int sig, sighandler_t handler, int flags)
{
	struct sigaction act, old;

	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	act.sa_flags = flags;
	sigemptyset(&act.sa_mask);
	if (!(flags & SA_NODEFER))
		sigaddset(&act.sa_mask, sig);
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* glibc's signal() is BSD's: the handler stays, the signal is blocked
 * while it runs, system calls restart. */
PUBLIC sighandler_t signal(int sig, sighandler_t handler)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return SIG_ERR;
	}
	return set_handler(sig, handler, SA_RESTART);
}

PUBLIC sighandler_t bsd_signal(int sig, sighandler_t handler)
{
	return signal(sig, handler);
}

/* System V's: reset to the default on delivery, not blocked. */
PUBLIC sighandler_t sysv_signal(int sig, sighandler_t handler)
{
	if (sig < 1 || sig >= NSIG) {
		errno = EINVAL;
		return SIG_ERR;
	}
	return set_handler(sig, handler, SA_RESETHAND | SA_NODEFER);
}

PUBLIC sighandler_t __sysv_signal(int sig, sighandler_t handler)
{
	return sysv_signal(sig, handler);
}
