// SPDX-License-Identifier: GPL-2.0
/*
 * `drmsim bench core`, kernel half: throughput of the unmodified dma_fence,
 * dma_resv, drm_sched, gpu_buddy and drm_suballoc code on linuxkpi_user.
 * Each benchmark times only its measured loop (host_clock_ns(), wall clock)
 * and checks every result it measures.
 */
#include <drm/drm_suballoc.h>
#include <drm/gpu_scheduler.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/gpu_buddy.h>
#include <linux/log2.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "drmsim_abi.h"
#include "bench_core.h"

/* Fails the benchmark with the line of the first check that did not hold. */
#define BENCH_CHECK(cond)						\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("bench %s: check failed: %s\n", __func__, #cond); \
			if (!ret)					\
				ret = __LINE__;				\
			goto out;					\
		}							\
	} while (0)

/* Freed fences go through kfree_rcu(); let the rcu kthread run this often,
 * as a real kernel's loops would at cond_resched(). */
#define BENCH_RESCHED_EVERY 1024

/* ---- fences on a software timeline -------------------------------------- */

static const char *bench_driver_name(struct dma_fence *f)
{
	return "drmsim-bench";
}

static const char *bench_timeline_name(struct dma_fence *f)
{
	return "bench";
}

static const struct dma_fence_ops bench_fence_ops = {
	.get_driver_name = bench_driver_name,
	.get_timeline_name = bench_timeline_name,
};

struct bench_timeline {
	spinlock_t lock;
	u64 context;
	u64 seqno;
};

static void bench_timeline_init(struct bench_timeline *tl)
{
	spin_lock_init(&tl->lock);
	tl->context = dma_fence_context_alloc(1);
	tl->seqno = 0;
}

static struct dma_fence *bench_fence_new(struct bench_timeline *tl)
{
	struct dma_fence *f = kmalloc(sizeof(*f), GFP_KERNEL);

	if (f)
		dma_fence_init(f, &bench_fence_ops, &tl->lock, tl->context, ++tl->seqno);
	return f;
}

/* ---- 1. dma_fence -------------------------------------------------------- */

struct bench_fence_cb {
	struct dma_fence_cb cb;
	u64 fired;
};

static void bench_fence_fired(struct dma_fence *f, struct dma_fence_cb *cb)
{
	container_of(cb, struct bench_fence_cb, cb)->fired++;
}

long kworld_bench_fence(void *arg)
{
	struct bench_core_run *run = arg;
	struct bench_fence_cb cb = { };
	struct bench_timeline tl;
	u64 t0, i, added = 0;
	long ret = 0;

	bench_timeline_init(&tl);
	t0 = host_clock_ns();
	for (i = 0; i < run->iterations; i++) {
		struct dma_fence *f = bench_fence_new(&tl);

		BENCH_CHECK(f);
		dma_fence_enable_sw_signaling(f);
		if (!dma_fence_add_callback(f, &cb.cb, bench_fence_fired))
			added++;
		dma_fence_signal(f);
		dma_fence_put(f);
		if (!(i % BENCH_RESCHED_EVERY))
			cond_resched();
	}
	rcu_barrier();
	run->ns = host_clock_ns() - t0;
	BENCH_CHECK(added == run->iterations);
	BENCH_CHECK(cb.fired == run->iterations);
	run->verified = cb.fired;
out:
	rcu_barrier();
	return ret;
}

/* ---- 2. dma_resv --------------------------------------------------------- */

long kworld_bench_resv(void *arg)
{
	struct bench_core_run *run = arg;
	struct bench_timeline tl;
	struct dma_resv resv;
	u64 t0, i;
	long ret = 0;

	bench_timeline_init(&tl);
	dma_resv_init(&resv);
	t0 = host_clock_ns();
	for (i = 0; i < run->iterations; i++) {
		struct ww_acquire_ctx ctx;
		struct dma_fence *f = NULL;
		long left;
		int err;

		ww_acquire_init(&ctx, &reservation_ww_class);
		err = dma_resv_lock(&resv, &ctx);
		if (!err) {
			err = dma_resv_reserve_fences(&resv, 1);
			f = err ? NULL : bench_fence_new(&tl);
			if (f)
				dma_resv_add_fence(&resv, f, DMA_RESV_USAGE_WRITE);
			dma_resv_unlock(&resv);
		}
		ww_acquire_fini(&ctx);
		BENCH_CHECK(!err);
		BENCH_CHECK(f);
		/* Not signalled yet: the object must report it busy. */
		BENCH_CHECK(!dma_resv_test_signaled(&resv, DMA_RESV_USAGE_WRITE));
		dma_fence_signal(f);
		dma_fence_put(f);
		left = dma_resv_wait_timeout(&resv, DMA_RESV_USAGE_WRITE, false, HZ);
		BENCH_CHECK(left > 0);
		run->verified++;
		if (!(i % BENCH_RESCHED_EVERY))
			cond_resched();
	}
	rcu_barrier();
	run->ns = host_clock_ns() - t0;
out:
	dma_resv_fini(&resv);
	rcu_barrier();
	return ret;
}

/* ---- 3. drm_sched on a ring that completes at once ------------------------ */

#define BENCH_SCHED_WINDOW 32		/* jobs in flight */

struct bench_ring {
	struct bench_timeline tl;
	u64 run, freed, expected;
	struct completion all_freed;
};

struct bench_job {
	struct drm_sched_job base;
	struct bench_ring *ring;
};

static struct dma_fence *bench_run_job(struct drm_sched_job *sched_job)
{
	struct bench_job *job = container_of(sched_job, struct bench_job, base);
	struct dma_fence *f = bench_fence_new(&job->ring->tl);

	if (!f)
		return ERR_PTR(-ENOMEM);
	job->ring->run++;
	/* The "hardware" finishes before run_job returns; the scheduler takes
	 * our reference. */
	dma_fence_signal(f);
	return f;
}

static enum drm_gpu_sched_stat bench_timedout_job(struct drm_sched_job *sched_job)
{
	pr_err("bench sched: job timed out\n");
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void bench_free_job(struct drm_sched_job *sched_job)
{
	struct bench_job *job = container_of(sched_job, struct bench_job, base);
	struct bench_ring *ring = job->ring;

	drm_sched_job_cleanup(sched_job);
	kfree(job);
	if (++ring->freed == ring->expected)
		complete(&ring->all_freed);
}

static const struct drm_sched_backend_ops bench_sched_ops = {
	.run_job = bench_run_job,
	.timedout_job = bench_timedout_job,
	.free_job = bench_free_job,
};

long kworld_bench_sched(void *arg)
{
	struct bench_core_run *run = arg;
	struct drm_gpu_scheduler sched;
	struct drm_gpu_scheduler *list[] = { &sched };
	struct drm_sched_entity entity;
	struct dma_fence *window[BENCH_SCHED_WINDOW] = { };
	struct bench_ring ring = { .expected = run->iterations };
	struct drm_sched_init_args args = {
		.ops = &bench_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = BENCH_SCHED_WINDOW,
		.hang_limit = 0,
		.timeout = 10 * HZ,
		.name = "drmsim-bench",
	};
	bool sched_up = false, entity_up = false;
	u64 t0, i, finished_ok = 0;
	struct device *dev;
	long ret = 0;

	bench_timeline_init(&ring.tl);
	init_completion(&ring.all_freed);
	dev = root_device_register("drmsim-bench-sched");
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	args.dev = dev;
	BENCH_CHECK(!drm_sched_init(&sched, &args));
	sched_up = true;
	BENCH_CHECK(!drm_sched_entity_init(&entity, DRM_SCHED_PRIORITY_NORMAL, list, 1, NULL));
	entity_up = true;

	t0 = host_clock_ns();
	for (i = 0; i < run->iterations + BENCH_SCHED_WINDOW; i++) {
		struct dma_fence **slot = &window[i % BENCH_SCHED_WINDOW];
		struct bench_job *job;
		int err;

		/* Retire the job pushed BENCH_SCHED_WINDOW jobs ago. */
		if (*slot) {
			long left = dma_fence_wait_timeout(*slot, false, 10 * HZ);

			if (left > 0 && !(*slot)->error)
				finished_ok++;
			dma_fence_put(*slot);
			*slot = NULL;
			BENCH_CHECK(left > 0);
		}
		if (i >= run->iterations)
			continue;
		job = kzalloc(sizeof(*job), GFP_KERNEL);
		BENCH_CHECK(job);
		job->ring = &ring;
		err = drm_sched_job_init(&job->base, &entity, 1, NULL, 0);
		if (err)
			kfree(job);
		BENCH_CHECK(!err);
		drm_sched_job_arm(&job->base);
		*slot = dma_fence_get(&job->base.s_fence->finished);
		drm_sched_entity_push_job(&job->base);
	}
	BENCH_CHECK(wait_for_completion_timeout(&ring.all_freed, 10 * HZ));
	rcu_barrier();
	run->ns = host_clock_ns() - t0;
	BENCH_CHECK(ring.run == run->iterations);
	BENCH_CHECK(finished_ok == run->iterations);
	run->verified = ring.freed;
out:
	for (i = 0; i < BENCH_SCHED_WINDOW; i++)
		if (window[i]) {
			dma_fence_wait_timeout(window[i], false, 10 * HZ);
			dma_fence_put(window[i]);
		}
	if (entity_up)
		drm_sched_entity_destroy(&entity);
	if (sched_up)
		drm_sched_fini(&sched);
	root_device_unregister(dev);
	rcu_barrier();
	return ret;
}

/* ---- 4. gpu_buddy -------------------------------------------------------- */

#define BENCH_BUDDY_SIZE SZ_1G

static u64 bench_xorshift(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Allocates one size-byte block onto blocks; 0 or the failed check's line. */
static long bench_buddy_alloc(struct gpu_buddy *mm, u64 size, struct list_head *blocks)
{
	struct gpu_buddy_block *block;
	long ret = 0;
	u64 offset;

	BENCH_CHECK(!gpu_buddy_alloc_blocks(mm, 0, BENCH_BUDDY_SIZE, size, size, blocks, 0));
	BENCH_CHECK(list_is_singular(blocks));
	block = list_first_entry(blocks, struct gpu_buddy_block, link);
	offset = gpu_buddy_block_offset(block);
	BENCH_CHECK(gpu_buddy_block_size(mm, block) == size);
	BENCH_CHECK(!(offset & (size - 1)) && offset + size <= BENCH_BUDDY_SIZE);
out:
	return ret;
}

long kworld_bench_buddy(void *arg)
{
	struct bench_core_run *run = arg;
	u64 size = run->param, t0, i, nwin, rng = 0x9e3779b97f4a7c15ull;
	struct list_head *window = NULL;
	LIST_HEAD(holes);
	struct gpu_buddy mm;
	bool mm_up = false;
	long ret = 0;

	BENCH_CHECK(size >= SZ_4K && is_power_of_2(size) && size <= BENCH_BUDDY_SIZE / 2);
	/* nwin blocks (at most 1024, at most half the manager) stay allocated. */
	nwin = min_t(u64, 1024, BENCH_BUDDY_SIZE / size / 2);
	window = kcalloc(nwin, sizeof(*window), GFP_KERNEL);
	BENCH_CHECK(window);
	for (i = 0; i < nwin; i++)
		INIT_LIST_HEAD(&window[i]);
	BENCH_CHECK(!gpu_buddy_init(&mm, BENCH_BUDDY_SIZE, SZ_4K));
	mm_up = true;
	/* Untimed setup: every other block of the first 2 * nwin, so each one
	 * starts with a free buddy to merge with. */
	for (i = 0; i < 2 * nwin; i++) {
		LIST_HEAD(one);

		ret = bench_buddy_alloc(&mm, size, i & 1 ? &one : &window[i / 2]);
		list_splice_tail(&one, &holes);
		if (ret)
			goto out;
	}
	gpu_buddy_free_list(&mm, &holes, 0);

	/* Measured: free a pseudo-random block (merging as far as its buddies
	 * allow), then allocate one (splitting if no block of this order is
	 * free). A FIFO would just hand back the block it freed. */
	t0 = host_clock_ns();
	for (i = 0; i < run->iterations; i++) {
		struct list_head *slot = &window[bench_xorshift(&rng) % nwin];

		gpu_buddy_free_list(&mm, slot, 0);
		ret = bench_buddy_alloc(&mm, size, slot);
		if (ret)
			goto out;
		BENCH_CHECK(mm.avail == BENCH_BUDDY_SIZE - nwin * size);
		run->verified++;
	}
	run->ns = host_clock_ns() - t0;
out:
	if (mm_up) {
		for (i = 0; i < nwin; i++)
			gpu_buddy_free_list(&mm, &window[i], 0);
		gpu_buddy_free_list(&mm, &holes, 0);
		if (!ret && mm.avail != BENCH_BUDDY_SIZE) {
			pr_err("bench buddy: %llu bytes leaked\n", BENCH_BUDDY_SIZE - mm.avail);
			ret = __LINE__;
		}
		gpu_buddy_fini(&mm);
	}
	kfree(window);
	return ret;
}

/* ---- 5. drm_suballoc ----------------------------------------------------- */

#define BENCH_SA_SIZE SZ_1M
#define BENCH_SA_ALIGN 256
#define BENCH_SA_WINDOW 64

long kworld_bench_suballoc(void *arg)
{
	struct bench_core_run *run = arg;
	struct drm_suballoc *window[BENCH_SA_WINDOW] = { };
	struct drm_suballoc_manager mgr;
	long ret = 0;
	u64 t0, i;

	drm_suballoc_manager_init(&mgr, BENCH_SA_SIZE, BENCH_SA_ALIGN);
	t0 = host_clock_ns();
	for (i = 0; i < run->iterations + BENCH_SA_WINDOW; i++) {
		struct drm_suballoc **slot = &window[i % BENCH_SA_WINDOW];
		/* 256 B .. 4 KiB, a ring buffer's mix of command sizes. */
		size_t size = BENCH_SA_ALIGN << (i % 5);
		struct drm_suballoc *sa;

		drm_suballoc_free(*slot, NULL);
		*slot = NULL;
		if (i >= run->iterations)
			continue;
		sa = drm_suballoc_new(&mgr, size, GFP_KERNEL, false, 0);
		BENCH_CHECK(!IS_ERR(sa));
		*slot = sa;
		BENCH_CHECK(drm_suballoc_size(sa) == size);
		BENCH_CHECK(!(drm_suballoc_soffset(sa) % BENCH_SA_ALIGN));
		BENCH_CHECK(drm_suballoc_eoffset(sa) <= BENCH_SA_SIZE);
		run->verified++;
	}
	run->ns = host_clock_ns() - t0;
out:
	for (i = 0; i < BENCH_SA_WINDOW; i++)
		drm_suballoc_free(window[i], NULL);
	drm_suballoc_manager_fini(&mgr);
	return ret;
}
