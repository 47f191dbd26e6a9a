/*
 * `drmsim bench amdgpu`: end-to-end command submission on the Hawaii
 * model, per ring type: a one-NOP IB submitted through AMDGPU_CS and
 * waited for with WAIT_CS (ioctl, amdgpu_job, drm_sched, the ring, the
 * model's engine on its timer, the end-of-pipe interrupt through the IH
 * ring, the fence, the waiter woken), one at a time, against the goal of
 * 50,000 submissions/s per core; and the probe time (boot with amdgpu
 * bound). Wall clock; every fence is checked, and a last WRITE_DATA per
 * ring proves the ring ran what it was given.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <amdgpu_drm.h>

#include "amdgpu_submit.h"
#include "commands.h"
#include "drmsim_abi.h"
#include "machine_setup.h"

#define GOAL 50000.0

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int bench_amdgpu(int argc, char **argv)
{
	static const struct { uint32_t ip; const char *name; } rings[] = {
		{ AU_GFX, "gfx" }, { AU_COMPUTE, "compute" }, { AU_DMA, "sdma" },
	};
	double seconds = 2, t0, probe;
	struct amdgpu_user u;
	struct amdgpu_ubo ib, dst;
	long card;
	int bad = 0;

	for (int i = 0; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = strtod(argv[++i], &end);
			if (*end || seconds <= 0 || seconds > 3600) {
				fprintf(stderr, "drmsim bench amdgpu: bad --seconds '%s'\n", argv[i]);
				return 2;
			}
		} else {
			fprintf(stderr, "usage: drmsim bench amdgpu [--seconds S]\n");
			return 2;
		}
	}
	if (machine_setup("amdgpu", NULL))
		return 2;
	t0 = now_s();
	if (drmsim_boot("loglevel=3"))
		return 1;
	probe = now_s() - t0;
	card = kworld_open(226, 128, O_RDWR | O_CLOEXEC);	/* the render node */
	if (card < 0 || au_init(&u, card) || au_bo_new(&u, &ib, 4096, AMDGPU_GEM_DOMAIN_GTT) ||
	    au_bo_new(&u, &dst, 4096, AMDGPU_GEM_DOMAIN_GTT)) {
		fprintf(stderr, "drmsim bench amdgpu: no amdgpu render node or buffers\n");
		return 1;
	}
	printf("drmsim bench amdgpu: Hawaii model, %.1f s per ring, this build\n", seconds);
	printf("  probe (boot with amdgpu bound)  %8.1f ms\n", probe * 1e3);
	for (unsigned int r = 0; r < sizeof(rings) / sizeof(rings[0]); r++) {
		unsigned long n = 0;
		uint32_t ndw = rings[r].ip == AU_DMA ? au_sdma_pad(ib.cpu, 0) : 0;
		struct amdgpu_fence_ref f;
		double start, elapsed;
		uint32_t word = 0xbe000000u | r;
		int ret = 0;

		if (rings[r].ip == AU_DMA) {
			ib.cpu[0] = 0;				/* SDMA NOP, padded to 8 */
			ndw = au_sdma_pad(ib.cpu, 1);
		} else {
			ndw = au_pm4_nop(ib.cpu);
		}
		start = now_s();
		do {
			for (int k = 0; k < 64 && !ret; k++, n++) {
				ret = au_submit(&u, rings[r].ip, 0, &ib, ndw, NULL, 0, NULL, &f);
				if (!ret)
					ret = au_wait(&u, &f, 10ull * 1000000000);
			}
			elapsed = now_s() - start;
		} while (!ret && elapsed < seconds);
		/* The ring ran what it was given: a WRITE_DATA lands. */
		dst.cpu[r] = 0;
		if (!ret) {
			struct amdgpu_ubo *bos[] = { &dst };
			uint32_t m = rings[r].ip == AU_DMA
					     ? au_sdma_pad(ib.cpu, au_sdma_write(ib.cpu, dst.va + 4 * r, &word, 1))
					     : au_pm4_write_data(ib.cpu, dst.va + 4 * r, &word, 1);

			ret = au_submit(&u, rings[r].ip, 0, &ib, m, bos, 1, NULL, &f);
			if (!ret)
				ret = au_wait(&u, &f, 10ull * 1000000000);
			if (!ret && dst.cpu[r] != word)
				ret = -EIO;
		}
		if (ret) {
			fprintf(stderr, "drmsim bench amdgpu: %s: %s after %lu submissions\n",
				rings[r].name, strerror(-ret), n);
			bad = 1;
			continue;
		}
		printf("  %-8s NOP IB round trip   %9.0f submissions/s  (%lu)  %.2fx goal\n",
		       rings[r].name, n / elapsed, n, n / elapsed / GOAL);
		fflush(stdout);
	}
	au_bo_free(&u, &dst);
	au_bo_free(&u, &ib);
	au_fini(&u);
	if (kworld_failures()) {
		fprintf(stderr, "drmsim bench amdgpu: the kernel world reported failures\n");
		bad = 1;
	}
	return bad;
}
