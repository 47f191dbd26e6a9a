// SPDX-License-Identifier: GPL-2.0
/*
 * An INTx round trip through the unmodified PCI core and genirq: a small
 * PCI driver for the test device binds through its own id table, gets its
 * IRQ from the bus's routing, requests it, rings the device's doorbell and
 * sleeps until its interrupt handler acknowledges the device.
 */
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>

#include "intx_tests.h"

#define REG_DOORBELL	0x0
#define REG_STATUS	0x4
#define REG_ACK		0x8

static struct intx_test_report *report;
static DECLARE_COMPLETION(irq_seen);
static void __iomem *regs;

static irqreturn_t intx_test_irq(int irq, void *data)
{
	if (!readl(regs + REG_STATUS))
		return IRQ_NONE;		/* shared line, not ours */
	report->handled++;
	writel(1, regs + REG_ACK);
	complete(&irq_seen);
	return IRQ_HANDLED;
}

static int intx_test_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret = pcim_enable_device(pdev);

	if (ret)
		return ret;
	regs = pcim_iomap(pdev, 0, 0);
	if (!regs)
		return -ENOMEM;
	report->probed = 1;
	report->irq = pdev->irq;
	return devm_request_irq(&pdev->dev, pdev->irq, intx_test_irq, IRQF_SHARED,
				"drmsim-intx-test", pdev);
}

static const struct pci_device_id intx_test_ids[] = {
	{ PCI_DEVICE(0x1b36, 0x0005) },
	{ /* end of list */ }
};

static struct pci_driver intx_test_driver = {
	.name = "drmsim-intx-test",
	.id_table = intx_test_ids,
	.probe = intx_test_probe,
};

long kworld_test_intx(void *arg)
{
	long ret;

	report = arg;
	reinit_completion(&irq_seen);
	ret = pci_register_driver(&intx_test_driver);
	if (ret)
		return ret;
	if (!report->probed) {
		ret = -ENODEV;
		goto out;
	}
	writel(1, regs + REG_DOORBELL);
	if (!wait_for_completion_timeout(&irq_seen, HZ))
		ret = -ETIMEDOUT;
out:
	pci_unregister_driver(&intx_test_driver);
	return ret;
}

/* ---- MSI-X ------------------------------------------------------------------ */

#define REG_SIGNAL	0x10	/* write a vector number: the device signals it */

static struct msix_test_report *mreport;
static DECLARE_COMPLETION(msix_seen);
static void __iomem *mregs;
static int mseen;

static irqreturn_t msix_test_irq(int irq, void *data)
{
	long v = (long)data;

	mreport->handled[v]++;
	mreport->order[mseen++ & 1] = v;
	if (mseen == 2)
		complete(&msix_seen);
	return IRQ_HANDLED;
}

static int msix_test_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int ret = pcim_enable_device(pdev);

	if (ret)
		return ret;
	pci_set_master(pdev);
	mregs = pcim_iomap(pdev, 0, 0);
	if (!mregs)
		return -ENOMEM;
	ret = pci_alloc_irq_vectors(pdev, 2, 2, PCI_IRQ_MSIX);
	if (ret < 0)
		return ret;
	mreport->nvec = ret;
	for (long v = 0; v < 2; v++) {
		mreport->irq[v] = pci_irq_vector(pdev, v);
		ret = devm_request_irq(&pdev->dev, mreport->irq[v], msix_test_irq, 0,
				       "drmsim-msix-test", (void *)v);
		if (ret)
			return ret;
	}
	mreport->probed = 1;
	return 0;
}

static void msix_test_remove(struct pci_dev *pdev)
{
	devm_free_irq(&pdev->dev, mreport->irq[0], (void *)0L);
	devm_free_irq(&pdev->dev, mreport->irq[1], (void *)1L);
	pci_free_irq_vectors(pdev);
}

static const struct pci_device_id msix_test_ids[] = {
	{ PCI_DEVICE(0x1b36, 0x0105) },
	{ /* end of list */ }
};

static struct pci_driver msix_test_driver = {
	.name = "drmsim-msix-test",
	.id_table = msix_test_ids,
	.probe = msix_test_probe,
	.remove = msix_test_remove,
};

long kworld_test_msix(void *arg)
{
	long ret;

	mreport = arg;
	mseen = 0;
	reinit_completion(&msix_seen);
	ret = pci_register_driver(&msix_test_driver);
	if (ret)
		return ret;
	if (!mreport->probed) {
		ret = -ENODEV;
		goto out;
	}
	writel(1, mregs + REG_SIGNAL);
	writel(0, mregs + REG_SIGNAL);
	if (!wait_for_completion_timeout(&msix_seen, HZ))
		ret = -ETIMEDOUT;
out:
	pci_unregister_driver(&msix_test_driver);
	return ret;
}
