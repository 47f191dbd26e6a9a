/*
 * cmocka tests of allocation-failure injection (kernel halves:
 * tests/kworld/fault_tests.c): each kernel half arms the injection it is
 * given through kworld_fault_config() (so that starting its task is not
 * counted), and the host half turns it off again.
 *
 * usage: test_fault [TEST-NAME-GLOB]
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "fault_tests.h"

static void off(void)
{
	assert_int_equal(0, kworld_fault_config("fail_alloc_nth", "0"));
	assert_int_equal(0, kworld_fault_config("failslab", "1,0,0,0"));
	assert_int_equal(0, kworld_fault_config("fail_page_alloc", "1,0,0,0"));
	assert_int_equal(0, kworld_fault_config("fail_alloc_site", ""));
}

/* Runs fn with the injection param=value, expecting injected failures
 * (and no WARN or other report). */
static void run_with(const char *param, const char *value, long (*fn)(void *), const char *name,
		     unsigned long expect_injected)
{
	struct kworld_fault_stats before, after;
	unsigned long failures = kworld_failures();

	struct fault_test_config cfg = { param, value };

	kworld_fault_stats(&before);
	assert_int_equal(0, kworld_run(fn, &cfg, name));
	kworld_fault_stats(&after);
	off();
	assert_int_equal(expect_injected, after.injected - before.injected);
	assert_int_equal(failures, kworld_failures());
}

static void test_fault_nth_fails_exactly_that_one(void **state)
{
	run_with("fail_alloc_nth", "3", kworld_test_fault_nth, "fault-nth", 1);
}

static void test_fault_gfp_nofail_is_never_failed(void **state)
{
	run_with("fail_alloc_nth", "1", kworld_test_fault_nofail, "fault-nofail", 1);
}

static void test_fault_site_filter_picks_the_caller(void **state)
{
	assert_int_equal(0, kworld_fault_config("fail_alloc_site", "kworld_test_fault_site"));
	run_with("failslab", "1,100,0,-1", kworld_test_fault_site, "fault-site", 1);
}

static void test_fault_page_alloc_covers_pages_vmalloc_dma(void **state)
{
	run_with("fail_page_alloc", "1,100,0,-1", kworld_test_fault_pages, "fault-pages", 3);
}

static void test_fault_krealloc_failure_keeps_the_object(void **state)
{
	run_with("failslab", "1,100,0,1", kworld_test_fault_krealloc, "fault-krealloc", 1);
}

static void test_fault_bad_values_are_refused(void **state)
{
	assert_int_equal(-EINVAL, kworld_fault_config("failslab", "often"));
	assert_int_equal(-EINVAL, kworld_fault_config("fail_alloc_nth", "x"));
	assert_int_equal(-EINVAL, kworld_fault_config("fail_everything", "1"));
	off();
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_nth_fails_exactly_that_one),
		cmocka_unit_test(test_fault_gfp_nofail_is_never_failed),
		cmocka_unit_test(test_fault_site_filter_picks_the_caller),
		cmocka_unit_test(test_fault_page_alloc_covers_pages_vmalloc_dma),
		cmocka_unit_test(test_fault_krealloc_failure_keeps_the_object),
		cmocka_unit_test(test_fault_bad_values_are_refused),
	};

	if (kworld_boot(""))
		return 1;
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
