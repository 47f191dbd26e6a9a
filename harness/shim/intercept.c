/*
 * The libc entry points the shim intercepts (after Mesa's src/drm-shim):
 * one list of real functions looked up with dlsym(RTLD_NEXT), then one
 * intercept each, which passes through untouched whenever the fd or path
 * is not ours. Ours: the /dev/dri and /dev/fbN nodes (served by the hosted
 * kernel), the sysfs, udev database and /dev listings libdrm and libudev
 * read (a generated tree, see sysfs.c, udev.c, fbdev.c), and
 * the program fds that stand for kernel-world files (fds.c).
 *
 * Intercepted here:
 *   opening     open open64 __open_2 __open64_2 openat openat64 openat2
 *               fopen fopen64
 *   the fd      close dup dup2 dup3 fcntl fcntl64 (F_GETFL/F_SETFL reach
 *               the kernel's struct file)
 *   the device  ioctl (FIONBIO, FIOASYNC to the kernel's file; FIOCLEX,
 *               FIONCLEX to the fd) read mmap mmap64 munmap
 *   stat        stat stat64 lstat lstat64 fstat fstat64 fstatat fstatat64
 *               statx __xstat __xstat64 __lxstat __lxstat64 __fxstat
 *               __fxstat64 __fxstatat __fxstatat64 (fstatat and statx with
 *               AT_EMPTY_PATH on a card fd)
 *   listings    opendir scandir scandir64 glob glob64 readlink readlinkat
 *               realpath __realpath_chk access faccessat (and /sys/class
 *               and /dev listed with our entries added: opendir, scandir)
 *   walks       openat openat64 openat2 fstatat fstatat64 __fxstatat
 *               __fxstatat64 statx readlinkat faccessat with a directory
 *               fd of the host's /sys, /run or /dev and a name in it that
 *               is ours (libudev's chase_symlinks() resolves /sys paths a
 *               component at a time)
 *   statfs      fstatfs fstatfs64 statfs statfs64: the tree's /sys is
 *               sysfs (SYSFS_MAGIC; libudev refuses devices elsewhere)
 *   fbdev       /dev/fbN: open (the kernel's 29:N), stat, access; its
 *               ioctls, mmap and read as for a card fd
 *   kfd         /dev/kfd: the same (amdkfd's dynamic major, minor 0), and
 *               its topology under /sys/class/kfd/kfd (libhsakmt)
 *   /proc       /proc/{self,thread-self,PID}/fd/N of a card fd: readlink,
 *               realpath, stat and open (a new open of the device) as for
 *               its node; …/fdinfo/N: open and fopen give the kernel's text
 *   the kernel  uname
 *   signals     sigaction signal bsd_signal sysv_signal __sysv_signal for
 *               SIGSEGV and SIGBUS (signals.c: card mappings fault in first)
 *   processes   fork (attached to a running machine: the child attaches
 *               too, with the parent's open files; remote.c)
 *
 * Every card call goes through backend.c: the private machine booted in
 * this process, or (DRMSIM_MACHINE=NAME) a running machine's server.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <glob.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <drm.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "kfd_uapi.h"
#include "shim.h"

#define PUBLIC __attribute__((visibility("default")))

/* openat2(2)'s argument (linux/openat2.h); glibc 2.36 has no wrapper. */
struct open_how {
	uint64_t flags, mode, resolve;
};

#define REAL_FUNCS(X)								\
	X(int, open, (const char *, int, ...))					\
	X(int, open64, (const char *, int, ...))				\
	X(int, openat, (int, const char *, int, ...))				\
	X(int, openat64, (int, const char *, int, ...))				\
	X(int, close, (int))							\
	X(int, ioctl, (int, unsigned long, ...))				\
	X(ssize_t, read, (int, void *, size_t))					\
	X(void *, mmap, (void *, size_t, int, int, int, off_t))			\
	X(void *, mmap64, (void *, size_t, int, int, int, off64_t))		\
	X(int, munmap, (void *, size_t))					\
	X(int, fstat, (int, struct stat *))					\
	X(int, fstat64, (int, struct stat64 *))					\
	X(int, stat, (const char *, struct stat *))				\
	X(int, stat64, (const char *, struct stat64 *))				\
	X(int, lstat, (const char *, struct stat *))				\
	X(int, lstat64, (const char *, struct stat64 *))			\
	X(int, fstatat, (int, const char *, struct stat *, int))		\
	X(int, fstatat64, (int, const char *, struct stat64 *, int))		\
	X(int, __fxstat, (int, int, struct stat *))				\
	X(int, __fxstat64, (int, int, struct stat64 *))				\
	X(int, __xstat, (int, const char *, struct stat *))			\
	X(int, __xstat64, (int, const char *, struct stat64 *))			\
	X(int, dup, (int))							\
	X(int, dup2, (int, int))						\
	X(int, dup3, (int, int, int))						\
	X(int, fcntl, (int, int, ...))						\
	X(int, fcntl64, (int, int, ...))					\
	X(DIR *, opendir, (const char *))					\
	X(ssize_t, readlink, (const char *, char *, size_t))			\
	X(ssize_t, readlinkat, (int, const char *, char *, size_t))		\
	X(char *, realpath, (const char *, char *))				\
	X(int, access, (const char *, int))					\
	X(FILE *, fopen, (const char *, const char *))				\
	X(FILE *, fopen64, (const char *, const char *))			\
	X(int, statx, (int, const char *, int, unsigned int, struct statx *))	\
	X(int, glob, (const char *, int, int (*)(const char *, int), glob_t *))	\
	X(int, glob64, (const char *, int, int (*)(const char *, int), glob64_t *)) \
	X(int, scandir, (const char *, struct dirent ***,			\
			 int (*)(const struct dirent *),			\
			 int (*)(const struct dirent **, const struct dirent **)))	\
	X(int, scandir64, (const char *, struct dirent64 ***,			\
			   int (*)(const struct dirent64 *),			\
			   int (*)(const struct dirent64 **, const struct dirent64 **))) \
	X(int, openat2, (int, const char *, struct open_how *, size_t))		\
	X(int, __lxstat, (int, const char *, struct stat *))			\
	X(int, __lxstat64, (int, const char *, struct stat64 *))		\
	X(int, __fxstatat, (int, int, const char *, struct stat *, int))	\
	X(int, __fxstatat64, (int, int, const char *, struct stat64 *, int))	\
	X(int, faccessat, (int, const char *, int, int))			\
	X(int, fstatfs, (int, struct statfs *))					\
	X(int, fstatfs64, (int, struct statfs64 *))				\
	X(int, statfs, (const char *, struct statfs *))				\
	X(int, statfs64, (const char *, struct statfs64 *))			\
	X(int, uname, (struct utsname *))					\
	X(pid_t, fork, (void))

/* Each real function is looked up on first use, not in a constructor: a
 * library's own constructor may call fopen() or open() before ours ran
 * (libnuma's does). dlsym() is idempotent, so two threads racing on the
 * first call store the same pointer. */
#define DECLARE_REAL(ret, name, args)						\
	static ret(*real_##name##_ptr) args;					\
	static inline ret(*real_##name##_get(void)) args			\
	{									\
		ret(*f) args = __atomic_load_n(&real_##name##_ptr, __ATOMIC_ACQUIRE); \
		if (!f) {							\
			f = (ret(*) args)dlsym(RTLD_NEXT, #name);		\
			__atomic_store_n(&real_##name##_ptr, f, __ATOMIC_RELEASE); \
		}								\
		return f;							\
	}
REAL_FUNCS(DECLARE_REAL)
#define REAL(name) (real_##name##_get())

/* Older libcs lack some (__xstat is gone from new ones): a missing one
 * fails its call with ENOSYS instead of crashing. */
#define CALL_REAL(name, fail, ...)						\
	(REAL(name) ? REAL(name)(__VA_ARGS__) : (errno = ENOSYS, fail))

extern long (*host_fault_resolver)(unsigned long addr, int write);

/* Set once the machine has booted: fds and paths can be ours only then. */
static int ready;
static pthread_once_t boot_once = PTHREAD_ONCE_INIT;
/* This thread is attaching (building the tree from the machine's answers):
 * its own calls are the host's, as the simulation thread's are. */
static __thread int attaching;

static void boot_machine(void)
{
	const char *machine = getenv("DRMSIM_MACHINE");

	/* Clients fault on their own threads; the kernel world's fault path
	 * runs on the simulation thread (or in the machine's server). */
	host_fault_resolver = be_fault;
	host_vm_mmio_read = be_mmio_read;
	host_vm_mmio_write = be_mmio_write;
	signals_install();
	if (machine && *machine) {
		attaching = 1;
		if (remote_attach(machine))
			exit(1);
		attaching = 0;
	} else if (sim_start()) {
		fprintf(stderr, "drmsim-shim: the simulated machine failed to boot\n");
		exit(1);
	}
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
}

/* Boots the machine on first need: from our constructor, or earlier when
 * another library's constructor already asks for one of our paths. The
 * simulation thread itself (booting) never waits for it. */
static int shim_ready(void)
{
	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return 1;
	if (sim_is_current() || attaching)
		return 0;
	pthread_once(&boot_once, boot_machine);
	return 1;
}

/* A path the shim serves or rewrites: boots the machine if it is one. */
static int path_is_ours(const char *path)
{
	return path && (sysfs_path_is_ours(path) || procfs_path_is_ours(path)) && shim_ready();
}

__attribute__((constructor)) static void shim_init(void)
{
	/* One private machine per program: children (a shell, a helper)
	 * start without the shim rather than with a machine of their own.
	 * Attached to a running machine, children attach too. */
	if (!getenv("DRMSIM_MACHINE") || !*getenv("DRMSIM_MACHINE"))
		unsetenv("LD_PRELOAD");
	shim_ready();
}

/* path, or where it lives in the generated tree if it is one of ours. */
static const char *rewrite(const char *path, char *buf, size_t len)
{
	return path_is_ours(path) ? sysfs_rewrite(path, buf, len) : path;
}

/* The same for a directory's listing (opendir, scandir, glob). */
static const char *rewrite_listing(const char *path, char *buf, size_t len)
{
	return path_is_ours(path) ? sysfs_rewrite_listing(path, buf, len) : path;
}

/* The same for path relative to dirfd (a name in one of the host's
 * directories may be ours). */
static const char *rewrite_at(int dirfd, const char *path, char *buf, size_t len)
{
	if (!path || path[0] == '/' || dirfd == AT_FDCWD)
		return rewrite(path, buf, len);
	return __atomic_load_n(&ready, __ATOMIC_ACQUIRE) ? sysfs_rewrite_at(dirfd, path, buf, len)
							 : path;
}

/* The node of /dev/dri/cardN, renderDN (226:N), /dev/fbN (29:N) or
 * /dev/kfd (its dynamic major:0):
 * major << 16 | minor, else -1. With follow, also of /proc/self/fd/N for
 * a card fd N (the link names the node). */
#define NODE(major, minor) ((major) << 16 | (minor))
#define NODE_MAJOR(node) ((node) >> 16)
#define NODE_MINOR(node) ((node) & 0xffff)
static int node_minor(const char *path, int follow)
{
	int fd, n;

	if (!path_is_ours(path))
		return -1;
	if (follow && procfs_card_fd(path, &fd) == PROCFS_FD) {
		struct shim_file *f = fds_get(fd);

		return f ? NODE(f->major, f->minor) : -1;
	}
	if ((n = fbdev_node_index(path)) >= 0)
		return NODE(29, n);
	if ((n = sysfs_kfd_major(path)) > 0)
		return NODE(n, 0);
	n = sysfs_dri_minor(path);
	return n >= 0 ? NODE(226, n) : -1;
}

static int dri_minor(const char *path)
{
	return node_minor(path, 1);
}

/* ---- opening the device ------------------------------------------------------ */

/* Intercepts open of /dev/dri/cardN, renderDN, /dev/fbN and /dev/kfd (node): a
 * real eventfd stands for the kernel-world file. */
static int open_dri(int node, int flags)
{
	struct shim_file *f = calloc(1, sizeof(*f));
	int fd = eventfd(0, EFD_NONBLOCK | (flags & O_CLOEXEC ? EFD_CLOEXEC : 0)), index = 0;
	long h;

	if (fd < 0 || !f) {
		free(f);
		if (fd >= 0)
			REAL(close)(fd);
		errno = ENOMEM;
		return -1;
	}
	h = be_open(NODE_MAJOR(node), NODE_MINOR(node), flags & (O_ACCMODE | O_NONBLOCK), fd,
		    &index);
	if (h < 0) {
		free(f);
		REAL(close)(fd);
		errno = (int)-h;
		return -1;
	}
	f->handle = h;
	f->major = NODE_MAJOR(node);
	f->minor = NODE_MINOR(node);
	f->index = index;
	fds_install(fd, f);
	if (!remote_attached())
		shim_refresh_readiness();
	return fd;
}

static int open_fdinfo(int fd, int flags)
{
	struct shim_file *f = fds_get(fd);

	if (!f) {
		errno = ENOENT;
		return -1;
	}
	return procfs_fdinfo_open(fd, f, flags);
}

static mode_t open_mode(int flags, va_list ap)
{
	return flags & (O_CREAT | O_TMPFILE) ? va_arg(ap, mode_t) : 0;
}

#define OPEN_BODY(real, ...)							\
	OPEN_BODY_AT(AT_FDCWD, real, __VA_ARGS__)
#define OPEN_BODY_AT(dirfd, real, ...)						\
	char buf[512];								\
	int minor = dri_minor(path), infofd;					\
	if (minor >= 0)								\
		return open_dri(minor, flags);					\
	if (path_is_ours(path) && procfs_card_fd(path, &infofd) == PROCFS_FDINFO) \
		return open_fdinfo(infofd, flags);				\
	path = rewrite_at(dirfd, path, buf, sizeof(buf));			\
	return real(__VA_ARGS__)

/* Intercepts open("/dev/dri/card0") (drmOpen*) and reads of the sysfs
 * files drmGetDevice2() looks at. */
PUBLIC int open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY(REAL(open), path, flags, mode);
}

PUBLIC int open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY(REAL(open64), path, flags, mode);
}

PUBLIC int __open_2(const char *path, int flags)
{
	OPEN_BODY(REAL(open), path, flags);
}

PUBLIC int __open64_2(const char *path, int flags)
{
	OPEN_BODY(REAL(open64), path, flags);
}

PUBLIC int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY_AT(dirfd, REAL(openat), dirfd, path, flags, mode);
}

PUBLIC int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	OPEN_BODY_AT(dirfd, REAL(openat64), dirfd, path, flags, mode);
}

/* openat2(): glibc 2.36 has no wrapper, so without a next one the system
 * call is made directly. how->resolve restrictions are not applied to
 * the device nodes (they are not on any real file system). */
PUBLIC int openat2(int dirfd, const char *path, struct open_how *how, size_t size)
{
	char buf[512];
	int minor = dri_minor(path);

	if (!how || size < sizeof(*how)) {
		errno = EINVAL;
		return -1;
	}
	if (minor >= 0)
		return open_dri(minor, (int)how->flags);
	path = rewrite_at(dirfd, path, buf, sizeof(buf));
	if (REAL(openat2))
		return REAL(openat2)(dirfd, path, how, size);
	return (int)syscall(SYS_openat2, dirfd, path, how, size);
}

/* Intercepts fopen of the sysfs files libdrm reads with stdio. */
/* fopen() of a device node or an fdinfo file of ours: open() it, then
 * a stream on the fd, with fopen()'s mode letters. NULL, errno ENOENT
 * if path is none of those (the caller then rewrites). */
static FILE *fopen_special(const char *path, const char *mode)
{
	int infofd, minor = dri_minor(path), flags, fd;
	int info = minor < 0 && path_is_ours(path) && procfs_card_fd(path, &infofd) == PROCFS_FDINFO;
	FILE *fp;

	if (minor < 0 && !info)
		return NULL;
	flags = strchr(mode, '+') ? O_RDWR : mode[0] == 'r' ? O_RDONLY : O_WRONLY;
	if (mode[0] == 'w')
		flags |= O_CREAT | O_TRUNC;
	if (mode[0] == 'a')
		flags |= O_CREAT | O_APPEND;
	if (strchr(mode, 'e'))
		flags |= O_CLOEXEC;
	fd = info ? open_fdinfo(infofd, flags) : open_dri(minor, flags);
	if (fd < 0)
		return NULL;
	fp = fdopen(fd, mode);
	if (!fp)
		close(fd);
	return fp;
}

PUBLIC FILE *fopen(const char *path, const char *mode)
{
	char buf[512];
	FILE *fp;

	if (path_is_ours(path) && (fp = fopen_special(path, mode)))
		return fp;
	return REAL(fopen)(rewrite(path, buf, sizeof(buf)), mode);
}

PUBLIC FILE *fopen64(const char *path, const char *mode)
{
	char buf[512];
	FILE *fp;

	if (path_is_ours(path) && (fp = fopen_special(path, mode)))
		return fp;
	return REAL(fopen64)(rewrite(path, buf, sizeof(buf)), mode);
}

/* ---- the fd's life ------------------------------------------------------------- */

PUBLIC int close(int fd)
{
	if (fds_get(fd))
		fds_forget(fd);
	return REAL(close)(fd);
}

static int dup_ours(int oldfd, int newfd)
{
	struct shim_file *f = fds_get(oldfd);

	if (f && newfd >= 0) {
		if (fds_get(newfd))
			fds_forget(newfd);
		fds_install(newfd, f);
		be_dup(oldfd, newfd);
	}
	return newfd;
}

/* Intercepts dup()s: Mesa duplicates the device fd, and every duplicate
 * must reach the same kernel file. */
PUBLIC int dup(int fd)
{
	return dup_ours(fd, REAL(dup)(fd));
}

PUBLIC int dup2(int fd, int fd2)
{
	if (fd != fd2 && fds_get(fd2))
		fds_forget(fd2);
	return dup_ours(fd, REAL(dup2)(fd, fd2));
}

PUBLIC int dup3(int fd, int fd2, int flags)
{
	if (fd != fd2 && fds_get(fd2))
		fds_forget(fd2);
	return dup_ours(fd, REAL(dup3)(fd, fd2, flags));
}

/* A file status flag (O_NONBLOCK …) belongs to the kernel's struct file:
 * F_GETFL and F_SETFL go there. The eventfd standing for it stays
 * non-blocking (the shim drains it) and is never told. Descriptor flags
 * (FD_CLOEXEC) are the eventfd's own, as they are the fd's on Linux. */
static long file_fcntl(int fd, struct shim_file *f, int cmd, long arg)
{
	long ret = be_fcntl(fd, f, cmd, arg);

	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

static int fcntl_common(int (*real)(int, int, ...), int fd, int cmd, va_list ap)
{
	long arg = va_arg(ap, long);
	struct shim_file *f = fds_get(fd);
	int ret;

	if (f && (cmd == F_GETFL || cmd == F_SETFL))
		return (int)file_fcntl(fd, f, cmd, arg);
	ret = real(fd, cmd, arg);
	if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && ret >= 0)
		dup_ours(fd, ret);
	return ret;
}

PUBLIC int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	int ret;

	va_start(ap, cmd);
	ret = fcntl_common(REAL(fcntl), fd, cmd, ap);
	va_end(ap);
	return ret;
}

PUBLIC int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	int ret;

	va_start(ap, cmd);
	ret = fcntl_common(REAL(fcntl64) ? REAL(fcntl64) : REAL(fcntl), fd, cmd, ap);
	va_end(ap);
	return ret;
}

/* ---- system calls on the device ------------------------------------------------ */

/* A result to errno. The kernel world sends its client task a signal
 * when it waits for what can never come (nothing runnable, no timer):
 * the wait unwinds with -ERESTARTSYS or -EINTR. No real signal ever
 * reaches the kernel world, so that is always the simulation's answer;
 * it becomes EDEADLK, not EINTR, which libdrm's drmIoctl() and read
 * loops would retry for ever. */
static int result_errno(long ret, const char *what)
{
	int e = (int)-ret;

	if (e == EINTR || (e >= 512 && e <= 516)) {
		fprintf(stderr, "drmsim-shim: %s would wait for ever (nothing can arrive): EDEADLK\n",
			what);
		e = EDEADLK;
	}
	return e;
}

static long adopt_lessee(struct shim_file *lessor, void *arg);

/* fd's file: a card's, a dma-buf's, or (attached) a dma-buf another
 * process sent us, adopted on first use. */
static struct shim_file *ours_or_adopted(int fd)
{
	struct shim_file *f = fds_get(fd);

	if (!f && fd >= 0 && remote_attached())
		f = remote_adopt(fd);
	return f;
}

/* AMDKFD_IOC_ACQUIRE_VM names a render node by the program's fd: kfd
 * looks the number up in the kernel world's table, where the file has
 * its handle. A copy of the arguments with that (or, for an fd not ours,
 * a number no file has: kfd's -EINVAL); NULL for other requests. */
static void *kfd_args(const struct shim_file *f, unsigned long req, void *arg,
		      struct kfd_ioctl_acquire_vm_args *copy)
{
	struct shim_file *drm;

	if (f->major == 226 || f->major == 29 || req != AMDKFD_IOC_ACQUIRE_VM)
		return NULL;
	if (!arg || host_copy_from_user(copy, arg, sizeof(*copy)))
		return NULL;
	drm = fds_get((int)copy->drm_fd);
	copy->drm_fd = drm && drm->major == 226 ? (uint32_t)drm->handle : UINT32_MAX;
	return copy;
}

/* Intercepts every DRM ioctl: the hosted driver's drm_ioctl() answers. */
PUBLIC int ioctl(int fd, unsigned long req, ...)
{
	struct shim_file *f = ours_or_adopted(fd);
	struct kfd_ioctl_acquire_vm_args kfd_copy;
	va_list ap;
	void *arg, *kfd_arg;
	long ret;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!f)
		return REAL(ioctl)(fd, req, arg);
	/* What the VFS answers before the driver sees the request
	 * (do_vfs_ioctl()): descriptor flags stay the eventfd's own, file
	 * flags go to the kernel's file. */
	if (req == FIOCLEX || req == FIONCLEX)
		return REAL(ioctl)(fd, req, arg);
	if (req == FIONBIO || req == FIOASYNC) {
		int on, bit = req == FIONBIO ? O_NONBLOCK : O_ASYNC;
		long fl;

		if (!arg || host_copy_from_user(&on, arg, sizeof(on))) {
			errno = EFAULT;
			return -1;
		}
		fl = file_fcntl(fd, f, F_GETFL, 0);
		if (fl < 0)
			return -1;
		return file_fcntl(fd, f, F_SETFL, on ? fl | bit : fl & ~bit) < 0 ? -1 : 0;
	}
	if (remote_attached() && f->minor >= 0 &&
	    (req == DRM_IOCTL_PRIME_HANDLE_TO_FD || req == DRM_IOCTL_PRIME_FD_TO_HANDLE))
		ret = remote_prime(fd, req, arg);
	else if ((kfd_arg = kfd_args(f, req, arg, &kfd_copy)))
		ret = be_ioctl(fd, f, req, kfd_arg);
	else
		ret = be_ioctl(fd, f, req, arg);
	if (ret == 0 && f->major == 226 && req == DRM_IOCTL_MODE_CREATE_LEASE)
		ret = adopt_lessee(f, arg);
	if (ret < 0) {
		errno = result_errno(ret, "ioctl");
		return -1;
	}
	return (int)ret;
}

/* CREATE_LEASE's lessee is a new DRM file whose fd the kernel world
 * numbered: the program gets an fd of its own standing for it, as for an
 * open of the node (the lessee's calls are not recorded: a replay cannot
 * open it); attached, the machine keeps it as that fd of ours, so it can
 * be passed to another process like a card fd. */
static long adopt_lessee(struct shim_file *lessor, void *arg)
{
	struct drm_mode_create_lease *l = arg;
	struct shim_file *f = calloc(1, sizeof(*f));
	int fd = eventfd(0, EFD_NONBLOCK | (l->flags & O_CLOEXEC ? EFD_CLOEXEC : 0));

	if (fd < 0 || !f) {
		free(f);
		if (fd >= 0)
			REAL(close)(fd);
		if (!remote_attached())
			be_close(-1, &(struct shim_file){ .handle = l->fd, .index = -1 }, 1);
		return -ENOMEM;
	}
	*f = (struct shim_file){ .handle = l->fd, .major = lessor->major, .minor = lessor->minor,
				 .index = -1 };
	if (remote_attached()) {
		long ret = remote_adopt_lessee(l->fd, fd, lessor->minor);

		if (ret < 0) {
			free(f);
			REAL(close)(fd);
			return ret;
		}
	}
	fds_install(fd, f);
	l->fd = (uint32_t)fd;
	if (!remote_attached())
		shim_refresh_readiness();
	return 0;
}

/* Intercepts read() of DRM events (page flip, vblank). */
PUBLIC ssize_t read(int fd, void *buf, size_t len)
{
	struct shim_file *f = fds_get(fd);
	long ret;

	if (!f)
		return REAL(read)(fd, buf, len);
	ret = be_read(fd, f, buf, len);
	if (ret < 0) {
		errno = result_errno(ret, "read");
		return -1;
	}
	return ret;
}

static void *mmap_ours(void *addr, int fd, struct shim_file *f, size_t len, int prot, int flags,
		       off_t off)
{
	long ret = be_mmap(fd, f, len, prot, flags, off, &addr);

	if (ret < 0) {
		errno = (int)-ret;
		return MAP_FAILED;
	}
	return addr;
}

/* Intercepts mmap of GEM objects: the result maps the very memory the
 * device scans out (arena or VRAM memfd pages). */
PUBLIC void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct shim_file *f = ours_or_adopted(fd);

	return f ? mmap_ours(addr, fd, f, len, prot, flags, off) : REAL(mmap)(addr, len, prot, flags, fd, off);
}

PUBLIC void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off64_t off)
{
	struct shim_file *f = ours_or_adopted(fd);

	return f ? mmap_ours(addr, fd, f, len, prot, flags, off)
		 : REAL(mmap64)(addr, len, prot, flags, fd, off);
}

PUBLIC int munmap(void *addr, size_t len)
{
	/* The kernel world knows its mappings; anything else is the real one.
	 * The simulation thread's own munmaps are the runtime's, never a
	 * client's. */
	if (ready && !sim_is_current() && be_munmap(addr, len) == 0)
		return 0;
	return REAL(munmap)(addr, len);
}

/* ---- readiness ------------------------------------------------------------------- */

static int refresh_one(int fd, struct shim_file *f, void *arg)
{
	uint64_t v;
	long mask = kworld_poll(f->handle);

	(void)arg;
	/* Drain, then signal again if an event is queued. */
	while (REAL(read)(fd, &v, sizeof(v)) == sizeof(v))
		;
	if (mask > 0 && (mask & POLLIN)) {
		v = 1;
		if (write(fd, &v, sizeof(v)) < 0)
			return 0;
	}
	return 0;
}

void shim_refresh_readiness(void)
{
	fds_for_each(refresh_one, NULL);
}

/* ---- stat and friends: /dev/dri nodes are character devices 226:N -------------- */

static int fill_stat_dri(int node, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	st->st_rdev = makedev(NODE_MAJOR(node), NODE_MINOR(node));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static int fill_stat64_dri(int node, struct stat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	st->st_rdev = makedev(NODE_MAJOR(node), NODE_MINOR(node));
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

/* A card fd's file (a dma-buf's placeholder is a memfd to stat). */
static struct shim_file *card_file(int fd)
{
	struct shim_file *f = fds_get(fd);

	return f && f->minor >= 0 ? f : NULL;
}

/* Intercepts stat of /dev/dri/cardN (drmOpenDevice checks the type and
 * numbers) and of the generated tree. */
#define STAT_PATH(real, fill, path, st, ...)					\
	STAT_PATH_FOLLOW(1, real, fill, path, st, __VA_ARGS__)
#define STAT_PATH_FOLLOW(follow, real, fill, path, st, ...)			\
	STAT_PATH_AT(AT_FDCWD, follow, real, fill, path, st, __VA_ARGS__)
#define STAT_PATH_AT(dirfd, follow, real, fill, path, st, ...)			\
	do {									\
		char buf[512];							\
		int minor = node_minor(path, follow);				\
		if (minor >= 0)							\
			return fill(minor, st);					\
		path = rewrite_at(dirfd, path, buf, sizeof(buf));		\
		return real(__VA_ARGS__);					\
	} while (0)

PUBLIC int stat(const char *path, struct stat *st)
{
	STAT_PATH(REAL(stat), fill_stat_dri, path, st, path, st);
}

PUBLIC int stat64(const char *path, struct stat64 *st)
{
	STAT_PATH(REAL(stat64), fill_stat64_dri, path, st, path, st);
}

PUBLIC int lstat(const char *path, struct stat *st)
{
	STAT_PATH_FOLLOW(0, REAL(lstat), fill_stat_dri, path, st, path, st);
}

PUBLIC int lstat64(const char *path, struct stat64 *st)
{
	STAT_PATH_FOLLOW(0, REAL(lstat64), fill_stat64_dri, path, st, path, st);
}

/* fstatat(fd, "", st, AT_EMPTY_PATH) is fstat(fd). */
static struct shim_file *empty_path_file(int dirfd, const char *path, int flags)
{
	return (flags & AT_EMPTY_PATH) && path && !*path ? card_file(dirfd) : NULL;
}

PUBLIC int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct shim_file *f = empty_path_file(dirfd, path, flags);

	if (f)
		return fill_stat_dri(NODE(f->major, f->minor), st);
	STAT_PATH_AT(dirfd, !(flags & AT_SYMLINK_NOFOLLOW), REAL(fstatat), fill_stat_dri, path, st, dirfd, path, st, flags);
}

PUBLIC int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	struct shim_file *f = empty_path_file(dirfd, path, flags);

	if (f)
		return fill_stat64_dri(NODE(f->major, f->minor), st);
	STAT_PATH_AT(dirfd, !(flags & AT_SYMLINK_NOFOLLOW), REAL(fstatat64), fill_stat64_dri, path, st, dirfd, path, st, flags);
}

static int xstat_real(int ver, const char *path, struct stat *st)
{
	return CALL_REAL(__xstat, -1, ver, path, st);
}

static int xstat64_real(int ver, const char *path, struct stat64 *st)
{
	return CALL_REAL(__xstat64, -1, ver, path, st);
}

PUBLIC int __xstat(int ver, const char *path, struct stat *st)
{
	STAT_PATH(xstat_real, fill_stat_dri, path, st, ver, path, st);
}

PUBLIC int __xstat64(int ver, const char *path, struct stat64 *st)
{
	STAT_PATH(xstat64_real, fill_stat64_dri, path, st, ver, path, st);
}

static int lxstat_real(int ver, const char *path, struct stat *st)
{
	return CALL_REAL(__lxstat, -1, ver, path, st);
}

static int lxstat64_real(int ver, const char *path, struct stat64 *st)
{
	return CALL_REAL(__lxstat64, -1, ver, path, st);
}

PUBLIC int __lxstat(int ver, const char *path, struct stat *st)
{
	STAT_PATH_FOLLOW(0, lxstat_real, fill_stat_dri, path, st, ver, path, st);
}

PUBLIC int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	STAT_PATH_FOLLOW(0, lxstat64_real, fill_stat64_dri, path, st, ver, path, st);
}

static int fxstatat_real(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	return CALL_REAL(__fxstatat, -1, ver, dirfd, path, st, flags);
}

static int fxstatat64_real(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	return CALL_REAL(__fxstatat64, -1, ver, dirfd, path, st, flags);
}

PUBLIC int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	struct shim_file *f = empty_path_file(dirfd, path, flags);

	if (f)
		return fill_stat_dri(NODE(f->major, f->minor), st);
	STAT_PATH_AT(dirfd, !(flags & AT_SYMLINK_NOFOLLOW), fxstatat_real, fill_stat_dri, path, st, ver, dirfd, path, st, flags);
}

PUBLIC int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	struct shim_file *f = empty_path_file(dirfd, path, flags);

	if (f)
		return fill_stat64_dri(NODE(f->major, f->minor), st);
	STAT_PATH_AT(dirfd, !(flags & AT_SYMLINK_NOFOLLOW), fxstatat64_real, fill_stat64_dri, path, st, ver, dirfd, path, st, flags);
}

PUBLIC int fstat(int fd, struct stat *st)
{
	struct shim_file *f = card_file(fd);

	return f ? fill_stat_dri(NODE(f->major, f->minor), st) : REAL(fstat)(fd, st);
}

PUBLIC int fstat64(int fd, struct stat64 *st)
{
	struct shim_file *f = card_file(fd);

	return f ? fill_stat64_dri(NODE(f->major, f->minor), st) : REAL(fstat64)(fd, st);
}

PUBLIC int __fxstat(int ver, int fd, struct stat *st)
{
	struct shim_file *f = card_file(fd);

	return f ? fill_stat_dri(NODE(f->major, f->minor), st) : CALL_REAL(__fxstat, -1, ver, fd, st);
}

PUBLIC int __fxstat64(int ver, int fd, struct stat64 *st)
{
	struct shim_file *f = card_file(fd);

	return f ? fill_stat64_dri(NODE(f->major, f->minor), st) : CALL_REAL(__fxstat64, -1, ver, fd, st);
}

/* ---- listings and links of the generated tree ------------------------------------ */

/* Intercepts opendir("/dev/dri") (drmGetDevices2 lists it), and of
 * /sys/class/drm, /sys/class and /dev (libudev's enumeration). */
PUBLIC DIR *opendir(const char *path)
{
	char buf[512];

	return REAL(opendir)(rewrite_listing(path, buf, sizeof(buf)));
}

/* Intercepts readlink of …/device/subsystem (libdrm wants it to end in /pci). */
/* /proc/self/fd/N of a card fd names its node: the target, else NULL. */
static const char *card_link(const char *path, char *buf, size_t len)
{
	struct shim_file *f;
	int fd;

	if (!path_is_ours(path) || procfs_card_fd(path, &fd) != PROCFS_FD || !(f = card_file(fd)))
		return NULL;
	return procfs_link_target(f, buf, len);
}

static ssize_t copy_link(const char *target, char *out, size_t len)
{
	size_t n = strlen(target);

	if (n > len)
		n = len;
	memcpy(out, target, n);
	return (ssize_t)n;
}

PUBLIC ssize_t readlink(const char *path, char *out, size_t len)
{
	char buf[512];
	const char *target = card_link(path, buf, sizeof(buf));

	if (target)
		return copy_link(target, out, len);
	return REAL(readlink)(rewrite(path, buf, sizeof(buf)), out, len);
}

PUBLIC ssize_t readlinkat(int dirfd, const char *path, char *out, size_t len)
{
	char buf[512];
	const char *target = path[0] == '/' ? card_link(path, buf, sizeof(buf)) : NULL;

	if (target)
		return copy_link(target, out, len);
	path = rewrite_at(dirfd, path, buf, sizeof(buf));
	return REAL(readlinkat)(dirfd, path, out, len);
}

/* Intercepts realpath of /sys/dev/char/226:N/device (libdrm's PCI dir). */
PUBLIC char *realpath(const char *path, char *resolved)
{
	char buf[512];
	const char *target = card_link(path, buf, sizeof(buf));

	char *ret;

	if (target)
		return resolved ? strcpy(resolved, target) : strdup(target);
	/* What resolves inside the tree is named as the program knows it. */
	ret = REAL(realpath)(rewrite(path, buf, sizeof(buf)), resolved);
	if (ret && path_is_ours(path))
		sysfs_unrewrite(ret);
	return ret;
}

PUBLIC char *__realpath_chk(const char *path, char *resolved, size_t len)
{
	(void)len;
	return realpath(path, resolved);
}

PUBLIC int access(const char *path, int mode)
{
	char buf[512];

	if (dri_minor(path) >= 0)
		return 0;
	return REAL(access)(rewrite(path, buf, sizeof(buf)), mode);
}

/* Intercepts faccessat(dirfd, name) of a name in the tree (libudev checks
 * a device directory's uevent this way). */
PUBLIC int faccessat(int dirfd, const char *path, int mode, int flags)
{
	char buf[512];

	if (dri_minor(path) >= 0)
		return 0;
	return REAL(faccessat)(dirfd, rewrite_at(dirfd, path, buf, sizeof(buf)), mode, flags);
}

/* Intercepts statx of /dev/dri nodes and of card fds with AT_EMPTY_PATH
 * (newer programs stat this way). */
PUBLIC int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *st)
{
	char buf[512];
	struct shim_file *f = empty_path_file(dirfd, path, flags);
	int minor = f ? NODE(f->major, f->minor) : node_minor(path, !(flags & AT_SYMLINK_NOFOLLOW));

	if (minor >= 0) {
		memset(st, 0, sizeof(*st));
		st->stx_mask = STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID;
		st->stx_mode = S_IFCHR | 0666;
		st->stx_nlink = 1;
		st->stx_blksize = 4096;
		st->stx_rdev_major = NODE_MAJOR(minor);
		st->stx_rdev_minor = NODE_MINOR(minor);
		return 0;
	}
	path = rewrite_at(dirfd, path, buf, sizeof(buf));
	return REAL(statx)(dirfd, path, flags, mask, st);
}

/* Intercepts glob("/dev/dri/card*"): glibc's glob reads the directory
 * itself, past the opendir intercept, so the pattern is rewritten into the
 * generated tree and the matches back to /dev/dri paths. */
PUBLIC int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	char buf[512];
	const char *p = rewrite_listing(pattern, buf, sizeof(buf));
	size_t cut = p == pattern ? 0 : strlen(p) - strlen(pattern);
	int ret = REAL(glob)(p, flags, errfunc, g);

	if (!cut || ret)
		return ret;
	for (size_t i = g->gl_offs; i < g->gl_offs + g->gl_pathc; i++)
		memmove(g->gl_pathv[i], g->gl_pathv[i] + cut, strlen(g->gl_pathv[i] + cut) + 1);
	return ret;
}

/* The same for programs built with 64-bit file offsets, whose glob() is
 * glob64(). */
PUBLIC int glob64(const char *pattern, int flags, int (*errfunc)(const char *, int), glob64_t *g)
{
	char buf[512];
	const char *p = rewrite_listing(pattern, buf, sizeof(buf));
	size_t cut = p == pattern ? 0 : strlen(p) - strlen(pattern);
	int ret = REAL(glob64)(p, flags, errfunc, g);

	if (!cut || ret)
		return ret;
	for (size_t i = g->gl_offs; i < g->gl_offs + g->gl_pathc; i++)
		memmove(g->gl_pathv[i], g->gl_pathv[i] + cut, strlen(g->gl_pathv[i] + cut) + 1);
	return ret;
}

/* Intercepts scandir("/dev/dri"): glibc's scandir opens the directory
 * itself, past the opendir intercept; the names it returns are the same
 * in the generated tree. */
PUBLIC int scandir(const char *path, struct dirent ***list, int (*sel)(const struct dirent *),
		   int (*cmp)(const struct dirent **, const struct dirent **))
{
	char buf[512];

	return REAL(scandir)(rewrite_listing(path, buf, sizeof(buf)), list, sel, cmp);
}

PUBLIC int scandir64(const char *path, struct dirent64 ***list,
		     int (*sel)(const struct dirent64 *),
		     int (*cmp)(const struct dirent64 **, const struct dirent64 **))
{
	char buf[512];

	return REAL(scandir64)(rewrite_listing(path, buf, sizeof(buf)), list, sel, cmp);
}

/* ---- the tree's file system ------------------------------------------------------ */

#define SYSFS_MAGIC 0x62656572

/* Intercepts fstatfs of a directory fd in the tree's /sys: libudev's
 * device_set_syspath() checks that a device directory is on sysfs. */
PUBLIC int fstatfs(int fd, struct statfs *st)
{
	int ret = REAL(fstatfs)(fd, st);

	if (!ret && __atomic_load_n(&ready, __ATOMIC_ACQUIRE) && sysfs_fd_is_ours(fd))
		st->f_type = SYSFS_MAGIC;
	return ret;
}

PUBLIC int fstatfs64(int fd, struct statfs64 *st)
{
	int ret = REAL(fstatfs64)(fd, st);

	if (!ret && __atomic_load_n(&ready, __ATOMIC_ACQUIRE) && sysfs_fd_is_ours(fd))
		st->f_type = SYSFS_MAGIC;
	return ret;
}

PUBLIC int statfs(const char *path, struct statfs *st)
{
	char buf[512];
	const char *p = rewrite(path, buf, sizeof(buf));
	int ret = REAL(statfs)(p, st);

	if (!ret && p != path && !strncmp(path, "/sys/", 5))
		st->f_type = SYSFS_MAGIC;
	return ret;
}

PUBLIC int statfs64(const char *path, struct statfs64 *st)
{
	char buf[512];
	const char *p = rewrite(path, buf, sizeof(buf));
	int ret = REAL(statfs64)(p, st);

	if (!ret && p != path && !strncmp(path, "/sys/", 5))
		st->f_type = SYSFS_MAGIC;
	return ret;
}

/* ---- processes --------------------------------------------------------------------- */

/* Intercepts fork(): attached to a running machine, the child attaches on
 * its own connection and holds the same open files as its parent (the
 * snapshot is taken before the fork, so neither's close can race it); with
 * a private machine, the child's card files fail with EIO. */
PUBLIC pid_t fork(void)
{
	if (!REAL(fork)) {
		errno = ENOSYS;
		return -1;
	}
	if (!remote_attached()) {
		pid_t pid = REAL(fork)();

		/* A private machine lives in this process's simulation thread,
		 * which the child does not have: its card files fail with EIO
		 * rather than wait for ever. */
		if (pid == 0 && __atomic_load_n(&ready, __ATOMIC_ACQUIRE))
			sim_orphan();
		return pid;
	}
	return remote_fork(REAL(fork));
}

/* ---- the kernel a client sees ------------------------------------------------------ */

/* Intercepts uname(): the release and version are the hosted kernel's (a
 * client inside a VM running that kernel sees them; drm_info prints them);
 * the node name and machine stay the host's. kworld_uname() only reads data fixed at
 * build time, so any thread may call it. */
PUBLIC int uname(struct utsname *u)
{
	struct kworld_utsname k;
	int ret = REAL(uname)(u);

	if (ret || !shim_ready())
		return ret;
	kworld_uname(&k);
	snprintf(u->sysname, sizeof(u->sysname), "%s", k.sysname);
	snprintf(u->release, sizeof(u->release), "%s", k.release);
	snprintf(u->version, sizeof(u->version), "%s", k.version);
	/* The machine stays the host's, as User-Mode Linux reports it
	 * (setup_machinename()): x86_64, as in the VM. */
	return 0;
}
