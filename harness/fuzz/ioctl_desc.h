/*
 * Ioctl descriptions for fuzz programs (harness/fuzz/program.c): what each
 * field of an ioctl's argument is (a value, a resource of some kind, flags,
 * an output, a new resource, a pointer to an array, a mode), in the spirit
 * of syzkaller's dev_dri descriptions. One table per file: the core DRM,
 * dma-buf and sync_file ioctls (ioctls_drm.c) and one per driver
 * (ioctls_virtio_gpu.c, ...). A device's op numbering is the fixed ops,
 * then the core table, then its driver's table, so adding a driver table
 * never renumbers another device's programs.
 */
#ifndef DRMSIM_FUZZ_IOCTL_DESC_H
#define DRMSIM_FUZZ_IOCTL_DESC_H

#include <stddef.h>
#include <stdint.h>

/* Resource pools a program fills and names; the kinds after R_NRES are
 * array element kinds, not pools. Values are internal (never encoded). */
enum res {
	R_NONE, R_FILE, R_KFD, R_HANDLE, R_FB, R_CRTC, R_CONN, R_ENC, R_PLANE,
	R_PROP, R_BLOB, R_SYNCOBJ, R_LESSEE, R_FLINK, R_OFFSET, R_FORMAT,
	R_MAGIC, R_MAP,
	R_HWRES,	/* a device's own resource id (virtio-gpu res_handle) */
	R_CTX, R_BOLIST, R_GPUVA, R_SEQ,	/* amdgpu contexts, BO lists, VAs, fences */
	/* amdkfd's: /dev/kfd files (R_KFD is any other kernel fd: dma-buf,
	 * sync_file), GPU ids, memory handles, queue and event ids. */
	R_AMDKFD, R_GPUID, R_GPUMEM, R_QUEUE, R_EVENT,
	R_NRES,
	/* element kinds, not pools */
	R_ANYFD, R_OBJ, R_BYTES, R_OUT,
};

/* FK_INOUT: read like FK_RES, harvested like FK_NEW (an in/out fd). */
enum fkind { FK_INT, FK_RES, FK_FLAGS, FK_OUT, FK_NEW, FK_ARRAY, FK_MODE, FK_INOUT };

struct field {
	uint16_t off;
	uint8_t size;
	uint8_t kind;		/* enum fkind */
	uint8_t res;		/* FK_RES/FK_NEW/FK_INOUT: pool; FK_ARRAY: element kind */
	uint8_t count_size;	/* FK_ARRAY: width of the count field */
	uint16_t count_off;	/* FK_ARRAY: offset of the count field */
	uint16_t elem;		/* FK_ARRAY: element size (1: count is bytes; 0: a string) */
	uint64_t mask;		/* FK_FLAGS */
	const char *name;
	/* FK_ARRAY of structs: the resource is res_size bytes at res_off
	 * of each element, the rest input bytes; res_size 0: the element's
	 * first bytes (up to 8) are the resource. */
	uint16_t res_off;
	uint8_t res_size;
};

#define SZ(T, f) sizeof(((T *)0)->f)
#define F_INT(T, f) { offsetof(T, f), SZ(T, f), FK_INT, 0, 0, 0, 0, 0, #f, 0, 0 }
#define F_RES(T, f, r) { offsetof(T, f), SZ(T, f), FK_RES, r, 0, 0, 0, 0, #f, 0, 0 }
#define F_FLAGS(T, f, m) { offsetof(T, f), SZ(T, f), FK_FLAGS, 0, 0, 0, 0, m, #f, 0, 0 }
#define F_OUT(T, f) { offsetof(T, f), SZ(T, f), FK_OUT, 0, 0, 0, 0, 0, #f, 0, 0 }
#define F_NEW(T, f, r) { offsetof(T, f), SZ(T, f), FK_NEW, r, 0, 0, 0, 0, #f, 0, 0 }
#define F_INOUT(T, f, r) { offsetof(T, f), SZ(T, f), FK_INOUT, r, 0, 0, 0, 0, #f, 0, 0 }
#define F_ARR(T, p, c, esz, r)							\
	{ offsetof(T, p), 8, FK_ARRAY, r, SZ(T, c), offsetof(T, c), esz, 0, #p, 0, 0 }
/* An array of structs E, each naming a resource in its member m
 * (kfd_event_data's event_id). */
#define F_ARR_OF(T, p, c, E, m, r)						\
	{ offsetof(T, p), 8, FK_ARRAY, r, SZ(T, c), offsetof(T, c), sizeof(E), 0, #p,	\
	  offsetof(E, m), SZ(E, m) }
#define F_MODE(T, f) { offsetof(T, f), SZ(T, f), FK_MODE, 0, 0, 0, 0, 0, #f, 0, 0 }
/* Fields of fixed arrays inside the argument (handles[4] and the like). */
#define F_IDX(T, f, i, k, r)							\
	{ offsetof(T, f) + (i) * SZ(T, f[0]), SZ(T, f[0]), k, r, 0, 0, 0, 0, #f "[" #i "]", 0, 0 }

#define MAX_FIELDS 20

struct rd;

struct ioctl_desc {
	const char *name;
	unsigned long cmd;
	uint8_t fd_kind;	/* which files it is aimed at: R_FILE, R_KFD or R_AMDKFD */
	struct field f[MAX_FIELDS];
	/* An argument fields cannot describe (nested pointers: amdgpu's CS
	 * chunks) is built here from the input, after the fields, for the
	 * file it goes to. Optional. */
	void (*build)(struct rd *r, long fd, uint8_t *arg);
};

/* A table: the core one, or a driver's, chosen by the DRM driver name of
 * the device (struct device_type's drm_driver). */
struct ioctl_table {
	const char *driver;	/* NULL for the core table */
	const struct ioctl_desc *desc;
	unsigned int n;
	/* Fixed resources of the driver's pools, added at program setup. */
	void (*setup)(void);
};

#define IOCTL_TABLE(drv, t) { drv, t, sizeof(t) / sizeof((t)[0]), NULL }
#define IOCTL_TABLE_SETUP(drv, t, fn) { drv, t, sizeof(t) / sizeof((t)[0]), fn }

/* A fuzz target that is not a card's DRM interface but another character
 * device of a device's machine (amdkfd's /dev/kfd on amdgpu's): its
 * programs open the device as file 0 and a DRM node after it, their op
 * table is the fixed ops and its own table (no core DRM ioctls), and at
 * their end the process exits (kworld_client_exit) before its files
 * close, so what the device keeps per process goes with each program. */
struct prog_iface {
	const char *name;	/* the target: `drmsim fuzz NAME`, --device NAME */
	const char *machine;	/* the device whose machine it runs on */
	const char *chrdev;	/* kworld_chrdev_major()'s name of file 0 */
	uint8_t pool;		/* the pool file 0 goes in */
	int drm_minor;		/* the DRM node opened after it (R_FILE) */
	struct ioctl_table table;
};

#endif
