/*
 * drmsim host ABI: the only header both worlds include.
 *
 * The kernel world (Linux headers, -nostdinc) and the host world (libc) meet
 * here and nowhere else, so it uses compiler-builtin types only. Two
 * directions:
 *   host_*    implemented by the host world, called by linuxkpi_user;
 *   kworld_*  implemented by the kernel world, called by the host. These are
 *             the only global symbols left in the localized kernel object.
 * Return conventions: int results are 0 or a negative errno unless a member
 * says otherwise. Nothing here is optional unless it says so.
 */
#ifndef DRMSIM_ABI_H
#define DRMSIM_ABI_H

#define DRMSIM_ABI_VERSION 1

typedef __UINT8_TYPE__ dh_u8;
typedef __UINT32_TYPE__ dh_u32;
typedef __UINT64_TYPE__ dh_u64;
typedef __INT64_TYPE__ dh_s64;
typedef __SIZE_TYPE__ dh_size;

/* ---- memory ---------------------------------------------------------- */

/* Heap memory for slab/vmalloc; NULL on exhaustion. align is a power of two. */
void *host_alloc(dh_size size, dh_size align);
void host_free(void *ptr);
/* Bytes usable at ptr (at least what was asked). */
dh_size host_alloc_usable(void *ptr);

/* The page arena (memfd-backed): base address and size in bytes, page
 * aligned. The kernel world's linear map is the identity (physical ==
 * host virtual address), so arena pages are at their own addresses. */
void *host_arena_base(void);
dh_u64 host_arena_size(void);
/* Returns the pages of [addr, addr + len) (page-aligned, inside the
 * arena) to the host: they read as zero afterwards and cost no memory
 * until touched again. For freed frames; best effort. */
void host_arena_discard(void *addr, dh_size len);
/* size bytes of zero-filled memory reserved, not committed: pages appear
 * on first touch (for mem_map, which spans the whole address space). */
void *host_mem_reserve(dh_u64 size);

/* ---- execution contexts ------------------------------------------------ */

struct host_ctx;
/* A context that starts at entry(arg) on [stack, stack+size). NULL on failure. */
struct host_ctx *host_ctx_create(void *stack, dh_size size,
				 void (*entry)(void *), void *arg);
/* The context of the calling host thread (the simulation thread). */
struct host_ctx *host_ctx_self(void);
void host_ctx_destroy(struct host_ctx *ctx);
/* Saves the running context into from and resumes to. Returns when someone
 * switches back to from. */
void host_ctx_switch(struct host_ctx *from, struct host_ctx *to);
/* THREAD_SIZE-aligned stack memory (size is a power of two). */
void *host_stack_alloc(dh_size size);
void host_stack_free(void *stack, dh_size size);

/* ---- time ---------------------------------------------------------------- */

/* Monotonic wall clock in ns; used only when virtual time is off. */
dh_u64 host_clock_ns(void);
/* Device timers (devices/machine.h): the earliest deadline on the kernel
 * world's clock (~0: none), and running those due at now_ns. */
dh_u64 host_device_deadline(void);
void host_device_timers_run(dh_u64 now_ns);
/* Block the simulation thread until ns (wall clock) or until the host has
 * work for the kernel world (optional wake-up, returns early then). */
void host_idle_until(dh_u64 ns);

/* ---- console and diagnostics ------------------------------------------- */

void host_console_write(const char *buf, dh_size len);
/* Writes "<symbol>+0x<off>" for addr into buf (always NUL-terminated). */
void host_symbolize(unsigned long addr, char *buf, dh_size len);
/* Prints the calling context's backtrace, symbolized, to the console. */
void host_backtrace(void);
/* The source file (base name) of the local symbol at addr, from the ELF
 * symbol table; NULL if unknown (host/symbolize.c). */
const char *host_symbol_file(unsigned long addr);
/* The name of a function in the calling context's backtrace that the
 * host lists as a known upstream WARN site (DRMSIM_KNOWN_WARNINGS), or
 * NULL: such a WARN is reported but is not a failure. */
const char *host_known_warning(void);
/* Ends the process after a kernel panic. Does not return. */
void host_panic(void) __attribute__((noreturn));

/* ---- the machine: PCI config space, MMIO, I/O ports ------------------- */

/* Config space of bus 0, device/function devfn (size 1, 2 or 4). Absent
 * devices read as all ones; writes to them are dropped. */
dh_u32 host_pci_cfg_read(unsigned int devfn, unsigned int where, int size);
void host_pci_cfg_write(unsigned int devfn, unsigned int where, int size, dh_u32 val);
/* The next MSI message a device sent (its data): 1, or 0 if none waits. */
int host_msi_pop(dh_u32 *data);
int host_msi_pending(void);
/* Bus-0 slots whose INTA# line is asserted now (bit n = slot n). */
dh_u32 host_pci_intx_pending(void);
/* What the DMA API adds to a physical address to make the bus address
 * bus-0 device devfn sees (its IOMMU window; 0 for none). */
dh_u64 host_pci_iova_offset(unsigned int devfn);
/* The windows the PCI host bridge forwards: memory [mem_start, mem_end]
 * and I/O ports [io_start, io_end] (inclusive). */
void host_pci_windows(dh_u64 *mem_start, dh_u64 *mem_end, dh_u32 *io_start, dh_u32 *io_end);
/* Surprise-removes bus-0 device devfn from the machine (machine_hot_unplug
 * in devices/machine.h): afterwards it reads as absent. 0, -ENODEV if
 * the slot is empty, or -ENOSPC once 32 devices were removed (the machine
 * keeps what it removed until the process ends). */
int host_pci_hot_unplug(unsigned int devfn);
/* Host memory behind [phys, phys + size) when all of it is RAM (a RAM BAR
 * as currently decoded, or as a surprise-removed device decoded it last),
 * else NULL. */
/* Kernel parameters the machine's devices ask for (their drivers'
 * module options, as a VM's configuration would pass them); "" if none. */
const char *host_machine_cmdline(void);
void *host_iomem_direct(dh_u64 phys, dh_u64 size);
/* Register accesses (size 1, 2, 4 or 8). What no device decodes reads as
 * all ones and counts as a guest error. */
dh_u64 host_mmio_read(dh_u64 phys, int size);
void host_mmio_write(dh_u64 phys, int size, dh_u64 val);
dh_u32 host_port_read(unsigned int port, int size);
void host_port_write(unsigned int port, int size, dh_u32 val);
/* The VMware backdoor: regs[] are eax, ebx, ecx, edx, esi, edi, ebp in and
 * out; mode 0 a low-bandwidth call, 3 (HB | OUT) a high-bandwidth transfer
 * of ecx bytes from esi, 1 (HB) of ecx bytes to edi (asm/vmware.h). */
void host_vmware_backdoor(dh_u32 regs[7], int mode);

/* ---- client address space ----------------------------------------------- */

/* Reserves len bytes of inaccessible address space for a client mapping,
 * at a place of the host's choosing or, at non-NULL, exactly there
 * (MAP_FIXED over what the program had there; never over another client
 * mapping); NULL on failure. Accesses fault until parts are mapped. */
void *host_vm_reserve(void *at, dh_size len);
void host_vm_release(void *addr, dh_size len);
/* Maps guest-physical [phys, phys + len) (arena or RAM BAR memory) at addr,
 * shared with the kernel's view. 0, or -EFAULT if phys is not memory. */
int host_vm_map_phys(unsigned long addr, dh_u64 phys, dh_size len, int writable);
/* Client memory adoption (mm/gup.c): whether the page at addr is the
 * client's own memory that may be adopted (mapped, this process's, not a
 * client mapping of a device, user copies not confined); then the page
 * at addr becomes arena frame phys (which the kernel filled with its
 * contents), shared from then on (0, or -EFAULT); and back to private
 * memory with the frame's contents. */
int host_vm_adoptable(unsigned long addr);
int host_vm_adopt(unsigned long addr, dh_u64 phys);
void host_vm_unadopt(unsigned long addr);
/* Makes [addr, addr + len) fault again (the kernel zapped the mapping). */
void host_vm_zap(unsigned long addr, dh_size len);
/* Maps guest-physical [phys, phys + len) of a register BAR at addr: every
 * client access to it becomes the device access it stands for (stores are
 * bus writes the model sees when they are made; a server's client, another
 * process, is told of the page when it faults on it, runs the accesses
 * and sends them). 0, or -EFAULT where the host cannot
 * (not x86-64). */
int host_vm_map_mmio(unsigned long addr, dh_u64 phys, dh_size len);
/* A client page as the host maps it: what a PTE would say. A writable
 * page counts as dirty (pages become writable only when written, or when
 * the VMA asked for no write notification). */
enum host_page_state { HOST_PAGE_ABSENT, HOST_PAGE_READONLY, HOST_PAGE_WRITABLE, HOST_PAGE_MMIO };
int host_vm_page_state(unsigned long addr);
/* After mkwrite: the page at addr becomes writable. 0, or -EFAULT if it
 * is not mapped. */
int host_vm_make_writable(unsigned long addr);
/* Write-protects the page at addr if it is writable; returns 1 if it was
 * (a dirty PTE cleaned), else 0. */
int host_vm_wrprotect(unsigned long addr);
/* Puts drmsim's SIGSEGV handler (which refaults client mappings) first
 * again, chaining to the current one; for hosts whose test framework
 * installs its own handler around each test (cmocka does). */
void host_vm_claim_faults(void);

/* ---- user copies ---------------------------------------------------------- */

/* Copies between kernel memory and a client's memory (same process) without
 * faulting on bad client pointers: returns how many bytes were NOT copied,
 * as copy_from_user()/copy_to_user() do. */
dh_size host_copy_from_user(void *to, const void *from, dh_size n);
dh_size host_copy_to_user(void *to, const void *from, dh_size n);

/* ---- firmware ------------------------------------------------------------- */

/* The firmware file name ("amdgpu/hawaii_mc.bin", relative, no ".."
 * component) as request_firmware() names it: looked up as <dir>/<name> in
 * each directory of $DRMSIM_FIRMWARE_PATH (colon-separated), then in the
 * build's synthesized firmware directory. 0 and *data (host_alloc memory:
 * the caller host_free()s it) and *size; -ENOENT if no directory has it,
 * -EINVAL for a refused name or an empty file, -EFBIG above 64 MiB,
 * -ENOMEM, -EIO. The first directory that has the file decides. */
int host_firmware_read(const char *name, void **data, dh_size *size);

/* ---- randomness ----------------------------------------------------------- */

/* Seed for the kernel world's deterministic random numbers and scheduling. */
dh_u64 host_seed(void);

/* ---- kernel world entry points (kworld_*) -------------------------------- */

/* Boots the kernel world: scheduler, memory, module parameters from cmdline
 * ("name=value ..."), then every initcall in link order. */
int kworld_boot(const char *cmdline);
/* Runs fn(arg) as a new kernel task named name and returns its result once
 * it has finished and no other task is runnable. */
long kworld_run(long (*fn)(void *), void *arg, const char *name);
/* Off (the default): a call that can never finish because every task
 * sleeps and no timer is pending is a deadlock failure. On: if the call's
 * task sleeps interruptibly, it is sent a signal instead, as a user would
 * interrupt a blocked process; for fuzzing, where programs may wait on
 * what never comes. Uninterruptible sleeps still fail. */
void kworld_set_client_signals(int on);
/* Who the calls run as from now on: each kworld_run task (every client
 * call: kworld_open, kworld_ioctl, kworld_read …) gets pid (current->pid,
 * what task_pid_vnr(current) and GET_CLIENT report: the calling thread),
 * tgid (its process, what drm_file records as its opener), the uid and
 * gid of its credentials and comm (drm's debug messages name it), until
 * the next call of this; NULL goes back to the default (pids the kernel
 * numbers, root, the call's name). Capabilities stay root's. For a shim
 * the caller's own getpid()/gettid()/getuid(); for a server, its peer's
 * credentials, set before each client's call. */
struct kworld_identity {
	int pid, tgid;
	dh_u32 uid, gid;
	char comm[16];
};
void kworld_set_identity(const struct kworld_identity *id);
/* Client process tgid exits, as exit_mm() runs: its mappings go and its
 * address space loses its last user, so what keyed itself by it tears
 * down (amdkfd's process: queues, GPU memory, events, VMID, PASID). Its
 * open files stay open (close them after, as exit_files() would). The
 * next call under tgid starts a new process. tgid 0: the process of calls
 * made with no identity set. 0, or -ESRCH. */
long kworld_client_exit(int tgid);
/* Runs module exit calls in reverse order and frees what boot allocated. */
void kworld_shutdown(void);
/* The kernel world's clock. KWORLD_CLOCK_VIRTUAL, the default: a counter
 * that moves only when every task sleeps (to the next timer) or code
 * busy-waits, so runs are reproducible (tests, fuzzing, replay).
 * KWORLD_CLOCK_HOST: monotonic time is the host's CLOCK_MONOTONIC
 * (ktime_get(), jiffies, event timestamps: what a program's own
 * clock_gettime(CLOCK_MONOTONIC) compares them with), and waiting for a
 * timer waits that long. Best set before kworld_boot; virtual to host is
 * allowed later (time jumps forward), host to virtual is -EINVAL. */
#define KWORLD_CLOCK_VIRTUAL 0
#define KWORLD_CLOCK_HOST 1
int kworld_set_clock(int mode);
/* Virtual (or host) time since boot, in ns. */
dh_u64 kworld_now_ns(void);
/* Advances virtual time by ns, firing due timers. */
void kworld_advance_ns(dh_u64 ns);
/* Number of failures (WARN, BUG, trap, atomic-sleep) reported so far. */
unsigned long kworld_failures(void);
/* How many of those were WARNs. */
unsigned long kworld_warnings(void);

/* KUnit: runs (or, with list_only, lists) the suites matching glob, printing
 * KTAP on the console; counts go to res. skip (may be NULL) names cases
 * "suite.case,suite.case" reported as skipped instead of run. Returns 0 or a
 * negative errno. */
struct kworld_kunit_result {
	unsigned long suites, suites_failed;
	unsigned long cases_passed, cases_failed, cases_skipped;
};
int kworld_kunit(const char *glob, const char *skip, int list_only,
		 struct kworld_kunit_result *res);

/* Runs the in-kernel selftest named name (e.g. "dma_fence" of
 * drivers/dma-buf/selftest.c): enables it through its module parameter and
 * calls the test modules' init. Returns the selftest's result. */
int kworld_selftest(const char *name);

/* Clients: what a process does through a device node. Handles are numbers
 * in the kernel world's fd table (PRIME and sync_file fds live there too).
 * Each call runs as its own kernel task; results are as the system call
 * would return them (>= 0, or a negative errno). */
long kworld_open(unsigned int major, unsigned int minor, int flags);
/* The major number of the character devices registered under name
 * (register_chrdev()'s or alloc_chrdev_region()'s: "kfd" for /dev/kfd's
 * dynamic major), as /proc/devices lists them: > 0, or -ENODEV if none
 * is. No kernel task runs. */
long kworld_chrdev_major(const char *name);
long kworld_ioctl(long fd, unsigned int cmd, unsigned long arg);
long kworld_read(long fd, void *buf, dh_size len);
/* fcntl(2) of the file itself, as fs/fcntl.c does it: F_GETFL returns
 * its f_flags (O_ACCMODE, O_NONBLOCK …), F_SETFL sets the flags setfl()
 * may change (O_NONBLOCK, O_APPEND, FASYNC …). cmd values are Linux's
 * (F_GETFL 3, F_SETFL 4); other commands are -EINVAL (descriptor flags
 * such as FD_CLOEXEC belong to the caller's own fd table). */
long kworld_fcntl(long fd, unsigned int cmd, unsigned long arg);
/* /proc/PID/fdinfo/N of the file, as fs/proc/fd.c writes it: "pos:",
 * "flags:" (its f_flags, or'ed with fd_flags: O_CLOEXEC when the caller's
 * descriptor has it), "mnt_id:" (mnt_id, the caller's mount of /dev),
 * "ino:", then what the file's show_fdinfo prints (drm_show_fdinfo()'s
 * drm-driver, drm-client-id … for drivers whose fops name it). Fills buf
 * (not NUL-terminated): the length, -ENOSPC if it does not fit. */
long kworld_fdinfo(long fd, int fd_flags, int mnt_id, char *buf, dh_size len);
/* The file's poll mask now (POLLIN …), without waiting. */
long kworld_poll(long fd);
long kworld_close(long fd);
/* Closes every open descriptor, as a process exit would: what its clients
 * held (handles, framebuffers, master, leases) is released. Returns how
 * many were open. */
long kworld_close_all(void);

/* mmap(2) of a client file: the driver's own f_op->mmap decides what the
 * range maps; pages are faulted in through its vm_ops. With MAP_FIXED in
 * flags, *addr is where (page-aligned). Returns 0 and sets *addr, or a
 * negative errno. */
long kworld_mmap(long fd, dh_size len, int prot, int flags, dh_u64 offset, void **addr);
long kworld_munmap(void *addr, dh_size len);
/* The host's fault handler: a client touched addr in a kernel-managed
 * mapping that is not populated. 0 if it is now mapped, else negative. */
long kworld_fault(unsigned long addr, int write);

/* The in-kernel console: lights framebuffer 0 through its fbdev ops (mode,
 * console palette, unblank) and paints the screen in palette colour
 * background with a bar in colour bar (VGA palette indexes: 1 blue
 * 0x0000aa, 7 light grey 0xaaaaaa), as fbcon's takeover would. Returns 0
 * and the console size, or -errno. */
int kworld_console_light(dh_u32 background, dh_u32 bar, dh_u32 *width, dh_u32 *height);

/* The hosted kernel's uname fields (init_uts_ns): "Linux", "6.12.117",
 * "#1 Tue ...", the machine. No kernel task runs; callable once booted. */
struct kworld_utsname {
	char sysname[65], release[65], version[65], machine[65];
};
void kworld_uname(struct kworld_utsname *u);

/* The PCI devices the kernel enumerated, with the bound driver's name
 * ("" if none). Fills up to max entries; returns how many there are. */
struct kworld_pci_dev {
	unsigned int bus, devfn;
	unsigned int vendor, device, subsystem_vendor, subsystem_device;
	unsigned int revision, class_code;
	char driver[32];
};
int kworld_pci_devices(struct kworld_pci_dev *out, int max);
/* The device-tree path of DRM minor (226:minor) as sysfs shows it under
 * /sys, e.g. "/devices/pci0000:00/0000:00:02.0/virtio0/drm/card1":
 * 0, or -ENODEV if there is no such minor. */
int kworld_drm_minor_path(unsigned int minor, char *buf, dh_size len);
/* The name of the DRM driver behind minor ("virtio_gpu"); as above. */
int kworld_drm_minor_driver(unsigned int minor, char *buf, dh_size len);
/* The oldest uevent not yet taken (what udev would receive: "ACTION=change",
 * "DEVPATH=/devices/…/drm/card0", "HOTPLUG=1" …, NUL-separated) into buf:
 * its length, 0 if none waits, -ENOSPC if it does not fit. The kernel
 * keeps the last 64. */
int kworld_uevent_pop(char *buf, dh_size len);
/* What /sys/.../uevent shows for char device major:minor's class device
 * (drm 226:N, graphics 29:N, kfd's …) or its up-th parent device (1: the card's
 * PCI function or virtioN, ...): uevent_show() of drivers/base/core.c, one
 * "KEY=value\n" a line (MAJOR=226, MINOR=0, DEVNAME=dri/card0,
 * DEVTYPE=drm_minor; DRIVER=bochs-drm, PCI_ID=1234:1111 ...), into env;
 * the device's kobject path ("/devices/pci0000:00/0000:00:02.0") into
 * path. Returns the text's length (0: a device without keys), -ENODEV if
 * there is no such device or ancestor, -ENOSPC/-ENAMETOOLONG if it does not fit. */
long kworld_dev_uevent(unsigned int major, unsigned int minor, unsigned int up,
		       char *path, dh_size plen, char *env, dh_size elen);
/* The attribute files the kernel registered (sysfs_create_file(),
 * sysfs_create_group() …: a registry, as CONFIG_SYSFS is off) whose paths
 * start with prefix ("/devices/virtual/kfd/kfd/topology/"): each path as
 * /sys shows it, less "/sys" (kobject path, a named group's directory,
 * the attribute's name), NUL-terminated, one after another, into buf.
 * Returns the bytes used (0: none), -ENOSPC if they do not fit. */
long kworld_sysfs_list(const char *prefix, char *buf, dh_size len);
/* What reading the attribute file at path (as listed) shows: the show()
 * of its kobject's ktype's sysfs_ops, at most a page, into buf (not
 * NUL-terminated). The length, -ENOENT if no file has that path, -EIO if
 * it has no show(), -ENOSPC if it does not fit, or show()'s error. */
long kworld_sysfs_read(const char *path, char *buf, dh_size len);
/* Framebuffer fbN (/dev/fbN, 29:N) the fbdev core registered (DRM's fbdev
 * emulation registers fb0 for the first card), from its fb_info: what
 * fbsysfs.c's attributes show and its class device's kobject path
 * ("/devices/pci0000:00/0000:00:02.0/graphics/fb0"). 0, or -ENODEV if fbN
 * is not registered. */
struct kworld_fb {
	char id[16];			/* fix.id ("name") */
	char path[256];
	unsigned int xres, yres, xres_virtual, yres_virtual, bits_per_pixel;
	unsigned int line_length;	/* fix.line_length ("stride") */
	unsigned long smem_len;
};
int kworld_fb_info(unsigned int index, struct kworld_fb *out);
/* Unbinds (bind 0) or binds (1) the driver of bus-0 device devfn, as
 * writing to sysfs unbind/bind would. 0 or a negative errno. */
int kworld_pci_bind(unsigned int devfn, int bind);
/* Hot removal of bus-0 device devfn as pciehp handles it, with clients
 * keeping their open files (the driver's unplug handling answers them).
 * surprise 1: the card is pulled; the device leaves the machine first
 * (host_pci_hot_unplug), then the PCI core marks it disconnected and
 * removes it (pci_stop_and_remove_bus_device: the driver's .remove runs
 * against a device that is gone, the pci_dev goes away). surprise 0: the
 * attention button (QEMU's device_del): the same removal while the device
 * is present, then its slot is powered off. 0 or -ENODEV. */
int kworld_pci_hot_unplug(unsigned int devfn, int surprise);
/* Rescans bus 0 as pciehp does for a card inserted (or sysfs "rescan"):
 * devices plugged into the machine since are added and drivers bound to
 * them. 0 or a negative errno. */
int kworld_pci_rescan(void);

/* `drmsim match-table`: the device id tables, as compiled, of the driver
 * bound to bus-0 function devfn and of the drivers bound to its children
 * (virtio-pci's virtio device). A table's entries are ents[first ..
 * first + n); bus is "pci" or "virtio"; module is the module name modpost
 * would use (KBUILD_MODNAME). Virtio entries use device and vendor only.
 * Returns how many tables there are (filling up to max_tables), or
 * -ENODEV if no driver is bound to devfn, -ENOSPC if they do not fit. */
struct kworld_id_entry {
	dh_u32 vendor, device, subvendor, subdevice, class_code, class_mask;
	dh_u32 override_only;
	dh_u64 driver_data;
};
struct kworld_id_table {
	char bus[16], driver[32], module[32];
	int first, n;
};
int kworld_pci_id_tables(unsigned int devfn, struct kworld_id_table *tables, int max_tables,
			 struct kworld_id_entry *ents, int max_ents);

/* Allocation-failure injection (boot parameters failslab=, fail_page_alloc=,
 * fail_alloc_nth=N, fail_alloc_site=FUNC; linuxkpi_user/kernel/lkpi/fault.c):
 * the injectable allocations made so far and the failures injected. */
struct kworld_fault_stats {
	dh_u64 points, injected;
};
void kworld_fault_stats(struct kworld_fault_stats *st);
/* The same parameters at run time: kworld_fault_config("failslab",
 * "1,100,0,2"), ("fail_alloc_nth", "0") turns that off, ("fail_alloc_site",
 * "") likewise. Resets the parameter's call count. 0 or -EINVAL. */
int kworld_fault_config(const char *param, const char *value);

/* What the kernel world holds now, for leak checks around unbind/unload. */
struct kworld_mem_stats {
	long slab_objects;	/* live kmalloc/kmem_cache objects */
	long vmalloc_areas;	/* vmalloc and vmap areas */
	long frames;		/* arena page frames in use */
};
void kworld_mem_stats(struct kworld_mem_stats *st);

/* Symbol accounting for `drmsim symbols`: one entry per (group, symbol). */
enum kworld_sym_class { KWORLD_SYM_REAL, KWORLD_SYM_NOOP, KWORLD_SYM_TRAP };
struct kworld_sym {
	const char *group;
	const char *name;
	int cls;		/* enum kworld_sym_class */
	const char *why;	/* reason, for no-ops */
};
/* The table and its length. */
const struct kworld_sym *kworld_symbols(unsigned long *count);

/* Fault injection for testing the fuzzing pipeline (harness/kworld/
 * fuzz_hooks.c): kind 1 WARNs, 2 overflows a kmalloc buffer (a sanitizer
 * finding), 3 calls a trapped symbol, from a kernel task. Returns 0, or
 * -EINVAL for another kind. */
int kworld_fuzz_inject(int kind);
#endif /* DRMSIM_ABI_H */
