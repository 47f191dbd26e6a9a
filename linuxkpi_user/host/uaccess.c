/*
 * User copies that cannot crash the process: a client's pointer is an
 * address of this same process, but it may be garbage (a buggy program, a
 * fuzzer). process_vm_readv/writev on our own pid copy like memcpy yet
 * report EFAULT for unmapped memory, so the kernel world returns -EFAULT
 * exactly where Linux would. A machine server points them at the calling
 * client's process instead (host_uaccess_target()).
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "drmsim_abi.h"
#include "drmsim_host.h"

static pid_t target;
static unsigned long confine_base, confine_len;

void host_uaccess_target(int pid)
{
	target = pid > 0 ? pid : 0;
}

void host_uaccess_confine(const void *base, size_t len)
{
	confine_base = (unsigned long)base;
	confine_len = len;
}

int host_uaccess_local(void)
{
	return !target && !confine_len;
}

static int allowed(unsigned long addr, dh_size n)
{
	if (!confine_len)
		return 1;
	if (addr >= confine_base && n <= confine_len &&
	    addr - confine_base <= confine_len - n)
		return 1;
	return host_vm_is_client(addr, n);
}

static dh_size copy(void *to, const void *from, dh_size n, int to_user)
{
	struct iovec local, remote;
	ssize_t done;

	if (!n)
		return 0;
	if (!allowed((unsigned long)(to_user ? to : from), n))
		return n;
	local.iov_base = to_user ? (void *)from : to;
	local.iov_len = n;
	remote.iov_base = to_user ? to : (void *)from;
	remote.iov_len = n;
	done = to_user ? process_vm_writev(target ? target : getpid(), &local, 1, &remote, 1, 0)
		       : process_vm_readv(target ? target : getpid(), &local, 1, &remote, 1, 0);
	if (done < 0)
		done = 0;
	return n - (dh_size)done;
}

dh_size host_copy_from_user(void *to, const void *from, dh_size n)
{
	return copy(to, from, n, 0);
}

dh_size host_copy_to_user(void *to, const void *from, dh_size n)
{
	return copy(to, from, n, 1);
}
