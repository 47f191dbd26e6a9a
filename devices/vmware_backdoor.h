/*
 * The VMware hypervisor's backdoor port (0x5658), as a VMware host answers
 * a guest: GETVERSION identifies the host, and the guest RPC channel
 * (guestinfo, MKS guest stats) is refused, so vmwgfx takes its "no RPC
 * channel" paths. Plugged with the SVGA adapter.
 */
#ifndef DRMSIM_VMWARE_BACKDOOR_H
#define DRMSIM_VMWARE_BACKDOOR_H

#include "machine.h"

/* Makes the machine's backdoor answer as a VMware host. */
void vmware_backdoor_plug(struct machine *m);
/* Calls answered since the machine started, and RPC channel opens refused. */
unsigned long vmware_backdoor_calls(void);
unsigned long vmware_backdoor_refused_channels(void);

#endif
