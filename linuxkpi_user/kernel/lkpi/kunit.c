// SPDX-License-Identifier: GPL-2.0
/*
 * Runs KUnit suites the way lib/kunit/executor.c does at boot, with two
 * differences: the glob comes from the caller, and the verdict of every
 * suite is returned to the host before the filtered set is freed.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "../lkpi.h"

extern struct kunit_suite * const __kunit_suites_start[];
extern struct kunit_suite * const __kunit_suites_end[];

struct kunit_run {
	const char *glob;
	const char *skip;
	int list_only;
	struct kworld_kunit_result *res;
};

static void skipped_case(struct kunit *test)
{
	kunit_skip(test, "skipped by drmsim (see the CTest registration for why)");
}

/* Replaces the cases named in skip ("suite.case,suite.case") with a KUnit
 * skip, so they show as SKIP in the KTAP and the rest of the suite runs. */
static void apply_skips(struct kunit_suite_set *set, const char *skip)
{
	struct kunit_suite * const *s;
	struct kunit_case *c;

	for (s = set->start; s < set->end; s++) {
		struct kunit_suite *suite = *s;

		kunit_suite_for_each_test_case(suite, c) {
			const char *p = skip;
			size_t sl = strlen(suite->name), cl = strlen(c->name);

			while (p && *p) {
				const char *end = strchrnul(p, ',');

				if ((size_t)(end - p) == sl + 1 + cl && !strncmp(p, suite->name, sl) &&
				    p[sl] == '.' && !strncmp(p + sl + 1, c->name, cl))
					c->run_case = skipped_case;
				p = *end ? end + 1 : NULL;
			}
		}
	}
}

static long run(void *arg)
{
	struct kunit_run *r = arg;
	struct kunit_suite_set all = { __kunit_suites_start, __kunit_suites_end };
	struct kunit_suite_set set;
	struct kunit_suite * const *s;
	int err = 0;

	set = kunit_filter_suites(&all, r->glob && *r->glob ? r->glob : "*", NULL, NULL, &err);
	if (err)
		return err;
	if (r->skip)
		apply_skips(&set, r->skip);
	if (r->list_only) {
		kunit_exec_list_tests(&set, false);
	} else {
		kunit_exec_run_tests(&set, true);
		for (s = set.start; s < set.end; s++) {
			struct kunit_suite *suite = *s;
			struct kunit_case *c;

			r->res->suites++;
			if (kunit_suite_has_succeeded(suite) == KUNIT_FAILURE)
				r->res->suites_failed++;
			kunit_suite_for_each_test_case(suite, c) {
				if (c->status == KUNIT_SUCCESS)
					r->res->cases_passed++;
				else if (c->status == KUNIT_SKIPPED)
					r->res->cases_skipped++;
				else
					r->res->cases_failed++;
			}
		}
	}
	kunit_free_suite_set(set);
	return 0;
}

int kworld_kunit(const char *glob, const char *skip, int list_only,
		 struct kworld_kunit_result *res)
{
	struct kunit_run r = { glob, skip, list_only, res };

	memset(res, 0, sizeof(*res));
	return kworld_run(run, &r, "kunit");
}

/* Makes sure both suite sections exist (empty), so their bounds resolve
 * even when no object defines init-time suites. */
static struct kunit_suite * const no_suites[0]
	__used __section(".kunit_test_suites") __aligned(sizeof(void *));
static struct kunit_suite * const no_init_suites[0]
	__used __section(".kunit_init_test_suites") __aligned(sizeof(void *));
