/*
 * Interrupts end to end. INTx: a device model asserts its INTA# line, the kernel runs
 * the handler a PCI driver requested through genirq, and the handler's
 * acknowledgement lowers the line. The model is QEMU's pci-testdev
 * identity (1b36:0005) with a doorbell register, defined here because only
 * this test uses it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "intx_tests.h"
#include "machine.h"

struct testdev {
	struct pci_slot *slot;
	int asserted, rings;
};

static struct testdev dev;

static uint64_t testdev_read(void *opaque, uint64_t off, unsigned size)
{
	struct testdev *d = opaque;

	return off == 0x4 ? (uint64_t)d->asserted : 0;
}

static void testdev_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	struct testdev *d = opaque;

	if (off == 0x0) {		/* doorbell: raise the interrupt */
		d->rings++;
		d->asserted = 1;
	} else if (off == 0x8) {	/* acknowledge: lower it */
		d->asserted = 0;
	}
	machine_set_intx(d->slot, d->asserted);
}

static const struct pci_model_desc testdev_desc = {
	.name = "pci-testdev",
	.vendor = 0x1b36, .device = 0x0005,
	.subsystem_vendor = 0x1af4, .subsystem_device = 0x1100,
	.class_code = 0x00ff00,
	.bars = { [0] = { .kind = BAR_MEM32, .size = 4096,
			  .read = testdev_read, .write = testdev_write } },
	.intx = true,
};

/* A second test device with two MSI-X vectors (table in BAR1, kept by the
 * machine); writing a vector number to BAR0 0x10 signals that vector. */
static struct pci_slot *msix_slot;

static uint64_t msixdev_read(void *opaque, uint64_t off, unsigned size)
{
	return 0;
}

static void msixdev_write(void *opaque, uint64_t off, unsigned size, uint64_t val)
{
	if (off == 0x10)
		machine_msix_notify(msix_slot, (unsigned int)val);
}

static const struct pci_model_desc msixdev_desc = {
	.name = "msix-testdev",
	.vendor = 0x1b36, .device = 0x0105,
	.class_code = 0x00ff00,
	.bars = {
		[0] = { .kind = BAR_MEM32, .size = 4096, .read = msixdev_read, .write = msixdev_write },
		[1] = { .kind = BAR_MEM32, .size = 4096, .read = msixdev_read, .write = msixdev_write },
	},
	.msix_vectors = 2,
	.msix_bar = 1,
};

/* Two MSI-X vectors through the kernel's PCI/MSI domain: each signal runs
 * its own handler, in the order the device sent them. */
static void test_msix_vectors_reach_their_handlers(void **state)
{
	struct msix_test_report r = { 0 };

	(void)state;
	assert_int_equal(0, kworld_run(kworld_test_msix, &r, "msix-test"));
	assert_int_equal(1, r.probed);
	assert_int_equal(2, r.nvec);
	assert_true(r.irq[0] > 0 && r.irq[1] > 0 && r.irq[0] != r.irq[1]);
	assert_int_equal(1, r.handled[0]);
	assert_int_equal(1, r.handled[1]);
	assert_int_equal(1, r.order[0]);
	assert_int_equal(0, r.order[1]);
	assert_int_equal(0, kworld_failures());
}

/* The doorbell's interrupt reaches the driver's handler exactly once, and
 * its acknowledgement leaves the line low. */
static void test_intx_doorbell_runs_handler(void **state)
{
	struct intx_test_report r = { 0 };

	(void)state;
	assert_int_equal(0, kworld_run(kworld_test_intx, &r, "intx-test"));
	assert_int_equal(1, r.probed);
	assert_int_equal(32 + 2, r.irq);	/* slot 2, the first the machine fills */
	assert_int_equal(1, r.handled);
	assert_int_equal(1, dev.rings);
	assert_int_equal(0, dev.asserted);
	assert_int_equal(0, host_pci_intx_pending());
	assert_int_equal(0, kworld_failures());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intx_doorbell_runs_handler),
		cmocka_unit_test(test_msix_vectors_reach_their_handlers),
	};

	dev.slot = machine_plug(machine_get(), &testdev_desc, &dev);
	msix_slot = machine_plug(machine_get(), &msixdev_desc, NULL);
	if (!dev.slot || !msix_slot || kworld_boot(""))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
