// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/signal.c for what kernel code sends to kernel tasks:
 * a signal marks the task pending (signal_pending() becomes true) and
 * wakes it from an interruptible sleep, so -ERESTARTSYS/-EINTR paths run
 * as on Linux. No handlers, no delivery to user space.
 */
#include <linux/sched/signal.h>

#include "../lkpi.h"

int do_send_sig_info(int sig, struct kernel_siginfo *info, struct task_struct *p,
		     enum pid_type type)
{
	if (!valid_signal(sig))
		return -EINVAL;
	if (!sig)
		return 0;
	sigaddset(&p->pending.signal, sig);
	set_tsk_thread_flag(p, TIF_SIGPENDING);
	wake_up_state(p, TASK_INTERRUPTIBLE | (sig == SIGKILL ? TASK_WAKEKILL : 0));
	return 0;
}

int send_sig(int sig, struct task_struct *p, int priv)
{
	return do_send_sig_info(sig, SEND_SIG_PRIV, p, PIDTYPE_TGID);
}
EXPORT_SYMBOL(send_sig);

void flush_signals(struct task_struct *t)
{
	clear_tsk_thread_flag(t, TIF_SIGPENDING);
	sigemptyset(&t->pending.signal);
}
EXPORT_SYMBOL(flush_signals);
