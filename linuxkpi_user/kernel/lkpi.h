/*
 * linuxkpi_user internals shared by its kernel-world files (not a Linux
 * header): the task wrapper, the run queue, virtual time and diagnostics.
 */
#ifndef LKPI_H
#define LKPI_H

#include <linux/list.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "drmsim_abi.h"

/* A kernel task: the kernel's own task_struct plus what the runtime needs. */
struct lkpi_task {
	struct task_struct task;
	struct host_ctx *ctx;
	void *stack;
	struct list_head rq_node;	/* on the run queue while runnable */
	struct list_head all_node;	/* every live task */
	bool on_rq;
	bool exited;
	int (*fn)(void *);
	void *arg;
	long result;
	void *kthread;			/* struct kthread, for kthread_* */
};

static inline struct lkpi_task *lkpi_task_of(struct task_struct *t)
{
	return container_of(t, struct lkpi_task, task);
}

/* sched/core.c */
struct task_struct *lkpi_task_create(int (*fn)(void *), void *arg,
				     const char *name, unsigned int pflags);
void lkpi_task_exit(long result) __noreturn;
bool lkpi_runqueue_empty(void);
void lkpi_yield(void);
void lkpi_spin_point(void);
unsigned int lkpi_atomic_suspended(void);
void lkpi_dump_tasks(void);
void lkpi_sched_init(void);
void lkpi_sched_set_shuffle(u64 seed);
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags);
/* kernel/cred.c: root credentials and the one thread group. */
void lkpi_task_identity(struct task_struct *t);
/* The identity kworld_set_identity() named, on a client call's task. */
void lkpi_client_identity(struct task_struct *t);

/* kernel/time/timer.c: virtual time */
u64 lkpi_now_ns(void);
bool lkpi_timers_pending(void);
/* Advances the clock to the earliest timer and runs what is due. */
void lkpi_timers_run_next(void);
void lkpi_clock_advance(u64 ns);
/* Moves the clock without running timers (they run in the idle task). */
void lkpi_clock_charge(u64 ns);
bool lkpi_timers_due(void);
/* kernel/time/hrtimer.c: the earliest hrtimer, and running the due ones. */
bool lkpi_hrtimer_next(u64 *ns);
void lkpi_hrtimers_run_due(u64 now);
void lkpi_timers_run_due(void);

/* drivers/pci/host-bridge.c: INTx lines */
bool lkpi_intx_pending(void);
void lkpi_intx_run(void);
bool lkpi_msi_pending(void);
void lkpi_msi_run(void);

/* kernel/irq_work.c */
bool lkpi_irq_work_pending(void);
void lkpi_irq_work_run(void);

/* kernel/rcu/tiny.c */
void lkpi_rcu_init(void);

/* kernel/workqueue.c */
void lkpi_workqueue_init(void);

/* mm/shmem.c: drops a mapping's cached pages (inode release, truncate). */
struct address_space;
void lkpi_mapping_release_range(struct address_space *mapping, pgoff_t start, pgoff_t end);

/* mm/page_alloc.c, mm/slab.c, mm/vmalloc.c: memory and its accounting */
void lkpi_mem_init(void);
long lkpi_frames_used(void);
u64 lkpi_dma_top(void);
long lkpi_vmalloc_areas(void);
extern long lkpi_live_objects;

/* lkpi/fault.c: allocation-failure injection (Linux's fault-injection
 * framework). kind is "kmalloc", "pages", "vmalloc" or "dma"; caller the
 * return address charged with the allocation. Suspended around
 * linuxkpi_user's own inner allocations. */
bool lkpi_should_fail_alloc(const char *kind, size_t size, gfp_t gfp, unsigned long caller);
void lkpi_fault_suspend(void);
/* Injection starts here (lkpi_run_initcalls: the drivers' level). */
void lkpi_fault_arm(void);
void lkpi_fault_resume(void);
/* A fault-injection boot parameter (failslab=, fail_page_alloc=,
 * fail_alloc_nth=, fail_alloc_site=): true if param was one. */
bool lkpi_fault_param(const char *param, char *val);

/* fs/char_dev.c, fs/file_table.c: character devices by number */
struct file;
struct file_operations;
const struct file_operations *lkpi_chrdev_lookup(dev_t dev);
struct file *lkpi_chrdev_open(dev_t dev, int flags);

/* fs/sysfs/file.c: the attribute files registered. A file attr of kobj
 * in subdirectory dir (a named group's; NULL: the kobject's own). Removal
 * by name in dir; name NULL: every file in dir, and with dir NULL too,
 * every file of kobj and of the kobjects below it (kobject_del()). */
struct kobject;
struct attribute;
int lkpi_sysfs_add(struct kobject *kobj, const char *dir, const struct attribute *attr);
void lkpi_sysfs_remove(struct kobject *kobj, const char *dir, const char *name);

/* kernel/panic.c: a failure that makes the current test fail. */
void lkpi_report_failure(const char *kind);
extern unsigned long lkpi_failure_count;

/* kernel/printk/printk.c */
void lkpi_set_loglevel(int level);

/* drivers/base/init.c */
void lkpi_driver_init(void);

/* init/main.c */
void lkpi_run_initcalls(void);
void lkpi_run_exitcalls(void);
void lkpi_parse_cmdline(const char *cmdline);

/* drivers/char/random.c */
void lkpi_random_init(u64 seed);
u64 lkpi_random_u64(void);

/*
 * A function linuxkpi_user implements on purpose as doing nothing (or as a
 * constant answer). The reason shows in `drmsim symbols`.
 */
struct lkpi_noop {
	const char *name;
	const char *why;
};
#define LKPI_NOOP(sym, reason)						\
	static const struct lkpi_noop __lkpi_noop_##sym			\
	__used __section("drmsim_noops") __aligned(8) = { #sym, reason }

/* mm/page_alloc.c: page is a frame of the memfd arena (clients can map
 * it), not host heap memory that merely has a struct page. */
bool lkpi_page_is_frame(struct page *page);

/* lkpi/client.c: runs fn(arg) as a call of the client process (a task
 * that has joined it), as kworld_run() runs a kernel task. */
long lkpi_client_run(long (*fn)(void *), void *arg, const char *name);
/* mm/memory.c: t becomes a thread of the client process: its group
 * leader and address space (current->mm). */
/* The client process of t: its identity's tgid, or 0, the one process of
 * calls made with no identity set (kernel/cred.c). */
pid_t lkpi_client_process(const struct task_struct *t);
/* Makes t a thread of the current client process (mm/memory.c): 0, or
 * -EAGAIN if there are already as many processes as slots. */
int lkpi_client_join(struct task_struct *t);
/* Makes the default client process (tgid 0): boot. */
void lkpi_client_init(void);
/* The page of client memory at addr in mm, adopted into the arena on
 * first use (mm/gup.c), or ERR_PTR(-EFAULT). */
struct page *lkpi_user_page(struct mm_struct *mm, unsigned long addr);
/* At mm's exit: the adopted pages go back to private client memory. */
void lkpi_user_pages_release(struct mm_struct *mm);
/* exit_mmap() and __mmdrop() of a client address space (kernel/fork.c). */
void lkpi_exit_mmap(struct mm_struct *mm);
void lkpi_client_mm_free(struct mm_struct *mm);

/* mm/memory.c: write-protect faults that ran a VMA's mkwrite op. */
extern unsigned long lkpi_mkwrite_calls;

/* Size of the one process-wide fd table (fs/file_table.c). */
#define LKPI_NR_FDS 1024
long lkpi_close_all_fds(void);

#endif /* LKPI_H */
