/*
 * VMware SVGA II model: guest memory regions, GMR2 (vmwgfx_gmr.c's
 * vmw_gmr2_bind): DEFINE_GMR2 and REMAP_GMR2 with 32- or 64-bit PPNs,
 * a single PPN or a page list read through another region; and copies to
 * and from a region (VRAM for SVGA_GMR_FRAMEBUFFER) by bus-master DMA.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svga_priv.h"

/* ---- guest memory: VRAM and GMRs ------------------------------------------------- */

void svga_gmr_free(struct svga *s, uint32_t id)
{
	s->gmr_pages -= s->gmrs[id].num_pages;
	free(s->gmrs[id].ppn);
	s->gmrs[id].ppn = NULL;
	s->gmrs[id].num_pages = 0;
}

/* Size in bytes of what ptr's GMR id names; 0 (and an error) if none. */
uint64_t svga_region_size(struct svga *s, uint32_t gmr)
{
	if (gmr == SVGA_GMR_FRAMEBUFFER)
		return s->vram_size;
	if (gmr >= SVGA_GMR_IDS || !s->gmrs[gmr].num_pages) {
		SVGA_ERR(s, "GMR %#x is not defined", gmr);
		return 0;
	}
	return (uint64_t)s->gmrs[gmr].num_pages << SVGA_PAGE_SHIFT;
}

/*
 * Copies len bytes at off of region gmr (VRAM or a GMR) to or from buf;
 * the caller checked [off, off + len) against svga_region_size(). A GMR
 * page never remapped, or one the bus cannot reach, is an error (0 or -1).
 */
int svga_region_rw(struct svga *s, uint32_t gmr, uint64_t off, void *buf, uint64_t len,
			  bool write)
{
	const struct svga_gmr *g;
	uint8_t *p = buf;

	if (gmr == SVGA_GMR_FRAMEBUFFER) {
		if (write)
			memcpy(s->vram + off, buf, len);
		else
			memcpy(buf, s->vram + off, len);
		return 0;
	}
	g = &s->gmrs[gmr];
	while (len) {
		uint64_t page = off >> SVGA_PAGE_SHIFT, in = off & (SVGA_PAGE_SIZE - 1);
		uint64_t n = SVGA_PAGE_SIZE - in, addr;
		int rc;

		if (g->ppn[page] == SVGA_PPN_NONE)
			return SVGA_ERR(s, "GMR %u page %llu is not mapped", gmr,
					(unsigned long long)page), -1;
		/* Physically contiguous pages go in one transfer. */
		while (n < len && page + 1 < g->num_pages && g->ppn[page + 1] == g->ppn[page] + 1 &&
		       g->ppn[page] != SVGA_PPN_NONE) {
			page++;
			n += SVGA_PAGE_SIZE;
		}
		if (n > len)
			n = len;
		addr = (g->ppn[off >> SVGA_PAGE_SHIFT] << SVGA_PAGE_SHIFT) + in;
		rc = write ? machine_dma_write(s->slot, addr, p, n) : machine_dma_read(s->slot, addr, p, n);
		if (rc)
			return SVGA_ERR(s, "GMR %u: DMA %s of %llu bytes at %#llx failed", gmr,
					write ? "write" : "read", (unsigned long long)n,
					(unsigned long long)addr), -1;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- commands: GMRs (vmw_gmr2_bind) --------------------------------------------------- */

void svga_cmd_define_gmr2(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_define_gmr2 c;
	uint64_t *ppn;

	memcpy(&c, body, sizeof(c));
	if (c.gmr_id >= SVGA_GMR_IDS) {
		SVGA_ERR(s, "GMR id %#x is past the %u ids", c.gmr_id, SVGA_GMR_IDS);
		return;
	}
	svga_gmr_free(s, c.gmr_id);
	if (!c.num_pages)
		return;		/* numPages 0: the GMR is gone */
	if (c.num_pages > SVGA_GMR_PAGES - s->gmr_pages) {
		SVGA_ERR(s, "GMR %u of %u pages: %u of %u pages left", c.gmr_id, c.num_pages,
			 SVGA_GMR_PAGES - s->gmr_pages, SVGA_GMR_PAGES);
		return;
	}
	ppn = malloc((size_t)c.num_pages * sizeof(*ppn));
	if (!ppn)
		return;
	for (uint32_t i = 0; i < c.num_pages; i++)
		ppn[i] = SVGA_PPN_NONE;
	s->gmrs[c.gmr_id].ppn = ppn;
	s->gmrs[c.gmr_id].num_pages = c.num_pages;
	s->gmr_pages += c.num_pages;
}

/* The payload after a REMAP_GMR2 body: one guest pointer (VIA_GMR), one
 * PPN (SINGLE_PPN) or one per page; PPNs are 4 or 8 bytes (PPN64). */
uint64_t svga_remap_payload(const struct svga_cmd_remap_gmr2 *c)
{
	uint64_t ppn_size = c->flags & SVGA_REMAP_GMR2_PPN64 ? 8 : 4;

	if (c->flags & SVGA_REMAP_GMR2_VIA_GMR)
		return sizeof(struct svga_guest_ptr);
	if (c->flags & SVGA_REMAP_GMR2_SINGLE_PPN)
		return ppn_size;
	return ppn_size * c->num_pages;
}

static uint64_t svga_ppn_at(const uint8_t *list, bool ppn64, uint32_t i)
{
	uint64_t v = 0;

	memcpy(&v, list + (ppn64 ? 8ull : 4ull) * i, ppn64 ? 8 : 4);
	return v;
}

void svga_cmd_remap_gmr2(struct svga *s, const uint8_t *body)
{
	struct svga_cmd_remap_gmr2 c;
	bool ppn64, single;
	const uint8_t *list = body + sizeof(c);
	uint8_t *copy = NULL;
	struct svga_gmr *g;

	memcpy(&c, body, sizeof(c));
	ppn64 = c.flags & SVGA_REMAP_GMR2_PPN64;
	single = c.flags & SVGA_REMAP_GMR2_SINGLE_PPN;
	if (c.gmr_id >= SVGA_GMR_IDS || !s->gmrs[c.gmr_id].num_pages) {
		SVGA_ERR(s, "GMR %#x is not defined", c.gmr_id);
		return;
	}
	g = &s->gmrs[c.gmr_id];
	if ((uint64_t)c.offset_pages + c.num_pages > g->num_pages) {
		SVGA_ERR(s, "GMR %u: pages %u + %u are past its %u", c.gmr_id, c.offset_pages,
			 c.num_pages, g->num_pages);
		return;
	}
	if (c.flags & SVGA_REMAP_GMR2_VIA_GMR) {
		/* The page list lives in (another) GMR or VRAM. */
		struct svga_guest_ptr ptr;
		uint64_t len = (single ? 1ull : c.num_pages) * (ppn64 ? 8 : 4), size;

		memcpy(&ptr, list, sizeof(ptr));
		size = svga_region_size(s, ptr.gmr_id);
		if (!size)
			return;
		if (ptr.offset > size || len > size - ptr.offset) {
			SVGA_ERR(s, "GMR %u: page list of %llu bytes at %#x is past its region",
				 c.gmr_id, (unsigned long long)len, ptr.offset);
			return;
		}
		copy = malloc(len ? len : 1);
		if (!copy || svga_region_rw(s, ptr.gmr_id, ptr.offset, copy, len, false)) {
			free(copy);
			return;
		}
		list = copy;
	}
	for (uint32_t i = 0; i < c.num_pages; i++) {
		uint64_t ppn = svga_ppn_at(list, ppn64, single ? 0 : i);

		if (ppn >> (64 - SVGA_PAGE_SHIFT)) {
			SVGA_ERR(s, "GMR %u: PPN %#llx is past 64-bit addresses", c.gmr_id,
				 (unsigned long long)ppn);
			break;
		}
		g->ppn[c.offset_pages + i] = ppn;
	}
	free(copy);
}
