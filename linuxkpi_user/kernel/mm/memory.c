// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces mm/memory.c and mm/mmap.c for client mappings. There are no
 * page tables: inserting a PFN asks the host to map that guest-physical
 * page at the address (host_vm_map_phys), zapping asks it to make the range
 * fault again. VMAs are the kernel's own structs, created by kworld_mmap()
 * through the driver's f_op->mmap and kept in their file's i_mmap interval
 * tree, so unmap_mapping_range() finds them as on Linux.
 *
 * Write notification works as on Linux: a shared VMA whose ops have
 * page_mkwrite or pfn_mkwrite gets a read-only vm_page_prot
 * (vma_wants_writenotify), pages inserted with it are mapped read-only,
 * and the first write to one goes through the mkwrite op before the host
 * makes it writable, as do_wp_page() does. A writable host page stands for a
 * dirty PTE (mapping_dirty_helpers.c write-protects and cleans them).
 */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmu_notifier.h>
#include <linux/pagemap.h>
#include <linux/pfn_t.h>
#include <linux/slab.h>

#include "../lkpi.h"

/*
 * Client processes as the kernel sees them from a call's task: a thread
 * group leader (a task_struct that never runs, whose identity is that of
 * the process's latest call) and an address space, one of each per client
 * tgid (kworld_set_identity; a server's clients are other processes;
 * calls made with no identity are all of one process, tgid 0 here).
 * amdkfd keys its processes by current->mm and accepts a /dev/kfd file
 * only from the group leader that opened it (kfd_ioctl), so every call of
 * a process joins both. Client VMAs of device files are on client_vmas
 * (one list: their host addresses never overlap). mm_mt holds one
 * anonymous VMA over the whole user range, the process's own memory
 * (which pages exist there is the host's business): vma_lookup() finds
 * it, and a driver mirroring that memory gets its pages adopted
 * (hmm_range_fault, mm/gup.c).
 *
 * A process lives until kworld_client_exit(): its mappings go and its
 * address space loses its last user, which releases its MMU notifiers
 * (kfd's process teardown) as exit_mmap() does; the slot is free once the
 * last reference (kfd's, until its release work has run) is dropped.
 */
struct client_proc {
	struct lkpi_task leader;
	struct mm_struct mm;	/* before the bitmap mm_struct ends in */
	unsigned long cpu_bitmap[BITS_TO_LONGS(NR_CPUS)];
	struct vm_area_struct memory;	/* its own memory, in mm_mt */
	int tgid;
	bool live, exited;
};

#define MAX_CLIENT_PROCS 64
/* The end of x86-64's user half: the host process's addresses. */
#define CLIENT_MEMORY_END (1ul << 47)
static struct client_proc client_procs[MAX_CLIENT_PROCS];
static LIST_HEAD(client_vmas);

static struct client_proc *client_proc_of(int tgid)
{
	for (int i = 0; i < MAX_CLIENT_PROCS; i++)
		if (client_procs[i].live && !client_procs[i].exited && client_procs[i].tgid == tgid)
			return &client_procs[i];
	return NULL;
}

static struct client_proc *client_proc_new(int tgid)
{
	for (int i = 0; i < MAX_CLIENT_PROCS; i++) {
		struct client_proc *p = &client_procs[i];
		struct task_struct *l = &p->leader.task;
		struct mm_struct *mm = &p->mm;

		if (p->live)
			continue;
		memset(p, 0, sizeof(*p));
		mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
		mt_set_external_lock(&mm->mm_mt, &mm->mmap_lock);
		init_rwsem(&mm->mmap_lock);
		atomic_set(&mm->mm_users, 1);	/* the process's own */
		atomic_set(&mm->mm_count, 1);	/* its users' */
		refcount_set(&l->usage, 1 << 30);
		l->__state = TASK_DEAD;
		l->group_leader = l;
		l->real_parent = l->parent = l;
		INIT_LIST_HEAD(&l->children);
		INIT_LIST_HEAD(&l->sibling);
		l->mm = l->active_mm = mm;
		p->memory.vm_mm = mm;
		p->memory.vm_start = PAGE_SIZE;
		p->memory.vm_end = CLIENT_MEMORY_END;
		vm_flags_init(&p->memory, VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE);
		INIT_LIST_HEAD(&p->memory.anon_vma_chain);
		/* NOFAIL: a client's first call is no allocation point of
		 * Linux's (its process exists before it calls). */
		mtree_store_range(&mm->mm_mt, p->memory.vm_start, p->memory.vm_end - 1, &p->memory,
				  GFP_KERNEL | __GFP_NOFAIL);
		p->tgid = tgid;
		p->live = true;
		return p;
	}
	return NULL;
}

/* The process of calls made with no identity exists from boot, as init
 * does: its making is no client call's work (nor allocation). */
void lkpi_client_init(void)
{
	if (!client_proc_new(0))
		panic("no slot for the default client process");
}

int lkpi_client_join(struct task_struct *t)
{
	pid_t key = lkpi_client_process(t);
	struct client_proc *p = client_proc_of(key);
	struct task_struct *l;

	if (!p)
		p = client_proc_new(key);
	/* As fork() with every slot in use. */
	if (!p)
		return -EAGAIN;
	l = &p->leader.task;
	l->pid = l->tgid = t->tgid;
	l->cred = t->cred;
	l->real_cred = t->real_cred;
	l->signal = t->signal;
	l->thread_pid = t->thread_pid;
	memcpy(l->comm, t->comm, sizeof(l->comm));
	t->group_leader = l;
	t->mm = t->active_mm = &p->mm;
	return 0;
}

/* exit_mmap() after the MMU notifiers' release (kernel/fork.c's mmput):
 * the process's own memory is unmapped, which mirrors of it (userptr BOs'
 * interval notifiers) hear of first, and its adopted pages go. */
void lkpi_exit_mmap(struct mm_struct *mm)
{
	struct client_proc *p = container_of(mm, struct client_proc, mm);
	struct mmu_notifier_range range;

	mmu_notifier_range_init(&range, MMU_NOTIFY_UNMAP, 0, mm, p->memory.vm_start,
				p->memory.vm_end);
	mmu_notifier_invalidate_range_start(&range);
	lkpi_user_pages_release(mm);
	mmu_notifier_invalidate_range_end(&range);
}

/* kernel/fork.c's __mmdrop(): the last reference to a client address
 * space is gone, and with it the process's slot. */
void lkpi_client_mm_free(struct mm_struct *mm)
{
	struct client_proc *p = container_of(mm, struct client_proc, mm);

	if (WARN_ON(p < client_procs || p >= client_procs + MAX_CLIENT_PROCS || !p->exited))
		return;
	mmu_notifier_subscriptions_destroy(mm);
	mtree_destroy(&mm->mm_mt);
	p->live = false;
}

/* mm/mmap.c: what mmu_notifier registration takes to keep invalidations
 * out. Nothing here walks client page tables or calls notifiers behind the
 * registering task's back, so there is nothing to take. */
int mm_take_all_locks(struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
	return 0;
}

void mm_drop_all_locks(struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
}

struct lkpi_vma {
	struct vm_area_struct vma;
	struct list_head node;
};

static void drop_vma(struct lkpi_vma *v);

struct exit_call {
	int tgid;
};

/* exit_mm(): the process's mappings go, then its own use of the address
 * space; the last user's going releases what registered MMU notifiers on
 * it (kernel/fork.c's mmput). */
static long do_client_exit(void *arg)
{
	struct exit_call *c = arg;
	struct client_proc *p = client_proc_of(c->tgid);
	struct lkpi_vma *v, *tmp;

	if (!p)
		return -ESRCH;
	p->exited = true;
	list_for_each_entry_safe(v, tmp, &client_vmas, node)
		if (v->vma.vm_mm == &p->mm)
			drop_vma(v);
	mmput(&p->mm);
	return 0;
}

long kworld_client_exit(int tgid)
{
	struct exit_call c = { .tgid = tgid };

	return kworld_run(do_client_exit, &c, "client-exit");
}

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	/* Only the host mapping's writability is ever derived from this. */
	return __pgprot(vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED));
}
EXPORT_SYMBOL(vm_get_page_prot);

static bool wants_writenotify(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED) &&
	       vma->vm_ops && (vma->vm_ops->page_mkwrite || vma->vm_ops->pfn_mkwrite);
}

/* Whether a page inserted with prot may be written without a fault: our
 * pgprot is vm_get_page_prot()'s encoding of the VM flags. */
static bool prot_writable(const struct vm_area_struct *vma, pgprot_t prot)
{
	if (!(vma->vm_flags & VM_WRITE))
		return false;
	if (!wants_writenotify(vma))
		return true;
	return (pgprot_val(prot) & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED);
}

static int map_pfns(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, bool writable)
{
	int ret;

	if (addr < vma->vm_start || addr + size > vma->vm_end)
		return -EFAULT;
	ret = host_vm_map_phys(addr, (u64)pfn << PAGE_SHIFT, size, writable);
	/* Not memory: an I/O mapping of registers (io_remap_pfn_range() of
	 * kfd's doorbells), whose every access is a device access. */
	if (ret == -EFAULT && (vma->vm_flags & VM_IO))
		ret = host_vm_map_mmio(addr, (u64)pfn << PAGE_SHIFT, size);
	return ret;
}

vm_fault_t vmf_insert_pfn_prot(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
			       pgprot_t pgprot)
{
	return map_pfns(vma, addr, pfn, PAGE_SIZE, prot_writable(vma, pgprot)) ?
		VM_FAULT_SIGBUS : VM_FAULT_NOPAGE;
}
EXPORT_SYMBOL(vmf_insert_pfn_prot);

vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)
{
	return vmf_insert_pfn_prot(vma, addr, pfn, vma->vm_page_prot);
}
EXPORT_SYMBOL(vmf_insert_pfn);

vm_fault_t vmf_insert_mixed(struct vm_area_struct *vma, unsigned long addr, pfn_t pfn)
{
	return vmf_insert_pfn(vma, addr, pfn_t_to_pfn(pfn));
}
EXPORT_SYMBOL(vmf_insert_mixed);

int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	return map_pfns(vma, addr, page_to_pfn(page), PAGE_SIZE,
			prot_writable(vma, vma->vm_page_prot));
}
EXPORT_SYMBOL(vm_insert_page);

int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn,
		    unsigned long size, pgprot_t prot)
{
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return map_pfns(vma, addr, pfn, PAGE_ALIGN(size), prot_writable(vma, prot));
}
EXPORT_SYMBOL(remap_pfn_range);

void zap_vma_ptes(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	if (address < vma->vm_start || address + size > vma->vm_end)
		return;
	host_vm_zap(address, size);
}
EXPORT_SYMBOL_GPL(zap_vma_ptes);

void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows)
{
	pgoff_t first = holebegin >> PAGE_SHIFT;
	pgoff_t last = holelen ? first + (PAGE_ALIGN(holelen) >> PAGE_SHIFT) - 1 : ULONG_MAX;
	struct vm_area_struct *vma;

	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last) {
		pgoff_t vfirst = max(first, vma->vm_pgoff);
		pgoff_t vlast = min(last, vma->vm_pgoff + vma_pages(vma) - 1);
		unsigned long start = vma->vm_start + ((vfirst - vma->vm_pgoff) << PAGE_SHIFT);

		host_vm_zap(start, (vlast - vfirst + 1) << PAGE_SHIFT);
	}
}
EXPORT_SYMBOL(unmap_mapping_range);

/* ---- client mmap ---------------------------------------------------------- */

struct mmap_call {
	long fd;
	size_t len;
	int prot, flags;
	u64 offset;
	void *addr;
};

static struct lkpi_vma *find_vma_at(unsigned long addr)
{
	struct lkpi_vma *v;

	list_for_each_entry(v, &client_vmas, node)
		if (addr >= v->vma.vm_start && addr < v->vma.vm_end)
			return v;
	return NULL;
}

static void drop_vma(struct lkpi_vma *v)
{
	struct vm_area_struct *vma = &v->vma;

	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file) {
		vma_interval_tree_remove(vma, &vma->vm_file->f_mapping->i_mmap);
		fput(vma->vm_file);
	}
	list_del(&v->node);
	host_vm_release((void *)vma->vm_start, vma->vm_end - vma->vm_start);
	kfree(v);
}

/*
 * MAP_FIXED replaces what was there (mmap_region() unmaps it first): the
 * ROCm thunk maps each buffer at the address of its GPU VA, inside a
 * reservation of its own, so CPU and GPU pointers agree. A client mapping
 * the new one covers whole goes; one it covers in part would have to be
 * split, which client VMAs never are here: -EINVAL.
 */
static long unmap_fixed(struct mmap_call *c)
{
	unsigned long start = (unsigned long)c->addr, end = start + PAGE_ALIGN(c->len);
	struct lkpi_vma *v, *tmp;

	if (!(c->flags & MAP_FIXED))
		return 0;
	if (end < start)
		return -EINVAL;
	list_for_each_entry(v, &client_vmas, node)
		if (v->vma.vm_start < end && start < v->vma.vm_end &&
		    (v->vma.vm_start < start || v->vma.vm_end > end))
			return -EINVAL;
	list_for_each_entry_safe(v, tmp, &client_vmas, node)
		if (v->vma.vm_start < end && start < v->vma.vm_end)
			drop_vma(v);
	return 0;
}

static long do_mmap_call(void *p)
{
	struct mmap_call *c = p;
	struct file *file = fget(c->fd);
	struct lkpi_vma *v;
	struct vm_area_struct *vma;
	void *addr;
	long ret;

	if (!file)
		return -EBADF;
	ret = -ENODEV;
	if (!file->f_op->mmap)
		goto out_file;
	ret = -EINVAL;
	if (!c->len || c->offset & ~PAGE_MASK || !(c->flags & MAP_SHARED))
		goto out_file;
	if ((c->flags & MAP_FIXED) && (unsigned long)c->addr & ~PAGE_MASK)
		goto out_file;
	ret = unmap_fixed(c);
	if (ret)
		goto out_file;
	ret = -ENOMEM;
	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		goto out_file;
	addr = host_vm_reserve(c->flags & MAP_FIXED ? c->addr : NULL, PAGE_ALIGN(c->len));
	if (!addr)
		goto out_vma;
	vma = &v->vma;
	vma->vm_mm = current->mm;
	vma->vm_start = (unsigned long)addr;
	vma->vm_end = vma->vm_start + PAGE_ALIGN(c->len);
	vma->vm_pgoff = c->offset >> PAGE_SHIFT;
	vm_flags_init(vma, VM_SHARED | VM_MAYSHARE | VM_MAYREAD | VM_MAYWRITE |
		      (c->prot & PROT_READ ? VM_READ : 0) | (c->prot & PROT_WRITE ? VM_WRITE : 0));
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_file = file;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	ret = file->f_op->mmap(file, vma);
	if (ret) {
		host_vm_release(addr, PAGE_ALIGN(c->len));
		goto out_vma;
	}
	/* mmap_region()'s vma_set_page_prot(): write-notify VMAs map
	 * read-only until mkwrite. */
	if (wants_writenotify(vma))
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags & ~VM_SHARED);
	/* The driver may have swapped vm_file (e.g. dma-buf's exporter). */
	if (vma->vm_file != file) {
		get_file(vma->vm_file);
		fput(file);
	}
	vma_interval_tree_insert(vma, &vma->vm_file->f_mapping->i_mmap);
	list_add(&v->node, &client_vmas);
	c->addr = addr;
	return 0;
out_vma:
	kfree(v);
out_file:
	fput(file);
	return ret;
}

long kworld_mmap(long fd, dh_size len, int prot, int flags, dh_u64 offset, void **addr)
{
	struct mmap_call c = { .fd = fd, .len = len, .prot = prot, .flags = flags,
			       .offset = offset, .addr = flags & MAP_FIXED ? *addr : NULL };
	long ret = lkpi_client_run(do_mmap_call, &c, "client-mmap");

	if (!ret)
		*addr = c.addr;
	return ret;
}

static long do_munmap_call(void *p)
{
	struct mmap_call *c = p;
	struct lkpi_vma *v = find_vma_at((unsigned long)c->addr);

	if (!v || v->vma.vm_start != (unsigned long)c->addr ||
	    v->vma.vm_end != (unsigned long)c->addr + PAGE_ALIGN(c->len))
		return -EINVAL;
	drop_vma(v);
	return 0;
}

long kworld_munmap(void *addr, dh_size len)
{
	struct mmap_call c = { .addr = addr, .len = len };

	return lkpi_client_run(do_munmap_call, &c, "client-munmap");
}

struct fault_call {
	unsigned long addr;
	int write;
};

/* do_wp_page() for a write to a present read-only page of a shared VMA:
 * the mkwrite op first (wp_pfn_shared), then the page becomes writable and,
 * as the PTE would, dirty. */
unsigned long lkpi_mkwrite_calls;

/*
 * A fault op that hands back a page (vmf->page, with a reference, perhaps
 * locked) rather than inserting a PFN: finish_fault() maps it. A write to a
 * shared VMA with page_mkwrite runs it first (do_shared_fault) and maps the
 * page writable; anything else maps it as vm_page_prot says (read-only
 * under write notification). The fault's page reference is dropped once
 * mapped: the host mapping holds none, and the pages these ops return
 * (fbdev's screen buffer) live as long as their file.
 */
static long fault_page(struct lkpi_vma *v, unsigned long address, bool write)
{
	struct vm_area_struct *vma = &v->vma;
	struct vm_fault vmf = {
		.vma = vma,
		.gfp_mask = GFP_KERNEL,
		.pgoff = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT),
		.address = address,
		.real_address = address,
		.flags = write ? FAULT_FLAG_WRITE : 0,
	};
	struct page *page;
	vm_fault_t ret, mk = 0;
	bool writable;
	long err = 0;

	mmap_read_lock(vma->vm_mm);
	ret = vma->vm_ops->fault(&vmf);
	mmap_read_unlock(vma->vm_mm);
	if (ret & VM_FAULT_ERROR)
		return -EFAULT;
	if ((ret & VM_FAULT_NOPAGE) || !vmf.page)
		return 0;
	page = vmf.page;
	if (ret & VM_FAULT_LOCKED)
		unlock_page(page);
	/* vmalloc() memory (fbdev's shadow screen) is host heap, which no
	 * client can map: the access fails, and the op's reference stays, as
	 * putting it would free a frame no allocator handed out. */
	if (!lkpi_page_is_frame(page))
		return -EFAULT;
	writable = prot_writable(vma, vma->vm_page_prot);
	if (write && (vma->vm_flags & VM_SHARED) && vma->vm_ops->page_mkwrite) {
		lkpi_mkwrite_calls++;
		vmf.flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
		mmap_read_lock(vma->vm_mm);
		mk = vma->vm_ops->page_mkwrite(&vmf);
		mmap_read_unlock(vma->vm_mm);
		if (mk & VM_FAULT_ERROR)
			err = -EFAULT;
		writable = !(mk & (VM_FAULT_ERROR | VM_FAULT_NOPAGE));
	}
	if (!err && !(mk & VM_FAULT_NOPAGE) &&
	    map_pfns(vma, address, page_to_pfn(page), PAGE_SIZE, writable && (vma->vm_flags & VM_WRITE)))
		err = -EFAULT;
	/* page_mkwrite kept the page locked until the PTE is dirty. */
	if (mk & VM_FAULT_LOCKED)
		unlock_page(page);
	put_page(page);
	return err;
}

static long do_wp_fault(struct lkpi_vma *v, unsigned long address)
{
	struct vm_area_struct *vma = &v->vma;
	struct vm_fault vmf = {
		.vma = vma,
		.gfp_mask = GFP_KERNEL,
		.pgoff = vma->vm_pgoff + ((address - vma->vm_start) >> PAGE_SHIFT),
		.address = address,
		.flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE,
	};
	vm_fault_t ret = 0;

	if (!(vma->vm_flags & VM_WRITE))
		return -EFAULT;
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) {
		if (vma->vm_ops && vma->vm_ops->pfn_mkwrite) {
			lkpi_mkwrite_calls++;
			mmap_read_lock(vma->vm_mm);
			ret = vma->vm_ops->pfn_mkwrite(&vmf);
			mmap_read_unlock(vma->vm_mm);
		}
	} else if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
		/* wp_page_shared(): the PTE's page, found again by the fault op
		 * (there is no PTE to read it from), goes through page_mkwrite. */
		return fault_page(v, address, true);
	}
	if (ret & VM_FAULT_ERROR)
		return -EFAULT;
	if (ret & VM_FAULT_NOPAGE)
		return 0;	/* the op changed the mapping itself; refault */
	return host_vm_make_writable(address) ? -EFAULT : 0;
}

static long do_fault(void *p)
{
	struct fault_call *c = p;
	struct lkpi_vma *v = find_vma_at(c->addr);

	if (!v)
		return -EFAULT;
	if (c->write && host_vm_page_state(c->addr & PAGE_MASK) == HOST_PAGE_READONLY)
		return do_wp_fault(v, c->addr & PAGE_MASK);
	if (!v->vma.vm_ops || !v->vma.vm_ops->fault)
		return -EFAULT;
	return fault_page(v, c->addr & PAGE_MASK, c->write);
}

long kworld_fault(unsigned long addr, int write)
{
	struct fault_call c = { .addr = addr, .write = write };

	return lkpi_client_run(do_fault, &c, "page-fault");
}
