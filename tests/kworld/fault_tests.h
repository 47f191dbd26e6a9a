/* Kernel half of the allocation-failure injection tests
 * (tests/kworld/fault_tests.c). Each returns 0, or the line of the failed
 * check; the host half turns the injection off after. */
#ifndef DRMSIM_FAULT_TESTS_H
#define DRMSIM_FAULT_TESTS_H

/* Every kernel half takes this: the injection it arms first. */
struct fault_test_config {
	const char *param, *value;
};

/* With fail_alloc_nth=3: two kmallocs succeed, the third fails, the
 * fourth succeeds (one failure only). */
long kworld_test_fault_nth(void *cfg);
/* With fail_alloc_nth=1: __GFP_NOFAIL is not failed (and not counted),
 * the next plain allocation is. */
long kworld_test_fault_nofail(void *cfg);
/* With failslab=1,100,0,-1 and fail_alloc_site=kworld_test_fault_site:
 * allocations this function makes fail, those of a helper it calls do
 * not. */
long kworld_test_fault_site(void *cfg);
/* With fail_page_alloc=1,100,0,-1: alloc_pages, vmalloc and
 * dma_alloc_coherent fail, kmalloc does not. */
long kworld_test_fault_pages(void *cfg);
/* With failslab=1,100,0,1: krealloc's failure leaves the old object as
 * it was, as Linux's does. */
long kworld_test_fault_krealloc(void *cfg);

#endif
