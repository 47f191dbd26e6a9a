// SPDX-License-Identifier: GPL-2.0
/*
 * Where a DRM minor sits in the device tree, for the shim's generated
 * sysfs: the kobject path of its class device, as /sys/dev/char/226:N
 * resolves on Linux (e.g. /devices/pci0000:00/0000:00:02.0/drm/card1), and
 * its driver's name, both without opening the minor (an open and its last
 * close are client-visible: the close restores the fbdev mode).
 */
#include <linux/device.h>
#include <linux/kdev_t.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>

#include "../lkpi.h"

extern struct class *drm_class;

struct path_query {
	unsigned int minor;
	bool driver;		/* the driver's name instead of the path */
	char *buf;
	dh_size len;
};

static long do_path(void *p)
{
	struct path_query *q = p;
	struct device *dev;
	char *path;
	long ret = 0;

	if (IS_ERR_OR_NULL(drm_class))
		return -ENODEV;
	dev = class_find_device_by_devt(drm_class, MKDEV(DRM_MAJOR, q->minor));
	if (!dev)
		return -ENODEV;
	if (q->driver) {
		struct drm_minor *minor = dev_get_drvdata(dev);

		if (strscpy(q->buf, minor->dev->driver->name, q->len) < 0)
			ret = -ENAMETOOLONG;
		put_device(dev);
		return ret;
	}
	path = kobject_get_path(&dev->kobj, GFP_KERNEL);
	if (!path)
		ret = -ENOMEM;
	else if (strscpy(q->buf, path, q->len) < 0)
		ret = -ENAMETOOLONG;
	kfree(path);
	put_device(dev);
	return ret;
}

int kworld_drm_minor_path(unsigned int minor, char *buf, dh_size len)
{
	struct path_query q = { minor, false, buf, len };

	if (!len)
		return -EINVAL;
	return kworld_run(do_path, &q, "drm-path");
}

int kworld_drm_minor_driver(unsigned int minor, char *buf, dh_size len)
{
	struct path_query q = { minor, true, buf, len };

	if (!len)
		return -EINVAL;
	return kworld_run(do_path, &q, "drm-driver");
}
