// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces fs/sysfs/group.c's creation and removal of attribute groups,
 * over the registry of fs/sysfs/file.c: a named group's files sit in its
 * subdirectory, is_visible() decides which files exist, a failed group
 * leaves nothing behind. Binary attributes have no files here (nothing
 * reads them), as before.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "../../lkpi.h"

static void remove_files(struct kobject *kobj, const struct attribute_group *grp)
{
	struct attribute *const *attr;

	if (grp->name) {
		lkpi_sysfs_remove(kobj, grp->name, NULL);
		return;
	}
	if (grp->attrs)
		for (attr = grp->attrs; *attr; attr++)
			lkpi_sysfs_remove(kobj, NULL, (*attr)->name);
}

int sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp)
{
	struct attribute *const *attr;
	int error = 0, i;

	if (WARN_ON(!kobj))
		return -EINVAL;
	if (!grp->attrs)
		return 0;
	for (i = 0, attr = grp->attrs; *attr && !error; i++, attr++) {
		if (grp->is_visible &&
		    !(grp->is_visible(kobj, *attr, i) & ~SYSFS_GROUP_INVISIBLE))
			continue;
		error = lkpi_sysfs_add(kobj, grp->name, *attr);
	}
	if (error)
		remove_files(kobj, grp);
	return error;
}
EXPORT_SYMBOL_GPL(sysfs_create_group);

int sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups)
{
	int error = 0, i;

	if (!groups)
		return 0;
	for (i = 0; groups[i]; i++) {
		error = sysfs_create_group(kobj, groups[i]);
		if (error) {
			while (--i >= 0)
				sysfs_remove_group(kobj, groups[i]);
			break;
		}
	}
	return error;
}
EXPORT_SYMBOL_GPL(sysfs_create_groups);

void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp)
{
	remove_files(kobj, grp);
}
EXPORT_SYMBOL_GPL(sysfs_remove_group);

void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups)
{
	int i;

	if (!groups)
		return;
	for (i = 0; groups[i]; i++)
		sysfs_remove_group(kobj, groups[i]);
}
EXPORT_SYMBOL_GPL(sysfs_remove_groups);
