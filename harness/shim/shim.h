/*
 * The LD_PRELOAD shim (libdrmsim-shim.so): makes the hosted card look like
 * a real DRM device to an unmodified program. Files: sim_thread.c (the one
 * thread the kernel world runs on), intercept.c (the libc entry points),
 * fds.c (program fds backed by kernel-world handles), sysfs.c (the /dev/dri
 * and /sys tree libdrm and libudev read, generated from the machine),
 * udev.c (its udev database entries), fbdev.c (/dev/fbN and their sysfs).
 */
#ifndef DRMSIM_SHIM_H
#define DRMSIM_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* sim_thread.c */
int sim_start(void);
int sim_is_current(void);
long sim_call(long (*fn)(void *), void *arg);
/* In a fork()ed child of a private machine: every call fails with -EIO
 * (the machine is the parent's; a running machine is shared instead). */
void sim_orphan(void);

/* Runs on the simulation thread: machine, boot, console, sysfs tree. */
int shim_boot(void);
/* After every call: make each open file's eventfd readable iff the kernel
 * world has an event queued for it. */
void shim_refresh_readiness(void);
/* boot.c: an ioctl request succeeded; snapshot the display if it changed
 * what is shown. */
void shim_note_ioctl(unsigned long req);

/* record.c: DRMSIM_RECORD=FILE writes every device call (simulation thread). */
void record_open_file(void);
void record_open(int file, int minor, int flags, long result);
void record_close(int file, long result);
void record_ioctl_before(int file, unsigned long req, const void *arg);
void record_ioctl_after(unsigned long req, const void *arg, long result);

/* fds.c: program fds that stand for kernel-world files. */
struct shim_file {
	long handle;		/* kworld fd */
	int major, minor;	/* 226:minor (DRM), 29:minor (fbdev), kfd's:0
				 * (/dev/kfd); minor -1: a dma-buf (attached
				 * mode) */
	int refs;		/* dup()s of the same open file */
	int index;		/* order of the open, for recordings */
};
struct shim_file *fds_get(int fd);
int fds_install(int fd, struct shim_file *f);
void fds_forget(int fd);	/* returns nothing; drops the handle on last ref */
int fds_for_each(int (*fn)(int fd, struct shim_file *f, void *arg), void *arg);

/* fds.c: sets fd's eventfd readable or not if it still stands for the
 * file handle (a remote machine's readiness report). */
void fds_set_ready(int fd, long handle, int readable);

/* backend.c: where card calls go, the private machine (sim_call) or an
 * attached one (remote.c). Results as the system call's: >= 0 or -errno. */
struct kworld_pci_dev;
long be_open(int major, int minor, int flags, int progfd, int *index);
/* fd's descriptor closes; last: it was the process's last one of f. */
long be_close(int progfd, struct shim_file *f, int last);
long be_dup(int oldfd, int newfd);
long be_fcntl(int fd, struct shim_file *f, int cmd, long arg);
long be_ioctl(int fd, struct shim_file *f, unsigned long req, void *arg);
long be_read(int fd, struct shim_file *f, void *buf, size_t len);
long be_mmap(int fd, struct shim_file *f, size_t len, int prot, int flags, off_t off, void **addr);
/* 0 if addr was a card mapping (now gone), else negative. */
long be_munmap(void *addr, size_t len);
long be_fault(unsigned long addr, int write);
/* A client access to a register page of the private machine. */
uint64_t be_mmio_read(uint64_t phys, int size);
void be_mmio_write(uint64_t phys, int size, uint64_t val);
long be_fdinfo(int fd, struct shim_file *f, int fd_flags, int mnt_id, char *buf, size_t len);
/* The machine's devices (kworld_pci_devices() …), for sysfs.c. */
int be_pci_devices(struct kworld_pci_dev *out, int max);
unsigned int be_pci_cfg_read(unsigned int devfn, unsigned int where);
int be_drm_minor_path(unsigned int minor, char *buf, size_t len);
int be_drm_minor_driver(unsigned int minor, char *buf, size_t len);
/* kworld_dev_uevent() of the machine, local or attached. */
long be_dev_uevent(unsigned int major, unsigned int minor, unsigned int up, char *path,
		   size_t plen, char *env, size_t elen);

/* remote.c: attached to a running machine (DRMSIM_MACHINE). */
int remote_attached(void);
/* Connects to machine name, adopts what this process held before an
 * exec, builds the sysfs tree. 0, or -1 with a message. */
int remote_attach(const char *name);
/* fork() with the child attached on its own (the same open files). */
pid_t remote_fork(pid_t (*real_fork)(void));
long remote_open(int major, int minor, int flags, int progfd);
struct kworld_fb;
int remote_fb_info(unsigned int index, struct kworld_fb *out);
/* kworld_fb_info() of the machine, local or attached. */
int be_fb_info(unsigned int index, struct kworld_fb *out);
/* kworld_chrdev_major(), kworld_sysfs_list(), kworld_sysfs_read() of the
 * private machine; -ENODEV attached (the protocol has no such calls). */
long be_chrdev_major(const char *name);
long be_sysfs_list(const char *prefix, char *buf, size_t len);
long be_sysfs_read(const char *path, char *buf, size_t len);
long remote_close(int progfd);
long remote_dup(int oldfd, int newfd);
long remote_ioctl(int progfd, unsigned long req, void *arg);
long remote_fcntl(int progfd, int cmd, long arg);
long remote_read(int progfd, void *buf, size_t len);
long remote_fdinfo(int progfd, int fd_flags, int mnt_id, char *buf, size_t len);
long remote_adopt_lessee(long kfd, int progfd, int minor);
long remote_dev_uevent(unsigned int major, unsigned int minor, unsigned int up, char *path,
		       size_t plen, char *env, size_t elen);
long remote_mmap(int progfd, size_t len, int prot, int flags, off_t off, void **addr);
/* 0 if it was ours, 1 if not, else -errno. */
int remote_munmap(void *addr, size_t len);
long remote_fault(unsigned long addr, int write);
uint64_t remote_mmio_read(uint64_t phys, int size);
void remote_mmio_write(uint64_t phys, int size, uint64_t val);
const struct mproto_sysinfo *remote_sysinfo(void);
/* fd is a dma-buf placeholder another process sent us (SCM_RIGHTS): now
 * ours, or NULL if it is none. */
struct shim_file *remote_adopt(int fd);
/* DRM_IOCTL_PRIME_HANDLE_TO_FD / _FD_TO_HANDLE on card fd fd, with
 * program fds for dma-bufs in arg. */
long remote_prime(int fd, unsigned long req, void *arg);

/* sysfs.c: the generated tree and path rewriting. */
int sysfs_build(void);
/* Removes the tree again (at exit). */
void sysfs_remove(void);
/* Whether path is under /dev/dri or /sys/dev/char/226:* (no boot needed). */
int sysfs_path_is_ours(const char *path);
/* If path is one of ours (/dev/dri/..., /sys/dev/char/226:N...), writes the
 * path to use into buf and returns buf; else returns path unchanged. */
const char *sysfs_rewrite(const char *path, char *buf, size_t len);
/* For /dev/dri/cardN and renderDN: the minor, else -1. */
int sysfs_dri_minor(const char *path);
/* For /dev/kfd: its major (minor 0) if the machine has amdkfd, else -1. */
int sysfs_kfd_major(const char *path);
/* Also the listings the tree serves for directories that stay the host's
 * (/sys/class, /dev: their entries and ours); for opendir and scandir. */
const char *sysfs_rewrite_listing(const char *path, char *buf, size_t len);
/* path relative to directory fd dirfd (openat(), fstatat() …): where it
 * lives in the tree if dirfd is a host directory under /sys, /run or
 * /dev and dirfd/path is ours (libudev resolves /sys paths one component
 * at a time from "/"); else path. */
const char *sysfs_rewrite_at(int dirfd, const char *path, char *buf, size_t len);
/* A path realpath() resolved inside the tree, back to the one the program
 * knows (/sys/devices/…), in place. */
const char *sysfs_unrewrite(char *path);
/* Whether fd is open on a file in the tree's /sys (its sysfs). */
int sysfs_fd_is_ours(int fd);
/* The generated tree's directory. */
const char *sysfs_root(void);
/* Char device major:minor of class cls and its ancestors, from the
 * kernel's uevent text of each (kworld_dev_uevent); its syspath. */
int sysfs_add_char_device(unsigned int major, unsigned int minor, const char *cls,
			  char *out, size_t outlen);

/* udev.c: /run/udev/data/cMAJ:MIN of a device at syspath. */
int udev_add_record(unsigned int major, unsigned int minor, const char *syspath);

/* fbdev.c: /dev/fbN and /sys/class/graphics/fbN. */
/* N for /dev/fbN, else -1. */
int fbdev_node_index(const char *path);
int fbdev_build(void);
/* Rewrites fbN's attributes from its fb_info (after an ioctl may have
 * changed the mode). Simulation thread. */
int fbdev_refresh(int index);

/* signals.c: puts the shim's SIGSEGV/SIGBUS handler in place for good
 * (before the first card mapping); the program's own become its
 * forwarding targets. */
void signals_install(void);

/* procfs.c: /proc/self/fd/N and /proc/self/fdinfo/N of card fds. */
enum { PROCFS_FD = 1, PROCFS_FDINFO };
/* PROCFS_FD or PROCFS_FDINFO and *fd if path is /proc/{self,thread-self,
 * our pid}/{fd,fdinfo}/N for a card fd N; else 0. */
int procfs_card_fd(const char *path, int *fd);
int procfs_path_is_ours(const char *path);
/* What the link names: "/dev/dri/card0", "/dev/dri/renderD128". */
const char *procfs_link_target(const struct shim_file *f, char *buf, size_t len);
/* A read-only fd on the kernel's fdinfo text for card fd fd; -1, errno. */
int procfs_fdinfo_open(int fd, const struct shim_file *f, int flags);

#endif
