/*
 * Models the virtio-pci modern transport (virtio 1.x) as QEMU's
 * hw/virtio/virtio-pci.c lays it out for a modern-only device: PCI
 * 1af4:1040+id rev 1, MSI-X in BAR1, the common/ISR/device/notify regions
 * at 0x0000/0x1000/0x2000/0x3000 of a 64-bit BAR4, named by vendor
 * capabilities. Split virtqueues as drivers/virtio/virtio_ring.c builds
 * them, read and written only through machine_dma_*(); every malformed
 * ring is a guest error that sets DEVICE_NEEDS_RESET (QEMU's
 * virtio_error()). Not modelled: packed rings, legacy and transitional
 * interfaces, the PCI-config access capability, notification data, queue
 * reset, admin queues and shared memory regions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine_fault.h"
#include "virtio_pci.h"

#define VIRTIO_PCI_CAP_ID_VNDR		0x09	/* PCI_CAP_ID_VNDR */
#define VIRTIO_PCI_CAP_ID_MSIX		0x11	/* PCI_CAP_ID_MSIX */
#define VIRTIO_PCI_MSIX_ENABLE		0x8000	/* message control bit 15 */
#define VIRTIO_PCI_ISR_SIZE		1

/* Transport features offered besides the device's own (never RING_PACKED). */
#define VIRTIO_PCI_TRANSPORT_FEATURES \
	(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC | 1ull << VIRTIO_F_EVENT_IDX)
#define VIRTIO_PCI_DEVICE_FEATURES	0xffffffull	/* bits 0..23 */

/* ---- state ------------------------------------------------------------------ */

struct virtio_pci_queue {
	/* registers */
	uint16_t size;				/* what the driver chose (<= max) */
	uint16_t msix_vector;
	bool enabled;
	uint64_t desc, avail, used;		/* bus addresses */

	/* state: the device's view of the ring */
	uint16_t last_avail;			/* next avail entry to pop */
	uint16_t used_idx;			/* shadow of used->idx */
	uint16_t signalled_used;		/* used_idx at the last interrupt */
	bool signalled_valid;
	struct virtio_pci_iov *iov;		/* the popped chain (VIRTIO_PCI_MAX_CHAIN) */
};

struct virtio_pci {
	/* config */
	struct machine *m;
	struct virtio_pci_device dev;
	void *opaque;
	uint64_t offered;			/* device_feature */
	struct pci_model_desc desc;		/* machine_plug() keeps a pointer */
	struct pci_slot *slot;
	unsigned int msix_cap;			/* config offset of MSI-X, 0: none */

	/* registers: common config */
	uint32_t device_feature_select, driver_feature_select;
	uint64_t driver_features;
	uint16_t msix_config;
	uint8_t status;
	uint8_t generation;
	uint16_t queue_select;
	/* registers: ISR */
	uint8_t isr;

	/* state */
	bool broken;				/* NEEDS_RESET set: queues ignored */
	struct virtio_pci_queue q[VIRTIO_PCI_MAX_QUEUES];
};

/* ---- little-endian helpers ------------------------------------------------- */

static uint16_t virtio_pci_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t virtio_pci_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t virtio_pci_le64(const uint8_t *p)
{
	return virtio_pci_le32(p) | (uint64_t)virtio_pci_le32(p + 4) << 32;
}

static void virtio_pci_put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		p[i] = v >> (8 * i);
}

/* ---- features, DMA and interrupts --------------------------------------------- */

uint64_t virtio_pci_features(const struct virtio_pci *t)
{
	/* What was written but not offered never counts. */
	return t->driver_features & t->offered;
}

bool virtio_pci_has_feature(const struct virtio_pci *t, unsigned int bit)
{
	return bit < 64 && (virtio_pci_features(t) >> bit & 1);
}

static int virtio_pci_dma(struct virtio_pci *t, uint64_t addr, void *buf, size_t len, bool write)
{
	uint64_t phys = addr;
	int rc;

	if (!len)
		return 0;
	if (virtio_pci_has_feature(t, VIRTIO_F_ACCESS_PLATFORM)) {
		if (addr < t->dev.iova_offset) {
			machine_guest_error(t->m, t->dev.name,
					    "%s: %zu-byte DMA %s at %#llx: below the IOVA offset %#llx "
					    "under ACCESS_PLATFORM (a physical address?)", __func__, len,
					    write ? "write" : "read", (unsigned long long)addr,
					    (unsigned long long)t->dev.iova_offset);
			return -1;
		}
		phys = addr - t->dev.iova_offset;
	}
	rc = write ? machine_dma_write(t->slot, phys, buf, len) : machine_dma_read(t->slot, phys, buf, len);
	if (rc)
		machine_guest_error(t->m, t->dev.name, "%s: %zu-byte DMA %s at %#llx failed", __func__,
				    len, write ? "write" : "read", (unsigned long long)addr);
	return rc;
}

int virtio_pci_dma_read(struct virtio_pci *t, uint64_t addr, void *buf, size_t len)
{
	return virtio_pci_dma(t, addr, buf, len, false);
}

int virtio_pci_dma_write(struct virtio_pci *t, uint64_t addr, const void *buf, size_t len)
{
	return virtio_pci_dma(t, addr, (void *)buf, len, true);
}

static bool virtio_pci_msix_enabled(const struct virtio_pci *t)
{
	return t->msix_cap && (machine_cfg_read(t->slot, t->msix_cap + 2, 2) & VIRTIO_PCI_MSIX_ENABLE);
}

/* Sets an ISR bit and signals it: the vector under MSI-X (none for
 * NO_VECTOR), else INTA#, level-triggered until the ISR is read. */
static void virtio_pci_raise(struct virtio_pci *t, uint8_t isr, uint16_t vector)
{
	t->isr |= isr;
	if (virtio_pci_msix_enabled(t)) {
		if (vector != VIRTIO_MSI_NO_VECTOR)
			machine_msix_notify(t->slot, vector);
	} else {
		machine_set_intx(t->slot, true);
	}
}

void virtio_pci_fail(struct virtio_pci *t, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	machine_guest_error(t->m, t->dev.name, "%s%s", msg,
			    t->broken ? "" : "; device needs reset");
	if (t->broken)
		return;
	t->broken = true;
	t->status |= VIRTIO_STATUS_NEEDS_RESET;
	/* The spec's config change notification, only once the driver runs. */
	if (t->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_pci_raise(t, VIRTIO_PCI_ISR_CONFIG, t->msix_config);
}

void virtio_pci_config_changed(struct virtio_pci *t)
{
	t->generation++;
	/* As QEMU's virtio_notify_config(): no interrupt before DRIVER_OK. */
	if (t->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_pci_raise(t, VIRTIO_PCI_ISR_CONFIG, t->msix_config);
}

/* ---- BAR4: common config ------------------------------------------------------ */

/* The size of the field at offset of struct virtio_pci_common_cfg, or 0. */
static unsigned int virtio_pci_common_field(uint64_t off)
{
	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
	case VIRTIO_PCI_COMMON_DF:
	case VIRTIO_PCI_COMMON_GFSELECT:
	case VIRTIO_PCI_COMMON_GF:
	case VIRTIO_PCI_COMMON_Q_DESCLO:
	case VIRTIO_PCI_COMMON_Q_DESCHI:
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
	case VIRTIO_PCI_COMMON_Q_USEDLO:
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		return 4;
	case VIRTIO_PCI_COMMON_MSIX:
	case VIRTIO_PCI_COMMON_NUMQ:
	case VIRTIO_PCI_COMMON_Q_SELECT:
	case VIRTIO_PCI_COMMON_Q_SIZE:
	case VIRTIO_PCI_COMMON_Q_MSIX:
	case VIRTIO_PCI_COMMON_Q_ENABLE:
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return 2;
	case VIRTIO_PCI_COMMON_STATUS:
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return 1;
	default:
		return 0;
	}
}

/* The selected queue, or NULL when queue_select names none. */
static struct virtio_pci_queue *virtio_pci_selected(struct virtio_pci *t)
{
	return t->queue_select < t->dev.num_queues ? &t->q[t->queue_select] : NULL;
}

static uint64_t virtio_pci_common_read(struct virtio_pci *t, uint64_t off)
{
	struct virtio_pci_queue *q = virtio_pci_selected(t);

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		return t->device_feature_select;
	case VIRTIO_PCI_COMMON_DF:
		return t->device_feature_select < 2 ?
		       (uint32_t)(t->offered >> (32 * t->device_feature_select)) : 0;
	case VIRTIO_PCI_COMMON_GFSELECT:
		return t->driver_feature_select;
	case VIRTIO_PCI_COMMON_GF:
		return t->driver_feature_select < 2 ?
		       (uint32_t)(t->driver_features >> (32 * t->driver_feature_select)) : 0;
	case VIRTIO_PCI_COMMON_MSIX:
		return t->msix_config;
	case VIRTIO_PCI_COMMON_NUMQ:
		return t->dev.num_queues;
	case VIRTIO_PCI_COMMON_STATUS:
		return t->status;
	case VIRTIO_PCI_COMMON_CFGGENERATION:
		return t->generation;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		return t->queue_select;
	}
	/* Queue registers of a queue that does not exist read 0 (QEMU);
	 * setup_vq() takes a size of 0 for "not available". */
	if (!q)
		return off == VIRTIO_PCI_COMMON_Q_MSIX ? VIRTIO_MSI_NO_VECTOR : 0;
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		return q->size;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		return q->msix_vector;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		return q->enabled;
	case VIRTIO_PCI_COMMON_Q_NOFF:
		return t->queue_select;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		return (uint32_t)q->desc;
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		return q->desc >> 32;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		return (uint32_t)q->avail;
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		return q->avail >> 32;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		return (uint32_t)q->used;
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		return q->used >> 32;
	default:
		return 0;
	}
}

static void virtio_pci_reset(void *opaque);

/* A vector the driver may use, else NO_VECTOR (the kernel reads back). */
static uint16_t virtio_pci_vector(const struct virtio_pci *t, uint16_t v)
{
	return v < t->desc.msix_vectors ? v : VIRTIO_MSI_NO_VECTOR;
}

static void virtio_pci_status_write(struct virtio_pci *t, uint8_t v)
{
	uint64_t unoffered = t->driver_features & ~t->offered;

	if (!v) {
		virtio_pci_reset(t);
		return;
	}
	/* FEATURES_OK sticks only for a subset of the offer with VERSION_1. */
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
		if (unoffered) {
			machine_guest_error(t->m, t->dev.name,
					    "%s: FEATURES_OK refused: features %#llx were not offered",
					    __func__, (unsigned long long)unoffered);
			v &= ~VIRTIO_STATUS_FEATURES_OK;
		} else if (!(t->driver_features >> VIRTIO_F_VERSION_1 & 1)) {
			machine_guest_error(t->m, t->dev.name,
					    "%s: FEATURES_OK refused: VERSION_1 not accepted", __func__);
			v &= ~VIRTIO_STATUS_FEATURES_OK;
		}
	}
	t->status = v | (t->status & VIRTIO_STATUS_NEEDS_RESET);
}

/* queue_enable = 1: the ring must be complete and aligned (spec 2.7). */
static void virtio_pci_queue_enable(struct virtio_pci *t, struct virtio_pci_queue *q, uint16_t v)
{
	if (v != 1) {
		machine_guest_error(t->m, t->dev.name, "%s: queue %u: queue_enable %u (only 1 is allowed)",
				    __func__, t->queue_select, v);
		return;
	}
	if (!q->desc || !q->avail || !q->used || q->desc % 16 || q->avail % 2 || q->used % 4) {
		machine_guest_error(t->m, t->dev.name,
				    "%s: queue %u: ring addresses desc %#llx avail %#llx used %#llx "
				    "are missing or misaligned", __func__, t->queue_select,
				    (unsigned long long)q->desc, (unsigned long long)q->avail,
				    (unsigned long long)q->used);
		return;
	}
	q->enabled = true;
	q->last_avail = 0;
	q->used_idx = 0;
	q->signalled_valid = false;
}

static void virtio_pci_set_lo(uint64_t *r, uint32_t v)
{
	*r = (*r & ~0xffffffffull) | v;
}

static void virtio_pci_set_hi(uint64_t *r, uint32_t v)
{
	*r = (*r & 0xffffffffull) | (uint64_t)v << 32;
}

static void virtio_pci_common_write(struct virtio_pci *t, uint64_t off, uint32_t v)
{
	struct virtio_pci_queue *q = virtio_pci_selected(t);
	unsigned int max;

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		t->device_feature_select = v;
		return;
	case VIRTIO_PCI_COMMON_GFSELECT:
		t->driver_feature_select = v;
		return;
	case VIRTIO_PCI_COMMON_GF:
		if (t->status & VIRTIO_STATUS_FEATURES_OK) {
			machine_guest_error(t->m, t->dev.name,
					    "%s: driver_feature write %#x after FEATURES_OK", __func__, v);
			return;
		}
		if (t->driver_feature_select == 0)
			virtio_pci_set_lo(&t->driver_features, v);
		else if (t->driver_feature_select == 1)
			virtio_pci_set_hi(&t->driver_features, v);
		return;	/* other windows: no features there, as QEMU */
	case VIRTIO_PCI_COMMON_MSIX:
		t->msix_config = virtio_pci_vector(t, v);
		return;
	case VIRTIO_PCI_COMMON_STATUS:
		virtio_pci_status_write(t, v);
		return;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		t->queue_select = v;
		return;
	case VIRTIO_PCI_COMMON_DF:
	case VIRTIO_PCI_COMMON_NUMQ:
	case VIRTIO_PCI_COMMON_CFGGENERATION:
	case VIRTIO_PCI_COMMON_Q_NOFF:
		machine_guest_error(t->m, t->dev.name, "%s: write %#x to read-only register at %#llx",
				    __func__, v, (unsigned long long)off);
		return;
	}
	if (!q) {
		machine_guest_error(t->m, t->dev.name, "%s: write %#x at %#llx for queue %u of %d",
				    __func__, v, (unsigned long long)off, t->queue_select,
				    t->dev.num_queues);
		return;
	}
	if (off == VIRTIO_PCI_COMMON_Q_MSIX) {
		q->msix_vector = virtio_pci_vector(t, v);
		return;
	}
	if (q->enabled) {
		machine_guest_error(t->m, t->dev.name, "%s: write %#x at %#llx to enabled queue %u",
				    __func__, v, (unsigned long long)off, t->queue_select);
		return;
	}
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		max = t->dev.queue_size[t->queue_select];
		if (!v || v > max || (v & (v - 1))) {
			machine_guest_error(t->m, t->dev.name,
					    "%s: queue %u: size %u is not a power of two up to %u",
					    __func__, t->queue_select, v, max);
			return;
		}
		q->size = v;
		return;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		virtio_pci_queue_enable(t, q, v);
		return;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
		virtio_pci_set_lo(&q->desc, v);
		return;
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		virtio_pci_set_hi(&q->desc, v);
		return;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
		virtio_pci_set_lo(&q->avail, v);
		return;
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		virtio_pci_set_hi(&q->avail, v);
		return;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
		virtio_pci_set_lo(&q->used, v);
		return;
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		virtio_pci_set_hi(&q->used, v);
		return;
	}
}

/* ---- BAR4: dispatch ------------------------------------------------------------- */

/* Reads and writes of BAR4 go to the region they fall in, each with the
 * access sizes the kernel uses (vp_ioread*, vp_iowrite*, vp_notify()):
 * common fields at their own size, the ISR byte, device config 1/2/4
 * naturally aligned, 16-bit (or 32-bit) notifies. Anything else is a guest
 * error; a read of it returns 0. */
static uint64_t virtio_pci_bar_read(void *opaque, uint64_t off, unsigned int size)
{
	struct virtio_pci *t = opaque;
	uint64_t dev_off = off - VIRTIO_PCI_DEVICE_OFFSET;
	uint8_t isr;

	if (off < VIRTIO_PCI_COMMON_SIZE) {
		if (virtio_pci_common_field(off) == size)
			return virtio_pci_common_read(t, off);
	} else if (off == VIRTIO_PCI_ISR_OFFSET && size == 1) {
		/* Reading clears, and lowers INTA#. */
		isr = t->isr;
		t->isr = 0;
		machine_set_intx(t->slot, false);
		return isr;
	} else if (off >= VIRTIO_PCI_DEVICE_OFFSET && dev_off < t->dev.config_size) {
		if ((size == 1 || size == 2 || size == 4) && dev_off % size == 0 &&
		    dev_off + size <= t->dev.config_size)
			return t->dev.config_read(t->opaque, dev_off, size);
	}
	machine_guest_error(t->m, t->dev.name, "%s: %u-byte read at %#llx", __func__, size,
			    (unsigned long long)off);
	return 0;
}

static void virtio_pci_bar_write(void *opaque, uint64_t off, unsigned int size, uint64_t val)
{
	struct virtio_pci *t = opaque;
	uint64_t dev_off = off - VIRTIO_PCI_DEVICE_OFFSET;
	uint64_t notify_off = off - VIRTIO_PCI_NOTIFY_OFFSET;
	int queue;

	if (off < VIRTIO_PCI_COMMON_SIZE) {
		if (virtio_pci_common_field(off) == size) {
			virtio_pci_common_write(t, off, val);
			return;
		}
	} else if (off >= VIRTIO_PCI_DEVICE_OFFSET && dev_off < t->dev.config_size) {
		if ((size == 1 || size == 2 || size == 4) && dev_off % size == 0 &&
		    dev_off + size <= t->dev.config_size) {
			t->dev.config_write(t->opaque, dev_off, size, val);
			return;
		}
	} else if (off >= VIRTIO_PCI_NOTIFY_OFFSET &&
		   notify_off < (uint64_t)t->dev.num_queues * VIRTIO_PCI_NOTIFY_MULTIPLIER) {
		/* The address names the queue (no NOTIFICATION_DATA). */
		queue = notify_off / VIRTIO_PCI_NOTIFY_MULTIPLIER;
		if ((size == 2 || size == 4) && notify_off % VIRTIO_PCI_NOTIFY_MULTIPLIER == 0) {
			if (t->broken)
				return;	/* stopped until reset */
			if (!t->q[queue].enabled) {
				machine_guest_error(t->m, t->dev.name, "%s: notify of disabled queue %d",
						    __func__, queue);
				return;
			}
			t->dev.queue_notify(t->opaque, queue);
			return;
		}
	}
	machine_guest_error(t->m, t->dev.name, "%s: %u-byte write %#llx at %#llx", __func__, size,
			    (unsigned long long)val, (unsigned long long)off);
}

/* BAR1 is the machine's MSI-X table and PBA: these never run. */
static uint64_t virtio_pci_msix_read(void *opaque, uint64_t off, unsigned int size)
{
	struct virtio_pci *t = opaque;

	machine_guest_error(t->m, t->dev.name, "%s: %u-byte read at %#llx", __func__, size,
			    (unsigned long long)off);
	return 0;
}

static void virtio_pci_msix_write(void *opaque, uint64_t off, unsigned int size, uint64_t val)
{
	struct virtio_pci *t = opaque;

	machine_guest_error(t->m, t->dev.name, "%s: %u-byte write %#llx at %#llx", __func__, size,
			    (unsigned long long)val, (unsigned long long)off);
}

/* ---- split virtqueues (virtio.c's virtqueue_split_pop, virtqueue_fill) --------- */

static int virtio_pci_ring_read16(struct virtio_pci *t, uint64_t addr, uint16_t *v)
{
	uint8_t b[2];

	if (virtio_pci_dma_read(t, addr, b, sizeof(b)))
		return -1;
	*v = virtio_pci_le16(b);
	return 0;
}

static int virtio_pci_ring_write16(struct virtio_pci *t, uint64_t addr, uint16_t v)
{
	uint8_t b[2];

	virtio_pci_put_le(b, v, 2);
	return virtio_pci_dma_write(t, addr, b, sizeof(b));
}

/* Walks the chain at head into q->iov. Limits (QEMU's, and the spec's): a
 * direct chain has at most queue-size descriptors and an indirect table at
 * most VIRTIO_PCI_MAX_CHAIN, which also stops loops; an indirect
 * descriptor only as the head, without NEXT, its table a whole number of
 * descriptors and without indirect descriptors; readable buffers before
 * writable ones; neither part over 4 GiB; no buffer wrapping the address
 * space or (at either end) outside memory. */
static int virtio_pci_walk(struct virtio_pci *t, int queue, uint16_t head,
			   struct virtio_pci_req *req)
{
	struct virtio_pci_queue *q = &t->q[queue];
	uint64_t table = q->desc, addr;
	unsigned int max = q->size, n = 0, count = 0;
	uint32_t len;
	uint16_t flags, i = head;
	bool indirect = false;
	uint8_t d[VIRTQ_DESC_SIZE], probe;

	memset(req, 0, sizeof(*req));
	req->queue = queue;
	req->head = head;
	for (;;) {
		if (n++ >= max) {
			virtio_pci_fail(t, "queue %d: chain at %u is longer than %u descriptors (a loop?)",
					queue, head, max);
			return -1;
		}
		if (virtio_pci_dma_read(t, table + (uint64_t)i * VIRTQ_DESC_SIZE, d, sizeof(d))) {
			virtio_pci_fail(t, "queue %d: cannot read descriptor %u", queue, i);
			return -1;
		}
		addr = virtio_pci_le64(d);
		len = virtio_pci_le32(d + 8);
		flags = virtio_pci_le16(d + 12);
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			const char *why = !virtio_pci_has_feature(t, VIRTIO_F_INDIRECT_DESC) ?
					  "INDIRECT_DESC not negotiated" :
					  indirect ? "inside an indirect table" :
					  n != 1 ? "not the head of its chain" :
					  (flags & VIRTQ_DESC_F_NEXT) ? "with NEXT" :
					  !len || len % VIRTQ_DESC_SIZE ? "table not whole descriptors" :
					  len / VIRTQ_DESC_SIZE > VIRTIO_PCI_MAX_CHAIN ? "table too long" : NULL;

			if (why) {
				virtio_pci_fail(t, "queue %d: descriptor %u: indirect table of %u bytes %s",
						queue, i, len, why);
				return -1;
			}
			table = addr;
			max = len / VIRTQ_DESC_SIZE;
			indirect = true;
			i = 0;
			n = 0;
			continue;
		}
		if (addr + len < addr) {
			virtio_pci_fail(t, "queue %d: descriptor %u: %u bytes at %#llx wrap around",
					queue, i, len, (unsigned long long)addr);
			return -1;
		}
		/* As QEMU maps every buffer at pop: both ends must be memory. */
		if (len && (virtio_pci_dma_read(t, addr, &probe, 1) ||
			    virtio_pci_dma_read(t, addr + len - 1, &probe, 1))) {
			virtio_pci_fail(t, "queue %d: descriptor %u: %u bytes at %#llx are not memory",
					queue, i, len, (unsigned long long)addr);
			return -1;
		}
		if (flags & VIRTQ_DESC_F_WRITE) {
			if (req->in_len + len > UINT32_MAX) {
				virtio_pci_fail(t, "queue %d: chain at %u: writable part over 4 GiB",
						queue, head);
				return -1;
			}
			req->in_len += len;
			req->in_num++;
		} else {
			if (req->in_num) {
				virtio_pci_fail(t, "queue %d: chain at %u: readable descriptor %u after "
						"a writable one", queue, head, i);
				return -1;
			}
			if (req->out_len + len > UINT32_MAX) {
				virtio_pci_fail(t, "queue %d: chain at %u: readable part over 4 GiB",
						queue, head);
				return -1;
			}
			req->out_len += len;
			req->out_num++;
		}
		q->iov[count].addr = addr;
		q->iov[count].len = len;
		count++;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		i = virtio_pci_le16(d + 14);
		if (i >= max) {
			virtio_pci_fail(t, "queue %d: chain at %u: next %u is past %u descriptors",
					queue, head, i, max);
			return -1;
		}
	}
	req->out = q->iov;
	req->in = q->iov + req->out_num;
	return 0;
}

int virtio_pci_pop(struct virtio_pci *t, int queue, struct virtio_pci_req *req)
{
	struct virtio_pci_queue *q;
	uint16_t avail_idx, head, pending;

	if (queue < 0 || queue >= t->dev.num_queues)
		return 0;
	q = &t->q[queue];
	if (t->broken)
		return -1;
	if (!q->enabled)
		return 0;
	if (virtio_pci_ring_read16(t, q->avail + 2, &avail_idx)) {
		virtio_pci_fail(t, "queue %d: cannot read avail idx", queue);
		return -1;
	}
	pending = avail_idx - q->last_avail;
	if (pending > q->size) {
		virtio_pci_fail(t, "queue %d: avail idx %u is %u ahead of %u, more than the queue size %u",
				queue, avail_idx, pending, q->last_avail, q->size);
		return -1;
	}
	if (!pending)
		return 0;
	if (virtio_pci_ring_read16(t, q->avail + VIRTQ_AVAIL_RING(q->last_avail % q->size), &head)) {
		virtio_pci_fail(t, "queue %d: cannot read avail ring entry %u", queue, q->last_avail);
		return -1;
	}
	if (head >= q->size) {
		virtio_pci_fail(t, "queue %d: avail ring entry %u names descriptor %u of %u", queue,
				q->last_avail, head, q->size);
		return -1;
	}
	if (virtio_pci_walk(t, queue, head, req))
		return -1;
	if (machine_fault_point(MACHINE_FAULT_ERROR, "%s queue %d buffer %u", t->dev.name,
				queue, head)) {
		virtio_pci_fail(t, "queue %d: injected device error at buffer %u", queue, head);
		return -1;
	}
	q->last_avail++;
	/* Under EVENT_IDX, kick me for the next one (QEMU's vring_set_avail_event). */
	if (virtio_pci_has_feature(t, VIRTIO_F_EVENT_IDX) &&
	    virtio_pci_ring_write16(t, q->used + VIRTQ_USED_RING(q->size), q->last_avail)) {
		virtio_pci_fail(t, "queue %d: cannot write avail_event", queue);
		return -1;
	}
	/* Taken and never used: the device goes on with the next one. */
	if (machine_fault_point(MACHINE_FAULT_STALL, "%s queue %d buffer %u", t->dev.name,
				queue, head))
		return virtio_pci_pop(t, queue, req);
	return 1;
}

/* Copies between buf and [offset, offset + len) of the buffers iov[0..n). */
static int virtio_pci_req_copy(struct virtio_pci *t, const struct virtio_pci_iov *iov, unsigned int n,
			       uint64_t total, uint64_t offset, void *buf, size_t len, bool write)
{
	uint8_t *p = buf;

	if (offset > total || len > total - offset)
		return -1;
	for (unsigned int k = 0; k < n && len; k++) {
		uint64_t chunk;

		if (offset >= iov[k].len) {
			offset -= iov[k].len;
			continue;
		}
		chunk = iov[k].len - offset;
		if (chunk > len)
			chunk = len;
		if (virtio_pci_dma(t, iov[k].addr + offset, p, chunk, write)) {
			virtio_pci_fail(t, "%s of a request's buffer %u failed", write ? "write" : "read", k);
			return -1;
		}
		p += chunk;
		len -= chunk;
		offset = 0;
	}
	return 0;
}

int virtio_pci_req_read(struct virtio_pci *t, const struct virtio_pci_req *req, uint64_t offset,
			void *buf, size_t len)
{
	return virtio_pci_req_copy(t, req->out, req->out_num, req->out_len, offset, buf, len, false);
}

int virtio_pci_req_write(struct virtio_pci *t, const struct virtio_pci_req *req, uint64_t offset,
			 const void *buf, size_t len)
{
	return virtio_pci_req_copy(t, req->in, req->in_num, req->in_len, offset, (void *)buf, len, true);
}

void virtio_pci_push(struct virtio_pci *t, const struct virtio_pci_req *req, uint32_t written)
{
	struct virtio_pci_queue *q;
	uint8_t elem[8];

	if (t->broken || req->queue < 0 || req->queue >= t->dev.num_queues)
		return;
	q = &t->q[req->queue];
	if (!q->enabled)
		return;
	if (written > req->in_len)
		written = req->in_len;
	virtio_pci_put_le(elem, req->head, 4);
	virtio_pci_put_le(elem + 4, written, 4);
	if (virtio_pci_dma_write(t, q->used + VIRTQ_USED_RING(q->used_idx % q->size), elem, sizeof(elem)) ||
	    virtio_pci_ring_write16(t, q->used + 2, q->used_idx + 1)) {
		virtio_pci_fail(t, "queue %d: cannot write the used ring", req->queue);
		return;
	}
	q->used_idx++;
}

/* include/uapi/linux/virtio_ring.h's vring_need_event(). */
static bool virtio_pci_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

void virtio_pci_notify(struct virtio_pci *t, int queue)
{
	struct virtio_pci_queue *q;
	uint16_t v, old;
	bool valid;

	if (t->broken || queue < 0 || queue >= t->dev.num_queues)
		return;
	q = &t->q[queue];
	if (!q->enabled)
		return;
	if (virtio_pci_has_feature(t, VIRTIO_F_EVENT_IDX)) {
		/* QEMU's virtio_split_should_notify(). */
		if (virtio_pci_ring_read16(t, q->avail + VIRTQ_AVAIL_RING(q->size), &v)) {
			virtio_pci_fail(t, "queue %d: cannot read used_event", queue);
			return;
		}
		valid = q->signalled_valid;
		old = q->signalled_used;
		q->signalled_valid = true;
		q->signalled_used = q->used_idx;
		if (valid && !virtio_pci_need_event(v, q->used_idx, old))
			return;
	} else {
		if (virtio_pci_ring_read16(t, q->avail, &v)) {
			virtio_pci_fail(t, "queue %d: cannot read avail flags", queue);
			return;
		}
		if (v & VIRTQ_AVAIL_F_NO_INTERRUPT)
			return;
	}
	virtio_pci_raise(t, VIRTIO_PCI_ISR_QUEUE, q->msix_vector);
}

/* ---- reset ------------------------------------------------------------------------ */

/* Power-on state: nothing negotiated, every queue off at its maximum size
 * and without a vector, ISR clear and INTA# low; then the device's reset. */
static void virtio_pci_reset(void *opaque)
{
	struct virtio_pci *t = opaque;

	t->device_feature_select = 0;
	t->driver_feature_select = 0;
	t->driver_features = 0;
	t->msix_config = VIRTIO_MSI_NO_VECTOR;
	t->status = 0;
	t->generation = 0;
	t->queue_select = 0;
	t->isr = 0;
	t->broken = false;
	for (int i = 0; i < VIRTIO_PCI_MAX_QUEUES; i++) {
		struct virtio_pci_queue *q = &t->q[i];

		q->size = i < t->dev.num_queues ? t->dev.queue_size[i] : 0;
		q->msix_vector = VIRTIO_MSI_NO_VECTOR;
		q->enabled = false;
		q->desc = q->avail = q->used = 0;
		q->last_avail = q->used_idx = q->signalled_used = 0;
		q->signalled_valid = false;
	}
	if (t->slot)	/* NULL while machine_plug() resets the new device */
		machine_set_intx(t->slot, false);
	if (t->dev.reset)
		t->dev.reset(t->opaque);
}

/* ---- PCI registration ----------------------------------------------------------------- */

const struct pci_model_desc *virtio_pci_desc(const struct virtio_pci *t)
{
	return &t->desc;
}

struct pci_slot *virtio_pci_slot(const struct virtio_pci *t)
{
	return t->slot;
}

struct machine *virtio_pci_machine(const struct virtio_pci *t)
{
	return t->m;
}

uint8_t virtio_pci_status(const struct virtio_pci *t)
{
	return t->status;
}

bool virtio_pci_needs_reset(const struct virtio_pci *t)
{
	return t->status & VIRTIO_STATUS_NEEDS_RESET;
}

/* struct virtio_pci_cap (16 bytes) or virtio_pci_notify_cap (20) of
 * include/uapi/linux/virtio_pci.h, as the machine takes a capability: the
 * bytes from cap_len on. */
static struct pci_cap_desc virtio_pci_cap(uint8_t type, uint32_t offset, uint32_t length)
{
	struct pci_cap_desc c = { .id = VIRTIO_PCI_CAP_ID_VNDR, .len = 16 };

	c.data[0] = c.len;			/* cap_len */
	c.data[1] = type;			/* cfg_type */
	c.data[2] = VIRTIO_PCI_REG_BAR;		/* bar */
	c.data[3] = 0;				/* id */
	virtio_pci_put_le(&c.data[6], offset, 4);	/* offset, after 2 bytes padding */
	virtio_pci_put_le(&c.data[10], length, 4);	/* length */
	if (type == VIRTIO_PCI_CAP_NOTIFY_CFG) {
		c.len = c.data[0] = 20;
		virtio_pci_put_le(&c.data[14], VIRTIO_PCI_NOTIFY_MULTIPLIER, 4);
	}
	return c;
}

static bool virtio_pci_device_valid(const struct virtio_pci_device *d)
{
	const char *why = NULL;

	if (d->num_queues < 1 || d->num_queues > VIRTIO_PCI_MAX_QUEUES)
		why = "queue count outside 1..8";
	else if (d->features & ~VIRTIO_PCI_DEVICE_FEATURES)
		why = "features outside the device-specific bits 0..23";
	else if (d->config_size > VIRTIO_PCI_MAX_CONFIG ||
		 (d->config_size && (!d->config_read || !d->config_write)))
		why = "config space over 4 KiB or without callbacks";
	else if (!d->queue_notify)
		why = "no queue_notify callback";
	for (int i = 0; !why && i < d->num_queues; i++) {
		uint16_t s = d->queue_size[i];

		if (!s || s > VIRTIO_PCI_MAX_QUEUE_SIZE || (s & (s - 1)))
			why = "a queue size is not a power of two in 1..1024";
	}
	if (why)
		fprintf(stderr, "drmsim: %s: invalid virtio device: %s\n", d->name, why);
	return !why;
}

struct virtio_pci *virtio_pci_plug(struct machine *m, const struct virtio_pci_device *dev,
				   void *opaque)
{
	struct virtio_pci *t;
	int c = 0;

	if (!virtio_pci_device_valid(dev))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	for (int i = 0; i < dev->num_queues; i++) {
		t->q[i].iov = calloc(VIRTIO_PCI_MAX_CHAIN, sizeof(*t->q[i].iov));
		if (!t->q[i].iov)
			goto fail;
	}
	t->m = m;
	t->dev = *dev;
	t->opaque = opaque;
	t->offered = dev->features | VIRTIO_PCI_TRANSPORT_FEATURES |
		     (dev->access_platform ? 1ull << VIRTIO_F_ACCESS_PLATFORM : 0);
	t->desc = (struct pci_model_desc){
		.name = dev->name,
		.vendor = VIRTIO_PCI_VENDOR,
		.device = VIRTIO_PCI_DEVICE_BASE + dev->device_id,
		.subsystem_vendor = VIRTIO_PCI_SUBVENDOR,
		.subsystem_device = VIRTIO_PCI_SUBDEVICE,
		.revision = VIRTIO_PCI_REVISION,
		.class_code = dev->class_code,
		.bars = {
			[VIRTIO_PCI_REG_BAR] = { .kind = BAR_MEM64, .size = VIRTIO_PCI_REG_BAR_SIZE,
						 .prefetchable = true, .read = virtio_pci_bar_read,
						 .write = virtio_pci_bar_write },
		},
		.intx = true,
		.iova_offset = dev->iova_offset,
		.reset = virtio_pci_reset,
	};
	if (!dev->intx_only) {
		/* As QEMU: vector 0 for config changes, then one per queue. */
		t->desc.msix_vectors = dev->num_queues + 1;
		t->desc.msix_bar = VIRTIO_PCI_MSIX_BAR;
		t->desc.bars[VIRTIO_PCI_MSIX_BAR] = (struct pci_bar_desc){
			.kind = BAR_MEM32, .size = 4096,
			.read = virtio_pci_msix_read, .write = virtio_pci_msix_write,
		};
	}
	t->desc.caps[c++] = virtio_pci_cap(VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON_OFFSET,
					   VIRTIO_PCI_COMMON_SIZE);
	t->desc.caps[c++] = virtio_pci_cap(VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR_OFFSET,
					   VIRTIO_PCI_ISR_SIZE);
	if (dev->config_size)
		t->desc.caps[c++] = virtio_pci_cap(VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVICE_OFFSET,
						   dev->config_size);
	t->desc.caps[c++] = virtio_pci_cap(VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY_OFFSET,
					   dev->num_queues * VIRTIO_PCI_NOTIFY_MULTIPLIER);
	/* machine_plug() resets the transport (and so the device) before it returns. */
	t->slot = machine_plug(m, &t->desc, t);
	if (!t->slot)
		goto fail;
	/* Find MSI-X where the machine put it, to see its enable bit later. */
	for (unsigned int pos = machine_cfg_read(t->slot, 0x34, 1), hops = 0;
	     pos >= 0x40 && hops < 48 && !t->msix_cap && !dev->intx_only; hops++) {
		if (machine_cfg_read(t->slot, pos, 1) == VIRTIO_PCI_CAP_ID_MSIX)
			t->msix_cap = pos;
		pos = machine_cfg_read(t->slot, pos + 1, 1);
	}
	return t;
fail:
	for (int i = 0; i < VIRTIO_PCI_MAX_QUEUES; i++)
		free(t->q[i].iov);
	free(t);
	return NULL;
}

void virtio_pci_destroy(struct virtio_pci *t)
{
	if (!t)
		return;
	for (int i = 0; i < VIRTIO_PCI_MAX_QUEUES; i++)
		free(t->q[i].iov);
	free(t);
}
