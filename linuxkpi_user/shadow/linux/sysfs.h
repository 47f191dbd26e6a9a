/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadows include/linux/sysfs.h: with CONFIG_SYSFS=n (there is no kernfs
 * in a process) its attribute calls are empty inlines and the files a
 * driver registers (amdkfd's topology, which libhsakmt reads) are lost.
 * Here the attribute calls (files and groups, their removal, removal of a
 * kobject's directory, sysfs_emit) are the real functions of a registry,
 * linuxkpi_user/kernel/fs/sysfs/file.c, which the host world lists and
 * reads through the kobjects' own sysfs_ops (kworld_sysfs_list/_read).
 * Directories, links and bin files stay the kernel's no-ops.
 */
#ifndef LKPI_SHADOW_LINUX_SYSFS_H
#define LKPI_SHADOW_LINUX_SYSFS_H

/* The kernel's empty inlines, renamed out of the way. */
#define sysfs_create_file_ns	lkpi_sysfs_stub_create_file_ns
#define sysfs_create_files	lkpi_sysfs_stub_create_files
#define sysfs_remove_file_ns	lkpi_sysfs_stub_remove_file_ns
#define sysfs_remove_files	lkpi_sysfs_stub_remove_files
#define sysfs_create_group	lkpi_sysfs_stub_create_group
#define sysfs_create_groups	lkpi_sysfs_stub_create_groups
#define sysfs_remove_group	lkpi_sysfs_stub_remove_group
#define sysfs_remove_groups	lkpi_sysfs_stub_remove_groups
#define sysfs_remove_dir	lkpi_sysfs_stub_remove_dir
#define sysfs_emit		lkpi_sysfs_stub_emit
#define sysfs_emit_at		lkpi_sysfs_stub_emit_at
/* Its wrappers call the stubs: they are redefined below. */
#define sysfs_create_file	lkpi_sysfs_stub_create_file
#define sysfs_remove_file	lkpi_sysfs_stub_remove_file
#include_next <linux/sysfs.h>
#undef sysfs_create_file_ns
#undef sysfs_create_files
#undef sysfs_remove_file_ns
#undef sysfs_remove_files
#undef sysfs_create_group
#undef sysfs_create_groups
#undef sysfs_remove_group
#undef sysfs_remove_groups
#undef sysfs_remove_dir
#undef sysfs_emit
#undef sysfs_emit_at
#undef sysfs_create_file
#undef sysfs_remove_file

int __must_check sysfs_create_file_ns(struct kobject *kobj, const struct attribute *attr,
				      const void *ns);
int __must_check sysfs_create_files(struct kobject *kobj, const struct attribute * const *attr);
void sysfs_remove_file_ns(struct kobject *kobj, const struct attribute *attr, const void *ns);
void sysfs_remove_files(struct kobject *kobj, const struct attribute * const *attr);
int __must_check sysfs_create_group(struct kobject *kobj, const struct attribute_group *grp);
int __must_check sysfs_create_groups(struct kobject *kobj, const struct attribute_group **groups);
void sysfs_remove_group(struct kobject *kobj, const struct attribute_group *grp);
void sysfs_remove_groups(struct kobject *kobj, const struct attribute_group **groups);
void sysfs_remove_dir(struct kobject *kobj);
__printf(2, 3) int sysfs_emit(char *buf, const char *fmt, ...);
__printf(3, 4) int sysfs_emit_at(char *buf, int at, const char *fmt, ...);

static inline int __must_check sysfs_create_file(struct kobject *kobj,
						 const struct attribute *attr)
{
	return sysfs_create_file_ns(kobj, attr, NULL);
}

static inline void sysfs_remove_file(struct kobject *kobj, const struct attribute *attr)
{
	sysfs_remove_file_ns(kobj, attr, NULL);
}

#endif
