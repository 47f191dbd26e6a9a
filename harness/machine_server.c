/*
 * A running machine's server (`drmsim machine start`): the booted kernel
 * world in this process, serving the processes attached to it over a UNIX
 * socket (protocol: machine_proto.h). One thread: every request runs as
 * the requesting process (kworld_set_identity() from SO_PEERCRED and the
 * caller's tid; user copies go to its address space), then the readiness
 * of every open file is refreshed and pushed to whoever holds it.
 *
 * Per client process the server keeps its descriptor table, program fd ->
 * open file: a fork()ed child adopts a snapshot of its parent's (the same
 * files, one more reference each: closing in one leaves the other's), an
 * exec()ed image its own from before the exec (the connection closed at
 * exec, the process lives on). A process that is gone has its files
 * closed through the kernel's release paths (master dropped, handles
 * freed) and its mappings unmapped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "machine.h"
#include "machine_proto.h"
#include "machine_server.h"
#include "png_out.h"

#define MAX_CLIENT_FDS 1024
#define MAX_CLIENT_MAPS 1024
#define MAX_SENT_MEMFDS 32
#define IO_TIMEOUT_MS 3000

/* ---- state -------------------------------------------------------------- */

/* An open kernel file and how many descriptors of all clients name it. */
struct sfile {
	long handle;
	uint64_t serial;	/* never reused: names the file to clients */
	int major, minor, refs;	/* minor -1: not a card (a dma-buf) */
	long mask;
	int waiting;	/* a client waits for it to become readable */
	struct sfile *next;
};

struct fdent {
	int progfd;
	struct sfile *f;
	long sent;	/* the mask the client was last told */
};

struct smap {
	unsigned long addr, len;
	int mmio;		/* a register page at bus address phys (MOP_FAULT) */
	uint64_t phys;
};

struct conn {
	int sock, async;
	int id;		/* 0 until HELLO */
	pid_t pid;
	uid_t uid;
	gid_t gid;
	char comm[16];
	struct fdent fds[MAX_CLIENT_FDS];
	int nfds;
	struct smap maps[MAX_CLIENT_MAPS];
	int nmaps;
	int sent_memfd[MAX_SENT_MEMFDS], nsent;
	int dead;
	int became_async;	/* its socket is now another client's async channel */
	struct conn *next;
};

/* A descriptor table waiting for its process: a fork child's (token) or an
 * exec'ed image's (pid). */
struct pending {
	uint64_t token;
	pid_t pid;
	double born;
	struct fdent *fds;
	int nfds;
	struct pending *next;
};

static int listen_fd = -1;
static char sock_path[108];
static struct sfile *files;
static struct conn *conns;
static struct pending *pendings;
static int next_id = 1;
static uint64_t next_token = 1, next_serial = 1;
static int stopping;
static const char *device_list;
static double last_kernel_call, last_sweep;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- socket I/O ------------------------------------------------------------ */

/* All of len bytes, or -1 (EOF, error or IO_TIMEOUT_MS without progress). */
static int io_full(int fd, void *buf, size_t len, int out)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { fd, out ? POLLOUT : POLLIN, 0 };
		ssize_t n;

		if (poll(&pfd, 1, IO_TIMEOUT_MS) <= 0)
			return -1;
		n = out ? send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT)
			: recv(fd, p, len, MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int reply(struct conn *c, long ret, const void *payload, uint32_t len,
		 const struct mproto_ready *ready, uint32_t nready)
{
	struct mproto_rep r = { .ret = ret, .len = len, .nready = nready };

	if (io_full(c->sock, &r, sizeof(r), 1) || (len && io_full(c->sock, (void *)payload, len, 1)) ||
	    (nready && io_full(c->sock, (void *)ready, nready * sizeof(*ready), 1)))
		return -1;
	return 0;
}

/* An async message, with fd attached when fd >= 0; then its one-byte ack
 * unless noack. 0, or -1 (the client is then treated as gone). */
static int async_send(struct conn *c, const struct mproto_async *m, int fd, int noack)
{
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 }, ack;
	struct iovec iov = { (void *)m, sizeof(*m) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct pollfd pfd = { c->async, POLLOUT, 0 };

	if (c->async < 0 || c->dead)
		return -1;
	if (fd >= 0) {
		struct cmsghdr *cm;

		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	if (poll(&pfd, 1, IO_TIMEOUT_MS) <= 0 ||
	    sendmsg(c->async, &msg, MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)sizeof(*m))
		goto gone;
	if (noack)
		return 0;
	if (io_full(c->async, &ack, 1, 0))
		goto gone;
	return 0;
gone:
	fprintf(stderr, "drmsim machine: client %d (pid %d) does not answer: dropped\n", c->id,
		(int)c->pid);
	c->dead = 1;
	return -1;
}

/* ---- the kernel's changes to client mappings -------------------------------- */

static struct conn *map_owner(unsigned long addr, struct smap **out)
{
	for (struct conn *c = conns; c; c = c->next)
		for (int i = 0; i < c->nmaps; i++)
			if (addr >= c->maps[i].addr && addr - c->maps[i].addr < c->maps[i].len) {
				*out = &c->maps[i];
				return c;
			}
	return NULL;
}

/* host_vm_mirror: the same change in the process that maps the range,
 * done before the kernel goes on. */
static void mirror(int op, unsigned long addr, size_t len, int fd, uint64_t off, int prot)
{
	struct smap *m;
	struct conn *c = map_owner(addr, &m);
	struct mproto_async a = { .addr = addr, .off = off, .prot = prot, .memfd = -1 };
	int attach = -1;

	if (!c || c->dead)
		return;
	if (len > m->addr + m->len - addr)
		len = m->addr + m->len - addr;
	a.len = len;
	a.op = op == HOST_VM_MIRROR_MAP ? MASYNC_MAP : op == HOST_VM_MIRROR_ZAP ? MASYNC_ZAP
		: MASYNC_PROT;
	if (op == HOST_VM_MIRROR_MAP) {
		int i;

		a.memfd = fd;
		for (i = 0; i < c->nsent && c->sent_memfd[i] != fd; i++)
			;
		if (i == c->nsent) {
			if (c->nsent == MAX_SENT_MEMFDS) {
				c->dead = 1;
				return;
			}
			c->sent_memfd[c->nsent++] = fd;
			attach = fd;
		}
	}
	async_send(c, &a, attach, 0);
}

/* ---- files and descriptor tables --------------------------------------------- */

static void identity_of(struct conn *c, int tid)
{
	struct kworld_identity id = { .pid = tid > 0 ? tid : c->pid, .tgid = c->pid,
				      .uid = c->uid, .gid = c->gid };

	memcpy(id.comm, c->comm, sizeof(id.comm));
	kworld_set_identity(&id);
	host_uaccess_target(c->pid);
}

static void identity_server(void)
{
	kworld_set_identity(NULL);
	host_uaccess_target(0);
}

static void file_put(struct sfile *f)
{
	if (--f->refs > 0)
		return;
	identity_server();
	kworld_close(f->handle);
	last_kernel_call = now_s();
	for (struct sfile **p = &files; *p; p = &(*p)->next)
		if (*p == f) {
			*p = f->next;
			break;
		}
	free(f);
}

static struct fdent *fd_find(struct conn *c, int progfd)
{
	for (int i = 0; i < c->nfds; i++)
		if (c->fds[i].progfd == progfd)
			return &c->fds[i];
	return NULL;
}

static int fd_add(struct conn *c, int progfd, struct sfile *f)
{
	struct fdent *e = fd_find(c, progfd);

	if (e) {
		/* The program reused the number without our seeing the
		 * close (close_range …): that file is no longer its. */
		struct sfile *old = e->f;

		f->refs++;
		e->f = f;
		e->sent = -1;
		file_put(old);
		return 0;
	}
	if (c->nfds == MAX_CLIENT_FDS)
		return -EMFILE;
	f->refs++;
	c->fds[c->nfds++] = (struct fdent){ progfd, f, -1 };
	return 0;
}

static int fd_del(struct conn *c, int progfd)
{
	struct fdent *e = fd_find(c, progfd);
	struct sfile *f;

	if (!e)
		return -EBADF;
	f = e->f;
	*e = c->fds[--c->nfds];
	file_put(f);
	return 0;
}

static void pending_free(struct pending *p)
{
	for (int i = 0; i < p->nfds; i++)
		file_put(p->fds[i].f);
	free(p->fds);
	free(p);
}

/* A copy of c's table, one more reference to each file. */
static struct pending *snapshot(struct conn *c)
{
	struct pending *p = calloc(1, sizeof(*p));

	if (!p || !(p->fds = calloc(c->nfds + 1, sizeof(*p->fds)))) {
		free(p);
		return NULL;
	}
	for (int i = 0; i < c->nfds; i++) {
		p->fds[i] = c->fds[i];
		p->fds[i].sent = -1;
		c->fds[i].f->refs++;
	}
	p->nfds = c->nfds;
	p->born = now_s();
	p->next = pendings;
	pendings = p;
	return p;
}

static void pending_unlink(struct pending *p)
{
	for (struct pending **q = &pendings; *q; q = &(*q)->next)
		if (*q == p) {
			*q = p->next;
			return;
		}
}

/* Whether pid is a live process (not gone, not a zombie). */
static int process_alive(pid_t pid)
{
	char path[64], buf[256], *s;
	FILE *f;
	int alive = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (s = strrchr(buf, ')')) && s[1] == ' ')
		alive = s[2] != 'Z' && s[2] != 'X';
	fclose(f);
	return alive;
}

/* Tables whose process is gone, or a fork child's that never came. */
static void sweep(void)
{
	double t = now_s();

	last_sweep = t;
	for (struct pending **q = &pendings; *q;) {
		struct pending *p = *q;

		if ((p->pid > 0 && !process_alive(p->pid)) || (p->pid <= 0 && t - p->born > 10)) {
			*q = p->next;
			pending_free(p);
		} else {
			q = &p->next;
		}
	}
}

static void conn_unlink(struct conn *c)
{
	for (struct conn **q = &conns; *q; q = &(*q)->next)
		if (*q == c) {
			*q = c->next;
			return;
		}
}

/* The end of a client connection: its address space is gone either way
 * (exit or exec), so are its mappings; its files stay for an exec'ed
 * image while the process lives, else close. */
static void conn_retire(struct conn *c)
{
	c->dead = 1;
	identity_server();
	while (c->nmaps) {
		struct smap m = c->maps[--c->nmaps];

		kworld_munmap((void *)m.addr, m.len);
	}
	/* Its last connection: the process's address space goes (exit_mm),
	 * and what keyed itself by it (amdkfd's process) tears down. */
	{
		int others = 0;

		for (struct conn *o = conns; o; o = o->next)
			others += o != c && !o->dead && o->pid == c->pid;
		if (!others)
			kworld_client_exit(c->pid);
	}
	if (c->nfds && !stopping && process_alive(c->pid)) {
		struct pending *p = snapshot(c);

		if (p)
			p->pid = c->pid;
	}
	while (c->nfds)
		fd_del(c, c->fds[c->nfds - 1].progfd);
	last_kernel_call = now_s();
	if (c->sock >= 0)
		close(c->sock);
	if (c->async >= 0)
		close(c->async);
	c->sock = c->async = -1;
}

static void conn_drop(struct conn *c)
{
	conn_retire(c);
	conn_unlink(c);
	free(c);
}

/* ---- readiness -------------------------------------------------------------- */

#define MAX_READY 64

/* Polls every open file; tells each client whose fd's readiness changed:
 * the requester in its reply (ready, *n), the others by async message. */
static void refresh_readiness(struct conn *requester, struct mproto_ready *ready, uint32_t *n)
{
	identity_server();
	for (struct sfile *f = files; f; f = f->next) {
		if (f->minor < 0)
			continue;	/* a dma-buf's readiness is no event queue */
		f->mask = kworld_poll(f->handle);
		if (f->mask > 0 && (f->mask & POLLIN))
			f->waiting = 0;
	}
	for (struct conn *c = conns; c; c = c->next) {
		for (int i = 0; i < c->nfds && !c->dead; i++) {
			struct fdent *e = &c->fds[i];
			struct mproto_ready r = { e->progfd, 0, e->f->handle, e->f->mask };

			if (e->sent == e->f->mask || e->f->minor < 0)
				continue;
			if (c == requester && n && *n < MAX_READY) {
				ready[(*n)++] = r;
			} else {
				struct mproto_async a = { .op = MASYNC_READY, .progfd = r.progfd,
							  .file = r.file, .mask = r.mask };

				if (async_send(c, &a, -1, 1))
					break;
			}
			e->sent = e->f->mask;
		}
	}
}

/* ---- requests ------------------------------------------------------------------ */

static struct conn *client_by_id(int id)
{
	for (struct conn *c = conns; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static int op_hello(struct conn *c, const struct mproto_req *r, char *out, uint32_t *outlen)
{
	struct mproto_hello *h = (void *)out;
	struct mproto_fd *fds = (void *)(h + 1);
	struct pending *p = NULL;
	char path[64];
	FILE *f;

	if (c->id)
		return -EINVAL;
	/* An exec'ed image: its connection from before the exec closed at
	 * exec; its table waits for it (even if the close is not seen yet). */
	if (r->a[1])
		for (struct conn *old = conns; old; old = old->next)
			if (old != c && old->id && old->pid == c->pid && !old->dead)
				conn_retire(old);
	sweep();
	for (struct pending *q = pendings; q && !p; q = q->next)
		if ((r->a[0] && q->token == (uint64_t)r->a[0]) ||
		    (!r->a[0] && r->a[1] && q->pid == c->pid && !q->token))
			p = q;
	c->id = next_id++;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)c->pid);
	if ((f = fopen(path, "re"))) {
		if (fgets(c->comm, sizeof(c->comm), f))
			c->comm[strcspn(c->comm, "\n")] = 0;
		fclose(f);
	}
	h->server_pid = getpid();
	h->nfds = 0;
	if (p) {
		pending_unlink(p);
		for (int i = 0; i < p->nfds && i < MAX_CLIENT_FDS; i++) {
			/* The references move to the new table. */
			c->fds[c->nfds++] = p->fds[i];
			if ((char *)(fds + h->nfds + 1) <= out + MPROTO_MAX_PAYLOAD) {
				fds[h->nfds] = (struct mproto_fd){ .progfd = p->fds[i].progfd,
								   .minor = p->fds[i].f->minor,
								   .major = p->fds[i].f->major,
								   .file = p->fds[i].f->handle };
				h->nfds++;
			}
		}
		for (int i = MAX_CLIENT_FDS; i < p->nfds; i++)
			file_put(p->fds[i].f);
		free(p->fds);
		free(p);
	}
	*outlen = sizeof(*h) + h->nfds * sizeof(*fds);
	return c->id;
}

static int op_sysinfo(char *out, uint32_t *outlen)
{
	struct mproto_sysinfo *s = (void *)out;
	struct kworld_pci_dev devs[MPROTO_MAX_PCI];
	int n = kworld_pci_devices(devs, MPROTO_MAX_PCI);

	_Static_assert(sizeof(struct mproto_sysinfo) <= MPROTO_MAX_PAYLOAD, "sysinfo fits");
	memset(s, 0, sizeof(*s));
	s->npci = n < MPROTO_MAX_PCI ? n : MPROTO_MAX_PCI;
	for (int i = 0; i < s->npci; i++) {
		struct mproto_pci *p = &s->pci[i];

		p->bus = devs[i].bus;
		p->devfn = devs[i].devfn;
		p->vendor = devs[i].vendor;
		p->device = devs[i].device;
		p->subsystem_vendor = devs[i].subsystem_vendor;
		p->subsystem_device = devs[i].subsystem_device;
		p->revision = devs[i].revision;
		p->class_code = devs[i].class_code;
		snprintf(p->driver, sizeof(p->driver), "%s", devs[i].driver);
		for (int b = 0; b < 256; b++)
			p->config[b] = (uint8_t)host_pci_cfg_read(devs[i].devfn, b, 1);
	}
	for (int base = 0; base <= 128; base += 128)
		for (int minor = base; minor < base + 64 && s->nminors < MPROTO_MAX_MINORS; minor++) {
			struct mproto_minor *m = &s->minors[s->nminors];

			if (kworld_drm_minor_path(minor, m->path, sizeof(m->path)))
				break;
			if (kworld_drm_minor_driver(minor, m->driver, sizeof(m->driver)))
				m->driver[0] = 0;
			m->minor = minor;
			s->nminors++;
		}
	s->kfd_major = kworld_chrdev_major("kfd") > 0 ? (int32_t)kworld_chrdev_major("kfd") : 0;
	*outlen = sizeof(*s);
	return 0;
}

static long op_mmap(struct conn *c, const struct mproto_req *r, char *out, uint32_t *outlen)
{
	struct fdent *e = fd_find(c, (int)r->a[0]);
	void *addr = NULL;
	long ret;

	if (!e)
		return -EBADF;
	if (c->nmaps == MAX_CLIENT_MAPS)
		return -ENOMEM;
	if (r->a[1] <= 0 || (uint64_t)r->a[1] > (1ull << 40))
		return -EINVAL;
	/* Where the client puts its view (MAP_FIXED: a place of its own) is
	 * its business; the server's view goes anywhere. */
	ret = kworld_mmap(e->f->handle, (dh_size)r->a[1], (int)r->a[2], (int)r->a[3] & ~MAP_FIXED,
			  (dh_u64)r->a[4], &addr);
	if (ret)
		return ret;
	c->maps[c->nmaps++] = (struct smap){ .addr = (unsigned long)addr,
					     .len = ((unsigned long)r->a[1] + 4095) & ~4095ul };
	memcpy(out, &(uint64_t){ (uint64_t)(unsigned long)addr }, sizeof(uint64_t));
	*outlen = sizeof(uint64_t);
	return 0;
}

static struct smap *own_map(struct conn *c, unsigned long addr, int exact_start)
{
	for (int i = 0; i < c->nmaps; i++)
		if (exact_start ? addr == c->maps[i].addr
				: addr >= c->maps[i].addr && addr - c->maps[i].addr < c->maps[i].len)
			return &c->maps[i];
	return NULL;
}

static long op_read(struct conn *c, const struct mproto_req *r, char *out, uint32_t *outlen)
{
	struct fdent *e = fd_find(c, (int)r->a[0]);
	long fl, ret;

	if (!e)
		return -EBADF;
	if (r->a[2] < 0)
		return -EINVAL;
	fl = kworld_fcntl(e->f->handle, F_GETFL, 0);
	if (fl < 0)
		return fl;
	/* Never wait here: the client waits for readiness and asks again. */
	if (!(fl & O_NONBLOCK))
		kworld_fcntl(e->f->handle, F_SETFL, fl | O_NONBLOCK);
	ret = kworld_read(e->f->handle, (void *)(unsigned long)r->a[1], (dh_size)r->a[2]);
	if (!(fl & O_NONBLOCK))
		kworld_fcntl(e->f->handle, F_SETFL, fl);
	/* The client waits now: the kernel's timers run often until the
	 * file is readable. */
	e->f->waiting = ret == -EAGAIN && !(fl & O_NONBLOCK);
	memcpy(out, &(int32_t){ (int32_t)fl }, sizeof(int32_t));
	*outlen = sizeof(int32_t);
	return ret;
}

static struct sfile *file_by(long handle, uint64_t serial)
{
	for (struct sfile *f = files; f; f = f->next)
		if ((serial && f->serial == serial) || (!serial && f->handle == handle))
			return f;
	return NULL;
}

/* A dma-buf file into c's table: one its own ioctl just made (a kernel fd
 * nobody tracks yet), or one another client holds (by serial). */
static long op_adopt(struct conn *c, const struct mproto_req *r)
{
	struct sfile *f;
	long ret;

	if (r->a[2] < 0 || r->a[0] < 0 || r->a[0] > 2 || (r->a[0] == 2 && (r->a[3] < 0 || r->a[3] > 255)))
		return -EINVAL;
	if (r->a[0] == 1) {
		f = r->a[1] > 0 ? file_by(0, (uint64_t)r->a[1]) : NULL;
		if (!f || f->minor >= 0)
			return -EBADF;
	} else {
		if (r->a[1] < 0 || r->a[1] > 1 << 20 || file_by(r->a[1], 0))
			return -EBADF;
		if (kworld_fcntl(r->a[1], F_GETFL, 0) < 0)
			return -EBADF;
		f = calloc(1, sizeof(*f));
		if (!f)
			return -ENOMEM;
		/* a0 2: a DRM file (CREATE_LEASE's lessee) of minor a3. */
		*f = (struct sfile){ .handle = r->a[1], .serial = next_serial++,
				     .major = r->a[0] == 2 ? 226 : 0,
				     .minor = r->a[0] == 2 ? (int)r->a[3] : -1, .mask = -1,
				     .next = files };
		files = f;
	}
	ret = fd_add(c, (int)r->a[2], f);
	if (ret < 0 && !f->refs) {
		f->refs = 1;
		file_put(f);
	}
	/* The new one's name, or the kernel's fd of the adopted one. */
	return ret < 0 ? ret : r->a[0] != 1 ? (long)f->serial : f->handle;
}

/* One request of c: 0, or -1 when the connection is to end. */
static int serve(struct conn *c)
{
	static char in[MPROTO_MAX_PAYLOAD + 1], out[MPROTO_MAX_PAYLOAD];
	struct mproto_ready ready[MAX_READY];
	uint32_t outlen = 0, nready = 0;
	struct mproto_req r;
	struct fdent *e;
	struct smap *m;
	long ret = -ENOSYS;

	if (io_full(c->sock, &r, sizeof(r), 0))
		return -1;
	if (r.op == 0 || r.op >= MOP_LAST || r.len > MPROTO_MAX_PAYLOAD)
		return -1;
	if (r.len && io_full(c->sock, in, r.len, 0))
		return -1;
	in[r.len] = 0;
	if (!c->id && r.op > MOP_SYSINFO && r.op != MOP_HELLO)
		return reply(c, -EPERM, NULL, 0, NULL, 0);
	if (c->id)
		identity_of(c, r.tid);
	else
		identity_server();
	switch (r.op) {
	case MOP_HELLO:
		ret = op_hello(c, &r, out, &outlen);
		break;
	case MOP_ASYNC: {
		struct conn *owner = client_by_id((int)r.a[0]);

		if (c->id || !owner || owner->async >= 0 || owner->pid != c->pid)
			return reply(c, -EINVAL, NULL, 0, NULL, 0);
		if (reply(c, 0, NULL, 0, NULL, 0))
			return -1;
		/* This socket is owner's async channel from now on. */
		owner->async = c->sock;
		c->sock = -1;
		c->became_async = 1;
		return -1;
	}
	case MOP_PING:
		outlen = (uint32_t)snprintf(out, sizeof(out), "%s", device_list ? device_list : "bochs") + 1;
		ret = getpid();
		break;
	case MOP_STOP:
		stopping = 1;
		ret = 0;
		break;
	case MOP_SCREENSHOT: {
		int displays[MACHINE_MAX_DISPLAYS], n = machine_display_count(machine_get());

		for (int i = 0; i < n; i++)
			displays[i] = i;
		if (r.len < 2 || in[0] != '/' || strlen(in) != r.len - 1)
			ret = -EINVAL;
		else
			ret = n > 0 && png_write_displays(in, machine_get(), displays, n) == 0 ? 0 : -EIO;
		break;
	}
	case MOP_SYSINFO:
		ret = op_sysinfo(out, &outlen);
		break;
	case MOP_MMIO: {
		uint64_t phys = (uint64_t)r.a[0], v = 0;
		int size = (int)r.a[1], ok = 0;

		for (int i = 0; i < c->nmaps; i++)
			ok |= c->maps[i].mmio && (size == 4 || size == 8) && !(phys & (uint64_t)(size - 1)) &&
			      phys >= c->maps[i].phys && phys + (uint64_t)size <= c->maps[i].phys + c->maps[i].len;
		if (!ok) {
			ret = -EFAULT;
			break;
		}
		identity_of(c, r.tid);
		if (r.a[2])
			host_mmio_write(phys, size, (uint64_t)r.a[3]);
		else
			v = host_mmio_read(phys, size);
		identity_server();
		memcpy(out, &v, sizeof(v));
		outlen = sizeof(v);
		ret = 0;
		break;
	}
	case MOP_FB_INFO: {
		struct kworld_fb fb;

		ret = r.a[0] < 0 || r.a[0] > 31 ? -EINVAL : kworld_fb_info((unsigned)r.a[0], &fb);
		if (!ret) {
			memcpy(out, &fb, sizeof(fb));
			outlen = sizeof(fb);
		}
		break;
	}
	case MOP_DEV_UEVENT:
		memset(out, 0, MPROTO_UEVENT_PATH);
		ret = kworld_dev_uevent((unsigned)r.a[0], (unsigned)r.a[1], (unsigned)r.a[2], out,
					MPROTO_UEVENT_PATH, out + MPROTO_UEVENT_PATH, 8192);
		if (ret >= 0)
			outlen = MPROTO_UEVENT_PATH + (uint32_t)ret;
		break;
	case MOP_OPEN: {
		struct sfile *f;

		/* DRM, fbdev, and amdkfd's one minor. */
		if (r.a[0] < 0 || r.a[0] > 255 || r.a[2] < 0 ||
		    (r.a[3] != 226 && r.a[3] != 29 &&
		     !(r.a[3] == kworld_chrdev_major("kfd") && r.a[0] == 0))) {
			ret = -EINVAL;
			break;
		}
		/* What open(2) of the node hands the driver: the access mode and
		 * status flags; the fd's own flags stay the client's. */
		ret = kworld_open((unsigned)r.a[3], (unsigned)r.a[0],
				  (int)r.a[1] & (O_ACCMODE | O_NONBLOCK));
		if (ret < 0)
			break;
		f = calloc(1, sizeof(*f));
		if (!f) {
			kworld_close(ret);
			ret = -ENOMEM;
			break;
		}
		*f = (struct sfile){ .handle = ret, .serial = next_serial++, .major = (int)r.a[3],
				     .minor = (int)r.a[0],
				     .mask = -1, .next = files };
		files = f;
		if (fd_add(c, (int)r.a[2], f) < 0) {
			f->refs = 1;
			file_put(f);
			ret = -EMFILE;
		}
		break;
	}
	case MOP_CLOSE:
		ret = fd_del(c, (int)r.a[0]);
		break;
	case MOP_DUP:
		e = fd_find(c, (int)r.a[0]);
		ret = !e ? -EBADF : r.a[1] < 0 ? -EINVAL : r.a[0] == r.a[1] ? 0 : fd_add(c, (int)r.a[1], e->f);
		break;
	case MOP_IOCTL:
		e = fd_find(c, (int)r.a[0]);
		ret = e ? kworld_ioctl(e->f->handle, (unsigned)r.a[1], (unsigned long)r.a[2]) : -EBADF;
		break;
	case MOP_READ:
		ret = op_read(c, &r, out, &outlen);
		break;
	case MOP_FCNTL:
		e = fd_find(c, (int)r.a[0]);
		ret = !e ? -EBADF : (r.a[1] != F_GETFL && r.a[1] != F_SETFL) ? -EINVAL
		      : kworld_fcntl(e->f->handle, (unsigned)r.a[1], (unsigned long)r.a[2]);
		break;
	case MOP_FDINFO:
		e = fd_find(c, (int)r.a[0]);
		ret = e ? kworld_fdinfo(e->f->handle, (int)r.a[1], (int)r.a[2], out, 4096) : -EBADF;
		if (ret > 0)
			outlen = (uint32_t)ret;
		break;
	case MOP_POLL:
		e = fd_find(c, (int)r.a[0]);
		ret = e ? kworld_poll(e->f->handle) : -EBADF;
		break;
	case MOP_MMAP:
		ret = op_mmap(c, &r, out, &outlen);
		break;
	case MOP_MUNMAP:
		m = own_map(c, (unsigned long)r.a[0], 1);
		if (!m || (unsigned long)r.a[1] == 0 ||
		    (((unsigned long)r.a[1] + 4095) & ~4095ul) != m->len) {
			ret = -EINVAL;
			break;
		}
		ret = kworld_munmap((void *)m->addr, m->len);
		if (!ret)
			*m = c->maps[--c->nmaps];
		break;
	case MOP_FAULT: {
		struct smap *m = own_map(c, (unsigned long)r.a[0], 0);
		uint64_t phys;

		/* Only the range's own client faults it in. A register page
		 * (mapped when the file was, before the client knew the range)
		 * is the client's to run: its bus address, ret 1. */
		if (m && !host_vm_mmio_phys((unsigned long)r.a[0], &phys)) {
			m->mmio = 1;
			m->phys = phys - (((unsigned long)r.a[0] & ~4095ul) - m->addr);
			memcpy(out, &phys, sizeof(phys));
			outlen = sizeof(phys);
			ret = 1;
			break;
		}
		ret = m ? kworld_fault((unsigned long)r.a[0], !!r.a[1]) : -EFAULT;
		break;
	}
	case MOP_SNAPSHOT: {
		struct pending *p = snapshot(c);

		if (p) {
			p->token = next_token++;
			ret = (long)p->token;
		} else {
			ret = -ENOMEM;
		}
		break;
	}
	case MOP_ADOPT:
		ret = op_adopt(c, &r);
		break;
	case MOP_SNAPSHOT_PID:
		ret = -ENOENT;
		for (struct pending *p = pendings; p; p = p->next)
			if (p->token == (uint64_t)r.a[0] && p->token) {
				if (r.a[1] <= 0) {
					pending_unlink(p);
					pending_free(p);
				} else {
					p->pid = (pid_t)r.a[1];
				}
				ret = 0;
				break;
			}
		break;
	}
	last_kernel_call = now_s();
	if (c->id)
		refresh_readiness(c, ready, &nready);
	identity_server();
	if (reply(c, ret, out, outlen, ready, nready))
		return -1;
	return c->dead ? -1 : 0;
}

/* ---- the server's life ---------------------------------------------------------- */

static int accept_one(void)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	struct conn *c;

	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) || !(c = calloc(1, sizeof(*c)))) {
		close(fd);
		return -1;
	}
	c->sock = fd;
	c->async = -1;
	c->pid = cred.pid;
	c->uid = cred.uid;
	c->gid = cred.gid;
	c->next = conns;
	conns = c;
	return 0;
}

static void noop_done(void)
{
}

static long tick(void *arg)
{
	(void)arg;
	noop_done();
	return 0;
}

int machine_server_step(int timeout_ms)
{
	struct pollfd pfds[256];
	struct conn *who[256];
	int n = 0, has_files = 0, waiting = 0;
	double period;

	pfds[n++] = (struct pollfd){ listen_fd, POLLIN, 0 };
	for (struct conn *c = conns; c && n < 256; c = c->next) {
		if (c->sock < 0)
			continue;
		who[n] = c;
		pfds[n++] = (struct pollfd){ c->sock, POLLIN, 0 };
		has_files |= c->nfds > 0;
	}
	for (struct sfile *f = files; f; f = f->next)
		waiting |= f->waiting;
	/* Timers of the kernel world (host clock) run while a client's file
	 * is open: a client may be waiting for what they bring (every 1 ms
	 * while one is known to wait in a read, else every 10 ms). */
	period = waiting ? 0.001 : 0.01;
	if (has_files && (timeout_ms < 0 || timeout_ms > period * 1000))
		timeout_ms = (int)(period * 1000);
	if (poll(pfds, n, timeout_ms) < 0 && errno != EINTR)
		return -1;
	if (pfds[0].revents & POLLIN)
		accept_one();
	for (int i = 1; i < n; i++) {
		if (!pfds[i].revents || who[i]->dead || who[i]->sock < 0)
			continue;
		if (serve(who[i])) {
			if (who[i]->became_async) {
				conn_unlink(who[i]);
				free(who[i]);
			} else {
				conn_retire(who[i]);
			}
		}
	}
	/* Clients found gone while serving another. */
	for (struct conn *c = conns, *next; c; c = next) {
		next = c->next;
		if (c->dead)
			conn_drop(c);
	}
	if (has_files && now_s() - last_kernel_call >= period) {
		identity_server();
		kworld_run(tick, NULL, "server-tick");
		last_kernel_call = now_s();
		refresh_readiness(NULL, NULL, NULL);
	}
	if (now_s() - last_sweep > 0.2)
		sweep();
	return stopping ? 1 : 0;
}

int machine_server_listen(const char *name, const char *devices)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	device_list = devices;
	if (mproto_socket_path(name, sock_path, sizeof(sock_path), 1)) {
		fprintf(stderr, "drmsim machine: bad machine name '%s'\n", name);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A socket nobody answers on is a dead machine's: take its place. */
	{
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			fprintf(stderr, "drmsim machine: '%s' is already running (%s)\n", name,
				sock_path);
			close(probe);
			close(fd);
			return -1;
		}
		if (probe >= 0)
			close(probe);
	}
	unlink(sock_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64)) {
		perror(sock_path);
		close(fd);
		return -1;
	}
	listen_fd = fd;
	host_vm_mirror = mirror;
	signal(SIGPIPE, SIG_IGN);
	last_sweep = last_kernel_call = now_s();
	return 0;
}

void machine_server_close(void)
{
	stopping = 1;
	while (conns)
		conn_drop(conns);
	while (pendings) {
		struct pending *p = pendings;

		pendings = p->next;
		pending_free(p);
	}
	if (listen_fd >= 0) {
		close(listen_fd);
		unlink(sock_path);
	}
	listen_fd = -1;
	host_vm_mirror = NULL;
}
