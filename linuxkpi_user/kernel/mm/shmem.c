// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/shmem.c: GEM's and TTM's backing files. A shmem file is an
 * anonymous inode whose page cache (the mapping's i_pages xarray) fills with
 * zeroed arena pages on first use; nothing is ever swapped or written back.
 * Pages are released with the inode (fs/inode.c).
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pseudo_fs.h>
#include <linux/shmem_fs.h>
#include <linux/xarray.h>

#include "../lkpi.h"

#define LKPI_SHMEM_MAGIC 0x01021994	/* TMPFS_MAGIC */

static int lkpi_shmem_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, LKPI_SHMEM_MAGIC) ? 0 : -ENOMEM;
}

static struct file_system_type shmem_fs_type = {
	.name = "shmem",
	.init_fs_context = lkpi_shmem_init_fs_context,
	.kill_sb = kill_anon_super,
};

static struct vfsmount *shm_mnt;

static const struct address_space_operations shmem_aops = {
	.dirty_folio = noop_dirty_folio,
};

static const struct file_operations shmem_fops = {
	.llseek = noop_llseek,
};

struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags)
{
	struct inode *inode;
	struct file *f;

	if (!shm_mnt) {
		struct vfsmount *mnt = kern_mount(&shmem_fs_type);

		if (IS_ERR(mnt))
			return ERR_CAST(mnt);
		shm_mnt = mnt;
	}
	if (size < 0 || size > MAX_LFS_FILESIZE)
		return ERR_PTR(-EINVAL);
	inode = new_inode_pseudo(shm_mnt->mnt_sb);
	if (!inode)
		return ERR_PTR(-ENOSPC);
	inode->i_ino = get_next_ino();
	inode->i_mode = S_IFREG | 0600;
	inode->i_mapping->a_ops = &shmem_aops;
	i_size_write(inode, size);
	f = alloc_file_pseudo(inode, shm_mnt, name, O_RDWR, &shmem_fops);
	if (IS_ERR(f))
		iput(inode);
	return f;
}
EXPORT_SYMBOL_GPL(shmem_file_setup);

struct file *shmem_file_setup_with_mnt(struct vfsmount *mnt, const char *name, loff_t size,
				       unsigned long flags)
{
	return shmem_file_setup(name, size, flags);
}
EXPORT_SYMBOL_GPL(shmem_file_setup_with_mnt);

struct folio *shmem_read_folio_gfp(struct address_space *mapping, pgoff_t index, gfp_t gfp)
{
	struct folio *folio = xa_load(&mapping->i_pages, index);
	struct page *page;
	void *old;

	if (folio) {
		folio_get(folio);
		return folio;
	}
	if (index >= DIV_ROUND_UP(i_size_read(mapping->host), PAGE_SIZE))
		return ERR_PTR(-EINVAL);
	page = alloc_page(gfp | __GFP_ZERO);
	if (!page)
		return ERR_PTR(-ENOMEM);
	folio = page_folio(page);
	folio->mapping = mapping;
	folio->index = index;
	folio_mark_uptodate(folio);
	old = xa_store(&mapping->i_pages, index, folio, GFP_KERNEL);
	if (xa_is_err(old)) {
		folio_put(folio);
		return ERR_PTR(xa_err(old));
	}
	mapping->nrpages++;
	folio_get(folio);	/* the cache keeps one reference, the caller gets one */
	return folio;
}
EXPORT_SYMBOL_GPL(shmem_read_folio_gfp);

struct page *shmem_read_mapping_page_gfp(struct address_space *mapping, pgoff_t index,
					 gfp_t gfp)
{
	struct folio *folio = shmem_read_folio_gfp(mapping, index, gfp);

	if (IS_ERR(folio))
		return ERR_CAST(folio);
	return folio_file_page(folio, index);
}
EXPORT_SYMBOL_GPL(shmem_read_mapping_page_gfp);

/* Drops the cache's pages in [start, end]; callers' references survive. */
void lkpi_mapping_release_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	unsigned long index;

	xa_for_each_range(&mapping->i_pages, index, folio, start, end) {
		xa_erase(&mapping->i_pages, index);
		mapping->nrpages--;
		folio->mapping = NULL;
		folio_put(folio);
	}
}

void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	lkpi_mapping_release_range(inode->i_mapping, lstart >> PAGE_SHIFT,
				   lend == (loff_t)-1 ? ULONG_MAX : lend >> PAGE_SHIFT);
}
EXPORT_SYMBOL_GPL(shmem_truncate_range);

unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	unsigned long before = mapping->nrpages;

	lkpi_mapping_release_range(mapping, start, end);
	return before - mapping->nrpages;
}
EXPORT_SYMBOL(invalidate_mapping_pages);
