/*
 * A fuzz input is a program of DRM client calls, decoded the way
 * syzkaller's dev_dri descriptions would generate them: every ioctl has a
 * description of its argument (which fields are resources, flags, counts,
 * pointers, modes), and resources the program creates (files, GEM handles,
 * framebuffers, blobs, syncobjs, PRIME and sync_file fds, leases, mmap
 * offsets and mappings) are remembered so later calls can name them.
 *
 * Encoding, all little-endian; a program is a sequence of calls, each an op
 * byte (op % number of ops) followed by its fields in description order.
 * Missing bytes read as zero, so every input is a valid program.
 *   value field:    byte s < 0xc0: the literal s, or, for a resource field
 *                   whose kind has entries, the (s % n)-th one; 0xc0 u8,
 *                   0xc1 u16, 0xc2 u32, 0xc3 u64 follow; 0xc4 all ones;
 *                   0xc5.. an interesting value (table below).
 *   flags field:    s < 0xc0 sets the flag bits of the mask that s's bits
 *                   select; otherwise as a value field.
 *   pointer field:  a selector byte (valid buffer, NULL, unmapped, kernel
 *                   address, misaligned, truncated at a guard page) and the
 *                   elements: resources, input bytes, or zeros for output.
 *   mode field:     a known mode of the card, a known mode with one field
 *                   changed, or 68 raw bytes.
 * Every program starts with card0 open as file 0; afterwards all its
 * descriptors are closed and its mappings unmapped.
 *
 * Client memory is a scratch area of this process; the kernel world's user
 * copies are confined to it and to client mappings (host_uaccess_confine),
 * so a garbage pointer is -EFAULT and can never reach the harness's memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <drm.h>
#include <drm_mode.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"
#include "ioctl_desc.h"
#include "ioctl_layout.h"
#include "program.h"

#define DRM_MAJOR 226
/* Longer than any periodic kernel work (output polling: 10 s), short
 * enough that a 32-bit jiffies count (HZ 100) lasts 10^6 programs. */
#define PROG_EPOCH_NS (20ull * 1000000000ull)

/* ---- resources -------------------------------------------------------- */

#define POOL_MAX 32

struct pool {
	uint64_t v[POOL_MAX];
	unsigned n, fixed, next;
};

static struct pool pools[R_NRES];

static void pool_add(enum res r, uint64_t v)
{
	struct pool *p = &pools[r];

	for (unsigned i = 0; i < p->n; i++)
		if (p->v[i] == v)
			return;
	if (p->n < POOL_MAX) {
		p->v[p->n++] = v;
		return;
	}
	/* Full: new resources replace the program's oldest ones. */
	p->v[p->fixed + p->next++ % (POOL_MAX - p->fixed)] = v;
}

/* ---- the card's fixed objects, learnt once ---------------------------- */

/* vmwgfx alone has 8 CRTCs, 8 primary planes and 8 connectors; a card with
 * at most 16 objects learns what it did before, so saved programs keep
 * their meaning. */
#define MAX_OBJS 64
#define MAX_OBJ_PROPS 24
#define MAX_PROPS 96
#define MAX_MODES 32

struct prop_info {
	uint32_t id, flags;
	uint64_t min, max;
	uint64_t enums[8];
	unsigned nenums;
	char name[DRM_PROP_NAME_LEN];
};

struct obj_info {
	uint32_t id, type;
	uint32_t props[MAX_OBJ_PROPS];
	unsigned nprops;
};

static struct prop_info props[MAX_PROPS];
static unsigned nprops;
static struct obj_info objs[MAX_OBJS];
static unsigned nobjs;
static struct drm_mode_modeinfo modes[MAX_MODES];
static unsigned nmodes;

/* ---- client memory ---------------------------------------------------- */

#define SCRATCH_SIZE (2u << 20)
static uint8_t *scratch;
static size_t scratch_used;

static void *salloc(size_t n)
{
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (n > SCRATCH_SIZE - scratch_used)
		return NULL;
	p = scratch + scratch_used;
	scratch_used += n;
	memset(p, 0, n);
	return p;
}

struct mapping {
	uint8_t *addr;
	size_t len;
	int writable;
};
#define MAX_MAPS 16
static struct mapping maps[MAX_MAPS];

/* ---- reading the input ------------------------------------------------- */

struct rd {
	const uint8_t *p;
	size_t n;
};

static uint64_t rd_bytes(struct rd *r, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		if (r->n) {
			v |= (uint64_t)*r->p++ << (8 * i);
			r->n--;
		}
	}
	return v;
}

static uint8_t rd_u8(struct rd *r)
{
	return (uint8_t)rd_bytes(r, 1);
}

static const uint64_t interesting[] = {
	0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x100, 0xfff, 0x1000, 0x7fff, 0x8000,
	0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
	/* DRM mode object types */
	0xcccccccc, 0xc0c0c0c0, 0xe0e0e0e0, 0xdededede, 0xb0b0b0b0, 0xfbfbfbfb,
	0xbbbbbbbb, 0xeeeeeeee,
	/* fourccs: XR24 AR24 RG16 C8 XB24 NV12 */
	0x34325258, 0x34325241, 0x36314752, 0x20203843, 0x34324258, 0x3231564e,
	4096 * 4, 1024 * 768 * 4,
};

/* Plane and CRTC geometry, plain and in 16.16 fixed point. */
static const uint64_t geometry[] = {
	0, 1, 64, 640, 480, 800, 600, 1024, 768, 1280, 720, 1920, 1080, 4096,
	8192, 16384, 1u << 16, 64u << 16, 640u << 16, 480u << 16, 1024u << 16,
	768u << 16, 4096u << 16,
};

/* The timing fields of struct drm_mode_modeinfo: offset, size. */
static const uint8_t mode_fields[][2] = {
	{ 0, 4 }, { 4, 2 }, { 6, 2 }, { 8, 2 }, { 10, 2 }, { 12, 2 }, { 14, 2 },
	{ 16, 2 }, { 18, 2 }, { 20, 2 }, { 22, 2 }, { 24, 4 }, { 28, 4 }, { 32, 4 },
};

static uint64_t rd_tagged(struct rd *r, uint8_t sel)
{
	switch (sel) {
	case 0xc0: return rd_bytes(r, 1);
	case 0xc1: return rd_bytes(r, 2);
	case 0xc2: return rd_bytes(r, 4);
	case 0xc3: return rd_bytes(r, 8);
	case 0xc4: return ~0ull;
	}
	return interesting[(sel - 0xc5) % (sizeof(interesting) / sizeof(interesting[0]))];
}

static uint64_t pick(enum res kind, unsigned idx, int *found);

static uint64_t rd_val(struct rd *r, enum res kind)
{
	uint8_t sel = rd_u8(r);
	int found = 0;
	uint64_t v;

	if (sel >= 0xc0)
		return rd_tagged(r, sel);
	if (kind != R_NONE) {
		v = pick(kind, sel, &found);
		if (found)
			return v;
	}
	return sel;
}

static uint64_t rd_flags(struct rd *r, uint64_t mask)
{
	uint8_t sel = rd_u8(r);
	uint64_t v = 0;
	unsigned bit = 0;

	if (sel >= 0xc0)
		return rd_tagged(r, sel);
	for (int i = 0; i < 64 && bit < 8; i++) {
		if (!(mask & (1ull << i)))
			continue;
		if (sel & (1u << bit))
			v |= 1ull << i;
		bit++;
	}
	return v;
}

/* Resources by kind; R_ANYFD spans files and other fds, R_OBJ every mode
 * object id. */
static uint64_t pick(enum res kind, unsigned idx, int *found)
{
	static const enum res anyfd[] = { R_FILE, R_KFD, R_AMDKFD };
	static const enum res anyobj[] = { R_CRTC, R_CONN, R_ENC, R_PLANE, R_FB, R_BLOB, R_PROP };
	const enum res *set = NULL;
	unsigned nset = 0, total = 0;

	*found = 0;
	if (kind == R_ANYFD)
		set = anyfd, nset = 3;
	else if (kind == R_OBJ)
		set = anyobj, nset = 7;
	if (!set) {
		if (kind >= R_NRES || !pools[kind].n)
			return 0;
		*found = 1;
		return pools[kind].v[idx % pools[kind].n];
	}
	for (unsigned i = 0; i < nset; i++)
		total += pools[set[i]].n;
	if (!total)
		return 0;
	idx %= total;
	for (unsigned i = 0; i < nset; i++) {
		if (idx < pools[set[i]].n) {
			*found = 1;
			return pools[set[i]].v[idx];
		}
		idx -= pools[set[i]].n;
	}
	return 0;
}


/* ---- the op table: core ioctls, then the card's driver's ----------------- */

/* The tables, each in a file of its own, compiled in this translation
 * unit (the drmsim and fuzz-target builds list program.c only). */
#include "ioctls_drm.c"
#include "ioctls_virtio_gpu.c"
#include "ioctls_vmwgfx.c"
#include "ioctls_amdgpu.c"
#include "ioctls_kfd.c"

static const struct ioctl_table core_ioctls = IOCTL_TABLE(NULL, ioctls_drm);
static const struct ioctl_table driver_tables[] = {
	IOCTL_TABLE("virtio_gpu", ioctls_virtio_gpu),
	IOCTL_TABLE("vmwgfx", ioctls_vmwgfx),
	IOCTL_TABLE_SETUP("amdgpu", ioctls_amdgpu, amdgpu_fuzz_setup),
};
/* Targets beside the devices' own (ioctl_desc.h). */
static const struct prog_iface ifaces[] = {
	{ "kfd", "amdgpu", "kfd", R_AMDKFD, 128, IOCTL_TABLE_SETUP("kfd", ioctls_kfd, kfd_fuzz_setup) },
};

/* The core table, empty for a target of another interface. */
static struct ioctl_table core_table;
/* The driver table of the card learnt at prog_setup() (n 0 if it has none),
 * or the interface's. */
static struct ioctl_table driver_table;
/* The target prog_target() chose, when not a card; its device's major. */
static const struct prog_iface *iface;
static unsigned int iface_major;
/* card0's DRM driver name, learnt at prog_setup(). */
static char card_driver[64];

/* Drivers whose cursor planes setup learns (and programs can name): an
 * atomic client of a driver with virtualized cursors (DRIVER_CURSOR_HOTSPOT)
 * sees them only with DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT
 * (drm_mode_getplane_res). virtio-gpu is not listed, so its learnt objects,
 * and what its saved programs name, stay as they were. */
static const char *const cursor_plane_drivers[] = { "vboxvideo" };

static unsigned int nioctls(void)
{
	return core_table.n + driver_table.n;
}

/* The i-th ioctl of the op table (i < nioctls()). */
static const struct ioctl_desc *ioctl_at(unsigned int i)
{
	return i < core_table.n ? &core_table.desc[i] : &driver_table.desc[i - core_table.n];
}

static void select_driver_table(const char *driver)
{
	core_table = iface ? (struct ioctl_table){ NULL, NULL, 0, NULL } : core_ioctls;
	driver_table = iface ? iface->table : (struct ioctl_table){ NULL, NULL, 0, NULL };
	if (iface)
		return;
	for (size_t i = 0; i < sizeof(driver_tables) / sizeof(driver_tables[0]); i++)
		if (!strcmp(driver, driver_tables[i].driver))
			driver_table = driver_tables[i];
}

int prog_nops(void)
{
	return OP_IOCTL_BASE + (int)nioctls();
}

int prog_ioctl_op(const char *name)
{
	for (unsigned i = 0; i < nioctls(); i++)
		if (!strcmp(ioctl_at(i)->name, name))
			return OP_IOCTL_BASE + (int)i;
	return -1;
}

int prog_target(const char *target, char *machine, size_t len)
{
	size_t base = strcspn(target, ":");

	iface = NULL;
	for (size_t i = 0; i < sizeof(ifaces) / sizeof(ifaces[0]); i++)
		if (strlen(ifaces[i].name) == base && !strncmp(target, ifaces[i].name, base))
			iface = &ifaces[i];
	if (snprintf(machine, len, "%s%s", iface ? iface->machine : "",
		     iface ? target + base : target) >= (int)len)
		return -1;
	return 0;
}

const char *prog_iface(void)
{
	return iface ? iface->name : NULL;
}

const char *prog_driver(void)
{
	return driver_table.driver;
}

const char *prog_card_driver(void)
{
	return card_driver;
}

/* ---- running calls ------------------------------------------------------ */

static FILE *trace;
static unsigned ncalls;
/* DRMSIM_FUZZ_EPOCH=0 turns the per-program time epoch off (to measure
 * what it buys: AFL++'s stability figure). */
static int epochs = 1;
static int inject_kind;

void prog_set_inject(int kind)
{
	inject_kind = kind;
}

int prog_inject_from_env(void)
{
	const char *s = getenv("DRMSIM_FUZZ_INJECT");

	if (!s || !*s)
		return 0;
	if (!strcmp(s, "warn"))
		return 1;
	if (!strcmp(s, "oob"))
		return 2;
	if (!strcmp(s, "trap"))
		return 3;
	return -1;
}

static void tr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void tr(const char *fmt, ...)
{
	va_list ap;

	if (!trace)
		return;
	va_start(ap, fmt);
	vfprintf(trace, fmt, ap);
	va_end(ap);
}

/* The call is described: end its line and flush before it runs, so that
 * a crash report follows the call that caused it. */
static void tr_call(void)
{
	if (!trace)
		return;
	fputc('\n', trace);
	fflush(trace);
}

static void tr_result(long ret)
{
	if (!trace)
		return;
	if (ret < 0 && ret > -4096)
		fprintf(trace, "    = -%s", strerrorname_np((int)-ret) ?: "?");
	else
		fprintf(trace, "    = %ld", ret);
}

static void tr_end(void)
{
	if (!trace)
		return;
	fputc('\n', trace);
	fflush(trace);
}

static uint64_t get_field(const void *arg, unsigned off, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, (const uint8_t *)arg + off, size > 8 ? 8 : size);
	return v;
}

static void set_field(void *arg, unsigned off, unsigned size, uint64_t v)
{
	memcpy((uint8_t *)arg + off, &v, size > 8 ? 8 : size);
}

/* Where a pointer field points: mostly a fresh buffer of the size its count
 * asks for; sometimes the addresses that exercise -EFAULT paths. */
static uint64_t rd_pointer(struct rd *r, size_t bytes, void **buf)
{
	uint8_t sel = rd_u8(r);

	*buf = NULL;
	switch (sel) {
	case 0xf8: return 0;
	case 0xf9: return 0x1000;
	case 0xfa: return 0xffff888000000000ull;
	case 0xfb:	/* the last bytes before the end of client memory */
		return (uint64_t)(uintptr_t)(scratch + SCRATCH_SIZE - (bytes ? 1 : 0));
	}
	if (bytes > 256 * 1024)
		bytes = 256 * 1024;
	*buf = salloc(bytes + 1);
	if (!*buf)
		return 0x1000;
	return (uint64_t)(uintptr_t)*buf + (sel == 0xfc);
}

static void rd_mode(struct rd *r, struct drm_mode_modeinfo *m)
{
	uint8_t sel = rd_u8(r);

	memset(m, 0, sizeof(*m));
	if (sel < 0xc0) {
		if (nmodes)
			*m = modes[sel % nmodes];
	} else if (sel == 0xc0) {
		/* One timing field changed: the validation edge cases. */
		uint8_t f = rd_u8(r);

		if (nmodes)
			*m = modes[rd_u8(r) % nmodes];
		f %= sizeof(mode_fields) / sizeof(mode_fields[0]);
		set_field(m, mode_fields[f][0], mode_fields[f][1], rd_val(r, R_NONE));
	} else if (sel == 0xc1) {
		for (size_t i = 0; i < sizeof(*m); i++)
			((uint8_t *)m)[i] = rd_u8(r);
	}
	m->name[DRM_DISPLAY_MODE_LEN - 1] = 0;
}

static void fill_array(struct rd *r, uint8_t *buf, size_t n, unsigned elem, enum res kind,
		       unsigned res_off, unsigned res_size)
{
	if (!buf || kind == R_OUT)
		return;
	if (kind == R_BYTES || elem == 0 || elem == 1) {
		for (size_t i = 0; i < n * (elem ? elem : 1); i++)
			buf[i] = rd_u8(r);
		return;
	}
	for (size_t i = 0; i < n && i < 64; i++) {
		uint64_t v;

		if (res_size) {
			/* The element's bytes before and after the resource. */
			for (unsigned k = 0; k < elem; k++)
				if (k < res_off || k >= res_off + res_size)
					buf[i * elem + k] = rd_u8(r);
			v = rd_val(r, kind);
			memcpy(buf + i * elem + res_off, &v, res_size > 8 ? 8 : res_size);
			continue;
		}
		v = rd_val(r, kind);
		memcpy(buf + i * elem, &v, elem > 8 ? 8 : elem);
	}
}

static void tr_fields(const struct ioctl_desc *d, const void *arg, int outputs)
{
	if (!trace)
		return;
	fputs(" {", trace);
	for (const struct field *f = d->f; f->size; f++) {
		int out = f->kind == FK_OUT || f->kind == FK_NEW;

		if (out != outputs && !(f->kind == FK_INOUT && outputs))
			continue;
		if (f->kind == FK_MODE) {
			const struct drm_mode_modeinfo *m = (const void *)((const uint8_t *)arg + f->off);

			fprintf(trace, " %s=%ux%u@%u(clock %u, h %u/%u/%u, v %u/%u/%u)", f->name,
				m->hdisplay, m->vdisplay, m->vrefresh, m->clock, m->hsync_start,
				m->hsync_end, m->htotal, m->vsync_start, m->vsync_end, m->vtotal);
			continue;
		}
		fprintf(trace, " %s=0x%" PRIx64, f->name, get_field(arg, f->off, f->size));
	}
	fputs(" }", trace);
}

static void harvest(const struct ioctl_desc *d, const void *arg)
{
	for (const struct field *f = d->f; f->size; f++) {
		uint64_t v;

		if (f->kind != FK_NEW && f->kind != FK_INOUT)
			continue;
		v = get_field(arg, f->off, f->size);
		if ((f->res == R_FILE || f->res == R_KFD) && (int32_t)v < 0)
			continue;
		/* kfd numbers queues and events from 0. */
		if (v || f->res == R_OFFSET || f->res == R_QUEUE || f->res == R_EVENT)
			pool_add(f->res, v);
	}
}

static void run_ioctl(struct rd *r, const struct ioctl_desc *d)
{
	size_t size = _IOC_SIZE(d->cmd);
	uint8_t *arg = salloc(size ? size : 8);
	long fd = (long)rd_val(r, d->fd_kind == R_KFD ? R_ANYFD : (enum res)d->fd_kind);
	long ret;

	if (!arg)
		return;
	for (const struct field *f = d->f; f->size; f++) {
		switch (f->kind) {
		case FK_INT:
			set_field(arg, f->off, f->size, rd_val(r, R_NONE));
			break;
		case FK_RES:
		case FK_INOUT:
			set_field(arg, f->off, f->size, rd_val(r, f->res));
			break;
		case FK_FLAGS:
			set_field(arg, f->off, f->size, rd_flags(r, f->mask));
			break;
		case FK_MODE:
			rd_mode(r, (struct drm_mode_modeinfo *)(arg + f->off));
			break;
		case FK_ARRAY: {
			uint64_t count = f->elem ? get_field(arg, f->count_off, f->count_size) : 64;
			size_t n = count > 4096 ? 4096 : count, esz = f->elem ? f->elem : 1;
			void *buf;
			uint64_t ptr = rd_pointer(r, n * esz, &buf);

			fill_array(r, buf, n, f->elem, (enum res)f->res, f->res_off, f->res_size);
			if (!f->elem && buf)	/* a string: NUL-terminate */
				((uint8_t *)buf)[n - 1] = 0;
			set_field(arg, f->off, 8, ptr);
			break;
		}
		default:
			break;
		}
	}
	if (d->build)
		d->build(r, fd, arg);
	tr("fd %ld %s", fd, d->name);
	tr_fields(d, arg, 0);
	tr_call();
	ret = kworld_ioctl(fd, (unsigned int)d->cmd, (unsigned long)arg);
	tr_result(ret);
	if (ret == 0) {
		harvest(d, arg);
		tr_fields(d, arg, 1);
	}
	tr_end();
}

/* A property value that makes sense for the property: an object of its
 * type, a blob, a value in its range or one of its enum values. */
static uint64_t rd_prop_value(struct rd *r, const struct prop_info *p)
{
	uint8_t sel = rd_u8(r);
	uint32_t type = p ? p->flags & (DRM_MODE_PROP_LEGACY_TYPE | DRM_MODE_PROP_EXTENDED_TYPE) : 0;
	int found;
	uint64_t v;

	if (sel >= 0xc0 || !p)
		return sel >= 0xc0 ? rd_tagged(r, sel) : sel;
	if (type == DRM_MODE_PROP_OBJECT) {
		v = pick(p->min == DRM_MODE_OBJECT_CRTC ? R_CRTC : R_FB, sel, &found);
		return found && sel < 0xb0 ? v : 0;
	}
	if (type == DRM_MODE_PROP_BLOB) {
		v = pick(R_BLOB, sel, &found);
		return found && sel < 0xb0 ? v : 0;
	}
	if ((type == DRM_MODE_PROP_ENUM || type == DRM_MODE_PROP_BITMASK) && p->nenums)
		return type == DRM_MODE_PROP_ENUM ? p->enums[sel % p->nenums]
						 : 1ull << p->enums[sel % p->nenums];
	if (type == DRM_MODE_PROP_RANGE) {
		if (sel < 0x40)
			return p->min + sel;
		if (sel < 0x80)
			return p->max - (sel - 0x40);
		/* Plane geometry: sizes, and sizes in 16.16 fixed point. */
		return geometry[sel % (sizeof(geometry) / sizeof(geometry[0]))];
	}
	return sel;
}

static const struct prop_info *find_prop(uint32_t id)
{
	for (unsigned i = 0; i < nprops; i++)
		if (props[i].id == id)
			return &props[i];
	return NULL;
}

/* An (object, property) pair: one of the object's own properties, or a
 * wild pair. */
static void rd_obj_prop(struct rd *r, uint32_t *obj, uint32_t *type, uint32_t *prop)
{
	uint8_t sel = rd_u8(r), psel = rd_u8(r);
	const struct obj_info *o;

	if (sel < 0xc0 && nobjs) {
		o = &objs[sel % nobjs];
		*obj = o->id;
		*type = o->type;
		*prop = o->nprops && psel < 0xc0 ? o->props[psel % o->nprops] : (uint32_t)rd_val(r, R_PROP);
		return;
	}
	*obj = (uint32_t)rd_val(r, R_OBJ);
	*type = (uint32_t)rd_val(r, R_NONE);
	*prop = (uint32_t)rd_val(r, R_PROP);
}

static void run_setprop(struct rd *r)
{
	struct drm_mode_obj_set_property *a = salloc(sizeof(*a));
	long fd = (long)rd_val(r, R_FILE), ret;

	if (!a)
		return;
	rd_obj_prop(r, &a->obj_id, &a->obj_type, &a->prop_id);
	a->value = rd_prop_value(r, find_prop(a->prop_id));
	tr("fd %ld MODE_OBJ_SETPROPERTY { obj_id=%u obj_type=0x%x prop_id=%u(%s) value=0x%" PRIx64 " }",
	   fd, a->obj_id, a->obj_type, a->prop_id,
	   find_prop(a->prop_id) ? find_prop(a->prop_id)->name : "?", (uint64_t)a->value);
	tr_call();
	ret = kworld_ioctl(fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, (unsigned long)a);
	tr_result(ret);
	tr_end();
}

static void run_atomic(struct rd *r)
{
	struct drm_mode_atomic *a = salloc(sizeof(*a));
	long fd = (long)rd_val(r, R_FILE), ret;
	unsigned nobj = 1 + rd_u8(r) % 4, total = 0;
	uint32_t *obj_ids = salloc(4 * 4), *counts = salloc(4 * 4), *prop_ids = salloc(16 * 4);
	uint64_t *values = salloc(16 * 8);

	if (!a || !obj_ids || !counts || !prop_ids || !values)
		return;
	for (unsigned i = 0; i < nobj; i++) {
		unsigned np = 1 + rd_u8(r) % 4;
		uint32_t type;

		for (unsigned j = 0; j < np; j++, total++) {
			rd_obj_prop(r, &obj_ids[i], &type, &prop_ids[total]);
			values[total] = rd_prop_value(r, find_prop(prop_ids[total]));
		}
		counts[i] = np;
	}
	a->flags = (uint32_t)rd_flags(r, DRM_MODE_ATOMIC_FLAGS);
	a->count_objs = nobj;
	a->objs_ptr = (uintptr_t)obj_ids;
	a->count_props_ptr = (uintptr_t)counts;
	a->props_ptr = (uintptr_t)prop_ids;
	a->prop_values_ptr = (uintptr_t)values;
	a->user_data = rd_val(r, R_NONE);
	tr("fd %ld MODE_ATOMIC { flags=0x%x", fd, a->flags);
	for (unsigned i = 0, k = 0; i < nobj; i++) {
		tr(" obj %u {", obj_ids[i]);
		for (unsigned j = 0; j < counts[i]; j++, k++) {
			const struct prop_info *p = find_prop(prop_ids[k]);

			tr(" %s=0x%" PRIx64, p ? p->name : "?", values[k]);
		}
		tr(" }");
	}
	tr(" }");
	tr_call();
	ret = kworld_ioctl(fd, DRM_IOCTL_MODE_ATOMIC, (unsigned long)a);
	tr_result(ret);
	tr_end();
}

/* Any request number with raw argument bytes; the pointers of requests
 * ioctl_layout knows point at buffers filled from the input. Recordings
 * of real clients become programs of these. */
static void run_raw(struct rd *r)
{
	long fd = (long)rd_val(r, R_ANYFD), ret;
	uint8_t sel = rd_u8(r);
	unsigned long cmd = sel < 0xc0 ? ioctl_at(sel % nioctls())->cmd : (uint32_t)rd_tagged(r, sel);
	size_t size = _IOC_SIZE(cmd);
	uint8_t *arg = salloc(size ? size : 8);
	const struct ioctl_layout *l = ioctl_layout_find(cmd);

	if (!arg)
		return;
	for (size_t i = 0; i < size; i++)
		arg[i] = rd_u8(r);
	for (int i = 0; l && i < IOCTL_MAX_PTRS && l->ptrs[i].elem_size; i++) {
		size_t n = ioctl_ptr_bytes(arg, &l->ptrs[i]);
		uint8_t *buf = salloc(n > 65536 ? 65536 : n);

		for (size_t j = 0; buf && j < n && j < 65536; j++)
			buf[j] = rd_u8(r);
		ioctl_ptr_set(arg, &l->ptrs[i], buf ? (uintptr_t)buf : 0x1000);
	}
	tr("fd %ld RAW 0x%lx {", fd, cmd);
	for (size_t i = 0; trace && i < size && i < 64; i++)
		tr(" %02x", arg[i]);
	tr(" }");
	tr_call();
	ret = kworld_ioctl(fd, (unsigned int)cmd, (unsigned long)arg);
	tr_result(ret);
	tr_end();
}

static void run_mmap(struct rd *r)
{
	long fd = (long)rd_val(r, R_ANYFD);
	uint64_t offset = rd_val(r, R_OFFSET);
	size_t len = ((size_t)rd_val(r, R_NONE) % 4096 + 1) * 4096;
	int writable = rd_u8(r) & 1, slot = -1;
	void *addr = NULL;
	long ret;

	for (int i = 0; i < MAX_MAPS; i++)
		if (!maps[i].addr)
			slot = i;
	tr("fd %ld mmap { offset=0x%" PRIx64 " len=%zu prot=%s }", fd, offset, len,
	   writable ? "rw" : "r");
	if (slot < 0) {
		tr(" = skipped (%d mappings)", MAX_MAPS);
		tr_end();
		return;
	}
	tr_call();
	ret = kworld_mmap(fd, len, PROT_READ | (writable ? PROT_WRITE : 0), MAP_SHARED, offset, &addr);
	tr_result(ret);
	if (!ret) {
		maps[slot] = (struct mapping){ addr, len, writable };
		pool_add(R_MAP, (uint64_t)slot);
		tr(" { mapping=%d }", slot);
	}
	tr_end();
}

/* A client touching its mapping: faults in through the driver, as the
 * page fault would. Where the fault fails, a process would get SIGBUS; the
 * program skips the access instead. */
static void run_touch(struct rd *r)
{
	uint64_t slot = rd_val(r, R_MAP);
	uint64_t off = rd_val(r, R_NONE);
	uint8_t val = rd_u8(r);
	struct mapping *m = slot < MAX_MAPS ? &maps[slot] : NULL;
	uint8_t *p;
	long ret;

	if (!m || !m->addr) {
		tr("touch mapping %" PRIu64 " = no such mapping", slot);
		tr_end();
		return;
	}
	p = m->addr + off % m->len;
	tr_call();
	/* A register page (kfd's doorbells) has nothing to fault in: the
	 * access is the device's (host_vm_map_mmio). */
	if (host_vm_page_state((unsigned long)p) == HOST_PAGE_MMIO)
		ret = 0;
	else
		ret = kworld_fault((unsigned long)p, m->writable);
	tr("touch mapping %" PRIu64 " +0x%zx %s", slot, (size_t)(p - m->addr),
	   m->writable ? "write" : "read");
	tr_result(ret);
	if (!ret) {
		if (m->writable)
			*(volatile uint8_t *)p = val;
		else
			(void)*(volatile uint8_t *)p;
	}
	tr_end();
}

static void unmap_all(void)
{
	for (int i = 0; i < MAX_MAPS; i++) {
		if (maps[i].addr)
			kworld_munmap(maps[i].addr, maps[i].len);
		maps[i].addr = NULL;
	}
}

static void run_op(struct rd *r, unsigned op)
{
	long fd, ret;

	switch (op) {
	case OP_OPEN: {
		uint64_t minor = rd_val(r, R_NONE);
		int flags = O_RDWR | (int)rd_flags(r, O_NONBLOCK | O_CLOEXEC | O_RDWR);

		tr("open 226:%" PRIu64 " flags 0x%x", minor, flags);
		tr_call();
		ret = kworld_open(DRM_MAJOR, (unsigned int)minor, flags);
		tr_result(ret);
		if (ret >= 0)
			pool_add(R_FILE, (uint64_t)ret);
		tr_end();
		return;
	}
	case OP_CLOSE:
		fd = (long)rd_val(r, R_ANYFD);
		tr("close fd %ld", fd);
		tr_call();
		tr_result(kworld_close(fd));
		tr_end();
		return;
	case OP_READ: {
		size_t len = (size_t)rd_val(r, R_NONE) % 8192;
		void *buf = salloc(len);

		fd = (long)rd_val(r, R_ANYFD);
		tr("read fd %ld len %zu", fd, len);
		tr_call();
		tr_result(kworld_read(fd, buf ? buf : (void *)0x1000, len));
		tr_end();
		return;
	}
	case OP_POLL:
		fd = (long)rd_val(r, R_ANYFD);
		tr("poll fd %ld", fd);
		tr_call();
		tr_result(kworld_poll(fd));
		tr_end();
		return;
	case OP_MMAP:
		run_mmap(r);
		return;
	case OP_MUNMAP: {
		uint64_t slot = rd_val(r, R_MAP);

		tr("munmap mapping %" PRIu64, slot);
		if (slot < MAX_MAPS && maps[slot].addr) {
			tr_call();
			tr_result(kworld_munmap(maps[slot].addr, maps[slot].len));
			maps[slot].addr = NULL;
		}
		tr_end();
		return;
	}
	case OP_TOUCH:
		run_touch(r);
		return;
	case OP_ADVANCE: {
		uint64_t us = rd_val(r, R_NONE) % 2000000;

		tr("advance %" PRIu64 " us", us);
		tr_call();
		kworld_advance_ns(us * 1000);
		tr_end();
		return;
	}
	case OP_INJECT:
		tr("inject %d%s", inject_kind, inject_kind ? "" : " (disabled)");
		tr_call();
		if (inject_kind)
			tr_result(kworld_fuzz_inject(inject_kind));
		tr_end();
		return;
	case OP_MODE_BLOB: {
		struct drm_mode_modeinfo *m = salloc(sizeof(*m));
		struct drm_mode_create_blob *a = salloc(sizeof(*a));

		fd = (long)rd_val(r, R_FILE);
		if (!m || !a)
			return;
		rd_mode(r, m);
		a->data = (uintptr_t)m;
		a->length = sizeof(*m);
		tr("fd %ld MODE_CREATEPROPBLOB { mode %ux%u }", fd, m->hdisplay, m->vdisplay);
		tr_call();
		ret = kworld_ioctl(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, (unsigned long)a);
		tr_result(ret);
		if (!ret) {
			pool_add(R_BLOB, a->blob_id);
			tr(" { blob_id=%u }", a->blob_id);
		}
		tr_end();
		return;
	}
	case OP_SETPROP:
		run_setprop(r);
		return;
	case OP_ATOMIC:
		run_atomic(r);
		return;
	case OP_RAW:
		run_raw(r);
		return;
	}
	run_ioctl(r, ioctl_at(op - OP_IOCTL_BASE));
}

unsigned prog_run(const uint8_t *data, size_t size, FILE *out)
{
	struct rd r = { data, size };
	long fd;

	trace = out;
	ncalls = 0;
	/* Every program starts on a PROG_EPOCH_NS boundary of virtual time,
	 * with every timer due by then fired (periodic work such as
	 * connector polling re-armed from it): the same phase of the
	 * kernel's timers whether this is the fuzzer's millionth input or
	 * replay's first, so one input runs the same way in both. */
	if (epochs)
		kworld_advance_ns(PROG_EPOCH_NS - kworld_now_ns() % PROG_EPOCH_NS);
	for (int i = 0; i < R_NRES; i++)
		pools[i].n = pools[i].fixed, pools[i].next = 0;
	scratch_used = 0;
	prog_generation++;
	if (iface) {
		tr("open %s %u:0 (file 0)", iface->chrdev, iface_major);
		tr_call();
		fd = kworld_open(iface_major, 0, O_RDWR | O_CLOEXEC);
		tr_result(fd);
		tr_end();
		if (fd >= 0)
			pool_add((enum res)iface->pool, (uint64_t)fd);
	}
	tr("open 226:%d (file %d)", iface ? iface->drm_minor : 0, iface ? 1 : 0);
	tr_call();
	fd = kworld_open(DRM_MAJOR, iface ? (unsigned int)iface->drm_minor : 0, O_RDWR | O_CLOEXEC);
	tr_result(fd);
	tr_end();
	if (fd >= 0)
		pool_add(R_FILE, (uint64_t)fd);
	while (r.n && ncalls < PROG_MAX_CALLS) {
		unsigned op = rd_u8(&r) % (unsigned)prog_nops();

		scratch_used = 0;
		tr("#%u ", ncalls);
		run_op(&r, op);
		ncalls++;
	}
	unmap_all();
	if (iface) {
		/* kfd's process is the address space's, not a file's: it
		 * and all it holds outlive /dev/kfd's close until exit_mm(). */
		tr("exit: the process's address space goes");
		tr_call();
		kworld_client_exit(0);
	}
	tr("exit: closing every file");
	tr_call();
	kworld_close_all();
	if (trace)
		fflush(trace);
	return ncalls;
}

/* ---- learning the card --------------------------------------------------- */

static long setup_ioctl(long fd, unsigned long cmd, void *arg)
{
	return kworld_ioctl(fd, (unsigned int)cmd, (unsigned long)arg);
}

static void learn_props(long fd, uint32_t id, uint32_t type)
{
	struct drm_mode_obj_get_properties *q = salloc(sizeof(*q));
	uint32_t *ids = salloc(MAX_OBJ_PROPS * 4);
	uint64_t *vals = salloc(MAX_OBJ_PROPS * 8);
	struct obj_info *o;

	if (!q || !ids || !vals || nobjs >= MAX_OBJS)
		return;
	q->obj_id = id;
	q->obj_type = type;
	q->count_props = MAX_OBJ_PROPS;
	q->props_ptr = (uintptr_t)ids;
	q->prop_values_ptr = (uintptr_t)vals;
	if (setup_ioctl(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, q))
		return;
	o = &objs[nobjs++];
	o->id = id;
	o->type = type;
	for (unsigned i = 0; i < q->count_props && i < MAX_OBJ_PROPS; i++) {
		struct drm_mode_get_property *g = salloc(sizeof(*g));
		uint64_t *pv = salloc(64 * 8);
		struct drm_mode_property_enum *en = salloc(64 * sizeof(*en));
		struct prop_info *p;

		o->props[o->nprops++] = ids[i];
		if (find_prop(ids[i]) || nprops >= MAX_PROPS || !g || !pv || !en)
			continue;
		g->prop_id = ids[i];
		g->count_values = 64;
		g->values_ptr = (uintptr_t)pv;
		g->count_enum_blobs = 64;
		g->enum_blob_ptr = (uintptr_t)en;
		if (setup_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, g))
			continue;
		p = &props[nprops++];
		p->id = ids[i];
		p->flags = g->flags;
		memcpy(p->name, g->name, sizeof(p->name));
		p->min = g->count_values > 0 ? pv[0] : 0;
		p->max = g->count_values > 1 ? pv[1] : 0;
		for (unsigned k = 0; k < g->count_enum_blobs && k < 64 && p->nenums < 8; k++)
			p->enums[p->nenums++] = en[k].value;
		pool_add(R_PROP, ids[i]);
		if ((g->flags & DRM_MODE_PROP_BLOB) && vals[i])
			pool_add(R_BLOB, vals[i]);
	}
}

int prog_setup(void)
{
	struct drm_mode_card_res *res;
	struct drm_mode_get_plane_res *pres;
	struct drm_set_client_cap *cap;
	struct drm_version *ver;
	uint32_t *crtcs, *conns, *encs, *planes;
	long fd;

	if (!scratch) {
		/* Client memory, with an unmapped page after it. */
		scratch = mmap(NULL, SCRATCH_SIZE + 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (scratch == MAP_FAILED) {
			scratch = NULL;
			perror("drmsim fuzz: client memory");
			return -1;
		}
		mprotect(scratch + SCRATCH_SIZE, 4096, PROT_NONE);
		host_uaccess_confine(scratch, SCRATCH_SIZE);
	}
	memset(pools, 0, sizeof(pools));
	nprops = nobjs = nmodes = 0;
	epochs = !getenv("DRMSIM_FUZZ_EPOCH") || strcmp(getenv("DRMSIM_FUZZ_EPOCH"), "0");
	scratch_used = 0;
	fd = kworld_open(DRM_MAJOR, 0, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "drmsim fuzz: no card0 to fuzz (%ld)\n", fd);
		return -1;
	}
	/* The op table: the core ioctls and those of card0's driver. */
	ver = salloc(sizeof(*ver));
	ver->name_len = 63;
	ver->name = salloc(64);
	if (setup_ioctl(fd, DRM_IOCTL_VERSION, ver)) {
		fprintf(stderr, "drmsim fuzz: card0 has no DRM version\n");
		kworld_close(fd);
		return -1;
	}
	select_driver_table(ver->name);
	snprintf(card_driver, sizeof(card_driver), "%s", ver->name);
	if (iface) {
		long major = kworld_chrdev_major(iface->chrdev);

		if (major <= 0) {
			fprintf(stderr, "drmsim fuzz: the %s machine has no %s device\n",
				iface->machine, iface->chrdev);
			kworld_close(fd);
			return -1;
		}
		iface_major = (unsigned int)major;
	}
	/* Atomic clients see every plane and property (MODE_ID, FB_ID,
	 * SRC_*). Arguments live in client memory, like every other. */
	cap = salloc(sizeof(*cap));
	cap->capability = DRM_CLIENT_CAP_ATOMIC;
	cap->value = 1;
	setup_ioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, cap);
	for (size_t i = 0; i < sizeof(cursor_plane_drivers) / sizeof(cursor_plane_drivers[0]); i++) {
		if (strcmp(ver->name, cursor_plane_drivers[i]))
			continue;
		cap = salloc(sizeof(*cap));
		cap->capability = 6;	/* DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT (Linux 6.8) */
		cap->value = 1;
		setup_ioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, cap);
	}
	res = salloc(sizeof(*res));
	crtcs = salloc(64 * 4), conns = salloc(64 * 4), encs = salloc(64 * 4);
	res->count_crtcs = res->count_connectors = res->count_encoders = 64;
	res->crtc_id_ptr = (uintptr_t)crtcs;
	res->connector_id_ptr = (uintptr_t)conns;
	res->encoder_id_ptr = (uintptr_t)encs;
	if (setup_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, res)) {
		fprintf(stderr, "drmsim fuzz: card0 has no KMS resources\n");
		kworld_close(fd);
		return -1;
	}
	pres = salloc(sizeof(*pres));
	planes = salloc(64 * 4);
	pres->count_planes = 64;
	pres->plane_id_ptr = (uintptr_t)planes;
	setup_ioctl(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, pres);
	for (unsigned i = 0; i < res->count_crtcs && i < 64; i++) {
		pool_add(R_CRTC, crtcs[i]);
		learn_props(fd, crtcs[i], DRM_MODE_OBJECT_CRTC);
	}
	for (unsigned i = 0; i < res->count_encoders && i < 64; i++)
		pool_add(R_ENC, encs[i]);
	for (unsigned i = 0; i < pres->count_planes && i < 64; i++) {
		struct drm_mode_get_plane *gp = salloc(sizeof(*gp));
		uint32_t *fmts = salloc(128 * 4);

		pool_add(R_PLANE, planes[i]);
		learn_props(fd, planes[i], DRM_MODE_OBJECT_PLANE);
		gp->plane_id = planes[i];
		gp->count_format_types = 128;
		gp->format_type_ptr = (uintptr_t)fmts;
		if (!setup_ioctl(fd, DRM_IOCTL_MODE_GETPLANE, gp))
			for (unsigned k = 0; k < gp->count_format_types && k < 128; k++)
				pool_add(R_FORMAT, fmts[k]);
	}
	for (unsigned i = 0; i < res->count_connectors && i < 64; i++) {
		struct drm_mode_get_connector *gc = salloc(sizeof(*gc));
		struct drm_mode_modeinfo *m = salloc(MAX_MODES * sizeof(*m));

		pool_add(R_CONN, conns[i]);
		learn_props(fd, conns[i], DRM_MODE_OBJECT_CONNECTOR);
		gc->connector_id = conns[i];
		gc->count_modes = MAX_MODES;
		gc->modes_ptr = (uintptr_t)m;
		if (!setup_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, gc))
			for (unsigned k = 0; k < gc->count_modes && nmodes < MAX_MODES; k++)
				modes[nmodes++] = m[k];
	}
	kworld_close_all();
	if (driver_table.setup)
		driver_table.setup();
	/* What setup learnt stays; what programs add comes after. */
	for (int i = 0; i < R_NRES; i++)
		pools[i].fixed = pools[i].n;
	if (getenv("DRMSIM_FUZZ_VERBOSE")) {
		fprintf(stderr, "drmsim fuzz: driver %s, %d ops (%u driver ioctls), %u objects, "
			"%u properties, %u modes, %u formats\n", ver->name, prog_nops(),
			driver_table.n, nobjs, nprops, nmodes, pools[R_FORMAT].n);
		for (unsigned i = 0; i < nobjs; i++) {
			fprintf(stderr, "  object %u type %#x:", objs[i].id, objs[i].type);
			for (unsigned k = 0; k < objs[i].nprops; k++)
				fprintf(stderr, " %s", find_prop(objs[i].props[k]) ?
					find_prop(objs[i].props[k])->name : "?");
			fputc('\n', stderr);
		}
	}
	return 0;
}

/* ---- writing programs ---------------------------------------------------- */

void pb_u8(struct prog_buf *b, uint8_t v)
{
	if (b->len < PROG_MAX_LEN)
		b->data[b->len++] = v;
}

void pb_bytes(struct prog_buf *b, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pb_u8(b, ((const uint8_t *)p)[i]);
}

void pb_val(struct prog_buf *b, uint64_t v)
{
	if (v < 0xc0) {
		pb_u8(b, (uint8_t)v);
	} else if (v <= 0xff) {
		pb_u8(b, 0xc0);
		pb_u8(b, (uint8_t)v);
	} else if (v <= 0xffff) {
		pb_u8(b, 0xc1);
		pb_bytes(b, &v, 2);
	} else if (v <= 0xffffffffull) {
		pb_u8(b, 0xc2);
		pb_bytes(b, &v, 4);
	} else {
		pb_u8(b, 0xc3);
		pb_bytes(b, &v, 8);
	}
}

void pb_res(struct prog_buf *b, unsigned index)
{
	pb_u8(b, (uint8_t)(index % 0xc0));
}

void pb_geometry(struct prog_buf *b, uint64_t v)
{
	const unsigned n = sizeof(geometry) / sizeof(geometry[0]);

	for (unsigned i = 0; i < n; i++)
		if (geometry[i] == v) {
			/* rd_prop_value: selectors 0x80..0xbf index the table. */
			pb_u8(b, (uint8_t)(0x80 + (i + n - 0x80 % n) % n));
			return;
		}
	pb_val(b, v);
}

int prog_obj_index(uint32_t type)
{
	for (unsigned i = 0; i < nobjs; i++)
		if (objs[i].type == type)
			return (int)i;
	return -1;
}

int prog_obj_prop_index(int obj, const char *name)
{
	if (obj < 0 || (unsigned)obj >= nobjs)
		return -1;
	for (unsigned i = 0; i < objs[obj].nprops; i++) {
		const struct prop_info *p = find_prop(objs[obj].props[i]);

		if (p && !strcmp(p->name, name))
			return (int)i;
	}
	return -1;
}

unsigned prog_first_blob(void)
{
	return pools[R_BLOB].fixed;
}

int prog_mode_size(unsigned int i, unsigned int *w, unsigned int *h)
{
	if (i >= nmodes)
		return -1;
	*w = modes[i].hdisplay;
	*h = modes[i].vdisplay;
	return 0;
}

void *prog_client_alloc(size_t n)
{
	return salloc(n);
}
