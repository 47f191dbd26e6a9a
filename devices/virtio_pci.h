/*
 * The virtio-pci modern transport (virtio 1.x, PCI 1af4:1040+id) for any
 * virtio device model: vendor capabilities, the common/ISR/device/notify
 * regions in BAR4, MSI-X in BAR1, split virtqueues read and written only by
 * bus-master DMA. Facts from Linux 6.12 include/uapi/linux/virtio_pci.h,
 * virtio_ring.h, virtio_config.h and drivers/virtio/virtio_pci_modern*.c;
 * behaviour after QEMU's hw/virtio/virtio-pci.c and virtio.c.
 *
 * A device model describes itself with struct virtio_pci_device and, in its
 * queue_notify callback, pops requests, reads their out part, writes their
 * in part, pushes them and notifies, all before the callback returns.
 */
#ifndef DRMSIM_VIRTIO_PCI_H
#define DRMSIM_VIRTIO_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

/* ---- wire constants (the uapi headers named per group) ------------------------ */

/* PCI identity (virtio 1.x spec 4.1.2; QEMU's subsystem ids). */
#define VIRTIO_PCI_VENDOR		0x1af4
#define VIRTIO_PCI_DEVICE_BASE		0x1040	/* + virtio device id */
#define VIRTIO_PCI_REVISION		1
#define VIRTIO_PCI_SUBVENDOR		0x1af4
#define VIRTIO_PCI_SUBDEVICE		0x1100

/* include/uapi/linux/virtio_config.h: device_status bits */
#define VIRTIO_STATUS_ACKNOWLEDGE	0x01
#define VIRTIO_STATUS_DRIVER		0x02
#define VIRTIO_STATUS_DRIVER_OK		0x04
#define VIRTIO_STATUS_FEATURES_OK	0x08
#define VIRTIO_STATUS_NEEDS_RESET	0x40
#define VIRTIO_STATUS_FAILED		0x80

/* include/uapi/linux/virtio_config.h, virtio_ring.h: transport feature bits */
#define VIRTIO_F_INDIRECT_DESC		28	/* VIRTIO_RING_F_INDIRECT_DESC */
#define VIRTIO_F_EVENT_IDX		29	/* VIRTIO_RING_F_EVENT_IDX */
#define VIRTIO_F_VERSION_1		32
#define VIRTIO_F_ACCESS_PLATFORM	33
#define VIRTIO_F_RING_PACKED		34	/* never offered */

/* include/uapi/linux/virtio_pci.h: capability types, ISR bits, vectors */
#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4
#define VIRTIO_PCI_ISR_QUEUE		0x1
#define VIRTIO_PCI_ISR_CONFIG		0x2
#define VIRTIO_MSI_NO_VECTOR		0xffff

/* include/uapi/linux/virtio_pci.h: struct virtio_pci_common_cfg offsets.
 * Only this 56-byte struct is advertised, not virtio_pci_modern_common_cfg
 * (queue_notify_data, queue_reset, admin queues): their features are never
 * offered, so vp_check_common_size() does not ask for them. */
#define VIRTIO_PCI_COMMON_DFSELECT	0x00	/* le32 device_feature_select */
#define VIRTIO_PCI_COMMON_DF		0x04	/* le32 device_feature, read-only */
#define VIRTIO_PCI_COMMON_GFSELECT	0x08	/* le32 driver_feature_select */
#define VIRTIO_PCI_COMMON_GF		0x0c	/* le32 driver_feature */
#define VIRTIO_PCI_COMMON_MSIX		0x10	/* le16 config_msix_vector */
#define VIRTIO_PCI_COMMON_NUMQ		0x12	/* le16 num_queues, read-only */
#define VIRTIO_PCI_COMMON_STATUS	0x14	/* u8 device_status */
#define VIRTIO_PCI_COMMON_CFGGENERATION	0x15	/* u8 config_generation, read-only */
#define VIRTIO_PCI_COMMON_Q_SELECT	0x16	/* le16 queue_select */
#define VIRTIO_PCI_COMMON_Q_SIZE	0x18	/* le16 queue_size */
#define VIRTIO_PCI_COMMON_Q_MSIX	0x1a	/* le16 queue_msix_vector */
#define VIRTIO_PCI_COMMON_Q_ENABLE	0x1c	/* le16 queue_enable */
#define VIRTIO_PCI_COMMON_Q_NOFF	0x1e	/* le16 queue_notify_off, read-only */
#define VIRTIO_PCI_COMMON_Q_DESCLO	0x20	/* le32 queue_desc_lo, then _hi */
#define VIRTIO_PCI_COMMON_Q_DESCHI	0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO	0x28	/* le32 queue_driver (avail) lo/hi */
#define VIRTIO_PCI_COMMON_Q_AVAILHI	0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO	0x30	/* le32 queue_device (used) lo/hi */
#define VIRTIO_PCI_COMMON_Q_USEDHI	0x34
#define VIRTIO_PCI_COMMON_SIZE		0x38	/* sizeof(struct virtio_pci_common_cfg) */

/* The register BAR, laid out as QEMU's (virtio-pci.c's modern regions). */
#define VIRTIO_PCI_MSIX_BAR		1	/* 4 KiB, table and PBA (the machine's) */
#define VIRTIO_PCI_REG_BAR		4	/* 64-bit prefetchable */
#define VIRTIO_PCI_REG_BAR_SIZE		0x4000
#define VIRTIO_PCI_COMMON_OFFSET	0x0000
#define VIRTIO_PCI_ISR_OFFSET		0x1000
#define VIRTIO_PCI_DEVICE_OFFSET	0x2000
#define VIRTIO_PCI_NOTIFY_OFFSET	0x3000
#define VIRTIO_PCI_NOTIFY_MULTIPLIER	4	/* queue_notify_off = queue index */

/* include/uapi/linux/virtio_ring.h: split ring layout */
#define VIRTQ_DESC_F_NEXT		1
#define VIRTQ_DESC_F_WRITE		2
#define VIRTQ_DESC_F_INDIRECT		4
#define VIRTQ_AVAIL_F_NO_INTERRUPT	1
#define VIRTQ_DESC_SIZE			16	/* le64 addr, le32 len, le16 flags, le16 next */
/* avail: le16 flags, le16 idx, le16 ring[size], le16 used_event */
#define VIRTQ_AVAIL_RING(i)		(4 + 2 * (uint64_t)(i))
/* used: le16 flags, le16 idx, {le32 id, le32 len} ring[size], le16 avail_event */
#define VIRTQ_USED_RING(i)		(4 + 8 * (uint64_t)(i))

/* ---- limits ---------------------------------------------------------------------- */

#define VIRTIO_PCI_MAX_QUEUES		8
#define VIRTIO_PCI_MAX_QUEUE_SIZE	1024	/* QEMU's VIRTQUEUE_MAX_SIZE */
/* Longest descriptor chain taken: a direct chain is at most the queue size;
 * an indirect table at most this many descriptors, as in QEMU. */
#define VIRTIO_PCI_MAX_CHAIN		VIRTIO_PCI_MAX_QUEUE_SIZE
#define VIRTIO_PCI_MAX_CONFIG		0x1000

/* ---- the device model's side ------------------------------------------------------- */

struct virtio_pci;

/* What a device model tells the transport. Callbacks get the opaque that
 * virtio_pci_plug() was given. */
struct virtio_pci_device {
	const char *name;		/* guest errors carry it; the PCI model's name */
	uint16_t device_id;		/* virtio device id: PCI device 0x1040 + id */
	uint32_t class_code;		/* PCI class, 24 bits */
	uint64_t features;		/* device-specific feature bits (0..23) */
	bool access_platform;		/* also offer VIRTIO_F_ACCESS_PLATFORM */
	uint64_t iova_offset;		/* under ACCESS_PLATFORM: bus = physical + this */
	bool intx_only;			/* no MSI-X (and no BAR1): INTx and the ISR */
	int num_queues;			/* 1..VIRTIO_PCI_MAX_QUEUES */
	uint16_t queue_size[VIRTIO_PCI_MAX_QUEUES];	/* maxima, powers of two */
	uint32_t config_size;		/* device config bytes, 0..VIRTIO_PCI_MAX_CONFIG */
	/* Device config access, size 1/2/4, naturally aligned and inside
	 * config_size (the transport checked). Required if config_size. */
	uint32_t (*config_read)(void *opaque, uint32_t offset, unsigned int size);
	void (*config_write)(void *opaque, uint32_t offset, unsigned int size, uint32_t val);
	/* The driver notified an enabled queue. Required. */
	void (*queue_notify)(void *opaque, int queue);
	/* Device reset (device_status 0, PCI reset, and once at plug). Optional. */
	void (*reset)(void *opaque);
};

/* One guest buffer: a bus address (as the driver gave it) and a length. */
struct virtio_pci_iov {
	uint64_t addr;
	uint32_t len;
};

/* A popped descriptor chain: out (device-readable) buffers first, then in
 * (device-writable) ones. The iovecs are the transport's scratch for this
 * queue: valid until the next virtio_pci_pop() on the same queue. */
struct virtio_pci_req {
	int queue;
	uint16_t head;			/* descriptor index that goes to the used ring */
	unsigned int out_num, in_num;
	uint64_t out_len, in_len;	/* byte totals, each at most UINT32_MAX */
	const struct virtio_pci_iov *out, *in;
};

/* Plugs a virtio device into the next free slot; NULL (and a message on
 * stderr) if the description is invalid or the bus full. dev is copied. */
struct virtio_pci *virtio_pci_plug(struct machine *m, const struct virtio_pci_device *dev,
				   void *opaque);
/* As bochs_destroy(): only when nothing touches the machine again. */
void virtio_pci_destroy(struct virtio_pci *t);

const struct pci_model_desc *virtio_pci_desc(const struct virtio_pci *t);
struct pci_slot *virtio_pci_slot(const struct virtio_pci *t);
struct machine *virtio_pci_machine(const struct virtio_pci *t);

/* Features the driver accepted (valid once FEATURES_OK stuck). */
uint64_t virtio_pci_features(const struct virtio_pci *t);
bool virtio_pci_has_feature(const struct virtio_pci *t, unsigned int bit);
uint8_t virtio_pci_status(const struct virtio_pci *t);
/* True once the transport set DEVICE_NEEDS_RESET; it then ignores the
 * queues until the driver resets the device. */
bool virtio_pci_needs_reset(const struct virtio_pci *t);

/* Reports a malformed request or ring (guest error), sets
 * DEVICE_NEEDS_RESET and raises the config interrupt. */
void virtio_pci_fail(struct virtio_pci *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The device config changed: bumps config_generation and raises the
 * config interrupt (ISR bit 1). */
void virtio_pci_config_changed(struct virtio_pci *t);

/* DMA at a bus address the driver gave (ring, buffer or payload address):
 * under ACCESS_PLATFORM minus the IOVA offset, else physical. 0, or -1
 * after a guest error (below the offset, not memory, bus mastering off). */
int virtio_pci_dma_read(struct virtio_pci *t, uint64_t addr, void *buf, size_t len);
int virtio_pci_dma_write(struct virtio_pci *t, uint64_t addr, const void *buf, size_t len);

/* Takes the next available chain of queue: 1 (req filled), 0 (none), or -1
 * (malformed: the transport has failed, see virtio_pci_fail()). */
int virtio_pci_pop(struct virtio_pci *t, int queue, struct virtio_pci_req *req);
/* Copies len bytes at offset of the out part into buf / of buf into the in
 * part at offset: 0, or -1 if the part is too short (nothing copied, no
 * guest error: the model reports it in its terms) or DMA failed (the
 * transport has failed, as for a malformed ring). */
int virtio_pci_req_read(struct virtio_pci *t, const struct virtio_pci_req *req, uint64_t offset,
			void *buf, size_t len);
int virtio_pci_req_write(struct virtio_pci *t, const struct virtio_pci_req *req, uint64_t offset,
			 const void *buf, size_t len);
/* Returns the chain to the driver with written bytes in its in part. */
void virtio_pci_push(struct virtio_pci *t, const struct virtio_pci_req *req, uint32_t written);
/* Interrupts the driver for queue unless it suppressed that (used_event
 * under EVENT_IDX, else VIRTQ_AVAIL_F_NO_INTERRUPT). */
void virtio_pci_notify(struct virtio_pci *t, int queue);

#endif
