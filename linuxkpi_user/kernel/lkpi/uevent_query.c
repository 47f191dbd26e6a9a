// SPDX-License-Identifier: GPL-2.0
/*
 * What a device's /sys/…/uevent file shows, for the shim's generated sysfs
 * (and udev's view of it): uevent_show() of drivers/base/core.c without
 * sysfs (CONFIG_SYSFS=n), i.e. the keys its kset's uevent op adds
 * (dev_uevent(): MAJOR, MINOR, DEVNAME, DEVTYPE, DRIVER, then the bus's:
 * PCI_CLASS, PCI_ID … or the class's), one "KEY=value" a line. The device is
 * a char device's class device (drm 226:N, graphics 29:N, or any other
 * char device: kfd's dynamic major) or one of its ancestors.
 */
#include <linux/device.h>
#include <linux/device/class.h>
#include <linux/fb.h>
#include <linux/kdev_t.h>
#include <linux/kobject.h>
#include <linux/major.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_ioctl.h>

#include "../lkpi.h"

extern struct class *drm_class;
extern struct class *fb_class;
/* drivers/base/base.h's: every registered device. */
extern struct kset *devices_kset;

struct uevent_query {
	unsigned int major, minor, up;
	char *path, *env;
	dh_size plen, elen;
};

/* uevent_show()'s body: the keys, or nothing for a device its kset filters. */
static long uevent_text(struct device *dev, char *buf, dh_size len)
{
	struct kobject *top = &dev->kobj;
	struct kobj_uevent_env *env;
	const struct kset_uevent_ops *ops;
	long n = 0;

	while (!top->kset && top->parent)
		top = top->parent;
	if (!top->kset || !(ops = top->kset->uevent_ops) || !ops->uevent)
		return 0;
	if (ops->filter && !ops->filter(&dev->kobj))
		return 0;
	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	if (!ops->uevent(&dev->kobj, env)) {
		for (int i = 0; i < env->envp_idx && n >= 0; i++) {
			int l = snprintf(buf + n, len - n, "%s\n", env->envp[i]);

			n = l < len - n ? n + l : -ENOSPC;
		}
	}
	kfree(env);
	return n;
}

/* A device of a class drmsim does not name (kfd's is static in its
 * driver), as /sys/dev/char/MAJ:MIN finds it: by number among all. */
static struct device *find_by_devt(dev_t devt)
{
	struct device *dev = NULL;
	struct kobject *k;

	if (!devices_kset)
		return NULL;
	spin_lock(&devices_kset->list_lock);
	list_for_each_entry(k, &devices_kset->list, entry) {
		struct device *d = container_of(k, struct device, kobj);

		if (d->devt == devt && d->class) {
			dev = get_device(d);
			break;
		}
	}
	spin_unlock(&devices_kset->list_lock);
	return dev;
}

static long do_uevent(void *p)
{
	struct uevent_query *q = p;
	const struct class *cls = q->major == DRM_MAJOR ? drm_class :
				  q->major == FB_MAJOR ? fb_class : NULL;
	struct device *dev, *d;
	char *path;
	long ret;

	if (q->major == DRM_MAJOR || q->major == FB_MAJOR) {
		if (IS_ERR_OR_NULL(cls))
			return -ENODEV;
		dev = class_find_device_by_devt(cls, MKDEV(q->major, q->minor));
	} else {
		dev = find_by_devt(MKDEV(q->major, q->minor));
	}
	if (!dev)
		return -ENODEV;
	d = dev;
	for (unsigned int i = 0; d && i < q->up; i++)
		d = d->parent;
	if (!d) {
		put_device(dev);
		return -ENODEV;
	}
	path = kobject_get_path(&d->kobj, GFP_KERNEL);
	if (!path)
		ret = -ENOMEM;
	else if (strscpy(q->path, path, q->plen) < 0)
		ret = -ENAMETOOLONG;
	else
		ret = uevent_text(d, q->env, q->elen);
	kfree(path);
	put_device(dev);
	return ret;
}

long kworld_dev_uevent(unsigned int major, unsigned int minor, unsigned int up,
		       char *path, dh_size plen, char *env, dh_size elen)
{
	struct uevent_query q = { major, minor, up, path, env, plen, elen };

	if (!plen || !elen)
		return -EINVAL;
	return kworld_run(do_uevent, &q, "dev-uevent");
}
