/*
 * The shim attached to a running machine (`drmsim shim --machine NAME`,
 * DRMSIM_MACHINE=NAME): no kernel world in this process; every card call
 * is a request to the machine's server (harness/machine_proto.h), which
 * reads and writes this process's memory itself. A second connection,
 * served by a thread of ours, brings what the server does to us between
 * our calls: mapping changes (applied before the server's kernel goes on)
 * and readiness changes of our card fds caused by other processes.
 *
 * Process life: a fork()ed child connects anew and adopts a snapshot of
 * the parent's descriptors taken just before the fork; an exec()ed image
 * (DRMSIM_MACHINE_PID is our own pid) asks for the descriptors its
 * process held and keeps those whose eventfds survived the exec.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "machine_proto.h"
#include "shim.h"

static int attached;
static char machine_name[80];
static int msock = -1, asock = -1;
static pid_t server_pid, attach_pid;
static int client_id;
static pthread_mutex_t req_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mproto_sysinfo sysinfo;

/* Our mappings: the client range and the server range it mirrors. */
struct rmap {
	unsigned long caddr, saddr, len;
	/* the mmap() that made it, for a fork child's own */
	int progfd, prot, flags;
	off_t off;
};
#define MAX_RMAPS 1024
static struct rmap rmaps[MAX_RMAPS];
static pthread_mutex_t maplock = PTHREAD_MUTEX_INITIALIZER;
/* The server's memfds (by its number) as our fds. */
#define MAX_MEMFDS 1024
static int memfds[MAX_MEMFDS];

static uint64_t placeholder_serial(int fd);

int remote_attached(void)
{
	return attached;
}


/* The readiness the server reports for our fds. */
static void apply_ready(const struct mproto_ready *r)
{
	fds_set_ready(r->progfd, r->file, r->mask > 0 && (r->mask & POLLIN));
}

/* One request and its answer (req_lock held by the caller). ret, or -EIO if
 * the machine is gone. out receives up to outlen payload bytes, *got how
 * many came. */
static long call_locked(uint32_t op, const int64_t *a, int na, const void *payload, uint32_t plen,
			void *out, uint32_t outlen, uint32_t *got)
{
	struct mproto_req r = { .op = op, .len = plen, .tid = (int32_t)gettid() };
	struct mproto_rep rep;
	struct iovec iov[2] = { { &r, sizeof(r) }, { (void *)payload, plen } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = plen ? 2 : 1 };
	char skip[256];
	ssize_t n;

	if (msock < 0)
		return -EIO;
	for (int i = 0; i < na && i < 6; i++)
		r.a[i] = a[i];
	n = sendmsg(msock, &msg, MSG_NOSIGNAL);
	if (n != (ssize_t)(sizeof(r) + plen)) {
		if (n < 0 || mproto_full(msock, (char *)&r + n, sizeof(r) + plen - n, 1, -1))
			return -EIO;	/* (a partial header; payload never splits in practice) */
	}
	if (mproto_full(msock, &rep, sizeof(rep), 0, -1))
		return -EIO;
	for (uint32_t done = 0; done < rep.len;) {
		uint32_t k = rep.len - done;
		char *dst;

		if (done < outlen) {
			k = k < outlen - done ? k : outlen - done;
			dst = (char *)out + done;
		} else {
			k = k < sizeof(skip) ? k : sizeof(skip);
			dst = skip;
		}
		if (mproto_full(msock, dst, k, 0, -1))
			return -EIO;
		done += k;
	}
	if (got)
		*got = rep.len < outlen ? rep.len : outlen;
	for (uint32_t i = 0; i < rep.nready; i++) {
		struct mproto_ready rd;

		if (mproto_full(msock, &rd, sizeof(rd), 0, -1))
			return -EIO;
		apply_ready(&rd);
	}
	return rep.ret;
}

static long call(uint32_t op, const int64_t *a, int na, const void *payload, uint32_t plen,
		 void *out, uint32_t outlen, uint32_t *got)
{
	long ret;
	sigset_t all, old;

	/* No signal handler of the program may run a card call of its own
	 * in the middle of ours on the one connection. */
	sigfillset(&all);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_mutex_lock(&req_lock);
	ret = call_locked(op, a, na, payload, plen, out, outlen, got);
	pthread_mutex_unlock(&req_lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

#define A(...) ((const int64_t[]){ __VA_ARGS__ }), (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t))

/* ---- the async channel ------------------------------------------------------- */

static struct rmap *rmap_by_saddr(unsigned long saddr)
{
	for (int i = 0; i < MAX_RMAPS; i++)
		if (rmaps[i].len && saddr >= rmaps[i].saddr && saddr - rmaps[i].saddr < rmaps[i].len)
			return &rmaps[i];
	return NULL;
}

static struct rmap *rmap_by_caddr(unsigned long caddr)
{
	for (int i = 0; i < MAX_RMAPS; i++)
		if (rmaps[i].len && caddr >= rmaps[i].caddr && caddr - rmaps[i].caddr < rmaps[i].len)
			return &rmaps[i];
	return NULL;
}

/* A mapping change of the server's kernel, in our range. */
static void apply_async(const struct mproto_async *m, int fd)
{
	struct rmap *r;
	unsigned long ca, len;

	if (m->op == MASYNC_MAP && fd >= 0 && m->memfd >= 0 && m->memfd < MAX_MEMFDS) {
		if (memfds[m->memfd] >= 0)
			close(memfds[m->memfd]);
		memfds[m->memfd] = fd;
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	pthread_mutex_lock(&maplock);
	r = rmap_by_saddr(m->addr);
	if (!r || m->len > r->saddr + r->len - m->addr) {
		pthread_mutex_unlock(&maplock);
		return;	/* unmapped meanwhile */
	}
	ca = r->caddr + (m->addr - r->saddr);
	len = m->len;
	if (m->op == MASYNC_MAP) {
		int prot = m->prot & (PROT_READ | PROT_WRITE);

		if (m->memfd < 0 || m->memfd >= MAX_MEMFDS || memfds[m->memfd] < 0 ||
		    mmap((void *)ca, len, prot, MAP_SHARED | MAP_FIXED, memfds[m->memfd],
			 (off_t)m->off) == MAP_FAILED)
			mmap((void *)ca, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	} else if (m->op == MASYNC_ZAP) {
		mmap((void *)ca, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		     -1, 0);
	} else if (m->op == MASYNC_PROT) {
		mprotect((void *)ca, len, m->prot & (PROT_READ | PROT_WRITE));
	}
	pthread_mutex_unlock(&maplock);
}

static void *async_main(void *arg)
{
	int sock = (int)(long)arg;
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		struct mproto_async m;
		char ctl[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { &m, sizeof(m) };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				      .msg_controllen = sizeof(ctl) };
		struct cmsghdr *cm;
		int fd = -1;
		ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
			if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
				memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		if (n != sizeof(m) && mproto_full(sock, (char *)&m + n, sizeof(m) - n, 0, -1)) {
			if (fd >= 0)
				close(fd);
			break;
		}
		if (m.op == MASYNC_READY) {
			struct mproto_ready r = { m.progfd, 0, m.file, m.mask };

			if (fd >= 0)
				close(fd);
			apply_ready(&r);
			continue;
		}
		apply_async(&m, fd);
		if (mproto_full(sock, "k", 1, 1, -1))
			break;
	}
	return NULL;
}

/* ---- attaching ----------------------------------------------------------------- */


/* Whether fd is still the eventfd that stood for a card file before the
 * exec (an O_CLOEXEC one is gone). */
static int is_eventfd(int fd)
{
	char path[64], target[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = syscall(SYS_readlink, path, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = 0;
	return !strcmp(target, "anon_inode:[eventfd]");
}

/* Connects both channels and says hello: token, the fork snapshot to
 * adopt; exec, whether to adopt this pid's table from before an exec. */
static int hello(uint64_t token, int exec)
{
	static char buf[MPROTO_MAX_PAYLOAD];
	struct mproto_hello *h = (void *)buf;
	struct mproto_fd *fds = (void *)(h + 1);
	uint32_t got = 0;
	long id;
	pthread_t t;
	char pidbuf[16];

	msock = mproto_connect(machine_name);
	if (msock < 0)
		return -1;
	id = call_locked(MOP_HELLO, A((int64_t)token, exec), NULL, 0, buf, sizeof(buf), &got);
	if (id <= 0 || got < sizeof(*h)) {
		close(msock);
		msock = -1;
		return -1;
	}
	client_id = (int)id;
	server_pid = h->server_pid;
	/* The server reads and writes our memory as the kernel would. */
	prctl(PR_SET_PTRACER, (unsigned long)server_pid, 0, 0, 0);
	asock = mproto_connect(machine_name);
	{
		/* MOP_ASYNC goes on the socket that becomes the channel. */
		int m = msock;
		long ret;

		msock = asock;
		ret = asock < 0 ? -EIO : call_locked(MOP_ASYNC, A(client_id), NULL, 0, NULL, 0, NULL);
		msock = m;
		if (ret != 0 || pthread_create(&t, NULL, async_main, (void *)(long)asock)) {
			fprintf(stderr, "drmsim-shim: machine '%s': no async channel\n", machine_name);
			return -1;
		}
		pthread_detach(t);
	}
	attach_pid = getpid();
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)attach_pid);
	setenv("DRMSIM_MACHINE_PID", pidbuf, 1);
	/* The descriptors we came with (fork snapshot or exec survivors). */
	for (uint32_t i = 0; i < h->nfds && (char *)(fds + i + 1) <= buf + got; i++) {
		struct shim_file *f;

		if (!token && !is_eventfd(fds[i].progfd) && !placeholder_serial(fds[i].progfd)) {
			call_locked(MOP_CLOSE, A(fds[i].progfd), NULL, 0, NULL, 0, NULL);
			continue;
		}
		if (token)
			continue;	/* a fork child has its parent's table already */
		f = calloc(1, sizeof(*f));
		if (!f)
			continue;
		f->handle = fds[i].file;
		f->minor = fds[i].minor >= 0 ? fds[i].minor : -1;
		f->major = fds[i].minor >= 0 ? fds[i].major : 0;
		fds_install(fds[i].progfd, f);
	}
	return 0;
}

static void at_exit(void)
{
	if (getpid() == attach_pid)
		sysfs_remove();
}

int remote_attach(const char *name)
{
	const char *pid = getenv("DRMSIM_MACHINE_PID");
	uint32_t got = 0;
	int exec = pid && atoi(pid) == getpid();

	snprintf(machine_name, sizeof(machine_name), "%s", name);
	if ((getenv("DRMSIM_RECORD") && *getenv("DRMSIM_RECORD")) ||
	    (getenv("DRMSIM_SCREENSHOT") && *getenv("DRMSIM_SCREENSHOT")))
		fprintf(stderr, "drmsim-shim: attached to machine '%s': DRMSIM_RECORD and "
				"DRMSIM_SCREENSHOT are not done (drmsim machine screenshot is)\n", name);
	for (int i = 0; i < MAX_MEMFDS; i++)
		memfds[i] = -1;
	pthread_mutex_lock(&req_lock);
	if (hello(0, exec)) {
		pthread_mutex_unlock(&req_lock);
		fprintf(stderr, "drmsim-shim: machine '%s' is not running (drmsim machine start %s)\n",
			name, name);
		return -1;
	}
	if (call_locked(MOP_SYSINFO, NULL, 0, NULL, 0, &sysinfo, sizeof(sysinfo), &got) != 0 ||
	    got != sizeof(sysinfo)) {
		pthread_mutex_unlock(&req_lock);
		return -1;
	}
	pthread_mutex_unlock(&req_lock);
	attached = 1;
	if (sysfs_build()) {
		fprintf(stderr, "drmsim-shim: cannot build the sysfs tree\n");
		return -1;
	}
	atexit(at_exit);
	return 0;
}

/* ---- fork ------------------------------------------------------------------------- */

pid_t remote_fork(pid_t (*real_fork)(void))
{
	long token;
	pid_t pid;

	pthread_mutex_lock(&req_lock);
	pthread_mutex_lock(&maplock);
	token = call_locked(MOP_SNAPSHOT, NULL, 0, NULL, 0, NULL, 0, NULL);
	pid = real_fork();
	if (pid == 0) {
		/* The child: its own connections (the inherited ones are the
		 * parent's), no thread of ours yet. Mappings stay as inherited
		 * but are not the child's to fault in. */
		pthread_mutex_init(&req_lock, NULL);
		pthread_mutex_init(&maplock, NULL);
		if (msock >= 0)
			close(msock);
		if (asock >= 0)
			close(asock);
		msock = asock = -1;
		if (token <= 0 || hello((uint64_t)token, 0)) {
			fprintf(stderr, "drmsim-shim: fork child cannot attach to machine '%s'\n",
				machine_name);
			memset(rmaps, 0, sizeof(rmaps));
			attached = 0;
			return 0;
		}
		/* The mappings the child inherited become its own: the same
		 * file and offset mapped again in the machine (a VMA of the
		 * child's), mirrored into the range it has. One whose fd the
		 * parent closed cannot be: its pages fault for good. */
		for (int i = 0; i < MAX_RMAPS; i++) {
			uint64_t saddr = 0;
			uint32_t got = 0;

			if (!rmaps[i].len)
				continue;
			if (call_locked(MOP_MMAP, A(rmaps[i].progfd, (int64_t)rmaps[i].len, rmaps[i].prot,
						    rmaps[i].flags, (int64_t)rmaps[i].off),
					NULL, 0, &saddr, sizeof(saddr), &got) == 0 && got == sizeof(saddr)) {
				rmaps[i].saddr = saddr;
				/* What the parent had faulted in is the old VMA's: fault
				 * again through ours. */
				mmap((void *)rmaps[i].caddr, rmaps[i].len, PROT_NONE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
			} else {
				rmaps[i].len = 0;
			}
		}
		if (sysfs_build() == 0)
			attach_pid = getpid();
		return 0;
	}
	pthread_mutex_unlock(&maplock);
	if (token > 0)
		call_locked(MOP_SNAPSHOT_PID, A(token, pid > 0 ? pid : -1), NULL, 0, NULL, 0, NULL);
	pthread_mutex_unlock(&req_lock);
	return pid;
}

/* ---- card calls ------------------------------------------------------------------- */

long remote_open(int major, int minor, int flags, int progfd)
{
	return call(MOP_OPEN, A(minor, flags, progfd, major), NULL, 0, NULL, 0, NULL);
}

int remote_fb_info(unsigned int index, struct kworld_fb *out)
{
	uint32_t got = 0;
	long ret = call(MOP_FB_INFO, A(index), NULL, 0, out, sizeof(*out), &got);

	if (ret == 0 && got != sizeof(*out))
		return -EIO;
	if (ret == 0)
		out->path[sizeof(out->path) - 1] = out->id[sizeof(out->id) - 1] = 0;
	return (int)ret;
}

long remote_close(int progfd)
{
	return call(MOP_CLOSE, A(progfd), NULL, 0, NULL, 0, NULL);
}

long remote_dup(int oldfd, int newfd)
{
	return call(MOP_DUP, A(oldfd, newfd), NULL, 0, NULL, 0, NULL);
}

long remote_ioctl(int progfd, unsigned long req, void *arg)
{
	return call(MOP_IOCTL, A(progfd, (int64_t)req, (int64_t)(uintptr_t)arg), NULL, 0, NULL, 0,
		    NULL);
}

long remote_fcntl(int progfd, int cmd, long arg)
{
	return call(MOP_FCNTL, A(progfd, cmd, arg), NULL, 0, NULL, 0, NULL);
}

long remote_fdinfo(int progfd, int fd_flags, int mnt_id, char *buf, size_t len)
{
	uint32_t got = 0;
	long ret = call(MOP_FDINFO, A(progfd, fd_flags, mnt_id), NULL, 0, buf,
			len > MPROTO_MAX_PAYLOAD ? MPROTO_MAX_PAYLOAD : (uint32_t)len, &got);

	return ret > (long)got ? -ENOSPC : ret;
}

long remote_dev_uevent(unsigned int major, unsigned int minor, unsigned int up, char *path,
		       size_t plen, char *env, size_t elen)
{
	static char buf[MPROTO_UEVENT_PATH + 8192];
	uint32_t got = 0;
	long ret = call(MOP_DEV_UEVENT, A(major, minor, up), NULL, 0, buf, sizeof(buf), &got);

	if (ret < 0)
		return ret;
	if (got < MPROTO_UEVENT_PATH || got - MPROTO_UEVENT_PATH != (uint32_t)ret ||
	    strnlen(buf, MPROTO_UEVENT_PATH) >= plen || (size_t)ret > elen)
		return -ENOSPC;
	memcpy(path, buf, strnlen(buf, MPROTO_UEVENT_PATH) + 1);
	memcpy(env, buf + MPROTO_UEVENT_PATH, (size_t)ret);
	return ret;
}

/* read(): the server never waits; a blocking file waits here, on our
 * eventfd's readiness, and asks again. */
long remote_read(int progfd, void *buf, size_t len)
{
	for (;;) {
		int32_t fl = 0;
		uint32_t got = 0;
		long ret = call(MOP_READ, A(progfd, (int64_t)(uintptr_t)buf, (int64_t)len), NULL, 0,
				&fl, sizeof(fl), &got);
		struct pollfd p = { progfd, POLLIN, 0 };

		if (ret != -EAGAIN || got != sizeof(fl) || (fl & O_NONBLOCK))
			return ret;
		/* A readiness change may come by async message: look again
		 * now and then even if none came. */
		if (poll(&p, 1, 100) < 0 && errno == EINTR)
			return -EINTR;
	}
}

/* A register page's access (host_vm_mmio_read/write), run by the server. */
uint64_t remote_mmio_read(uint64_t phys, int size)
{
	uint64_t v = ~0ull;
	uint32_t got = 0;

	if (call(MOP_MMIO, A((int64_t)phys, size, 0, 0), NULL, 0, &v, sizeof(v), &got) || got != sizeof(v))
		return ~0ull;	/* as a read no device answers */
	return v;
}

void remote_mmio_write(uint64_t phys, int size, uint64_t val)
{
	call(MOP_MMIO, A((int64_t)phys, size, 1, (int64_t)val), NULL, 0, NULL, 0, NULL);
}

long remote_mmap(int progfd, size_t len, int prot, int flags, off_t off, void **addr)
{
	uint64_t saddr = 0;
	uint32_t got = 0;
	long ret = call(MOP_MMAP, A(progfd, (int64_t)len, prot, flags, (int64_t)off), NULL, 0, &saddr,
			sizeof(saddr), &got);
	void *c;

	if (ret)
		return ret;
	if (got != sizeof(saddr))
		return -EIO;
	c = host_vm_reserve(flags & MAP_FIXED ? *addr : NULL, len);
	pthread_mutex_lock(&maplock);
	for (int i = 0; c && i < MAX_RMAPS; i++)
		if (!rmaps[i].len) {
			rmaps[i] = (struct rmap){ (unsigned long)c, saddr, (len + 4095) & ~4095ul, progfd,
						  prot, flags, off };
			pthread_mutex_unlock(&maplock);
			*addr = c;
			return 0;
		}
	pthread_mutex_unlock(&maplock);
	if (c)
		host_vm_release(c, len);
	call(MOP_MUNMAP, A((int64_t)saddr, (int64_t)len), NULL, 0, NULL, 0, NULL);
	return -ENOMEM;
}

/* 0 if [addr, addr + len) was one of our card mappings (now unmapped), a
 * negative errno if the machine refused, 1 if it is none of ours. */
int remote_munmap(void *addr, size_t len)
{
	struct rmap *r, copy;
	long ret;

	pthread_mutex_lock(&maplock);
	r = rmap_by_caddr((unsigned long)addr);
	if (!r || r->caddr != (unsigned long)addr) {
		pthread_mutex_unlock(&maplock);
		return 1;
	}
	copy = *r;
	pthread_mutex_unlock(&maplock);
	ret = call(MOP_MUNMAP, A((int64_t)copy.saddr, (int64_t)len), NULL, 0, NULL, 0, NULL);
	if (ret)
		return (int)ret;
	pthread_mutex_lock(&maplock);
	r = rmap_by_caddr(copy.caddr);
	if (r)
		r->len = 0;
	pthread_mutex_unlock(&maplock);
	host_vm_release(addr, len);
	return 0;
}

/* A touch of our range: the server's kernel faults it in, and has had
 * the change applied here (async channel) before it answers. */
long remote_fault(unsigned long addr, int write)
{
	unsigned long saddr;
	struct rmap *r = rmap_by_caddr(addr);

	if (!r)
		return -EFAULT;
	saddr = r->saddr + (addr - r->caddr);
	{
		uint64_t phys = 0;
		uint32_t got = 0;
		long ret = call(MOP_FAULT, A((int64_t)saddr, write), NULL, 0, &phys, sizeof(phys), &got);

		/* A register page (kfd's doorbells): this process runs its
		 * accesses (host_vm_map_mmio), which then go as MOP_MMIO. */
		if (ret == 1 && got == sizeof(phys))
			return host_vm_map_mmio(addr & ~4095ul, phys, 4096);
		return ret;
	}
}

/* ---- PRIME: dma-buf fds between processes ------------------------------------------ */

/* The serial the placeholder memfd fd names, or 0 if it is none of a
 * dma-buf of this machine. */
static uint64_t placeholder_serial(int fd)
{
	char path[64], target[128];
	unsigned long long serial;
	int pid;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = syscall(SYS_readlink, path, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = 0;
	if (sscanf(target, "/memfd:" MPROTO_DMABUF_NAME, &pid, &serial) != 2 || pid != server_pid)
		return 0;
	return serial;
}

static struct shim_file *install_dmabuf(int fd, long handle)
{
	struct shim_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->handle = handle;
	f->minor = -1;
	fds_install(fd, f);
	return f;
}

/* fd, a dma-buf placeholder another process sent us: ours from now on. */
struct shim_file *remote_adopt(int fd)
{
	uint64_t serial;
	long ret;

	if (!attached || (serial = placeholder_serial(fd)) == 0)
		return NULL;
	ret = call(MOP_ADOPT, A(1, (int64_t)serial, fd), NULL, 0, NULL, 0, NULL);
	if (ret < 0)
		return NULL;
	return install_dmabuf(fd, ret);	/* the kernel's fd of the file */
}

/* PRIME_HANDLE_TO_FD makes a kernel fd, which becomes a placeholder memfd
 * here; PRIME_FD_TO_HANDLE names the kernel's fd of a placeholder. The
 * server runs the ioctl on a copy in our memory with the kernel's fd. */
long remote_prime(int fd, unsigned long req, void *arg)
{
	struct drm_prime_handle_copy {
		uint32_t handle, flags;
		int32_t fd;
	} c;
	struct shim_file *f;
	long ret;

	if (!arg || host_copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (req == 0xc00c642eul) {	/* DRM_IOCTL_PRIME_FD_TO_HANDLE */
		f = fds_get(c.fd);
		if (!f)
			f = remote_adopt(c.fd);
		if (!f || f->minor >= 0)
			return -EBADF;
		c.fd = (int32_t)f->handle;	/* the kernel's fd of it */
		ret = remote_ioctl(fd, req, &c);
		if (ret == 0 && host_copy_to_user(arg, &c, sizeof(c)))
			return -EFAULT;
		return ret;
	}
	/* DRM_IOCTL_PRIME_HANDLE_TO_FD */
	ret = remote_ioctl(fd, req, &c);
	if (ret)
		return ret;
	{
		char name[64];
		int mfd, kfd = c.fd;
		long serial;

		snprintf(name, sizeof(name), MPROTO_DMABUF_NAME, (int)server_pid, 0ull);
		/* The serial is known once the server adopted it: name the
		 * memfd after it (a memfd's name is fixed at creation, so the
		 * adoption goes first, under a temporary program fd). */
		mfd = (int)syscall(SYS_memfd_create, "drmsim-dmabuf-pending",
				   (c.flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
		if (mfd < 0)
			return -EMFILE;
		serial = call(MOP_ADOPT, A(0, kfd, mfd), NULL, 0, NULL, 0, NULL);
		if (serial <= 0) {
			close(mfd);
			return serial < 0 ? serial : -EIO;
		}
		{
			int named;

			snprintf(name, sizeof(name), MPROTO_DMABUF_NAME, (int)server_pid,
				 (unsigned long long)serial);
			named = (int)syscall(SYS_memfd_create, name,
					     (c.flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
			if (named < 0 || call(MOP_DUP, A(mfd, named), NULL, 0, NULL, 0, NULL) < 0) {
				call(MOP_CLOSE, A(mfd), NULL, 0, NULL, 0, NULL);
				close(mfd);
				if (named >= 0)
					close(named);
				return -EMFILE;
			}
			call(MOP_CLOSE, A(mfd), NULL, 0, NULL, 0, NULL);
			close(mfd);
			if (!install_dmabuf(named, kfd)) {
				call(MOP_CLOSE, A(named), NULL, 0, NULL, 0, NULL);
				close(named);
				return -ENOMEM;
			}
			c.fd = named;
		}
	}
	if (host_copy_to_user(arg, &c, sizeof(c)))
		return -EFAULT;
	return 0;
}

/* ---- what the sysfs tree is made of ---------------------------------------------- */

const struct mproto_sysinfo *remote_sysinfo(void)
{
	return &sysinfo;
}

/* CREATE_LEASE's lessee, made in the machine as kernel fd kfd: the server
 * keeps it as our program fd progfd, a DRM file of minor. */
long remote_adopt_lessee(long kfd, int progfd, int minor)
{
	long ret = call(MOP_ADOPT, A(2, kfd, progfd, minor), NULL, 0, NULL, 0, NULL);

	return ret < 0 ? ret : 0;
}
