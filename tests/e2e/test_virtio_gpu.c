/*
 * virtio-gpu end to end: the unmodified virtio core, virtio-pci transport
 * and virtio-gpu driver bound to the virtio-gpu model, driven through real
 * DRM ioctls of the in-process client API: what is virtio-gpu's own (its
 * ioctls, render node, host resources, EDID, hotplug, the cursor queue);
 * what every KMS driver does is test_kms.c's. Every assertion looks at
 * ioctl results, at what the model holds, or at the pixels it scans out.
 *
 * usage: test_virtio_gpu [OPTION...] where each option is one of
 * outputs=N, blob, access-platform, intx, no-edid: the device options
 * of `drmsim run virtio-gpu:...`, each changing the driver's path.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "drmsim_abi.h"
#include "e2e.h"
#include "kms.h"
#include "machine.h"
#include "virtgpu_uapi.h"
#include "virtio_gpu.h"

static struct virtio_gpu *dev;
static struct virtio_gpu_config cfg;
static int first_display;

#define MAX_OUT VIRTIO_GPU_MAX_OUTPUTS



static long ioc(unsigned long cmd, void *arg)
{
	return e2e_ioctl(e2e_card, cmd, arg);
}

static struct scanout scanout_of(int output)
{
	return machine_scanout(machine_get(), first_display + output);
}

/* The scanned-out pixel of output at (x, y), as XRGB8888. */
static uint32_t scanout_px(int output, uint32_t x, uint32_t y)
{
	struct scanout s = scanout_of(output);

	assert_true(s.enabled);
	assert_non_null(s.base);
	assert_true(x < s.width && y < s.height);
	return *(const uint32_t *)(s.base + (uint64_t)y * s.stride + 4 * x) & 0xffffff;
}

/* The output shows the test pattern of a w x h buffer, at sample points. */
static void assert_pattern(int output, uint32_t w, uint32_t h)
{
	for (uint32_t y = 0; y < h; y += h / 7)
		for (uint32_t x = 0; x < w; x += w / 13)
			assert_int_equal(kms_pattern_pixel(x, y, w, h), scanout_px(output, x, y));
	assert_int_equal(kms_pattern_pixel(w - 1, h - 1, w, h), scanout_px(output, w - 1, h - 1));
}

static uint32_t pref_w(void)
{
	return cfg.width ? cfg.width : 1280;
}

static uint32_t pref_h(void)
{
	return cfg.height ? cfg.height : 800;
}

static int outputs(void)
{
	return cfg.outputs ? cfg.outputs : 1;
}

static void fill(struct kms_fb *fb, uint32_t v)
{
	for (uint64_t i = 0; i < fb->size / 4; i++)
		((uint32_t *)fb->map)[i] = v;
}

/* ---- probe and nodes ---------------------------------------------------------- */

/* The driver bound through the virtio core and names itself. */
static void test_virtio_gpu_probe_binds_and_reports_version(void **state)
{
	char name[32] = "", desc[64] = "", date[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1, .desc = desc,
				 .desc_len = sizeof(desc) - 1, .date = date,
				 .date_len = sizeof(date) - 1 };
	struct kworld_pci_dev pci[4];

	(void)state;
	assert_int_equal(0, ioc(DRM_IOCTL_VERSION, &v));
	assert_string_equal("virtio_gpu", name);
	assert_int_equal(1, kworld_pci_devices(pci, 4));
	assert_int_equal(0x1af4, pci[0].vendor);
	assert_int_equal(0x1050, pci[0].device);
	assert_string_equal("virtio-pci", pci[0].driver);
	assert_false(virtio_gpu_needs_reset(dev));
	assert_int_equal(0, machine_guest_errors(machine_get()));
	assert_int_equal(0, kworld_failures());
}

/* The card's parent is the PCI function, not the virtio device:
 * virtio_gpu_probe() allocates the DRM device on vdev->dev.parent. This
 * is the path libdrm and udev see. */
static void test_virtio_gpu_device_path(void **state)
{
	char path[256];

	(void)state;
	assert_int_equal(0, kworld_drm_minor_path(0, path, sizeof(path)));
	assert_string_equal("/devices/pci0000:00/0000:00:02.0/drm/card0", path);
	assert_int_equal(0, kworld_drm_minor_path(128, path, sizeof(path)));
	assert_string_equal("/devices/pci0000:00/0000:00:02.0/drm/renderD128", path);
	assert_int_equal(-ENODEV, kworld_drm_minor_path(1, path, sizeof(path)));
}

/* virtio-gpu has a render node: its own ioctls work there, KMS does not
 * (drm_ioctl_permit: no DRM_RENDER_ALLOW → -EACCES). */
static void test_virtio_gpu_render_node(void **state)
{
	long r = kworld_open(226, 128, O_RDWR);
	struct drm_mode_card_res res = { 0 };
	int value = -1;
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_CAPSET_QUERY_FIX,
					   .value = (uintptr_t)&value };
	struct drm_mode_create_dumb dumb = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_virtgpu_resource_create rc = {
		.target = 2, .format = VIRGL_FORMAT_B8G8R8X8_UNORM, .width = 32, .height = 32,
	};

	(void)state;
	assert_true(r >= 0);
	assert_int_equal(-EACCES, e2e_ioctl(r, DRM_IOCTL_MODE_GETRESOURCES, &res));
	assert_int_equal(-EACCES, e2e_ioctl(r, DRM_IOCTL_MODE_CREATE_DUMB, &dumb));
	assert_int_equal(0, e2e_ioctl(r, DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
	assert_int_equal(1, value);
	assert_int_equal(0, e2e_ioctl(r, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	assert_true(rc.bo_handle > 0);
	assert_int_equal(0, kworld_close(r));
	assert_int_equal(-ENODEV, kworld_open(226, 129, O_RDWR));
}

/* ---- virtio-gpu's own ioctls ------------------------------------------------------ */

static int getparam(uint64_t param, int *value)
{
	struct drm_virtgpu_getparam gp = { .param = param, .value = (uintptr_t)value };

	return (int)ioc(DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
}

/* GETPARAM reports the 2D device as the model configures it. */
static void test_virtio_gpu_getparam(void **state)
{
	int v = -1;
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES, .value = 16 };

	(void)state;
	assert_int_equal(0, getparam(VIRTGPU_PARAM_3D_FEATURES, &v));
	assert_int_equal(0, v);
	assert_int_equal(0, getparam(VIRTGPU_PARAM_CAPSET_QUERY_FIX, &v));
	assert_int_equal(1, v);
	assert_int_equal(0, getparam(VIRTGPU_PARAM_RESOURCE_BLOB, &v));
	assert_int_equal(cfg.blob ? 1 : 0, v);
	assert_int_equal(0, getparam(VIRTGPU_PARAM_HOST_VISIBLE, &v));
	assert_int_equal(0, v);
	assert_int_equal(0, getparam(VIRTGPU_PARAM_CONTEXT_INIT, &v));
	assert_int_equal(0, v);
	assert_int_equal(0, getparam(VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &v));
	assert_int_equal(0, v);
	assert_int_equal(-EINVAL, getparam(0xdead, &v));
	assert_int_equal(-EFAULT, ioc(DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
}

/* The 3D-only ioctls answer the kernel's errno on a 2D device. */
static void test_virtio_gpu_3d_ioctls_refused(void **state)
{
	uint32_t cmd[4] = { 0 };
	struct drm_virtgpu_execbuffer eb = { .size = sizeof(cmd), .command = (uintptr_t)cmd,
					     .fence_fd = -1 };
	struct drm_virtgpu_3d_transfer_to_host xfer = { 0 };
	char caps[64];
	struct drm_virtgpu_get_caps gc = { .cap_set_id = 1, .addr = (uintptr_t)caps,
					   .size = sizeof(caps) };
	struct drm_virtgpu_context_set_param p = { .param = 1 /* CAPSET_ID */, .value = 1 };
	struct drm_virtgpu_context_init ci = { .num_params = 1, .ctx_set_params = (uintptr_t)&p };

	(void)state;
	assert_int_equal(-ENOSYS, ioc(DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb));
	assert_int_equal(-ENOSYS, ioc(DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &xfer));
	assert_int_equal(-ENOSYS, ioc(DRM_IOCTL_VIRTGPU_GET_CAPS, &gc));
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
}

/* RESOURCE_CREATE makes a host resource; RESOURCE_INFO and MAP find it;
 * the 2D path refuses 3D parameters. */
static void test_virtio_gpu_resource_create_info_map(void **state)
{
	unsigned int before = virtio_gpu_resource_count(dev);
	struct drm_virtgpu_resource_create rc = {
		.target = 2, .format = VIRGL_FORMAT_B8G8R8X8_UNORM, .width = 64, .height = 32,
		.size = 64 * 32 * 4,
	};
	struct drm_virtgpu_resource_info ri = { 0 };
	struct drm_virtgpu_map map = { 0 };
	struct drm_gem_close gc = { 0 };
	struct drm_virtgpu_resource_create bad;

	(void)state;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	assert_true(rc.bo_handle > 0);
	assert_true(rc.res_handle > 0);
	assert_int_equal(before + 1, virtio_gpu_resource_count(dev));
	ri.bo_handle = rc.bo_handle;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri));
	assert_int_equal(rc.res_handle, ri.res_handle);
	assert_int_equal(64 * 32 * 4, ri.size);
	assert_int_equal(0, ri.blob_mem);
	map.handle = rc.bo_handle;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_MAP, &map));
	assert_true(map.offset > 0);

	bad = rc;
	bad.target = 3;
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &bad));
	bad = rc;
	bad.depth = 2;
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &bad));
	bad = rc;
	bad.nr_samples = 4;
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &bad));
	ri.bo_handle = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri));
	map.handle = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_VIRTGPU_MAP, &map));

	/* Closing the last handle unreferences the host resource, once the
	 * driver's release work ran. */
	gc.handle = rc.bo_handle;
	assert_int_equal(0, ioc(DRM_IOCTL_GEM_CLOSE, &gc));
	kworld_advance_ns(100000000ull);
	assert_int_equal(before, virtio_gpu_resource_count(dev));
	assert_int_equal(0, kworld_failures());
}

/* A mapped resource written by the client reaches the host with
 * TRANSFER_TO_HOST; WAIT returns once the device answered, and the
 * framebuffer made of it scans out the client's pixels. */
static void test_virtio_gpu_transfer_to_host_and_wait(void **state)
{
	uint32_t w = pref_w(), h = pref_h();
	struct drm_virtgpu_resource_create rc = {
		.target = 2, .format = VIRGL_FORMAT_B8G8R8X8_UNORM, .width = w, .height = h,
		.size = w * h * 4, .stride = w * 4,
	};
	struct drm_virtgpu_map map = { 0 };
	struct drm_virtgpu_3d_transfer_to_host xfer = { 0 };
	struct drm_virtgpu_3d_wait wait = { 0 };
	struct drm_mode_fb_cmd2 f = { 0 };
	struct kms_output out;
	struct kms_fb fb = { 0 };
	uint32_t *px;
	void *addr;
	unsigned long errors = virtio_gpu_error_responses(dev);

	(void)state;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	map.handle = rc.bo_handle;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_MAP, &map));
	assert_int_equal(0, kworld_mmap(e2e_card, rc.size, PROT_READ | PROT_WRITE, MAP_SHARED,
					map.offset, &addr));
	px = addr;
	for (uint32_t y = 0; y < h; y++)
		for (uint32_t x = 0; x < w; x++)
			px[y * w + x] = kms_pattern_pixel(x, y, w, h);
	xfer = (struct drm_virtgpu_3d_transfer_to_host){
		.bo_handle = rc.bo_handle, .box = { .w = w, .h = h, .d = 1 },
	};
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &xfer));
	wait.handle = rc.bo_handle;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_WAIT, &wait));
	wait.flags = VIRTGPU_WAIT_NOWAIT;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_WAIT, &wait));
	wait.handle = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_VIRTGPU_WAIT, &wait));

	/* Scan it out: the host copy is what the device shows. */
	f.width = w;
	f.height = h;
	f.pixel_format = 0x34325258;	/* XRGB8888 */
	f.handles[0] = rc.bo_handle;
	f.pitches[0] = w * 4;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_ADDFB2, &f));
	assert_int_equal(0, kms_find_output(e2e_card, w, h, &out));
	fb.fb_id = f.fb_id;
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	assert_pattern(0, w, h);

	/* A transfer box outside the resource is the device's to refuse
	 * (ERR_INVALID_PARAMETER); the ioctl itself succeeds. */
	xfer.box = (struct drm_virtgpu_3d_box){ .x = w - 4, .y = 0, .w = 8, .h = 8, .d = 1 };
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &xfer));
	wait.handle = rc.bo_handle;
	wait.flags = 0;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_WAIT, &wait));
	kworld_advance_ns(10000000ull);
	assert_int_equal(errors + 1, virtio_gpu_error_responses(dev));
	assert_false(virtio_gpu_needs_reset(dev));

	assert_int_equal(0, ioc(DRM_IOCTL_MODE_RMFB, &f.fb_id));
	assert_int_equal(0, kworld_munmap(addr, rc.size));
	assert_int_equal(0, ioc(DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = rc.bo_handle }));
	assert_int_equal(0, kworld_failures());
}

/* CREATE_BLOB: guest blobs when the device offers RESOURCE_BLOB, -EINVAL
 * otherwise; host blobs need 3D. */
static void test_virtio_gpu_create_blob(void **state)
{
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST, .blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = 65536,
	};
	struct drm_virtgpu_resource_info ri = { 0 };

	(void)state;
	if (!cfg.blob) {
		assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
		return;
	}
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
	assert_true(b.bo_handle > 0 && b.res_handle > 0);
	ri.bo_handle = b.bo_handle;
	assert_int_equal(0, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri));
	assert_int_equal(VIRTGPU_BLOB_MEM_GUEST, ri.blob_mem);
	assert_int_equal(65536, ri.size);
	assert_int_equal(0, ioc(DRM_IOCTL_GEM_CLOSE, &(struct drm_gem_close){ .handle = b.bo_handle }));
	b = (struct drm_virtgpu_resource_create_blob){ .blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
						       .size = 4096 };
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
	b = (struct drm_virtgpu_resource_create_blob){ .blob_mem = VIRTGPU_BLOB_MEM_GUEST,
						       .blob_flags = 0x80, .size = 4096 };
	assert_int_equal(-EINVAL, ioc(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
}

/* ---- KMS ------------------------------------------------------------------------------ */

/* One connector per scanout, each connected, preferring the model's size;
 * with EDID its modes and EDID property come from the model's EDID. */
static void test_virtio_gpu_connectors(void **state)
{
	struct drm_mode_card_res res = { 0 };
	uint32_t conns[MAX_OUT], crtcs[MAX_OUT], encs[MAX_OUT];

	(void)state;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETRESOURCES, &res));
	assert_int_equal(outputs(), res.count_connectors);
	assert_int_equal(outputs(), res.count_crtcs);
	res.connector_id_ptr = (uintptr_t)conns;
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.count_fbs = 0;
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETRESOURCES, &res));
	for (int i = 0; i < outputs(); i++) {
		struct drm_mode_modeinfo modes[64];
		uint32_t props[32];
		uint64_t values[32];
		struct drm_mode_get_connector c = { .connector_id = conns[i] };
		int preferred = 0, edid_blob = 0;

		assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
		assert_int_equal(1, c.connection);
		assert_true(c.count_modes > 0 && c.count_modes <= 64);
		assert_true(c.count_props <= 32);
		c.modes_ptr = (uintptr_t)modes;
		c.props_ptr = (uintptr_t)props;
		c.prop_values_ptr = (uintptr_t)values;
		c.count_encoders = 0;
		assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETCONNECTOR, &c));
		for (uint32_t m = 0; m < c.count_modes; m++) {
			if (modes[m].type & DRM_MODE_TYPE_PREFERRED) {
				assert_int_equal(pref_w(), modes[m].hdisplay);
				assert_int_equal(pref_h(), modes[m].vdisplay);
				preferred++;
			}
		}
		assert_int_equal(1, preferred);
		for (uint32_t p = 0; p < c.count_props; p++) {
			char name[DRM_PROP_NAME_LEN] = "";
			struct drm_mode_get_property gp = { .prop_id = props[p] };

			assert_int_equal(0, ioc(DRM_IOCTL_MODE_GETPROPERTY, &gp));
			memcpy(name, gp.name, sizeof(name));
			if (!strcmp(name, "EDID") && values[p])
				edid_blob = 1;
		}
		assert_int_equal(cfg.no_edid ? 0 : 1, edid_blob);
	}
}

/* Each output's own framebuffer, set with SETCRTC, is what its scanout
 * shows, pixel for pixel. */
static void test_virtio_gpu_modeset_every_output(void **state)
{
	struct kms_output outs[MAX_OUT];
	struct kms_fb fbs[MAX_OUT];
	int n = kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT);

	(void)state;
	assert_int_equal(outputs(), n);
	for (int i = 0; i < n; i++) {
		assert_int_equal(0, kms_create_fb(e2e_card, pref_w(), pref_h(), &fbs[i]));
		if (i == 0)
			kms_draw_pattern(&fbs[i]);
		else
			fill(&fbs[i], 0x00100000 * i + 0x42);
		assert_int_equal(0, kms_set_crtc(e2e_card, &outs[i], &fbs[i]));
	}
	for (int i = 0; i < n; i++) {
		struct scanout s = scanout_of(i);

		assert_true(s.enabled);
		assert_int_equal(pref_w(), s.width);
		assert_int_equal(pref_h(), s.height);
		if (i == 0) {
			assert_pattern(0, pref_w(), pref_h());
		} else {
			assert_int_equal(0x00100000 * i + 0x42, scanout_px(i, 0, 0));
			assert_int_equal(0x00100000 * i + 0x42,
					 scanout_px(i, pref_w() - 1, pref_h() - 1));
		}
	}
	for (int i = 0; i < n; i++)
		kms_destroy_fb(e2e_card, &fbs[i]);
	/* Removing the framebuffers turned the outputs off. */
	for (int i = 0; i < n; i++)
		assert_false(scanout_of(i).enabled);
	assert_false(virtio_gpu_needs_reset(dev));
	assert_int_equal(0, kworld_failures());
}

/* Drawing into the shown dumb buffer reaches the host only through
 * DIRTYFB: the device holds its own copy. Linux 6.12 uploads the whole
 * plane, not just the clip: virtio-gpu's atomic_check sets
 * ignore_damage_clips when the framebuffer changes (the modeset), and
 * __drm_atomic_helper_plane_duplicate_state copies the flag into every
 * later state, so each DIRTYFB after a modeset is a full update. */
static void test_virtio_gpu_dirtyfb_transfers_damage(void **state)
{
	struct kms_output out;
	struct kms_fb fb;
	struct drm_clip_rect clip = { 0, 0, 16, 16 };
	struct drm_mode_fb_dirty_cmd d;
	uint32_t w = pref_w();

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, w, pref_h(), &fb));
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	((uint32_t *)fb.map)[0] = 0x00abcdef;		/* inside the clip */
	((uint32_t *)fb.map)[100] = 0x00fedcba;		/* outside it */
	if (!cfg.blob) {
		/* Not yet transferred. */
		assert_int_equal(kms_pattern_pixel(0, 0, w, pref_h()), scanout_px(0, 0, 0));
	}
	d = (struct drm_mode_fb_dirty_cmd){ .fb_id = fb.fb_id, .num_clips = 1,
					    .clips_ptr = (uintptr_t)&clip };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_DIRTYFB, &d));
	kworld_advance_ns(20000000ull);
	assert_int_equal(0xabcdef, scanout_px(0, 0, 0));
	assert_int_equal(0xfedcba, scanout_px(0, 100, 0));
	d.fb_id = 0xdead;
	assert_int_equal(-ENOENT, ioc(DRM_IOCTL_MODE_DIRTYFB, &d));
	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(0, kworld_failures());
}

/* The legacy cursor ioctl drives the cursor plane: the device gets the
 * image on the cursor queue and shows it at the position, as a viewer
 * composes it; moving it and hiding it follow. */
static void test_virtio_gpu_cursor_in_composed_output(void **state)
{
	struct kms_output out;
	struct kms_fb fb, cur;
	struct scanout s;

	(void)state;
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(0, kms_create_fb(e2e_card, pref_w(), pref_h(), &fb));
	kms_draw_pattern(&fb);
	assert_int_equal(0, kms_set_crtc(e2e_card, &out, &fb));
	assert_int_equal(0, kms_create_cursor(e2e_card, &cur));
	assert_int_equal(0, kms_set_cursor(e2e_card, out.crtc_id, &cur, 100, 50));
	kworld_advance_ns(20000000ull);
	s = scanout_of(0);
	assert_true(s.cursor.visible);
	assert_int_equal(64, s.cursor.width);
	assert_int_equal(64, s.cursor.height);
	assert_int_equal(100, s.cursor.x);
	assert_int_equal(50, s.cursor.y);
	for (uint32_t y = 0; y < 64; y += 3)
		for (uint32_t x = 0; x < 64; x += 5)
			assert_int_equal(kms_cursor_pixel(x, y), s.cursor.argb[y * 64 + x]);

	struct drm_mode_cursor mv = { .flags = DRM_MODE_CURSOR_MOVE, .crtc_id = out.crtc_id,
				      .x = 300, .y = 200 };
	assert_int_equal(0, ioc(DRM_IOCTL_MODE_CURSOR, &mv));
	kworld_advance_ns(20000000ull);
	s = scanout_of(0);
	assert_true(s.cursor.visible);
	assert_int_equal(300, s.cursor.x);
	assert_int_equal(200, s.cursor.y);

	assert_int_equal(0, kms_set_cursor(e2e_card, out.crtc_id, NULL, 0, 0));
	kworld_advance_ns(20000000ull);
	assert_false(scanout_of(0).cursor.visible);
	kms_destroy_fb(e2e_card, &cur);
	kms_destroy_fb(e2e_card, &fb);
	assert_int_equal(0, kworld_failures());
}

/* A monitor resized on output 0 (as a viewer window resize does): the
 * driver's config-changed work re-reads the display, the connector
 * prefers the new size, and a hotplug uevent goes out for the card. */
static void test_virtio_gpu_hotplug_resize_seen_by_client(void **state)
{
	struct kms_output out;

	(void)state;
	e2e_uevents_drain();
	assert_int_equal(0, machine_display_resize(machine_get(), first_display, 1024, 600));
	kworld_advance_ns(100000000ull);
	assert_true(e2e_uevent_hotplug("dri/card0"));
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(1024, out.mode.hdisplay);
	assert_int_equal(600, out.mode.vdisplay);

	/* Unplugging the monitor: the connector reports disconnected. */
	if (outputs() > 1) {
		struct kms_output outs[MAX_OUT];

		virtio_gpu_set_output(dev, 1, false, 0, 0);
		kworld_advance_ns(100000000ull);
		assert_int_equal(outputs() - 1, kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT));
		virtio_gpu_set_output(dev, 1, true, 0, 0);
		kworld_advance_ns(100000000ull);
		assert_int_equal(outputs(), kms_find_outputs(e2e_card, 0, 0, outs, MAX_OUT));
	}
	/* Back to the configured size for the tests that follow. */
	virtio_gpu_set_output(dev, 0, true, pref_w(), pref_h());
	kworld_advance_ns(100000000ull);
	assert_int_equal(0, kms_find_output(e2e_card, 0, 0, &out));
	assert_int_equal(pref_w(), out.mode.hdisplay);
	assert_int_equal(0, kworld_failures());
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virtio_gpu_probe_binds_and_reports_version),
		cmocka_unit_test(test_virtio_gpu_device_path),
		cmocka_unit_test(test_virtio_gpu_render_node),
		cmocka_unit_test(test_virtio_gpu_getparam),
		cmocka_unit_test(test_virtio_gpu_3d_ioctls_refused),
		cmocka_unit_test(test_virtio_gpu_resource_create_info_map),
		cmocka_unit_test(test_virtio_gpu_transfer_to_host_and_wait),
		cmocka_unit_test(test_virtio_gpu_create_blob),
		cmocka_unit_test(test_virtio_gpu_connectors),
		cmocka_unit_test(test_virtio_gpu_modeset_every_output),
		cmocka_unit_test(test_virtio_gpu_dirtyfb_transfers_damage),
		cmocka_unit_test(test_virtio_gpu_cursor_in_composed_output),
		cmocka_unit_test(test_virtio_gpu_hotplug_resize_seen_by_client),
	};
	struct machine *m = machine_get();

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "outputs=", 8))
			cfg.outputs = atoi(argv[i] + 8);
		else if (!strcmp(argv[i], "blob"))
			cfg.blob = true;
		else if (!strcmp(argv[i], "access-platform"))
			cfg.access_platform = true;
		else if (!strcmp(argv[i], "intx"))
			cfg.intx = true;
		else if (!strcmp(argv[i], "no-edid"))
			cfg.no_edid = true;
		else {
			fprintf(stderr, "test_virtio_gpu: unknown option '%s'\n", argv[i]);
			return 2;
		}
	}
	first_display = machine_add_displays(m, outputs(), "virtio-gpu", NULL, NULL);
	dev = first_display >= 0 ? virtio_gpu_plug(m, &cfg, first_display) : NULL;
	if (!dev)
		return 1;
	for (int i = 0; i < outputs(); i++) {
		machine_set_display_ops(m, first_display + i, &virtio_gpu_display_ops, dev);
		/* The test looks at every output, as a viewer would. */
		machine_display_attach(m, first_display + i);
	}
	if (kworld_boot(""))
		return 1;
	return cmocka_run_group_tests(tests, e2e_open_card0, e2e_close_card0);
}
