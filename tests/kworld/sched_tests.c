// SPDX-License-Identifier: GPL-2.0
/*
 * drm_sched round trip on a software ring: the unmodified GPU scheduler with
 * a backend whose "hardware" is a timer on virtual time. run_job returns the
 * ring's fence, which the timer signals later; free_job releases the job.
 */
#include <drm/gpu_scheduler.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/timer.h>

#include "sched_tests.h"

#define RING_LATENCY_MS 1
#define TIMEOUT_MS 100

struct ring {
	spinlock_t lock;
	u64 context;
	u64 seqno;
	bool hang;			/* fences never signal */
	struct sched_test_report *report;
	struct completion all_freed;
	long expected;
};

struct ring_job {
	struct drm_sched_job base;
	struct ring *ring;
	struct dma_fence *hw_fence;
	struct timer_list done;
};

static const char *ring_driver_name(struct dma_fence *f)
{
	return "drmsim-test";
}

static const char *ring_timeline_name(struct dma_fence *f)
{
	return "software-ring";
}

static const struct dma_fence_ops ring_fence_ops = {
	.get_driver_name = ring_driver_name,
	.get_timeline_name = ring_timeline_name,
};

static void ring_done(struct timer_list *t)
{
	struct ring_job *job = from_timer(job, t, done);

	dma_fence_signal(job->hw_fence);
}

static struct dma_fence *ring_run_job(struct drm_sched_job *sched_job)
{
	struct ring_job *job = container_of(sched_job, struct ring_job, base);
	struct ring *ring = job->ring;
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENOMEM);
	dma_fence_init(f, &ring_fence_ops, &ring->lock, ring->context, ++ring->seqno);
	job->hw_fence = f;
	ring->report->jobs_run++;
	if (!ring->hang)
		mod_timer(&job->done, jiffies + msecs_to_jiffies(RING_LATENCY_MS));
	/* The scheduler keeps the reference we return; we keep ours. */
	return dma_fence_get(f);
}

static enum drm_gpu_sched_stat ring_timedout_job(struct drm_sched_job *sched_job)
{
	struct ring_job *job = container_of(sched_job, struct ring_job, base);
	struct ring *ring = job->ring;

	ring->report->timeouts++;
	ring->report->ns_timeout = ktime_get();
	/* The documented recovery: stop the scheduler (the bad job goes back on
	 * its pending list and loses its hardware fence), "reset the ring" by
	 * failing the hung fence, then restart, which completes the job with
	 * -ECANCELED (no hardware fence left) and frees it. */
	drm_sched_stop(sched_job->sched, sched_job);
	dma_fence_set_error(job->hw_fence, -ETIME);
	dma_fence_signal(job->hw_fence);
	drm_sched_start(sched_job->sched);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void ring_free_job(struct drm_sched_job *sched_job)
{
	struct ring_job *job = container_of(sched_job, struct ring_job, base);
	struct ring *ring = job->ring;

	timer_delete_sync(&job->done);
	dma_fence_put(job->hw_fence);
	drm_sched_job_cleanup(sched_job);
	kfree(job);
	if (++ring->report->jobs_freed == ring->expected)
		complete(&ring->all_freed);
}

static const struct drm_sched_backend_ops ring_ops = {
	.run_job = ring_run_job,
	.timedout_job = ring_timedout_job,
	.free_job = ring_free_job,
};

static long run_jobs(struct sched_test_report *report, long n, bool hang)
{
	struct drm_gpu_scheduler sched;
	struct drm_gpu_scheduler *list[] = { &sched };
	struct drm_sched_entity entity;
	struct dma_fence **finished;
	struct ring ring = { .report = report, .hang = hang, .expected = n };
	struct device *dev;
	struct drm_sched_init_args args = {
		.ops = &ring_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = 4,
		.hang_limit = 0,
		.timeout = msecs_to_jiffies(TIMEOUT_MS),
		.name = "drmsim-ring",
	};
	long i, ret;

	spin_lock_init(&ring.lock);
	init_completion(&ring.all_freed);
	ring.context = dma_fence_context_alloc(1);
	dev = root_device_register("drmsim-sched-test");
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	args.dev = dev;
	finished = kcalloc(n, sizeof(*finished), GFP_KERNEL);
	ret = finished ? drm_sched_init(&sched, &args) : -ENOMEM;
	if (ret)
		goto out_dev;
	ret = drm_sched_entity_init(&entity, DRM_SCHED_PRIORITY_NORMAL, list, 1, NULL);
	if (ret)
		goto out_sched;

	report->ns_start = ktime_get();
	for (i = 0; i < n; i++) {
		struct ring_job *job = kzalloc(sizeof(*job), GFP_KERNEL);

		if (!job) {
			ret = -ENOMEM;
			break;
		}
		job->ring = &ring;
		timer_setup(&job->done, ring_done, 0);
		ret = drm_sched_job_init(&job->base, &entity, 1, NULL, 0);
		if (ret) {
			kfree(job);
			break;
		}
		drm_sched_job_arm(&job->base);
		finished[i] = dma_fence_get(&job->base.s_fence->finished);
		drm_sched_entity_push_job(&job->base);
	}
	for (i = 0; i < n && finished[i]; i++) {
		long left = dma_fence_wait_timeout(finished[i], false, 10 * HZ);

		if (left <= 0) {
			pr_err("sched test: job %ld did not finish (%ld)\n", i, left);
			ret = -ETIMEDOUT;
		} else if (finished[i]->error) {
			report->finished_error = finished[i]->error;
		} else {
			report->finished_ok++;
		}
		dma_fence_put(finished[i]);
	}
	if (!ret && !wait_for_completion_timeout(&ring.all_freed, 10 * HZ)) {
		pr_err("sched test: free_job ran %ld of %ld times\n", report->jobs_freed, n);
		ret = -ETIMEDOUT;
	}
	report->ns_end = ktime_get();
	drm_sched_entity_destroy(&entity);
out_sched:
	drm_sched_fini(&sched);
out_dev:
	kfree(finished);
	root_device_unregister(dev);
	return ret;
}

long kworld_test_sched_roundtrip(void *report)
{
	return run_jobs(report, 8, false);
}

long kworld_test_sched_timeout(void *report)
{
	return run_jobs(report, 1, true);
}
