// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces fs/char_dev.c: a registry of character-device numbers and their
 * file_operations. There is no /dev; drmsim's front ends open a device by
 * number (226:N for DRM) and get here through lkpi_chrdev_lookup().
 */
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/list.h>
#include <linux/slab.h>

#include "../lkpi.h"

struct chrdev_region {
	struct list_head node;
	dev_t base;
	unsigned int count;
	char name[64];
	const struct file_operations *fops;	/* __register_chrdev() */
	struct cdev *cdev;			/* cdev_add() */
};

static LIST_HEAD(regions);
static unsigned int next_dynamic_major = 511;

static struct chrdev_region *find(dev_t dev)
{
	struct chrdev_region *r;

	list_for_each_entry(r, &regions, node)
		if (dev >= r->base && dev < r->base + r->count)
			return r;
	return NULL;
}

static struct chrdev_region *add_region(dev_t base, unsigned int count, const char *name)
{
	struct chrdev_region *r;
	dev_t d;

	for (d = base; d < base + count; d++)
		if (find(d))
			return ERR_PTR(-EBUSY);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->base = base;
	r->count = count;
	strscpy(r->name, name, sizeof(r->name));
	list_add_tail(&r->node, &regions);
	return r;
}

int register_chrdev_region(dev_t from, unsigned count, const char *name)
{
	return PTR_ERR_OR_ZERO(add_region(from, count, name));
}
EXPORT_SYMBOL(register_chrdev_region);

int alloc_chrdev_region(dev_t *dev, unsigned baseminor, unsigned count, const char *name)
{
	struct chrdev_region *r = add_region(MKDEV(next_dynamic_major, baseminor), count, name);

	if (IS_ERR(r))
		return PTR_ERR(r);
	*dev = r->base;
	next_dynamic_major--;
	return 0;
}
EXPORT_SYMBOL(alloc_chrdev_region);

void unregister_chrdev_region(dev_t from, unsigned count)
{
	struct chrdev_region *r = find(from);

	if (r && r->base == from) {
		list_del(&r->node);
		kfree(r);
	}
}
EXPORT_SYMBOL(unregister_chrdev_region);

int __register_chrdev(unsigned int major, unsigned int baseminor, unsigned int count,
		      const char *name, const struct file_operations *fops)
{
	struct chrdev_region *r;
	unsigned int m = major ? major : next_dynamic_major--;

	r = add_region(MKDEV(m, baseminor), count, name);
	if (IS_ERR(r))
		return PTR_ERR(r);
	r->fops = fops;
	/* As Linux's: the allocated major, or 0 for the one asked for
	 * (fb_register_chrdev() fails on anything else). */
	return major ? 0 : m;
}
EXPORT_SYMBOL(__register_chrdev);

void __unregister_chrdev(unsigned int major, unsigned int baseminor, unsigned int count,
			 const char *name)
{
	unregister_chrdev_region(MKDEV(major, baseminor), count);
}
EXPORT_SYMBOL(__unregister_chrdev);

void cdev_init(struct cdev *cdev, const struct file_operations *fops)
{
	memset(cdev, 0, sizeof(*cdev));
	INIT_LIST_HEAD(&cdev->list);
	cdev->ops = fops;
}
EXPORT_SYMBOL(cdev_init);

struct cdev *cdev_alloc(void)
{
	struct cdev *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (p)
		INIT_LIST_HEAD(&p->list);
	return p;
}
EXPORT_SYMBOL(cdev_alloc);

int cdev_add(struct cdev *p, dev_t dev, unsigned count)
{
	struct chrdev_region *r = find(dev);

	if (!r) {
		r = add_region(dev, count, "cdev");
		if (IS_ERR(r))
			return PTR_ERR(r);
	}
	p->dev = dev;
	p->count = count;
	r->cdev = p;
	return 0;
}
EXPORT_SYMBOL(cdev_add);

void cdev_del(struct cdev *p)
{
	struct chrdev_region *r = find(p->dev);

	if (r && r->cdev == p)
		r->cdev = NULL;
}
EXPORT_SYMBOL(cdev_del);

void cdev_set_parent(struct cdev *p, struct kobject *kobj)
{
}
LKPI_NOOP(cdev_set_parent, "no sysfs hierarchy for character devices");

int cdev_device_add(struct cdev *cdev, struct device *dev)
{
	int rc = 0;

	if (dev->devt) {
		rc = cdev_add(cdev, dev->devt, 1);
		if (rc)
			return rc;
	}
	rc = device_add(dev);
	if (rc && dev->devt)
		cdev_del(cdev);
	return rc;
}
EXPORT_SYMBOL(cdev_device_add);

void cdev_device_del(struct cdev *cdev, struct device *dev)
{
	device_del(dev);
	if (dev->devt)
		cdev_del(cdev);
}
EXPORT_SYMBOL(cdev_device_del);

/* The file operations a client's open of dev starts from, or NULL. */
const struct file_operations *lkpi_chrdev_lookup(dev_t dev)
{
	struct chrdev_region *r = find(dev);

	if (!r)
		return NULL;
	return r->cdev ? r->cdev->ops : r->fops;
}

long kworld_chrdev_major(const char *name)
{
	struct chrdev_region *r;

	list_for_each_entry(r, &regions, node)
		if (!strcmp(r->name, name))
			return MAJOR(r->base);
	return -ENODEV;
}
