// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces init/main.c: boots the kernel world inside the process. The
 * runtime comes up first (memory, randomness, RCU, workqueues, the driver
 * core), then module parameters are parsed from the command line and every
 * initcall runs in the kernel's level order and link order. The linker
 * script that would bound the initcall sections is ours: the kernel-world
 * object renames .initcallN.init to drmsim_initcallN so the host linker
 * provides __start_/__stop_ symbols for each level.
 */
#include <linux/srcu.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>
#include <linux/radix-tree.h>
#include <linux/maple_tree.h>
#include <linux/interrupt.h>

#include "../lkpi.h"

#define LEVEL(n)							\
	extern initcall_entry_t __start_drmsim_initcall##n[], __stop_drmsim_initcall##n[]; \
	extern initcall_entry_t __start_drmsim_initcall##n##s[], __stop_drmsim_initcall##n##s[]
LEVEL(0); LEVEL(1); LEVEL(2); LEVEL(3); LEVEL(4); LEVEL(5); LEVEL(6); LEVEL(7);
extern initcall_entry_t __start_drmsim_initcallrootfs[], __stop_drmsim_initcallrootfs[];
extern exitcall_t __start_drmsim_exitcall[], __stop_drmsim_exitcall[];
extern const struct kernel_param __start___param[], __stop___param[];

/* Weak: a level no object uses has no section, hence no bounds. */
#pragma weak __start_drmsim_initcall0
#pragma weak __stop_drmsim_initcall0
#pragma weak __start_drmsim_initcall0s
#pragma weak __stop_drmsim_initcall0s
#pragma weak __start_drmsim_initcall1
#pragma weak __stop_drmsim_initcall1
#pragma weak __start_drmsim_initcall1s
#pragma weak __stop_drmsim_initcall1s
#pragma weak __start_drmsim_initcall2
#pragma weak __stop_drmsim_initcall2
#pragma weak __start_drmsim_initcall2s
#pragma weak __stop_drmsim_initcall2s
#pragma weak __start_drmsim_initcall3
#pragma weak __stop_drmsim_initcall3
#pragma weak __start_drmsim_initcall3s
#pragma weak __stop_drmsim_initcall3s
#pragma weak __start_drmsim_initcall4
#pragma weak __stop_drmsim_initcall4
#pragma weak __start_drmsim_initcall4s
#pragma weak __stop_drmsim_initcall4s
#pragma weak __start_drmsim_initcall5
#pragma weak __stop_drmsim_initcall5
#pragma weak __start_drmsim_initcall5s
#pragma weak __stop_drmsim_initcall5s
#pragma weak __start_drmsim_initcallrootfs
#pragma weak __stop_drmsim_initcallrootfs
#pragma weak __start_drmsim_initcall6
#pragma weak __stop_drmsim_initcall6
#pragma weak __start_drmsim_initcall6s
#pragma weak __stop_drmsim_initcall6s
#pragma weak __start_drmsim_initcall7
#pragma weak __stop_drmsim_initcall7
#pragma weak __start_drmsim_initcall7s
#pragma weak __stop_drmsim_initcall7s
#pragma weak __start_drmsim_exitcall
#pragma weak __stop_drmsim_exitcall
#pragma weak __start___param
#pragma weak __stop___param

static struct {
	initcall_entry_t *start, *stop;
} levels[] = {
	{ __start_drmsim_initcall0, __stop_drmsim_initcall0 },
	{ __start_drmsim_initcall0s, __stop_drmsim_initcall0s },
	{ __start_drmsim_initcall1, __stop_drmsim_initcall1 },
	{ __start_drmsim_initcall1s, __stop_drmsim_initcall1s },
	{ __start_drmsim_initcall2, __stop_drmsim_initcall2 },
	{ __start_drmsim_initcall2s, __stop_drmsim_initcall2s },
	{ __start_drmsim_initcall3, __stop_drmsim_initcall3 },
	{ __start_drmsim_initcall3s, __stop_drmsim_initcall3s },
	{ __start_drmsim_initcall4, __stop_drmsim_initcall4 },
	{ __start_drmsim_initcall4s, __stop_drmsim_initcall4s },
	{ __start_drmsim_initcall5, __stop_drmsim_initcall5 },
	{ __start_drmsim_initcall5s, __stop_drmsim_initcall5s },
	{ __start_drmsim_initcallrootfs, __stop_drmsim_initcallrootfs },
	{ __start_drmsim_initcall6, __stop_drmsim_initcall6 },
	{ __start_drmsim_initcall6s, __stop_drmsim_initcall6s },
	{ __start_drmsim_initcall7, __stop_drmsim_initcall7 },
	{ __start_drmsim_initcall7s, __stop_drmsim_initcall7s },
};

bool initcall_debug;
static int booted;
enum system_states system_state __read_mostly;
EXPORT_SYMBOL(system_state);
/* Static keys are plain counters without CONFIG_JUMP_LABEL; usable at once. */
bool static_key_initialized __read_mostly = true;
EXPORT_SYMBOL_GPL(static_key_initialized);

/* The files whose module_init failed: as Linux does not load such a
 * module, its module_exit must not run (it would unregister what never
 * registered). Initcalls and exitcalls pair by source file. */
static const char *failed_init[32];
static unsigned int nr_failed_init;

void lkpi_run_initcalls(void)
{
	unsigned int i;
	initcall_entry_t *e;

	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		/* Allocation failures are injected from the drivers' initcalls
		 * on (device_initcall, module_init): a kernel
		 * whose core failed to set up is no driver's error path. */
		if (levels[i].start == __start_drmsim_initcall6)
			lkpi_fault_arm();
		for (e = levels[i].start; e && e < levels[i].stop; e++) {
			initcall_t fn = initcall_from_entry(e);
			int ret;

			if (initcall_debug)
				pr_info("calling  %pS\n", fn);
			ret = fn();
			if (ret && ret != -ENODEV)
				pr_warn("initcall %pS returned %d\n", fn, ret);
			if (ret && nr_failed_init < ARRAY_SIZE(failed_init))
				failed_init[nr_failed_init++] = host_symbol_file((unsigned long)fn);
		}
	}
}

static bool init_failed(exitcall_t fn)
{
	const char *file = host_symbol_file((unsigned long)fn);

	for (unsigned int i = 0; file && i < nr_failed_init; i++)
		if (failed_init[i] && !strcmp(failed_init[i], file))
			return true;
	return false;
}

void lkpi_run_exitcalls(void)
{
	exitcall_t *e;

	if (!__start_drmsim_exitcall)
		return;
	for (e = __stop_drmsim_exitcall; e-- > __start_drmsim_exitcall;)
		if (!init_failed(*e))
			(*e)();
}


static int unknown_param(char *param, char *val, const char *unused, void *arg)
{
	int n;

	if (!strcmp(param, "loglevel") && val && !kstrtoint(val, 0, &n)) {
		lkpi_set_loglevel(n);
		return 0;
	}
	if (lkpi_fault_param(param, val))
		return 0;
	if (!strcmp(param, "initcall_debug")) {
		initcall_debug = true;
		return 0;
	}
	if (!strcmp(param, "sched_shuffle") && val) {
		u64 seed;

		if (kstrtou64(val, 0, &seed))
			return -EINVAL;
		lkpi_sched_set_shuffle(seed);
		return 0;
	}
	pr_err("drmsim: unknown kernel parameter '%s'\n", param);
	return -EINVAL;
}

/* Parsed parameters keep pointers into this copy for the whole run. */
char *lkpi_saved_cmdline;

void lkpi_parse_cmdline(const char *cmdline)
{
	/* The machine's devices add their drivers' parameters first, so the
	 * caller's own come later and win (parse_args applies in order). */
	const char *machine = host_machine_cmdline();
	char *copy;

	if (!cmdline)
		cmdline = "";
	if (!*cmdline && !*machine)
		return;
	copy = kasprintf(GFP_KERNEL, "%s %s", machine, cmdline);
	if (!copy)
		panic("out of memory parsing the command line");
	lkpi_saved_cmdline = copy;
	parse_args("drmsim", copy, (struct kernel_param *)__start___param,
		   __stop___param - __start___param, -32768, 32767, NULL, unknown_param);
}

static long boot(void *cmdline)
{
	wait_bit_init();
	lkpi_mem_init();
	lkpi_random_init(host_seed());
	/* Where start_kernel() parses it: before the early init below, so
	 * loglevel= already quiets what that prints. */
	lkpi_parse_cmdline(cmdline);
	/* start_kernel() calls these directly, not as initcalls. */
	radix_tree_init();
	maple_tree_init();
	early_irq_init();
	lkpi_rcu_init();
	lkpi_workqueue_init();
	/* start_kernel()'s srcu_init(): SRCU callbacks queued from now on
	 * (and any queued before) run from the workqueue; without it every
	 * call_srcu() callback waits forever (mmu_notifier_put's free, and
	 * the address space reference it drops). Then rest_init()'s
	 * rcu_scheduler_starting(), before the initcalls as there:
	 * synchronize_srcu() waits for readers rather than returning at
	 * once as it may only while boot is single-threaded. */
	srcu_init();
	rcu_scheduler_starting();
	lkpi_client_init();
	lkpi_driver_init();
	system_state = SYSTEM_SCHEDULING;
	lkpi_run_initcalls();
	system_state = SYSTEM_RUNNING;
	return lkpi_failure_count ? -EIO : 0;
}

int kworld_boot(const char *cmdline)
{
	if (booted++)
		return -EBUSY;
	lkpi_sched_init();
	return kworld_run(boot, (void *)cmdline, "init");
}

static long shutdown(void *unused)
{
	lkpi_run_exitcalls();
	return 0;
}

void kworld_shutdown(void)
{
	kworld_run(shutdown, NULL, "shutdown");
}

static long advance(void *ns)
{
	lkpi_clock_advance(*(u64 *)ns);
	return 0;
}

void kworld_advance_ns(dh_u64 ns)
{
	kworld_run(advance, &ns, "advance");
}
