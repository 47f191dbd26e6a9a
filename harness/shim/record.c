/*
 * `drmsim shim --record FILE`: every open, ioctl and close of the device,
 * with the argument and the client memory it points to before and after
 * the call, so `drmsim replay` can re-run the sequence on a fresh machine
 * and compare. Runs on the simulation thread; client memory is read with
 * the same fault-proof copies the kernel world uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "drmsim_abi.h"
#include "ioctl_layout.h"
#include "shim.h"

static FILE *rec;

static void put32(uint32_t v);

static void put_string(const char *s)
{
	put32(strlen(s));
	fputs(s, rec);
}

void record_open_file(void)
{
	const char *path = getenv("DRMSIM_RECORD");

	if (!path || !*path)
		return;
	rec = fopen(path, "wb");
	if (!rec) {
		perror(path);
		return;
	}
	fputs(REC_MAGIC, rec);
	/* The machine, so replay boots the same one. */
	put_string(getenv("DRMSIM_DEVICE") && *getenv("DRMSIM_DEVICE") ? getenv("DRMSIM_DEVICE")
								       : "bochs");
	put_string(getenv("DRMSIM_DEVICE_OPTIONS") ? getenv("DRMSIM_DEVICE_OPTIONS") : "");
}

static void put32(uint32_t v)
{
	fwrite(&v, 4, 1, rec);
}

static void put64(uint64_t v)
{
	fwrite(&v, 8, 1, rec);
}

/* Client bytes at addr (zeros where unreadable). */
static void put_user_bytes(uint64_t addr, size_t n)
{
	char buf[4096];

	put32(n);
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);

		memset(buf, 0, k);
		host_copy_from_user(buf, (const void *)(uintptr_t)addr, k);
		fwrite(buf, 1, k, rec);
		addr += k;
		n -= k;
	}
}

void record_open(int file, int minor, int flags, long result)
{
	if (!rec)
		return;
	put32(REC_OPEN);
	put32(file);
	put32(minor);
	put32(flags);
	put64(result);
	fflush(rec);
}

void record_close(int file, long result)
{
	if (!rec)
		return;
	put32(REC_CLOSE);
	put32(file);
	put64(result);
	fflush(rec);
}

/* Argument and pointed-to memory, before (after == 0) or after the call. */
static void put_state(unsigned long req, const void *arg, size_t size)
{
	const struct ioctl_layout *l = ioctl_layout_find(req);
	char copy[512];

	memset(copy, 0, sizeof(copy));
	if (arg)
		host_copy_from_user(copy, arg, size);
	fwrite(copy, 1, size, rec);
	for (int i = 0; l && i < IOCTL_MAX_PTRS && l->ptrs[i].elem_size; i++)
		put_user_bytes(ioctl_ptr_value(copy, &l->ptrs[i]),
			       ioctl_ptr_bytes(copy, &l->ptrs[i]));
}

void record_ioctl_before(int file, unsigned long req, const void *arg)
{
	size_t size = _IOC_SIZE(req);

	if (!rec)
		return;
	if (size > 512)
		size = 512;
	put32(REC_IOCTL);
	put32(file);
	put64(req);
	put32(size);
	put_state(req, arg, size);
}

void record_ioctl_after(unsigned long req, const void *arg, long result)
{
	size_t size = _IOC_SIZE(req);

	if (!rec)
		return;
	if (size > 512)
		size = 512;
	put64(result);
	put_state(req, arg, size);
	fflush(rec);
}
