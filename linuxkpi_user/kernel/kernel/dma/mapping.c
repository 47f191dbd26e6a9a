// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces kernel/dma/mapping.c (and the direct-mapping backend): the
 * machine has no IOMMU and its device models read memory by physical
 * address, which is the host address (the linear map is the identity), so
 * a DMA address is the page's physical address and every mapping is
 * coherent. A mask that cannot reach the arena is refused, as Linux refuses
 * masks the platform cannot satisfy.
 *
 * A PCI device model may sit behind an IOMMU window (host_pci_iova_offset):
 * its bus addresses are then physical + offset, so a driver that hands it a
 * physical address where the DMA API's address belongs is caught.
 */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>

#include "../../lkpi.h"

static dma_addr_t bus_offset(struct device *dev)
{
	if (!dev || !dev_is_pci(dev) || to_pci_dev(dev)->bus->number)
		return 0;
	return host_pci_iova_offset(to_pci_dev(dev)->devfn);
}

dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	return page_to_phys(page) + offset + bus_offset(dev);
}
EXPORT_SYMBOL(dma_map_page_attrs);

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size,
			  enum dma_data_direction dir, unsigned long attrs)
{
}
EXPORT_SYMBOL(dma_unmap_page_attrs);
LKPI_NOOP(dma_unmap_page_attrs, "DMA addresses are fixed offsets of physical ones: nothing to unmap");

unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			      enum dma_data_direction dir, unsigned long attrs)
{
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, nents, i) {
		s->dma_address = sg_phys(s) + bus_offset(dev);
		sg_dma_len(s) = s->length;
	}
	return nents;
}
EXPORT_SYMBOL(dma_map_sg_attrs);

int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir,
		    unsigned long attrs)
{
	sgt->nents = dma_map_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
	return 0;
}
EXPORT_SYMBOL_GPL(dma_map_sgtable);

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, unsigned long attrs)
{
}
EXPORT_SYMBOL(dma_unmap_sg_attrs);
LKPI_NOOP(dma_unmap_sg_attrs, "DMA addresses are fixed offsets of physical ones: nothing to unmap");

dma_addr_t dma_map_resource(struct device *dev, phys_addr_t phys_addr, size_t size,
			    enum dma_data_direction dir, unsigned long attrs)
{
	return phys_addr + bus_offset(dev);
}
EXPORT_SYMBOL(dma_map_resource);

void dma_unmap_resource(struct device *dev, dma_addr_t addr, size_t size,
			enum dma_data_direction dir, unsigned long attrs)
{
}
EXPORT_SYMBOL(dma_unmap_resource);
LKPI_NOOP(dma_unmap_resource, "DMA addresses are fixed offsets of physical ones: nothing to unmap");

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag,
		      unsigned long attrs)
{
	struct page *page;

	/* Linux's dma_alloc_attrs() comes from the page allocator too: one
	 * injection point, charged to the driver that asked. */
	if (lkpi_should_fail_alloc("dma", size, flag, _RET_IP_))
		return NULL;
	lkpi_fault_suspend();
	page = alloc_pages(flag | __GFP_ZERO, get_order(size));
	lkpi_fault_resume();
	if (!page)
		return NULL;
	*dma_handle = page_to_phys(page) + bus_offset(dev);
	return page_address(page);
}
EXPORT_SYMBOL(dma_alloc_attrs);

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle,
		    unsigned long attrs)
{
	if (cpu_addr)
		free_pages((unsigned long)cpu_addr, get_order(size));
}
EXPORT_SYMBOL(dma_free_attrs);

int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev->dma_mask || mask < lkpi_dma_top())
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}
EXPORT_SYMBOL(dma_set_mask);

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (mask < lkpi_dma_top())
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}
EXPORT_SYMBOL(dma_set_coherent_mask);

size_t dma_max_mapping_size(struct device *dev)
{
	return SIZE_MAX;
}
EXPORT_SYMBOL_GPL(dma_max_mapping_size);

size_t dma_opt_mapping_size(struct device *dev)
{
	return SIZE_MAX;
}
EXPORT_SYMBOL_GPL(dma_opt_mapping_size);

bool dma_addressing_limited(struct device *dev)
{
	return false;
}
EXPORT_SYMBOL_GPL(dma_addressing_limited);

unsigned long dma_get_merge_boundary(struct device *dev)
{
	return 0;
}
EXPORT_SYMBOL_GPL(dma_get_merge_boundary);
