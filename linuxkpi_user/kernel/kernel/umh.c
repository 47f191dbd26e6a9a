// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/umh.c: no user-mode helper process can start here. The
 * one helper the hosted kernel calls is lib/kobject_uevent.c's uevent
 * helper, whose environment is exactly the event udev would receive
 * (ACTION, DEVPATH, SUBSYSTEM, DEVNAME, HOTPLUG=1, SEQNUM ...): it is
 * queued for front ends, which take it with kworld_uevent_pop(). Any
 * other helper fails with -ENOENT, as with no such program.
 */
#include <linux/kmod.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/umh.h>

#include "../lkpi.h"

#define UEVENT_QUEUE 64
#define UEVENT_MAX 2048

/* Each event: its environment strings, NUL-separated. */
static struct {
	char buf[UEVENT_MAX];
	unsigned int len;
} queue[UEVENT_QUEUE];
static unsigned int head, tail;

struct subprocess_info *call_usermodehelper_setup(const char *path, char **argv, char **envp,
						  gfp_t gfp_mask,
						  int (*init)(struct subprocess_info *info,
							      struct cred *new),
						  void (*cleanup)(struct subprocess_info *info),
						  void *data)
{
	struct subprocess_info *sub_info = kzalloc(sizeof(*sub_info), gfp_mask);

	if (!sub_info)
		return NULL;
	sub_info->path = path;
	sub_info->argv = argv;
	sub_info->envp = envp;
	sub_info->init = init;
	sub_info->cleanup = cleanup;
	sub_info->data = data;
	return sub_info;
}
EXPORT_SYMBOL(call_usermodehelper_setup);

static void queue_uevent(char **envp)
{
	unsigned int len = 0;

	/* The oldest event goes when nobody reads them. */
	if (tail - head == UEVENT_QUEUE)
		head++;
	for (; envp && *envp; envp++) {
		size_t n = strlen(*envp) + 1;

		if (len + n > UEVENT_MAX)
			break;
		memcpy(queue[tail % UEVENT_QUEUE].buf + len, *envp, n);
		len += n;
	}
	queue[tail % UEVENT_QUEUE].len = len;
	tail++;
}

int call_usermodehelper_exec(struct subprocess_info *sub_info, int wait)
{
	int ret = -ENOENT;

	if (!sub_info->path)
		ret = -EINVAL;
	else if (!strcmp(sub_info->path, CONFIG_UEVENT_HELPER_PATH)) {
		queue_uevent(sub_info->envp);
		ret = 0;
	}
	if (sub_info->cleanup)
		sub_info->cleanup(sub_info);
	kfree(sub_info);
	return ret;
}
EXPORT_SYMBOL(call_usermodehelper_exec);

int kworld_uevent_pop(char *buf, dh_size len)
{
	unsigned int n;

	if (head == tail)
		return 0;
	n = queue[head % UEVENT_QUEUE].len;
	if (n > len)
		return -ENOSPC;
	memcpy(buf, queue[head % UEVENT_QUEUE].buf, n);
	head++;
	return n;
}
