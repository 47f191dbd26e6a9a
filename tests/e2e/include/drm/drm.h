/*
 * <drm/drm.h> as the kernel's uapi headers include it (linux/kfd_ioctl.h
 * does): Debian ships that header only as libdrm's <drm.h>.
 */
#include <drm.h>
