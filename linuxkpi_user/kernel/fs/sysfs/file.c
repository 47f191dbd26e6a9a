// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces fs/sysfs/file.c (and the removal half of fs/sysfs/dir.c): with
 * CONFIG_SYSFS=n there is no kernfs, so a registered attribute file is an
 * entry (kobject, directory, attribute) in a list the host world lists by
 * path and reads (kworld_sysfs_list/_read), as the shim's generated /sys
 * serves amdkfd's topology. Reading calls the kobject's own
 * ktype->sysfs_ops->show(), as sysfs_kf_seq_show() does, so what it shows
 * is what the driver reports.
 */
#include <linux/gfp.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "../../lkpi.h"

struct sysfs_entry {
	struct list_head node;
	struct kobject *kobj;
	const struct attribute *attr;
	char *dir;		/* a named group's subdirectory, or NULL */
};

/* Held across show() too: removal waits for a read in progress, as
 * kernfs_drain() waits for active references. */
static DEFINE_MUTEX(sysfs_lock);
static LIST_HEAD(sysfs_entries);

static bool same_dir(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static struct sysfs_entry *find_entry(struct kobject *kobj, const char *dir, const char *name)
{
	struct sysfs_entry *e;

	list_for_each_entry(e, &sysfs_entries, node)
		if (e->kobj == kobj && same_dir(e->dir, dir) && !strcmp(e->attr->name, name))
			return e;
	return NULL;
}

static void free_entry(struct sysfs_entry *e)
{
	list_del(&e->node);
	kfree(e->dir);
	kfree(e);
}

int lkpi_sysfs_add(struct kobject *kobj, const char *dir, const struct attribute *attr)
{
	struct sysfs_entry *e;
	int ret = 0;

	if (WARN_ON(!kobj || !attr))
		return -EINVAL;
	/* Not an injection point: with CONFIG_SYSFS=n the kernel makes no
	 * allocation here, and fault sweeps explore the kernel's. */
	e = kzalloc(sizeof(*e), GFP_KERNEL | __GFP_NOFAIL);
	if (dir)
		e->dir = kstrdup(dir, GFP_KERNEL | __GFP_NOFAIL);
	e->kobj = kobj;
	e->attr = attr;
	mutex_lock(&sysfs_lock);
	if (find_entry(kobj, dir, attr->name)) {
		/* sysfs_warn_dup()'s message; kernfs refuses the name. */
		pr_warn("sysfs: cannot create duplicate filename '%s/%s'\n",
			kobject_name(kobj), attr->name);
		ret = -EEXIST;
	} else {
		list_add_tail(&e->node, &sysfs_entries);
	}
	mutex_unlock(&sysfs_lock);
	if (ret) {
		kfree(e->dir);
		kfree(e);
	}
	return ret;
}

/* Whether k is kobj or below it (a kobject holds its parent). */
static bool below(struct kobject *k, struct kobject *kobj)
{
	for (; k; k = k->parent)
		if (k == kobj)
			return true;
	return false;
}

void lkpi_sysfs_remove(struct kobject *kobj, const char *dir, const char *name)
{
	struct sysfs_entry *e, *tmp;

	mutex_lock(&sysfs_lock);
	list_for_each_entry_safe(e, tmp, &sysfs_entries, node) {
		/* A directory's removal takes its whole subtree, as
		 * kernfs_remove() does: also the files of child kobjects
		 * never deleted themselves (amdkfd drops io links to a
		 * departed GPU from its lists without deleting them). */
		if (!dir && !name ? below(e->kobj, kobj) :
		    e->kobj == kobj && (!name || !strcmp(e->attr->name, name)) &&
		    same_dir(e->dir, dir))
			free_entry(e);
	}
	mutex_unlock(&sysfs_lock);
}

int sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns)
{
	return lkpi_sysfs_add(kobj, NULL, attr);
}
EXPORT_SYMBOL_GPL(sysfs_create_file_ns);

int sysfs_create_files(struct kobject *kobj, const struct attribute * const *ptr)
{
	int err = 0, i;

	for (i = 0; ptr[i] && !err; i++)
		err = sysfs_create_file(kobj, ptr[i]);
	if (err)
		while (--i >= 0)
			sysfs_remove_file(kobj, ptr[i]);
	return err;
}
EXPORT_SYMBOL_GPL(sysfs_create_files);

void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns)
{
	lkpi_sysfs_remove(kobj, NULL, attr->name);
}
EXPORT_SYMBOL_GPL(sysfs_remove_file_ns);

void sysfs_remove_files(struct kobject *kobj, const struct attribute * const *ptr)
{
	int i;

	for (i = 0; ptr[i]; i++)
		sysfs_remove_file(kobj, ptr[i]);
}
EXPORT_SYMBOL_GPL(sysfs_remove_files);

/* kobject_del()'s: the directory goes, and with it every file in it and
 * in its groups' subdirectories. */
void sysfs_remove_dir(struct kobject *kobj)
{
	lkpi_sysfs_remove(kobj, NULL, NULL);
}

int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list args;
	int len;

	if (WARN(!buf || offset_in_page(buf), "invalid sysfs_emit: buf:%p\n", buf))
		return 0;
	va_start(args, fmt);
	len = vscnprintf(buf, PAGE_SIZE, fmt, args);
	va_end(args);
	return len;
}
EXPORT_SYMBOL_GPL(sysfs_emit);

int sysfs_emit_at(char *buf, int at, const char *fmt, ...)
{
	va_list args;
	int len;

	if (WARN(!buf || offset_in_page(buf) || at < 0 || at >= PAGE_SIZE,
		 "invalid sysfs_emit_at: buf:%p at:%d\n", buf, at))
		return 0;
	va_start(args, fmt);
	len = vscnprintf(buf + at, PAGE_SIZE - at, fmt, args);
	va_end(args);
	return len;
}
EXPORT_SYMBOL_GPL(sysfs_emit_at);

/* host interface */

/* The file's path as /sys shows it, less "/sys"; kmalloc'd. */
static char *entry_path(const struct sysfs_entry *e)
{
	char *kpath = kobject_get_path(e->kobj, GFP_KERNEL);
	char *path;

	if (!kpath)
		return NULL;
	if (e->dir)
		path = kasprintf(GFP_KERNEL, "%s/%s/%s", kpath, e->dir, e->attr->name);
	else
		path = kasprintf(GFP_KERNEL, "%s/%s", kpath, e->attr->name);
	kfree(kpath);
	return path;
}

struct sysfs_query {
	const char *path;	/* a prefix, for listing */
	char *buf;
	dh_size len;
};

static long do_list(void *p)
{
	struct sysfs_query *q = p;
	struct sysfs_entry *e;
	size_t plen = strlen(q->path), used = 0;
	long ret = 0;

	mutex_lock(&sysfs_lock);
	list_for_each_entry(e, &sysfs_entries, node) {
		char *path = entry_path(e);
		size_t n;

		if (!path) {
			ret = -ENOMEM;
			break;
		}
		n = strlen(path) + 1;
		if (!strncmp(path, q->path, plen)) {
			if (used + n > q->len) {
				kfree(path);
				ret = -ENOSPC;
				break;
			}
			memcpy(q->buf + used, path, n);
			used += n;
		}
		kfree(path);
	}
	mutex_unlock(&sysfs_lock);
	return ret ? ret : (long)used;
}

long kworld_sysfs_list(const char *prefix, char *buf, dh_size len)
{
	struct sysfs_query q = { prefix, buf, len };

	return kworld_run(do_list, &q, "sysfs-list");
}

static long do_read(void *p)
{
	struct sysfs_query *q = p;
	struct sysfs_entry *e, *found = NULL;
	const struct sysfs_ops *ops;
	char *page;
	long ret;

	page = (char *)get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	mutex_lock(&sysfs_lock);
	list_for_each_entry(e, &sysfs_entries, node) {
		char *path = entry_path(e);
		bool match = path && !strcmp(path, q->path);

		kfree(path);
		if (match) {
			found = e;
			break;
		}
	}
	ops = found && found->kobj->ktype ? found->kobj->ktype->sysfs_ops : NULL;
	if (!found)
		ret = -ENOENT;
	else if (!ops || !ops->show)
		ret = -EIO;
	else
		ret = ops->show(found->kobj, (struct attribute *)found->attr, page);
	mutex_unlock(&sysfs_lock);
	if (ret >= (long)PAGE_SIZE) {
		/* sysfs_kf_seq_show()'s cap: a show never returns more than a page. */
		pr_warn("fill_read_buffer: %pS returned bad count\n", ops->show);
		ret = PAGE_SIZE - 1;
	}
	if (ret > 0) {
		if ((dh_size)ret > q->len)
			ret = -ENOSPC;
		else
			memcpy(q->buf, page, ret);
	}
	free_page((unsigned long)page);
	return ret;
}

long kworld_sysfs_read(const char *path, char *buf, dh_size len)
{
	struct sysfs_query q = { path, buf, len };

	return kworld_run(do_read, &q, "sysfs-read");
}
