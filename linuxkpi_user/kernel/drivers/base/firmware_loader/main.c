// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces drivers/base/firmware_loader/main.c: upstream reads firmware
 * through the VFS (kernel_read_file_from_path_initns on /lib/firmware),
 * with a sysfs/uevent fallback and a suspend cache, none of which a
 * process has. Here the host reads the file (host_firmware_read(): the
 * directories of $DRMSIM_FIRMWARE_PATH, then the build's synthesized
 * firmware) and the data stays in that host buffer until
 * release_firmware(). Messages and error codes are upstream's: a missing
 * file is -ENOENT with "Direct firmware load for %s failed with error %d"
 * unless the call is a nowarn/direct one. Not offered (trap stubs if
 * called): request_partial_firmware_into_buf, firmware_request_builtin,
 * firmware_request_cache, the fw_upload API.
 */
#include <linux/device.h>
#include <linux/export.h>
#include <linux/firmware.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "drmsim_abi.h"

/* FW_OPT_NO_WARN of upstream's firmware_loader/firmware.h. */
#define FW_NO_WARN	BIT(0)

/*
 * fw->priv is the host buffer behind fw->data (host_free()d on release), or
 * NULL when the data was copied into the caller's buffer (into_buf).
 */
static int fw_load(const struct firmware **firmware_p, const char *name,
		   struct device *device, void *buf, size_t size, unsigned int opts)
{
	struct firmware *fw;
	void *data = NULL;
	dh_size len = 0;
	int ret;

	if (!firmware_p)
		return -EINVAL;
	*firmware_p = NULL;
	if (!name || name[0] == '\0')
		return -EINVAL;
	might_sleep();

	fw = kzalloc(sizeof(*fw), GFP_KERNEL);
	if (!fw)
		return -ENOMEM;
	ret = host_firmware_read(name, &data, &len);
	if (!ret && buf) {
		/* Upstream's read into a too small buffer: -EFBIG. */
		if (len > size) {
			ret = -EFBIG;
		} else {
			memcpy(buf, data, len);
			host_free(data);
			data = NULL;
			fw->data = buf;
		}
	}
	if (ret) {
		if (!(opts & FW_NO_WARN))
			dev_warn(device, "Direct firmware load for %s failed with error %d\n",
				 name, ret);
		if (data)
			host_free(data);
		kfree(fw);
		return ret;
	}
	if (!buf) {
		fw->data = data;
		fw->priv = data;
	}
	fw->size = len;
	dev_dbg(device, "Loading firmware %s (%zu bytes)\n", name, fw->size);
	*firmware_p = fw;
	return 0;
}

int request_firmware(const struct firmware **firmware_p, const char *name,
		     struct device *device)
{
	return fw_load(firmware_p, name, device, NULL, 0, 0);
}
EXPORT_SYMBOL(request_firmware);

int firmware_request_nowarn(const struct firmware **firmware, const char *name,
			    struct device *device)
{
	return fw_load(firmware, name, device, NULL, 0, FW_NO_WARN);
}
EXPORT_SYMBOL_GPL(firmware_request_nowarn);

/* Upstream: no sysfs fallback and no warning; there is no fallback here. */
int request_firmware_direct(const struct firmware **firmware_p, const char *name,
			    struct device *device)
{
	return fw_load(firmware_p, name, device, NULL, 0, FW_NO_WARN);
}
EXPORT_SYMBOL_GPL(request_firmware_direct);

/* Upstream falls back to firmware embedded in EFI boot services code
 * (CONFIG_EFI_EMBEDDED_FIRMWARE); there is none here. */
int firmware_request_platform(const struct firmware **firmware, const char *name,
			      struct device *device)
{
	return fw_load(firmware, name, device, NULL, 0, 0);
}
EXPORT_SYMBOL_GPL(firmware_request_platform);

int request_firmware_into_buf(const struct firmware **firmware_p, const char *name,
			      struct device *device, void *buf, size_t size)
{
	if (!buf)
		return -EINVAL;
	return fw_load(firmware_p, name, device, buf, size, 0);
}
EXPORT_SYMBOL(request_firmware_into_buf);

void release_firmware(const struct firmware *fw)
{
	if (!fw)
		return;
	if (fw->priv)
		host_free(fw->priv);
	kfree(fw);
}
EXPORT_SYMBOL(release_firmware);

/* ---- asynchronous requests ---------------------------------------------- */

/* As upstream's struct firmware_work: the request, run by a work item. */
struct fw_async {
	struct work_struct work;
	struct module *module;
	const char *name;
	struct device *device;
	void *context;
	void (*cont)(const struct firmware *fw, void *context);
	unsigned int opts;
};

static void fw_async_work(struct work_struct *work)
{
	struct fw_async *req = container_of(work, struct fw_async, work);
	const struct firmware *fw;

	fw_load(&fw, req->name, req->device, NULL, 0, req->opts);
	req->cont(fw, req->context);
	put_device(req->device);
	module_put(req->module);
	kfree_const(req->name);
	kfree(req);
}

static int fw_load_nowait(struct module *module, const char *name, struct device *device,
			  gfp_t gfp, void *context,
			  void (*cont)(const struct firmware *fw, void *context),
			  unsigned int opts)
{
	struct fw_async *req = kzalloc(sizeof(*req), gfp);

	if (!req)
		return -ENOMEM;
	req->module = module;
	req->name = kstrdup_const(name, gfp);
	if (!req->name) {
		kfree(req);
		return -ENOMEM;
	}
	req->device = device;
	req->context = context;
	req->cont = cont;
	req->opts = opts;
	if (!try_module_get(module)) {
		kfree_const(req->name);
		kfree(req);
		return -EFAULT;
	}
	get_device(device);
	INIT_WORK(&req->work, fw_async_work);
	schedule_work(&req->work);
	return 0;
}

/* uevent only chooses upstream's user-helper fallback, which is not here. */
int request_firmware_nowait(struct module *module, bool uevent, const char *name,
			    struct device *device, gfp_t gfp, void *context,
			    void (*cont)(const struct firmware *fw, void *context))
{
	return fw_load_nowait(module, name, device, gfp, context, cont, 0);
}
EXPORT_SYMBOL(request_firmware_nowait);

int firmware_request_nowait_nowarn(struct module *module, const char *name,
				   struct device *device, gfp_t gfp, void *context,
				   void (*cont)(const struct firmware *fw, void *context))
{
	return fw_load_nowait(module, name, device, gfp, context, cont, FW_NO_WARN);
}
EXPORT_SYMBOL_GPL(firmware_request_nowait_nowarn);
