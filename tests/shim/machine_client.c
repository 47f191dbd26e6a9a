/*
 * Clients of a running machine (`drmsim machine start`, attached with
 * `drmsim shim --machine NAME`), one role per scenario; each prints
 * "machine_client ROLE: 0 failures" when every check held.
 *   two      the first process is master and sets a mode; a second one
 *            (spawned, attached on its own) is not master, gets a magic the
 *            first authenticates, and sees the same connectors
 *   fork     a fork child uses the inherited fd and closes it; the parent's
 *            still works; a flip's event goes to whichever process reads
 *   exec     a card fd without FD_CLOEXEC survives exec (the same file:
 *            still master), one with it is gone
 *   flipper  master, sets a mode, says "ready" and flips until killed
 *   master   opens card0 and must be master (sets a mode)
 *   draw     master, maps a dumb buffer, fills left half red and right half
 *            blue, shows it, says "ready" and waits for a line on stdin
 *   shootdown  a second process maps a fresh dumb buffer (system pages) and
 *            fills it red; the first (master) shows it, which moves it to
 *            VRAM and zaps the second's mapping while it is idle; the
 *            second then fills it blue, which must land in VRAM (says
 *            "ready WxH", waits for a line on stdin)
 *   prime    exports a dumb buffer it filled as a dma-buf fd and sends it
 *            over a UNIX socket (SCM_RIGHTS) to a second process, which
 *            imports it (PRIME_FD_TO_HANDLE) and sees the pixels through
 *            its own handle's mapping and by mapping the dma-buf itself
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kms_util.h"

extern char **environ;
static int failures;
static const char *role = "?";

#define CHECK(cond, ...)							\
	do {									\
		if (!(cond)) {							\
			printf("machine_client %s: FAIL %s:%d: ", role, __FILE__, __LINE__); \
			printf(__VA_ARGS__);					\
			printf(" (errno %s)\n", strerror(errno));		\
			failures++;						\
		}								\
	} while (0)

static int done(void)
{
	printf("machine_client %s: %d failures\n", role, failures);
	fflush(stdout);
	return failures ? 1 : 0;
}

static int open_card(int cloexec)
{
	int fd = open("/dev/dri/card0", O_RDWR | (cloexec ? O_CLOEXEC : 0));

	if (fd < 0)
		kms_die("open /dev/dri/card0");
	return fd;
}

/* The connector ids and states, as text. */
static void connectors(int fd, char *buf, size_t len)
{
	drmModeResPtr res = drmModeGetResources(fd);
	size_t n = 0;

	buf[0] = 0;
	for (int i = 0; res && i < res->count_connectors; i++) {
		drmModeConnectorPtr c = drmModeGetConnector(fd, res->connectors[i]);

		if (c)
			n += snprintf(buf + n, len - n, "%u:%d:%d ", c->connector_id, c->connection,
				      c->count_modes);
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
}

static int is_master(int fd)
{
	return drmIsMaster(fd);
}

/* ---- two processes ----------------------------------------------------------------- */

static int second(int to_first, int from_first, const char *first_conns)
{
	int fd = open_card(1);
	drm_magic_t magic = 0;
	struct kms k;
	char conns[512], ok[3] = "";
	drmModeResPtr res;
	uint32_t conn_id;

	role = "two-second";
	CHECK(!is_master(fd), "a second process is not master");
	CHECK(drmSetMaster(fd) != 0, "SET_MASTER fails while the first is master");
	res = drmModeGetResources(fd);
	CHECK(res && res->count_crtcs > 0 && res->count_connectors > 0, "GETRESOURCES");
	if (res) {
		drmModeConnectorPtr c = drmModeGetConnector(fd, res->connectors[0]);

		conn_id = res->connectors[0];
		/* A mode set without master: EACCES (the first one's fb is
		 * not ours anyway, so use none and the current mode). */
		CHECK(c && c->count_modes, "connector modes");
		if (c && c->count_modes) {
			errno = 0;
			CHECK(drmModeSetCrtc(fd, res->crtcs[0], 0, 0, 0, &conn_id, 1, &c->modes[0]) != 0 &&
			      errno == EACCES, "SETCRTC without master is EACCES");
		}
		drmModeFreeConnector(c);
		drmModeFreeResources(res);
	}
	(void)k;
	CHECK(drmGetMagic(fd, &magic) == 0 && magic != 0, "GET_MAGIC");
	CHECK(drmAuthMagic(fd, magic) != 0 && errno == EACCES, "AUTH_MAGIC needs master");
	connectors(fd, conns, sizeof(conns));
	CHECK(!strcmp(conns, first_conns), "same connectors: '%s' vs the first's '%s'", conns,
	      first_conns);
	CHECK(write(to_first, &magic, sizeof(magic)) == sizeof(magic), "send magic");
	CHECK(read(from_first, ok, 2) == 2 && !strcmp(ok, "ok"), "the first authenticated us");
	close(fd);
	return done();
}

static int two(const char *self)
{
	int fd = open_card(1), to_second[2], from_second[2], status;
	struct kms k;
	char conns[512], a0[16], a1[16];
	drm_magic_t magic = 0;
	pid_t pid;

	role = "two-first";
	CHECK(is_master(fd), "the first process is master");
	kms_setup(&k, fd);
	connectors(fd, conns, sizeof(conns));
	CHECK(pipe(to_second) == 0 && pipe(from_second) == 0, "pipes");
	snprintf(a0, sizeof(a0), "%d", from_second[1]);
	snprintf(a1, sizeof(a1), "%d", to_second[0]);
	/* posix_spawn: no fork() of ours; the child attaches as a process
	 * of its own. */
	CHECK(posix_spawn(&pid, self, NULL, NULL,
			  (char *[]){ (char *)self, "two-second", a0, a1, conns, NULL }, environ) == 0,
	      "spawn the second");
	close(from_second[1]);
	close(to_second[0]);
	CHECK(read(from_second[0], &magic, sizeof(magic)) == sizeof(magic), "magic from the second");
	CHECK(drmAuthMagic(fd, magic) == 0, "the master authenticates the second's magic %u", magic);
	CHECK(write(to_second[1], "ok", 2) == 2, "tell the second");
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status),
	      "the second process passed");
	CHECK(is_master(fd), "still master");
	return done();
}

/* ---- fork ---------------------------------------------------------------------------- */

static int read_flip_event(int fd, uint64_t *user_data, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char buf[1024];
	ssize_t n;

	if (poll(&p, 1, timeout_ms) != 1)
		return -1;
	n = read(fd, buf, sizeof(buf));
	for (ssize_t off = 0; off + (ssize_t)sizeof(struct drm_event) <= n;) {
		struct drm_event *e = (void *)(buf + off);

		if (e->type == DRM_EVENT_FLIP_COMPLETE) {
			*user_data = ((struct drm_event_vblank *)e)->user_data;
			return 0;
		}
		off += e->length;
	}
	return -1;
}

static int child_status(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int forked(void)
{
	int fd = open_card(1), fl;
	struct kms k;
	drmVersionPtr v;
	uint64_t ud = 0;
	char buf[256];
	pid_t pid;

	role = "fork";
	kms_setup(&k, fd);
	pid = fork();
	if (pid == 0) {
		drmVersionPtr cv = drmGetVersion(fd);
		drmModeResPtr res = drmModeGetResources(fd);
		int ok = cv && !strcmp(cv->name, "bochs-drm") && res && res->count_crtcs > 0;

		/* The same open file: master as the parent's is. */
		ok = ok && is_master(fd);
		close(fd);
		_exit(ok ? 0 : 3);
	}
	CHECK(pid > 0 && child_status(pid) == 0,
	      "the child's GET_VERSION/GETRESOURCES on the inherited fd");

	/* A mapping the child inherits: it reads what the parent wrote and
	 * writes what the parent then reads (the same buffer). */
	{
		struct drm_mode_map_dumb md = { .handle = k.handle[0] };
		volatile uint32_t *px;

		if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
			kms_die("MAP_DUMB");
		px = mmap(NULL, k.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
		if (px == MAP_FAILED)
			kms_die("mmap");
		px[0] = 0x11223344;
		pid = fork();
		if (pid == 0) {
			int ok = px[0] == 0x11223344;

			px[k.size / 4 - 1] = 0x55667788;	/* a page the parent never touched */
			_exit(ok ? 0 : 5);
		}
		CHECK(pid > 0 && child_status(pid) == 0, "the child reads the inherited mapping");
		CHECK(px[k.size / 4 - 1] == 0x55667788, "the parent reads what the child wrote");
		munmap((void *)px, k.size);
	}
	v = drmGetVersion(fd);
	CHECK(v && !strcmp(v->name, "bochs-drm"), "the parent's fd after the child closed its copy");
	drmFreeVersion(v);
	CHECK(is_master(fd), "the parent is still master");

	/* A flip's event: the child reads it. */
	CHECK(kms_flip(&k, 0x1234) == 0, "flip 1");
	pid = fork();
	if (pid == 0) {
		uint64_t got = 0;

		_exit(read_flip_event(fd, &got, 5000) == 0 && got == 0x1234 ? 0 : 4);
	}
	CHECK(pid > 0 && child_status(pid) == 0, "the child read the flip's event");
	/* ... so the parent finds none: the queue is the file's. */
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	errno = 0;
	CHECK(read(fd, buf, sizeof(buf)) < 0 && errno == EAGAIN, "no event left for the parent");
	fcntl(fd, F_SETFL, fl);
	/* The next flip's event: the parent reads it (a blocking read). */
	CHECK(kms_flip(&k, 0x5678) == 0, "flip 2");
	CHECK(read_flip_event(fd, &ud, 5000) == 0 && ud == 0x5678, "the parent read flip 2's event");
	return done();
}

/* ---- exec ------------------------------------------------------------------------------- */

static int exec_before(const char *self)
{
	int keep = open_card(0), gone = open_card(1);
	struct kms k;
	char a0[16], a1[16];

	role = "exec";
	kms_setup(&k, keep);
	CHECK(is_master(keep), "master before exec");
	snprintf(a0, sizeof(a0), "%d", keep);
	snprintf(a1, sizeof(a1), "%d", gone);
	fflush(stdout);
	execl(self, self, "exec-after", a0, a1, (char *)NULL);
	kms_die("exec");
	return 1;
}

static int exec_after(int keep, int gone)
{
	drmVersionPtr v = drmGetVersion(keep);

	role = "exec-after";
	CHECK(v && !strcmp(v->name, "bochs-drm"), "the fd without FD_CLOEXEC survived exec");
	drmFreeVersion(v);
	CHECK(is_master(keep), "the same open file: still master");
	CHECK(fcntl(gone, F_GETFD) < 0 && errno == EBADF, "the O_CLOEXEC fd is gone");
	return done();
}

/* ---- for the shell's scenarios ------------------------------------------------------------ */

static int flipper(void)
{
	int fd = open_card(1);
	struct kms k;
	uint64_t ud;

	role = "flipper";
	kms_setup(&k, fd);
	printf("machine_client flipper: ready\n");
	fflush(stdout);
	for (uint64_t i = 0;; i++)
		if (kms_flip(&k, i) == 0)
			read_flip_event(fd, &ud, 1000);
	return 0;
}

static int master(void)
{
	int fd = open_card(1);
	struct kms k;

	role = "master";
	CHECK(is_master(fd), "master at open (the killed client's was dropped)");
	kms_setup(&k, fd);
	CHECK(drmSetMaster(fd) == 0, "SET_MASTER");
	return done();
}

static int draw(void)
{
	int fd = open_card(1);
	struct kms k;
	struct drm_mode_map_dumb md = { 0 };
	uint32_t *px;
	char line[16];

	role = "draw";
	kms_setup(&k, fd);
	md.handle = k.handle[0];
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		kms_die("MAP_DUMB");
	px = mmap(NULL, k.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
	if (px == MAP_FAILED)
		kms_die("mmap");
	for (uint32_t y = 0; y < k.mode.vdisplay; y++)
		for (uint32_t x = 0; x < k.mode.hdisplay; x++)
			px[y * (k.pitch / 4) + x] = x < k.mode.hdisplay / 2 ? 0xff0000 : 0x0000ff;
	CHECK(px[0] == 0xff0000 && px[k.mode.hdisplay - 1] == 0x0000ff, "the mapping reads back");
	drmModeDirtyFB(fd, k.fb[0], NULL, 0);
	printf("machine_client draw: ready %ux%u\n", k.mode.hdisplay, k.mode.vdisplay);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	CHECK(munmap(px, k.size) == 0, "munmap");
	return done();
}

/* ---- a zap by another process's call ------------------------------------------------ */

static void fill(uint32_t *px, const struct kms *k, uint32_t w, uint32_t h, uint32_t pitch,
		 uint32_t color)
{
	(void)k;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			px[y * (pitch / 4) + x] = color;
}

static int shootdown_mapper(int to_first, int from_first, uint32_t w, uint32_t h)
{
	int fd = open_card(1);
	struct drm_mode_create_dumb cd = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_map_dumb md = { 0 };
	uint32_t fb, *px;
	char go[3] = "";

	role = "shootdown-mapper";
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd) ||
	    drmModeAddFB(fd, w, h, 24, 32, cd.pitch, cd.handle, &fb))
		kms_die("CREATE_DUMB/ADDFB");
	md.handle = cd.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		kms_die("MAP_DUMB");
	px = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
	if (px == MAP_FAILED)
		kms_die("mmap");
	fill(px, NULL, w, h, cd.pitch, 0xff0000);
	CHECK(write(to_first, &fb, sizeof(fb)) == sizeof(fb), "send the fb");
	CHECK(read(from_first, go, 2) == 2, "the first showed it");
	/* The buffer moved to VRAM meanwhile: these writes refault there. */
	fill(px, NULL, w, h, cd.pitch, 0x0000ff);
	CHECK(px[0] == 0x0000ff, "reads back");
	CHECK(write(to_first, "ok", 2) == 2, "say drawn");
	CHECK(read(from_first, go, 2) == 2, "wait for the end");
	munmap(px, cd.size);
	close(fd);
	return done();
}

static int shootdown(const char *self)
{
	int fd = open_card(1), to_second[2], from_second[2];
	struct kms k;
	char a0[16], a1[16], a2[16], a3[16], ok[3] = "", line[16];
	uint32_t fb = 0;
	pid_t pid;

	role = "shootdown";
	kms_setup(&k, fd);
	CHECK(pipe(to_second) == 0 && pipe(from_second) == 0, "pipes");
	snprintf(a0, sizeof(a0), "%d", from_second[1]);
	snprintf(a1, sizeof(a1), "%d", to_second[0]);
	snprintf(a2, sizeof(a2), "%u", k.mode.hdisplay);
	snprintf(a3, sizeof(a3), "%u", k.mode.vdisplay);
	CHECK(posix_spawn(&pid, self, NULL, NULL,
			  (char *[]){ (char *)self, "shootdown-mapper", a0, a1, a2, a3, NULL },
			  environ) == 0, "spawn the mapper");
	close(from_second[1]);
	close(to_second[0]);
	CHECK(read(from_second[0], &fb, sizeof(fb)) == sizeof(fb), "the mapper's fb");
	/* Showing it pins it in VRAM: the mapper's pages are zapped. */
	CHECK(drmModeSetCrtc(fd, k.crtc, fb, 0, 0, &k.conn, 1, &k.mode) == 0, "SETCRTC the mapper's fb");
	CHECK(write(to_second[1], "go", 2) == 2, "go");
	CHECK(read(from_second[0], ok, 2) == 2, "drawn");
	printf("machine_client shootdown: ready %ux%u\n", k.mode.hdisplay, k.mode.vdisplay);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	CHECK(write(to_second[1], "go", 2) == 2, "end");
	CHECK(child_status(pid) == 0, "the mapper passed");
	return done();
}

/* ---- PRIME between processes ------------------------------------------------------------ */

#define PRIME_W 256
#define PRIME_H 64
#define PRIME_PIXEL(x, y) (0xff000000u | (x) << 8 | (y))

static int check_pixels(const uint32_t *px, uint32_t pitch)
{
	for (uint32_t y = 0; y < PRIME_H; y++)
		for (uint32_t x = 0; x < PRIME_W; x++)
			if (px[y * (pitch / 4) + x] != PRIME_PIXEL(x, y))
				return 0;
	return 1;
}

static int prime_second(int sock)
{
	int fd = open_card(1), dmafd = -1;
	char byte, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	struct drm_mode_map_dumb md = { 0 };
	uint32_t handle = 0, pitch = 0, *px;
	size_t size;

	role = "prime-second";
	CHECK(recvmsg(sock, &msg, 0) == 1 && (cm = CMSG_FIRSTHDR(&msg)) && cm->cmsg_type == SCM_RIGHTS,
	      "receive the dma-buf fd");
	if (!failures)
		memcpy(&dmafd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	CHECK(read(sock, &pitch, sizeof(pitch)) == sizeof(pitch), "the pitch");
	size = (size_t)pitch * PRIME_H;
	CHECK(drmPrimeFDToHandle(fd, dmafd, &handle) == 0 && handle, "PRIME_FD_TO_HANDLE");
	md.handle = handle;
	CHECK(drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md) == 0, "MAP_DUMB of the imported handle");
	px = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, md.offset);
	CHECK(px != MAP_FAILED && check_pixels(px, pitch), "the exporter's pixels through our handle");
	if (px != MAP_FAILED)
		munmap(px, size);
	px = mmap(NULL, size, PROT_READ, MAP_SHARED, dmafd, 0);
	CHECK(px != MAP_FAILED && check_pixels(px, pitch), "the exporter's pixels by mapping the dma-buf");
	if (px != MAP_FAILED)
		munmap(px, size);
	CHECK(close(dmafd) == 0, "close the dma-buf");
	CHECK(write(sock, "k", 1) == 1, "say done");
	close(fd);
	return done();
}

static int prime(const char *self)
{
	int fd = open_card(1), sv[2], dmafd = -1;
	struct drm_mode_create_dumb cd = { .width = PRIME_W, .height = PRIME_H, .bpp = 32 };
	struct drm_mode_map_dumb md = { 0 };
	char a0[16], byte = 'f', ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	uint32_t *px, handle2 = 0;
	pid_t pid;

	role = "prime";
	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
		kms_die("CREATE_DUMB");
	md.handle = cd.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
		kms_die("MAP_DUMB");
	px = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
	if (px == MAP_FAILED)
		kms_die("mmap");
	for (uint32_t y = 0; y < PRIME_H; y++)
		for (uint32_t x = 0; x < PRIME_W; x++)
			px[y * (cd.pitch / 4) + x] = PRIME_PIXEL(x, y);
	CHECK(drmPrimeHandleToFD(fd, cd.handle, DRM_CLOEXEC | DRM_RDWR, &dmafd) == 0 && dmafd >= 0,
	      "PRIME_HANDLE_TO_FD");
	/* Our own import of our export is the same object. */
	CHECK(drmPrimeFDToHandle(fd, dmafd, &handle2) == 0 && handle2 == cd.handle,
	      "re-import gives the same handle (%u vs %u)", handle2, cd.handle);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	snprintf(a0, sizeof(a0), "%d", sv[1]);
	CHECK(posix_spawn(&pid, self, NULL, NULL, (char *[]){ (char *)self, "prime-second", a0, NULL },
			  environ) == 0, "spawn the importer");
	close(sv[1]);
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &dmafd, sizeof(int));
	CHECK(sendmsg(sv[0], &msg, 0) == 1, "send the dma-buf fd");
	CHECK(write(sv[0], &cd.pitch, sizeof(cd.pitch)) == sizeof(cd.pitch), "send the pitch");
	CHECK(read(sv[0], &byte, 1) == 1 && byte == 'k', "the importer is done");
	CHECK(child_status(pid) == 0, "the importer passed");
	CHECK(close(dmafd) == 0, "close our dma-buf fd");
	return done();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "two"))
		return two(argv[0]);
	if (argc >= 5 && !strcmp(argv[1], "two-second"))
		return second(atoi(argv[2]), atoi(argv[3]), argv[4]);
	if (argc >= 2 && !strcmp(argv[1], "fork"))
		return forked();
	if (argc >= 2 && !strcmp(argv[1], "exec"))
		return exec_before(argv[0]);
	if (argc >= 4 && !strcmp(argv[1], "exec-after"))
		return exec_after(atoi(argv[2]), atoi(argv[3]));
	if (argc >= 2 && !strcmp(argv[1], "flipper"))
		return flipper();
	if (argc >= 2 && !strcmp(argv[1], "master"))
		return master();
	if (argc >= 2 && !strcmp(argv[1], "draw"))
		return draw();
	if (argc >= 2 && !strcmp(argv[1], "prime"))
		return prime(argv[0]);
	if (argc >= 3 && !strcmp(argv[1], "prime-second"))
		return prime_second(atoi(argv[2]));
	if (argc >= 2 && !strcmp(argv[1], "shootdown"))
		return shootdown(argv[0]);
	if (argc >= 6 && !strcmp(argv[1], "shootdown-mapper"))
		return shootdown_mapper(atoi(argv[2]), atoi(argv[3]), (uint32_t)atoi(argv[4]),
					(uint32_t)atoi(argv[5]));
	fprintf(stderr, "usage: machine_client two|fork|exec|flipper|master|draw\n");
	return 2;
}
