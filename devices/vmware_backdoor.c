/*
 * VMware's backdoor as its host answers it. The facts (command numbers,
 * register roles) are those of Linux's arch/x86/include/asm/vmware.h and
 * drivers/gpu/drm/vmwgfx/vmwgfx_msg.c. There is no guest RPC channel: an
 * OPEN_CHANNEL gets a status without MESSAGE_STATUS_SUCCESS, as a host with
 * RPC disabled gives, and every later message call the same.
 */
#include <stdint.h>

#include "vmware_backdoor.h"

#define BDOOR_MAGIC		0x564d5868u
#define BDOOR_CMD_GETVERSION	10
#define BDOOR_CMD_MESSAGE	30	/* subcommand in the high 16 bits */
#define BDOOR_CMD_MKS_STATS	85
#define BDOOR_VERSION		6	/* what VMware hosts report */
#define BDOOR_PRODUCT_WS	2	/* "VMX" product type in ecx */

enum { EAX, EBX, ECX, EDX, ESI, EDI, EBP };

static unsigned long calls, refused;

unsigned long vmware_backdoor_calls(void)
{
	return calls;
}

unsigned long vmware_backdoor_refused_channels(void)
{
	return refused;
}

static void backdoor(void *opaque, uint32_t r[7], int mode)
{
	(void)opaque;
	calls++;
	/* A call without the magic is not a backdoor call: the host leaves
	 * the registers alone. High-bandwidth transfers need an open channel,
	 * which never exists here. */
	if (r[EAX] != BDOOR_MAGIC || mode) {
		r[EBX] = 0;
		return;
	}
	switch (r[ECX] & 0xffff) {
	case BDOOR_CMD_GETVERSION:
		r[EAX] = BDOOR_VERSION;
		r[EBX] = BDOOR_MAGIC;
		r[ECX] = BDOOR_PRODUCT_WS;
		break;
	case BDOOR_CMD_MESSAGE:
		if ((r[ECX] >> 16) == 0)	/* MSG_TYPE_OPEN */
			refused++;
		/* Status in ecx's high word: neither SUCCESS nor anything else. */
		r[ECX] = 0;
		break;
	case BDOOR_CMD_MKS_STATS:
		/* No MKS guest stats on this host: descriptors are ignored. */
		break;
	default:
		/* Unknown commands leave the registers as they were, as hosts do. */
		break;
	}
}

void vmware_backdoor_plug(struct machine *m)
{
	machine_set_backdoor(m, backdoor, NULL);
}
