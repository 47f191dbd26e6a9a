/*
 * The simulated machine (host world): a PCI bus with slots, each holding a
 * device model that declares its config-space identity, BARs and legacy
 * I/O ports; published scanouts; and one channel for guest errors.
 *
 * The kernel world reaches the machine only through drmsim_abi.h
 * (host_pci_*, host_mmio_*, host_port_*); device models never see kernel
 * types, and the kernel never sees a model.
 */
#ifndef DRMSIM_MACHINE_H
#define DRMSIM_MACHINE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* BAR kinds. A RAM BAR (VRAM) is memory the kernel maps directly; a
 * register BAR dispatches every access to the model's callbacks. */
enum bar_kind { BAR_NONE, BAR_MEM32, BAR_MEM64, BAR_IO };

struct pci_bar_desc {
	enum bar_kind kind;
	uint64_t size;			/* power of two, >= 16 (4 KiB for memory) */
	bool prefetchable;
	bool ram;			/* backed by machine memory; no callbacks */
	/* Register BARs: offset within the BAR, size 1/2/4/8 bytes. */
	uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
	void (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t val);
};

/* Fixed legacy I/O ports a device decodes (e.g. VGA 0x3c0, DISPI 0x1ce). */
struct port_range_desc {
	uint16_t base, count;
	uint64_t (*read)(void *opaque, uint16_t port, unsigned size);
	void (*write)(void *opaque, uint16_t port, unsigned size, uint64_t val);
};

/* A read-only capability in config space beyond MSI-X (which the machine
 * builds itself), e.g. a virtio vendor capability. */
struct pci_cap_desc {
	uint8_t id;			/* PCI_CAP_ID_*: 0x09 vendor-specific */
	uint8_t len;			/* whole capability, 2..64 bytes; 0 ends the list */
	uint8_t data[62];		/* bytes from offset 2 on (after id and next) */
};

struct pci_model_desc {
	const char *name;		/* e.g. "bochs-dispi" */
	uint16_t vendor, device;
	uint16_t subsystem_vendor, subsystem_device;
	uint8_t revision;
	uint32_t class_code;		/* 24 bits: base class, subclass, prog-if */
	struct pci_bar_desc bars[6];
	struct port_range_desc ports[4];
	bool intx;			/* has interrupt pin INTA# */
	/* MSI-X: vectors (0: none), and the BAR (a 4 KiB memory BAR the
	 * machine implements itself) holding the table at 0, the PBA at 0x800. */
	uint16_t msix_vectors;
	int msix_bar;
	/* DMA through the kernel's DMA API gives the device bus addresses
	 * "guest-physical + iova_offset", as behind an IOMMU with one fixed
	 * window (0: none, bus == physical). A model decides per request
	 * which kind of address it was given (virtio: ACCESS_PLATFORM
	 * negotiated or not) and translates before machine_dma_*(). */
	uint64_t iova_offset;
	/* Further capabilities, chained after MSI-X in this order. */
	struct pci_cap_desc caps[8];
	/* Expansion ROM (config 0x30): the machine sizes, places and serves
	 * it read-only while its enable bit and memory decoding are on. Size
	 * a power of two >= 2 KiB; NULL: no ROM BAR. The model keeps the
	 * image alive while plugged. */
	const void *rom;
	uint64_t rom_size;
	/* Writes to device-specific config space (0x40 and up, past the
	 * machine's own capabilities), e.g. a reset register; optional. */
	void (*cfg_write)(void *opaque, unsigned int where, int size, uint32_t val);
	void (*reset)(void *opaque);
};

struct machine;
struct pci_slot;

/* Plugs a model into the next free slot (device 0..31 on bus 0). After
 * this, machine_bar_ram() returns the RAM of each RAM BAR. Returns the
 * slot, or NULL (and a message on stderr) if the description is invalid. */
struct pci_slot *machine_plug(struct machine *m, const struct pci_model_desc *desc,
			      void *opaque);
/* Takes the slot off the bus: its BAR memory is freed and nothing decodes
 * to it any more, so its model may be destroyed afterwards. */
void machine_unplug(struct pci_slot *slot);
/* Surprise removal (a card pulled, a VM's device_del without the guest's
 * consent): the slot leaves the bus at once, while the kernel may still
 * use the device. From then on its config space, registers and ports
 * read as all ones and take no writes (without guest errors), it sends
 * no interrupts and does no DMA, and RAM BARs the kernel mapped stay
 * mapped (as anonymous memory the device no longer sees) until the
 * process ends. The machine keeps the model (it is not destroyed: its
 * timers and displays may still run) and at most NR_SLOTS (32) removed
 * slots; past that the call does nothing. machine_unplug() of the slot
 * then does nothing. */
void machine_hot_unplug(struct pci_slot *slot);
/* The slot's device/function number on bus 0 (device << 3). */
unsigned int machine_slot_devfn(const struct pci_slot *slot);
/* True while the driver has MSI-X enabled (message control bit 15). */
bool machine_msix_enabled(const struct pci_slot *slot);

/* Drives the slot's INTA# line (level-triggered): the kernel world runs the
 * handlers while it is asserted and the command register allows INTx. */
void machine_set_intx(struct pci_slot *slot, bool asserted);

/* Signals MSI-X vector of the slot: delivered if MSI-X is enabled and the
 * vector unmasked, else remembered in the PBA. */
void machine_msix_notify(struct pci_slot *slot, unsigned int vector);

/* Backing memory of a RAM BAR (model side: e.g. to scan out VRAM). */
void *machine_bar_ram(struct pci_slot *slot, int bar);

/* Bus-master access of the slot's device to guest-physical memory
 * [addr, addr + len): 0, or -1 when bus mastering is off or the range is not
 * all memory (then nothing was read; a write may have stored a prefix).
 * Never faults, whatever addr is. The linear map is the identity, so
 * guest-physical memory is this process's kernel-world memory: the page
 * arena, RAM BARs and the kernel heap. */
int machine_dma_read(struct pci_slot *slot, uint64_t addr, void *buf, size_t len);
int machine_dma_write(struct pci_slot *slot, uint64_t addr, const void *buf, size_t len);
/* Confines bus-master DMA to [base, base + len) and RAM BARs (len 0: no
 * confinement). For driver-side fuzzing of models, where guest addresses
 * are the input and must not reach the harness's own memory. */
void machine_dma_confine(struct machine *m, const void *base, size_t len);
/* Guest RAM that is always mapped (the kernel world's page arena): bus
 * mastering into it is a plain copy instead of a checked one. Set by the
 * harness at setup; model fuzzers, whose DMA is confined, leave it unset. */
void machine_set_ram(struct machine *m, void *base, size_t len);
/* Config-space byte of the slot (e.g. the command register at 0x04). */
uint32_t machine_cfg_read(struct pci_slot *slot, unsigned int where, int size);

/* A hardware cursor drawn over a scanout, as a VM viewer composes it. */
struct scanout_cursor {
	bool visible;
	const uint32_t *argb;		/* width x height ARGB8888, model-owned */
	uint32_t width, height;
	int32_t x, y;			/* image's top-left on the scanout (hotspot applied) */
};

/* A scanout as the display model currently derives it. */
struct scanout {
	bool enabled;
	const uint8_t *base;		/* first pixel, inside machine memory */
	uint32_t width, height, stride;	/* stride in bytes */
	uint32_t fourcc;		/* DRM_FORMAT_* value, e.g. XRGB8888 */
	uint64_t frame;			/* bumped on every change (cursor included) */
	struct scanout_cursor cursor;
};

/* What a viewer can ask of a display's model. */
struct display_ops {
	/* The viewer's window became w x h: the model may offer it as the
	 * monitor's new preferred mode (a hotplug). Optional. */
	void (*resize)(void *opaque, int output, uint32_t w, uint32_t h);
	/* A viewer shows the output: a model whose monitors appear only
	 * with a viewer connects it (virtio-gpu's outputs past the first, as
	 * QEMU's UI enables them). Optional. */
	void (*attach)(void *opaque, int output);
	/* A viewer is about to read the output's frame: a model that applies
	 * damage on its host's refresh timer (VirtualBox's VBVA rings) does
	 * it now. Optional. */
	void (*refresh)(void *opaque, int output);
	/* The viewer's mouse is at x, y of the output's picture: a model whose
	 * host draws the cursor at its own pointer (VirtualBox) moves it
	 * there. Optional. */
	void (*pointer)(void *opaque, int output, int32_t x, int32_t y);
};

#define MACHINE_MAX_DISPLAYS 32

/* Reserves count consecutive displays (the outputs of one model, output 0
 * first), named "NAME" for one or "NAME-N" for several. Returns the first
 * display's index, or -1 (message on stderr) when no room is left. ops
 * may be NULL. */
int machine_add_displays(struct machine *m, int count, const char *name,
			 const struct display_ops *ops, void *opaque);
/* Sets the ops of a reserved display (for models plugged after their
 * displays were reserved: the opaque pointer exists only then). */
void machine_set_display_ops(struct machine *m, int display, const struct display_ops *ops,
			     void *opaque);
/* Displays reserved so far; their names (NULL past the end). */
int machine_display_count(struct machine *m);
const char *machine_display_name(struct machine *m, int display);
/* Forwards the viewer's mouse position over display to the model. */
void machine_display_pointer(struct machine *m, int display, int32_t x, int32_t y);
/* Tells the model a viewer shows display (before boot or after). */
void machine_display_attach(struct machine *m, int display);
/* Forwards a viewer's resize to the model: 0, or -1 if it cannot resize. */
int machine_display_resize(struct machine *m, int display, uint32_t w, uint32_t h);
/* Called by display models whenever their scanout changes. */
void machine_publish_scanout(struct machine *m, int display, const struct scanout *s);
/* The latest scanout of display (zeroed if none), after the model's
 * refresh (display_ops.refresh): what a viewer would show now. */
struct scanout machine_scanout(struct machine *m, int display);

/* One channel for "the driver gave the model garbage": logged with the
 * model name, counted, never fatal. Tests and the fuzzer read the count. */
void machine_guest_error(struct machine *m, const char *model, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
unsigned long machine_guest_errors(struct machine *m);
/* Counts guest errors without printing them (device-model fuzzing, where
 * garbage is the input). */
void machine_quiet_guest_errors(struct machine *m, bool quiet);

/* The hypervisor's backdoor (VMware's port 0x5658 and its high-bandwidth
 * twin): regs[] are eax, ebx, ecx, edx, esi, edi, ebp in and out; mode as
 * host_vmware_backdoor() in drmsim_abi.h. fn NULL: no hypervisor answers. */
void machine_set_backdoor(struct machine *m, void (*fn)(void *opaque, uint32_t regs[7], int mode),
			  void *opaque);

/* Appends kernel parameters (space separated, e.g. "amdgpu.dpm=0") that
 * the kernel world parses at boot before its caller's command line: the
 * driver options a device's setup needs. 0, or -1 if they do not fit. */
int machine_add_cmdline(struct machine *m, const char *params);

/* Device time. Models make progress on the kernel world's clock (virtual
 * unless the run follows the host's): a timer armed for delay_ns runs its
 * function once that much time has passed, when the kernel world's timer
 * code next runs due work (it counts the earliest device timer among its
 * deadlines, so an idle kernel jumps there). Functions run outside any
 * register access and may touch the machine (DMA, interrupts, timers). */
struct machine_timer {
	uint64_t deadline;
	bool armed;
	void (*fn)(void *opaque);
	void *opaque;
	struct machine_timer *next;
};
void machine_timer_init(struct machine_timer *t, void (*fn)(void *opaque), void *opaque);
/* (Re)arms t delay_ns from now. */
void machine_timer_mod(struct machine *m, struct machine_timer *t, uint64_t delay_ns);
void machine_timer_del(struct machine *m, struct machine_timer *t);
/* The machine's notion of now: the clock set below, else the time of the
 * last machine_run_timers() (tests and model fuzzers without a kernel). */
uint64_t machine_now_ns(struct machine *m);
void machine_set_clock(struct machine *m, uint64_t (*now_ns)(void));
/* Runs every timer due at now_ns (later ones stay armed). */
void machine_run_timers(struct machine *m, uint64_t now_ns);

/* The one machine of this process (the kernel world is one per process). */
struct machine *machine_get(void);

/* The memfd and offset behind RAM-BAR guest-physical memory [phys,
 * phys + len) as currently decoded: 0, or -1 if it is not RAM-BAR memory. */
int machine_ram_fd(struct machine *m, uint64_t phys, uint64_t len, int *fd, uint64_t *offset);
#endif
