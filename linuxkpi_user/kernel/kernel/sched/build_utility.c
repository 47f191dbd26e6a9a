// SPDX-License-Identifier: GPL-2.0
/*
 * Stands in for kernel/sched/build_utility.c: compiles the kernel's own wait
 * queues, completions, simple wait queues and bit waits unmodified. Linux
 * builds these files only by #including them from build_utility.c, after
 * the scheduler's internal header; this unit does the same with just the
 * four files that need no real scheduler.
 */
#include <linux/sched/debug.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/swait_api.h>
#include <linux/wait_api.h>
#include <linux/wait_bit.h>

#include "sched.h"

#include "completion.c"
#include "swait.c"
#include "wait.c"
#include "wait_bit.c"
