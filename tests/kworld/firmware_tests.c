// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware API as drivers call it (include/linux/firmware.h), against
 * linuxkpi_user's loader (kernel/drivers/base/firmware_loader/main.c) and
 * the files the host serves.
 */
#include <linux/completion.h>
#include <linux/firmware.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "check.h"
#include "firmware_tests.h"


#define MISSING "drmsim/no-such-firmware.bin"

static void report_fw(struct firmware_test_report *r, const struct firmware *fw)
{
	r->size = fw->size;
	for (int i = 0; i < 8 && 4 * (i + 1) <= fw->size; i++)
		r->header[i] = get_unaligned_le32(fw->data + 4 * i);
}

long kworld_test_firmware_request(void *arg)
{
	struct firmware_test_report *r = arg;
	const struct firmware *fw = NULL;

	r->result = request_firmware(&fw, r->name, NULL);
	if (r->result)
		return 0;
	CHECK(fw && fw->data);
	report_fw(r, fw);
	release_firmware(fw);
	return 0;
}

long kworld_test_firmware_missing(void *unused)
{
	const struct firmware *fw = (void *)1;
	char buf[16];

	CHECK(request_firmware(&fw, MISSING, NULL) == -ENOENT);
	CHECK(!fw);
	fw = (void *)1;
	CHECK(firmware_request_nowarn(&fw, MISSING, NULL) == -ENOENT);
	CHECK(!fw);
	fw = (void *)1;
	CHECK(request_firmware_direct(&fw, MISSING, NULL) == -ENOENT);
	CHECK(!fw);
	CHECK(firmware_request_platform(&fw, MISSING, NULL) == -ENOENT);
	CHECK(request_firmware_into_buf(&fw, MISSING, NULL, buf, sizeof(buf)) == -ENOENT);
	/* Names that could leave the firmware directories, and no name. */
	CHECK(request_firmware(&fw, "../etc/passwd", NULL) == -EINVAL);
	CHECK(request_firmware(&fw, "amdgpu/../../x", NULL) == -EINVAL);
	CHECK(request_firmware(&fw, "/etc/passwd", NULL) == -EINVAL);
	CHECK(request_firmware(&fw, "", NULL) == -EINVAL);
	CHECK(!fw);
	release_firmware(NULL);
	return 0;
}

long kworld_test_firmware_into_buf(void *arg)
{
	struct firmware_test_report *r = arg;
	const struct firmware *fw = NULL;
	size_t size = 1 << 20;
	u8 *buf = kvmalloc(size, GFP_KERNEL);
	long ret = 0;

	CHECK(buf);
	r->result = request_firmware_into_buf(&fw, r->name, NULL, buf, size);
	if (r->result)
		goto out;
	if (!fw || fw->data != buf) {
		ret = __LINE__;
		goto out;
	}
	report_fw(r, fw);
	release_firmware(fw);
	/* One byte short of the file. */
	if (request_firmware_into_buf(&fw, r->name, NULL, buf, r->size - 1) != -EFBIG || fw)
		ret = __LINE__;
out:
	kvfree(buf);
	return ret;
}

static DECLARE_COMPLETION(nowait_done);
static const struct firmware *nowait_fw;
static int nowait_calls;

static void nowait_cont(const struct firmware *fw, void *context)
{
	nowait_fw = fw;
	nowait_calls++;
	complete(context);
}

long kworld_test_firmware_nowait(void *arg)
{
	struct firmware_test_report *r = arg;

	reinit_completion(&nowait_done);
	nowait_calls = 0;
	CHECK(request_firmware_nowait(THIS_MODULE, true, r->name, NULL, GFP_KERNEL,
				      &nowait_done, nowait_cont) == 0);
	CHECK(wait_for_completion_timeout(&nowait_done, HZ));
	CHECK(nowait_calls == 1);
	CHECK(nowait_fw);
	report_fw(r, nowait_fw);
	release_firmware(nowait_fw);

	reinit_completion(&nowait_done);
	CHECK(firmware_request_nowait_nowarn(THIS_MODULE, MISSING, NULL, GFP_KERNEL,
					     &nowait_done, nowait_cont) == 0);
	CHECK(wait_for_completion_timeout(&nowait_done, HZ));
	CHECK(nowait_calls == 2);
	CHECK(!nowait_fw);
	r->result = 0;
	return 0;
}
