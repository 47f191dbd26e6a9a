/*
 * The wire protocol between a running machine (`drmsim machine start`,
 * harness/machine_server.c) and the processes attached to it (the shim in
 * attach mode, harness/shim/remote.c; `drmsim machine list|stop|screenshot`).
 *
 * Two UNIX stream connections per client process:
 *   main   the client's requests, one at a time (struct mproto_req + len
 *          payload bytes), each answered by struct mproto_rep + len payload
 *          bytes + nready struct mproto_ready (readiness of the client's
 *          own card fds that changed during the call);
 *   async  opened after HELLO with MOP_ASYNC(client id): the server's
 *          messages to a client between its requests (struct mproto_async):
 *          mapping changes the kernel makes (MAP, ZAP, PROT: a TLB
 *          shootdown, acknowledged with one byte before the kernel goes on)
 *          and readiness changes caused by other processes (READY, no ack).
 *          A MAP whose memfd the client has not seen yet carries it as
 *          SCM_RIGHTS.
 * User memory is not sent: the server reads and writes the client's
 * address space (process_vm_readv/writev on its SO_PEERCRED pid) at the
 * addresses the request names, as the kernel would. Results are as the
 * system call returns them (>= 0 or a negative errno).
 *
 * A dma-buf fd (PRIME) is, in the client, a memfd named
 * "drmsim-dmabuf:SERVERPID:SERIAL" (MPROTO_DMABUF_NAME) standing for the
 * server's file: passed to another process over a UNIX socket it names
 * the same file, which that process adopts (MOP_ADOPT) on first use.
 */
#ifndef DRMSIM_MACHINE_PROTO_H
#define DRMSIM_MACHINE_PROTO_H

#include <stdint.h>

#define MPROTO_MAX_PAYLOAD 65536
#define MPROTO_UEVENT_PATH 256
#define MPROTO_DMABUF_NAME "drmsim-dmabuf:%d:%llu"

enum mproto_op {
	MOP_HELLO = 1,	/* a0 fork token (0: none), a1 1: adopt the files this pid held before exec
			 * -> ret client id; payload struct mproto_hello + nfds entries */
	MOP_ASYNC,	/* a0 client id: this connection is that client's async channel */
	MOP_PING,	/* -> ret server pid; payload the machine's device list */
	MOP_STOP,	/* the server closes every client's files and exits */
	MOP_SCREENSHOT,	/* payload: NUL-terminated absolute path -> 0 */
	MOP_SYSINFO,	/* -> payload struct mproto_sysinfo */
	MOP_OPEN,	/* a0 minor, a1 flags, a2 program fd, a3 major (226 DRM,
			 * 29 fbdev) -> file id */
	MOP_CLOSE,	/* a0 program fd */
	MOP_DUP,	/* a0 old program fd, a1 new program fd */
	MOP_IOCTL,	/* a0 program fd, a1 request, a2 argument (client address) */
	MOP_READ,	/* a0 program fd, a1 buffer (client address), a2 length: never
			 * blocks; payload int32 f_flags (the client waits on readiness
			 * and retries when the file is blocking) */
	MOP_FCNTL,	/* a0 program fd, a1 cmd (F_GETFL, F_SETFL), a2 arg */
	MOP_FDINFO,	/* a0 program fd, a1 fd_flags, a2 mnt_id -> payload the text */
	MOP_MMAP,	/* a0 program fd, a1 length, a2 prot, a3 flags, a4 offset
			 * -> payload uint64 server address of the mapping */
	MOP_MUNMAP,	/* a0 server address, a1 length */
	MOP_FAULT,	/* a0 server address, a1 write -> ret 0; or ret 1 and payload
			 * the 8-byte bus address of a register page, whose
			 * accesses the client runs as MOP_MMIO */
	MOP_SNAPSHOT,	/* before fork(): -> ret token for the child's HELLO */
	MOP_SNAPSHOT_PID, /* a0 token, a1 child pid (-1: fork failed, drop it) */
	MOP_POLL,	/* a0 program fd -> poll mask */
	MOP_ADOPT,	/* a dma-buf (PRIME) file as program fd a2: a0 0 and a1 the kernel
			 * fd our PRIME_HANDLE_TO_FD just made, or a0 1 and a1 the file's
			 * serial (a placeholder received from another process)
			 * -> ret the new file's serial (a0 0), the kernel fd of the
			 * adopted one (a0 1); a0 2: a DRM file (a lessee) of minor a3
			 * that our CREATE_LEASE made, kernel fd a1 -> its serial */
	MOP_DEV_UEVENT,	/* a0 major, a1 minor, a2 levels up (kworld_dev_uevent)
			 * -> ret the text's length; payload the kobject path
			 * (MPROTO_UEVENT_PATH bytes, NUL-padded), then the text */
	MOP_FB_INFO,	/* a0 fbN -> payload struct kworld_fb (kworld_fb_info) */
	MOP_MMIO,	/* a device access through a register page the server mapped
			 * to this client (MOP_FAULT's ret 1): a0 bus address, a1 size,
			 * a2 1 write / 0 read, a3 the value written -> ret 0;
			 * payload the 8-byte value read */
	MOP_LAST
};

struct mproto_req {
	uint32_t op;
	uint32_t len;		/* payload bytes that follow */
	int32_t tid;		/* the calling thread (current->pid) */
	uint32_t pad;
	int64_t a[6];
};

struct mproto_rep {
	int64_t ret;
	uint32_t len;		/* payload bytes that follow */
	uint32_t nready;	/* struct mproto_ready entries after the payload */
};

struct mproto_ready {
	int32_t progfd;
	int32_t pad;
	int64_t file;
	int64_t mask;
};

struct mproto_hello {
	int32_t server_pid;
	uint32_t nfds;		/* struct mproto_fd entries follow */
};

struct mproto_fd {
	int32_t progfd, minor;
	int32_t major, pad;	/* 226 (DRM) or 29 (fbdev) */
	int64_t file;
};

#define MPROTO_MAX_PCI 32
#define MPROTO_MAX_MINORS 32
struct mproto_minor {
	int32_t minor;
	char path[256];
	char driver[64];
};

struct mproto_pci {
	uint32_t bus, devfn;
	uint32_t vendor, device, subsystem_vendor, subsystem_device;
	uint32_t revision, class_code;
	char driver[32];
	uint8_t config[256];
};

struct mproto_sysinfo {
	int32_t npci, nminors;
	int32_t kfd_major;	/* amdkfd's /dev/kfd, 0 if the machine has none */
	struct mproto_pci pci[MPROTO_MAX_PCI];
	struct mproto_minor minors[MPROTO_MAX_MINORS];
};

enum mproto_async_op { MASYNC_MAP = 1, MASYNC_ZAP, MASYNC_PROT, MASYNC_READY };

struct mproto_async {
	uint32_t op;
	int32_t memfd;		/* MAP: the server's number for the memfd */
	uint64_t addr, len;	/* server addresses */
	uint64_t off;		/* MAP: offset in the memfd */
	int32_t prot;		/* MAP, PROT */
	int32_t progfd;		/* READY */
	int64_t file, mask;	/* READY */
};

/* The socket of machine name: $XDG_RUNTIME_DIR/drmsim/NAME.sock, else
 * /tmp/drmsim-UID/NAME.sock; with mkdir, its directory is created. 0, or
 * -1 if name is not a plain name or the path does not fit. */
int mproto_socket_path(const char *name, char *buf, unsigned long len, int mkdir);
/* A new connection to machine name's socket (close-on-exec), or -1. */
int mproto_connect(const char *name);
/* Sends (out) or receives all len bytes on fd: 0, or -1 on EOF, an error
 * or (timeout_ms >= 0) a wait for the socket longer than timeout_ms. */
int mproto_full(int fd, void *buf, unsigned long len, int out, int timeout_ms);
/* The directory of those sockets. */
int mproto_socket_dir(char *buf, unsigned long len, int mkdir);

#endif
