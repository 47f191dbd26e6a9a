// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation-failure injection for linuxkpi_user's allocators, on Linux's
 * own fault-injection framework (lib/fault-inject.c, compiled unmodified:
 * should_fail_ex(), setup_fault_attr(), the fault_attr semantics of
 * Documentation/fault-injection/fault-injection.rst).
 *
 * Linux's failslab and fail_page_alloc hook its SLUB and buddy allocator,
 * which drmsim replaces, so the attributes live here, with their boot
 * parameters and GFP rules:
 *
 *   failslab=I,P,S,T         kmalloc, krealloc, kmem_cache_alloc
 *   fail_page_alloc=I,P,S,T  alloc_pages, vmalloc, DMA allocations (and so
 *                            TTM's pool), as in Linux, where all of those
 *                            come from the page allocator
 *   fail_alloc_nth=N         drmsim's: the Nth injectable allocation of
 *                            either kind fails, once (what a fault sweep
 *                            steps through)
 *   fail_alloc_site=FUNC     only allocations called from function FUNC
 *                            are injected (with any of the above)
 *
 * __GFP_NOFAIL is never failed; __GFP_NOWARN failures are not reported by
 * the framework (FAULT_NOWARN), as in Linux. One deliberate difference:
 * Linux's failslab and fail_page_alloc skip allocations that may sleep
 * (ignore-gfp-wait) unless debugfs says otherwise; drmsim has no debugfs
 * and its sweeps are about exactly those allocations, so they are
 * injectable here.
 *
 * Injection is armed when the drivers' initcalls start: what start_kernel()
 * and the core and subsystem initcalls set up before any driver loads is
 * not a driver's error path (in Linux most of it panics on failure).
 * Allocations that only exist because of how linuxkpi_user hosts the
 * kernel (the task a client's system call runs on, the bootstrap cache)
 * are never injected.
 */
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "../lkpi.h"

static DECLARE_FAULT_ATTR(fail_slab);
static DECLARE_FAULT_ATTR(fail_page);
static DECLARE_FAULT_ATTR(fail_nth);
static char site[128];
static unsigned long points;		/* injectable allocations so far */
static unsigned long injected;		/* failures injected */
static unsigned int suspended;		/* linuxkpi_user's own bookkeeping */
static bool armed;			/* from the drivers' initcalls on */

void lkpi_fault_arm(void)
{
	armed = true;
}

static int fault_config(struct fault_attr *attr, const char *param, char *val);
static int lkpi_fault_config_result;

/* The parameters of the comment above; true if param was one of them. */
bool lkpi_fault_param(const char *param, char *val)
{
	struct fault_attr *attr = NULL;

	if (!strcmp(param, "failslab"))
		attr = &fail_slab;
	else if (!strcmp(param, "fail_page_alloc"))
		attr = &fail_page;
	else if (!strcmp(param, "fail_alloc_nth"))
		attr = &fail_nth;
	else if (!strcmp(param, "fail_alloc_site")) {
		strscpy(site, val ? val : "", sizeof(site));
		lkpi_fault_config_result = 0;
		return true;
	} else
		return false;
	if (!val || !*val) {
		pr_err("drmsim: %s= needs a value\n", param);
		lkpi_fault_config_result = -EINVAL;
		return true;
	}
	lkpi_fault_config_result = fault_config(attr, param, val);
	return true;
}

/* 0, or -EINVAL (with a message) if val is not what param takes. */
static int fault_config(struct fault_attr *attr, const char *param, char *val)
{
	char nth[48];

	if (attr == &fail_nth) {
		unsigned long n;

		if (kstrtoul(val, 0, &n)) {
			pr_err("drmsim: fail_alloc_nth=%s: want a count (0: off)\n", val);
			return -EINVAL;
		}
		/* Every call counted, the Nth fails, once; 0 turns it off. */
		snprintf(nth, sizeof(nth), "%lu,%d,0,1", n ? n : 1, n ? 100 : 0);
		val = nth;
	}
	if (!setup_fault_attr(attr, val)) {
		pr_err("drmsim: %s=%s: want interval,probability,space,times\n", param, val);
		return -EINVAL;
	}
	attr->count = 0;
	strscpy(attr->dname, param, sizeof(attr->dname));
	return 0;
}

void lkpi_fault_suspend(void)
{
	suspended++;
}

void lkpi_fault_resume(void)
{
	suspended--;
}

static bool site_matches(unsigned long caller)
{
	char name[160];
	size_t n = strlen(site);

	host_symbolize(caller, name, sizeof(name));
	return !strncmp(name, site, n) && name[n] == '+';
}

/* Whether the allocation of size bytes that caller asked for with gfp
 * fails now; kind is "kmalloc", "pages", "vmalloc" or "dma". */
bool lkpi_should_fail_alloc(const char *kind, size_t size, gfp_t gfp, unsigned long caller)
{
	struct fault_attr *attr = strcmp(kind, "kmalloc") ? &fail_page : &fail_slab;
	int flags = gfp & __GFP_NOWARN ? FAULT_NOWARN : 0;
	char where[160];
	bool fail;

	if (!armed || suspended || (gfp & __GFP_NOFAIL))
		return false;
	if (site[0] && !site_matches(caller))
		return false;
	points++;
	fail = (fail_nth.probability && should_fail_ex(&fail_nth, size, flags)) ||
	       should_fail_ex(attr, size, flags);
	if (!fail)
		return false;
	injected++;
	/* The sweep's record of where, whatever the framework printed. */
	host_symbolize(caller, where, sizeof(where));
	pr_notice("drmsim: injected allocation failure %lu (allocation %lu): %s %zu bytes, gfp %#x(%pGg), called from %s\n",
		  injected, points, kind, size, gfp, &gfp, where);
	return true;
}

int kworld_fault_config(const char *param, const char *value)
{
	char val[128];

	strscpy(val, value ? value : "", sizeof(val));
	lkpi_fault_config_result = -EINVAL;
	if (!lkpi_fault_param(param, val))
		pr_err("drmsim: no fault-injection parameter '%s'\n", param);
	return lkpi_fault_config_result;
}

void kworld_fault_stats(struct kworld_fault_stats *st)
{
	st->points = points;
	st->injected = injected;
}
