/* A running machine's server (harness/machine_server.c). */
#ifndef DRMSIM_MACHINE_SERVER_H
#define DRMSIM_MACHINE_SERVER_H

/* Listens on machine name's socket (machine_proto.h) for the booted
 * kernel world; devices is what `machine list` shows. 0, or -1 with a
 * message on stderr (also when a machine of that name answers). */
int machine_server_listen(const char *name, const char *devices);
/* Serves what arrives within timeout_ms (-1: until something does):
 * 0, 1 once a client asked the machine to stop, -1 on error. */
int machine_server_step(int timeout_ms);
/* Closes every client's files and mappings (the kernel's release paths
 * run) and removes the socket. */
void machine_server_close(void);

#endif
