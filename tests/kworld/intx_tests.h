/* Kernel half of the INTx test (tests/kworld/intx_tests.c). Plain C types. */
#ifndef DRMSIM_INTX_TESTS_H
#define DRMSIM_INTX_TESTS_H

struct intx_test_report {
	long probed, irq, handled, spurious_before;
};

/* Binds a test driver to the pci-testdev model (1b36:0005), requests its
 * INTx line, rings the doorbell and waits for the handler. 0 on success. */
long kworld_test_intx(void *report);

struct msix_test_report {
	long probed, nvec, irq[2], handled[2], order[2];
};

/* Binds a driver to the MSI-X test device (1b36:0105), allocates two MSI-X
 * vectors, and has the device signal vector 1, then vector 0. */
long kworld_test_msix(void *report);

#endif
