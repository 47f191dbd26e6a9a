// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/printk/printk.c: no ring buffer or consoles, each message
 * is formatted by the kernel's own vsprintf (so %p extensions print as on
 * Linux) and written to the host console with a virtual-time stamp.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/debug.h>
#include <linux/dev_printk.h>
#include <linux/time64.h>
#include <linux/console.h>
#include <linux/semaphore.h>

#include "../../lkpi.h"

int console_printk[4] = {
	CONSOLE_LOGLEVEL_DEFAULT, MESSAGE_LOGLEVEL_DEFAULT,
	CONSOLE_LOGLEVEL_MIN, CONSOLE_LOGLEVEL_DEFAULT,
};
EXPORT_SYMBOL_GPL(console_printk);

static bool line_open;	/* the last message did not end its line */

/* Skips the KERN_* prefixes at *p, noting the level and KERN_CONT; true if
 * there was one. */
static bool take_levels(const char **p, int *level, bool *cont)
{
	int kern_level;
	bool any = false;

	while ((kern_level = printk_get_level(*p)) != 0) {
		if (kern_level == 'c')
			*cont = true;
		else if (kern_level >= '0' && kern_level <= '7')
			*level = kern_level - '0';
		*p = printk_skip_level(*p);
		any = true;
	}
	return any;
}

static bool filtered(int level, bool cont)
{
	if (level == LOGLEVEL_DEFAULT)
		level = MESSAGE_LOGLEVEL_DEFAULT;
	return level >= console_loglevel && !(cont && line_open);
}

int vprintk_emit(int facility, int level, const struct dev_printk_info *dev_info,
		 const char *fmt, va_list args)
{
	static char text[1024], buf[1024 + 32];
	const char *msg = text;
	int len = 0, n;
	bool cont = false;
	u64 ns;

	/* A level in the format decides before anything is formatted (the
	 * common case: pr_info() below the console level costs no
	 * formatting). Without one, the level may come in through %s (drm's
	 * __drm_dev_vprintk passes KERN_ERR as an argument): as
	 * vprintk_store() does, it is taken from the formatted text. */
	if (take_levels(&fmt, &level, &cont) && filtered(level, cont))
		return 0;
	n = vscnprintf(text, sizeof(text), fmt, args);
	take_levels(&msg, &level, &cont);
	n -= msg - text;
	if (filtered(level, cont))
		return 0;
	if (!cont || !line_open) {
		if (line_open)
			buf[len++] = '\n';
		ns = lkpi_now_ns();
		len += scnprintf(buf + len, sizeof(buf) - len, "[%5llu.%06llu] ",
				 ns / NSEC_PER_SEC, (ns % NSEC_PER_SEC) / NSEC_PER_USEC);
	}
	len += scnprintf(buf + len, sizeof(buf) - len, "%s", msg);
	line_open = !(len && buf[len - 1] == '\n');
	host_console_write(buf, len);
	return n;
}
EXPORT_SYMBOL(vprintk_emit);

int vprintk(const char *fmt, va_list args)
{
	return vprintk_emit(0, LOGLEVEL_DEFAULT, NULL, fmt, args);
}
EXPORT_SYMBOL(vprintk);

asmlinkage __visible int _printk(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = vprintk(fmt, args);
	va_end(args);
	return r;
}
EXPORT_SYMBOL(_printk);

/* Deferred printing exists for contexts that must not take the console
 * lock (the scheduler, ratelimit's own lock); here the console is a host
 * write that takes no kernel lock, so it prints at once. */
asmlinkage __visible int _printk_deferred(const char *fmt, ...)
{
	va_list args;
	int r;

	va_start(args, fmt);
	r = vprintk(fmt, args);
	va_end(args);
	return r;
}
EXPORT_SYMBOL(_printk_deferred);

int __printk_ratelimit(const char *func)
{
	return 1;
}
EXPORT_SYMBOL(__printk_ratelimit);

void dump_stack_lvl(const char *log_lvl)
{
	printk("%sCPU: 0 UID: 0 PID: %d Comm: %.20s drmsim\n", log_lvl, current->pid,
	       current->comm);
	host_backtrace();
}
EXPORT_SYMBOL(dump_stack_lvl);

void dump_stack(void)
{
	dump_stack_lvl(KERN_DEFAULT);
}
EXPORT_SYMBOL(dump_stack);

void lkpi_set_loglevel(int level)
{
	console_loglevel = level;
}

/*
 * The console lock: fbdev takes it around framebuffer changes. There are no
 * console drivers to flush, so it is only the lock.
 */
static DEFINE_SEMAPHORE(console_sem, 1);
static bool console_locked;
atomic_t ignore_console_lock_warning __read_mostly = ATOMIC_INIT(0);
EXPORT_SYMBOL(ignore_console_lock_warning);

void console_lock(void)
{
	might_sleep();
	down(&console_sem);
	console_locked = true;
}
EXPORT_SYMBOL(console_lock);

int console_trylock(void)
{
	if (down_trylock(&console_sem))
		return 0;
	console_locked = true;
	return 1;
}
EXPORT_SYMBOL(console_trylock);

void console_unlock(void)
{
	console_locked = false;
	up(&console_sem);
}
EXPORT_SYMBOL(console_unlock);

int is_console_locked(void)
{
	return console_locked;
}
EXPORT_SYMBOL(is_console_locked);
