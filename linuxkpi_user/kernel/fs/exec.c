// SPDX-License-Identifier: GPL-2.0
/*
 * Supplements fs/exec.c: the one piece of it hosted drivers use, reading a
 * task's name (virtio-gpu names its fence contexts after the client).
 */
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/string.h>

char *__get_task_comm(char *buf, size_t buf_size, struct task_struct *tsk)
{
	task_lock(tsk);
	strscpy_pad(buf, tsk->comm, buf_size);
	task_unlock(tsk);
	return buf;
}
EXPORT_SYMBOL_GPL(__get_task_comm);
