/*
 * Two GPUs in one machine (`--device bochs,virtio-gpu`): each gets its
 * slot, card and render node in bus order, and a buffer crosses between
 * them with PRIME as far as the two drivers allow it, which is what a
 * multi-GPU compositor meets on Linux 6.12: virtio-gpu cannot import a
 * foreign dma-buf (virtgpu_gem_prime_import_sg_table is -ENODEV, and a
 * bochs buffer cannot even be attached: the VRAM helper has no sg table),
 * and bochs imports nothing. The pixels cross the way userspace then
 * moves them: the exporter's dma-buf mapped, bracketed by DMA_BUF_IOCTL_SYNC,
 * copied into the other card's dumb buffer, which scans out identically.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "kms.h"
#include "machine.h"
#include "machine_setup.h"

/* linux/dma-buf.h's sync ioctl. */
struct dma_buf_sync {
	__u64 flags;
};
#define DMA_BUF_SYNC_READ	(1 << 0)
#define DMA_BUF_SYNC_START	(0 << 2)
#define DMA_BUF_SYNC_END	(1 << 2)
#define DMA_BUF_IOCTL_SYNC	_IOW('b', 0, struct dma_buf_sync)

static long ioc(long fd, unsigned long cmd, void *arg)
{
	host_vm_claim_faults();
	return kworld_ioctl(fd, cmd, (unsigned long)arg);
}

static void driver_of(long fd, char *name, size_t len)
{
	struct drm_version v = { .name = name, .name_len = len - 1 };

	memset(name, 0, len);
	assert_int_equal(0, ioc(fd, DRM_IOCTL_VERSION, &v));
}

static uint32_t px(int display, uint32_t x, uint32_t y)
{
	struct scanout s = machine_scanout(machine_get(), display);

	assert_true(s.enabled);
	return *(const uint32_t *)(s.base + (uint64_t)y * s.stride + 4 * x) & 0xffffff;
}

/* Bus order: bochs in slot 2 is card0, virtio-gpu in slot 3 is card1 and
 * the first render node (bochs has none). */
static void test_multi_gpu_cards_in_bus_order(void **state)
{
	struct kworld_pci_dev pci[4];
	char name[32], path[256];
	long fd;

	(void)state;
	assert_int_equal(2, kworld_pci_devices(pci, 4));
	assert_int_equal(2 << 3, pci[0].devfn);
	assert_string_equal("bochs-drm", pci[0].driver);
	assert_int_equal(3 << 3, pci[1].devfn);
	assert_string_equal("virtio-pci", pci[1].driver);

	fd = kworld_open(226, 0, O_RDWR);
	assert_true(fd >= 0);
	driver_of(fd, name, sizeof(name));
	assert_string_equal("bochs-drm", name);
	kworld_close(fd);
	fd = kworld_open(226, 1, O_RDWR);
	assert_true(fd >= 0);
	driver_of(fd, name, sizeof(name));
	assert_string_equal("virtio_gpu", name);
	kworld_close(fd);
	fd = kworld_open(226, 128, O_RDWR);
	assert_true(fd >= 0);
	driver_of(fd, name, sizeof(name));
	assert_string_equal("virtio_gpu", name);
	kworld_close(fd);
	assert_int_equal(-ENODEV, kworld_open(226, 129, O_RDWR));

	assert_int_equal(0, kworld_drm_minor_path(0, path, sizeof(path)));
	assert_string_equal("/devices/pci0000:00/0000:00:02.0/drm/card0", path);
	assert_int_equal(0, kworld_drm_minor_path(1, path, sizeof(path)));
	assert_string_equal("/devices/pci0000:00/0000:00:03.0/drm/card1", path);
	assert_int_equal(2, machine_display_count(machine_get()));
	assert_string_equal("bochs", machine_display_name(machine_get(), 0));
	assert_string_equal("virtio-gpu", machine_display_name(machine_get(), 1));
}

/* Each card drives its own display. */
static void test_multi_gpu_both_scan_out(void **state)
{
	long a = kworld_open(226, 0, O_RDWR), b = kworld_open(226, 1, O_RDWR);
	struct kms_output oa, ob;
	struct kms_fb fa, fb;

	(void)state;
	assert_true(a >= 0 && b >= 0);
	assert_int_equal(0, kms_find_output(a, 1024, 768, &oa));
	assert_int_equal(0, kms_find_output(b, 1024, 768, &ob));
	assert_int_equal(0, kms_create_fb(a, 1024, 768, &fa));
	assert_int_equal(0, kms_create_fb(b, 1024, 768, &fb));
	host_vm_claim_faults();
	memset(fa.map, 0x11, fa.size);
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(a, &oa, &fa));
	assert_int_equal(0, kms_set_crtc(b, &ob, &fb));
	assert_int_equal(0x111111, px(0, 5, 5));
	assert_int_equal(kms_pattern_pixel(700, 20, 1024, 768), px(1, 700, 20));
	kms_destroy_fb(b, &fb);
	kms_destroy_fb(a, &fa);
	kworld_close(b);
	kworld_close(a);
	assert_int_equal(0, kworld_failures());
}

/* PRIME across the drivers: the kernel's own errnos for importing, and
 * the exported pixels shown on the other card, pixel-exact, through the
 * dma-buf mapping. */
static void test_multi_gpu_prime_virtio_to_bochs(void **state)
{
	long bochs = kworld_open(226, 0, O_RDWR), virtio = kworld_open(226, 1, O_RDWR);
	struct kms_output ob, ov;
	struct kms_fb src, dst;
	struct drm_prime_handle exp = { 0 }, imp = { 0 };
	struct dma_buf_sync sync;
	void *map;

	(void)state;
	assert_true(bochs >= 0 && virtio >= 0);
	assert_int_equal(0, kms_find_output(virtio, 1024, 768, &ov));
	assert_int_equal(0, kms_find_output(bochs, 1024, 768, &ob));
	assert_int_equal(0, kms_create_fb(virtio, 1024, 768, &src));
	host_vm_claim_faults();
	kms_draw_pattern(&src);
	assert_int_equal(0, kms_set_crtc(virtio, &ov, &src));

	exp.handle = src.handle;
	exp.flags = DRM_CLOEXEC | DRM_RDWR;
	assert_int_equal(0, ioc(virtio, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp));
	/* Re-importing into its exporter gives the same object back. */
	imp.fd = exp.fd;
	assert_int_equal(0, ioc(virtio, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));
	assert_int_equal(src.handle, imp.handle);
	/* bochs imports nothing: no gem_prime_import_sg_table. */
	imp = (struct drm_prime_handle){ .fd = exp.fd };
	assert_int_equal(-EINVAL, ioc(bochs, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));

	assert_int_equal(0, kms_create_fb(bochs, 1024, 768, &dst));
	assert_int_equal(0, kworld_mmap(exp.fd, src.size, PROT_READ, MAP_SHARED, 0, &map));
	sync.flags = DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ;
	assert_int_equal(0, ioc(exp.fd, DMA_BUF_IOCTL_SYNC, &sync));
	host_vm_claim_faults();
	for (uint32_t y = 0; y < 768; y++)
		memcpy(dst.map + (uint64_t)y * dst.pitch, (uint8_t *)map + (uint64_t)y * src.pitch,
		       1024 * 4);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	assert_int_equal(0, ioc(exp.fd, DMA_BUF_IOCTL_SYNC, &sync));
	assert_int_equal(0, kms_set_crtc(bochs, &ob, &dst));
	for (uint32_t y = 0; y < 768; y += 31)
		for (uint32_t x = 0; x < 1024; x += 17)
			assert_int_equal(px(1, x, y), px(0, x, y));
	assert_int_equal(kms_pattern_pixel(1023, 767, 1024, 768), px(0, 1023, 767));

	assert_int_equal(0, kworld_munmap(map, src.size));
	assert_int_equal(0, kworld_close(exp.fd));
	kms_destroy_fb(bochs, &dst);
	kms_destroy_fb(virtio, &src);
	kworld_close(virtio);
	kworld_close(bochs);
	assert_int_equal(0, kworld_failures());
}

/* The other way: bochs exports its VRAM buffer, which virtio-gpu cannot
 * attach (drm_gem_map_attach: no get_sg_table → -ENOSYS). */
static void test_multi_gpu_prime_bochs_to_virtio_refused(void **state)
{
	long bochs = kworld_open(226, 0, O_RDWR), virtio = kworld_open(226, 1, O_RDWR);
	struct kms_fb fb;
	struct drm_prime_handle exp = { 0 }, imp = { 0 };

	(void)state;
	assert_int_equal(0, kms_create_fb(bochs, 256, 256, &fb));
	exp.handle = fb.handle;
	exp.flags = DRM_CLOEXEC;
	assert_int_equal(0, ioc(bochs, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp));
	imp.fd = exp.fd;
	assert_int_equal(-ENOSYS, ioc(virtio, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));
	assert_int_equal(0, kworld_close(exp.fd));
	kms_destroy_fb(bochs, &fb);
	kworld_close(virtio);
	kworld_close(bochs);
	assert_int_equal(0, kworld_failures());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multi_gpu_cards_in_bus_order),
		cmocka_unit_test(test_multi_gpu_both_scan_out),
		cmocka_unit_test(test_multi_gpu_prime_virtio_to_bochs),
		cmocka_unit_test(test_multi_gpu_prime_bochs_to_virtio_refused),
	};
	dh_u32 cw, ch;

	if (machine_setup("bochs,virtio-gpu", "mode=1024x768") || kworld_boot(""))
		return 1;
	/* As on a booted VM: the console holds the start of bochs's VRAM. */
	if (kworld_console_light(1, 7, &cw, &ch))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
