/*
 * Reading recordings (the format is in ioctl_layout.h; harness/shim/record.c
 * writes them). One reader for `drmsim replay`, which re-runs and compares,
 * and `drmsim fuzz-seeds`, which turns them into fuzz programs.
 */
#include <stdlib.h>
#include <string.h>

#include "recording.h"

static int get(FILE *f, void *p, size_t n)
{
	return fread(p, 1, n, f) == n ? 0 : -1;
}

static uint32_t get32(FILE *f, int *err)
{
	uint32_t v = 0;

	*err |= get(f, &v, 4);
	return v;
}

static uint64_t get64(FILE *f, int *err)
{
	uint64_t v = 0;

	*err |= get(f, &v, 8);
	return v;
}

/* One "u32 n, n bytes" block into a new buffer. */
static uint8_t *get_block(FILE *f, uint32_t *n, int *err)
{
	uint8_t *b;

	*n = get32(f, err);
	if (*err || *n > (64u << 20)) {
		*err = 1;
		return NULL;
	}
	b = malloc(*n ? *n : 1);
	if (!b || get(f, b, *n)) {
		free(b);
		*err = 1;
		return NULL;
	}
	return b;
}

/* A "u32 n, n bytes" string into buf (NUL-terminated). */
static int get_string(FILE *f, char *buf, size_t len)
{
	int err = 0;
	uint32_t n = get32(f, &err);

	if (err || n >= len || get(f, buf, n))
		return -1;
	buf[n] = 0;
	return 0;
}

int rec_open_machine(FILE *f, char *devices, size_t dlen, char *opts, size_t olen)
{
	char magic[sizeof(REC_MAGIC) - 1];
	char d[256], o[256];

	_Static_assert(sizeof(REC_MAGIC) == sizeof(REC_MAGIC_V1), "magic lengths");
	if (get(f, magic, sizeof(magic)))
		return -1;
	if (!memcmp(magic, REC_MAGIC_V1, sizeof(magic))) {
		snprintf(d, sizeof(d), "bochs");
		o[0] = 0;
	} else if (memcmp(magic, REC_MAGIC, sizeof(magic)) || get_string(f, d, sizeof(d)) ||
		   get_string(f, o, sizeof(o))) {
		return -1;
	}
	if (devices && (size_t)snprintf(devices, dlen, "%s", d) >= dlen)
		return -1;
	if (opts && (size_t)snprintf(opts, olen, "%s", o) >= olen)
		return -1;
	return 0;
}

int rec_open(FILE *f)
{
	return rec_open_machine(f, NULL, 0, NULL, 0);
}

void rec_call_free(struct rec_call *c)
{
	for (int i = 0; i < IOCTL_MAX_PTRS; i++) {
		free(c->before[i]);
		free(c->after[i]);
		c->before[i] = c->after[i] = NULL;
	}
}

int rec_next(FILE *f, struct rec_call *c)
{
	int err = 0;

	memset(c, 0, sizeof(*c));
	c->kind = get32(f, &err);
	c->file = get32(f, &err);
	if (err)
		return 0;
	switch (c->kind) {
	case REC_OPEN:
		c->minor = get32(f, &err);
		c->flags = get32(f, &err);
		c->result = (int64_t)get64(f, &err);
		break;
	case REC_CLOSE:
		c->result = (int64_t)get64(f, &err);
		break;
	case REC_IOCTL:
		c->req = get64(f, &err);
		c->size = get32(f, &err);
		if (err || c->size > sizeof(c->arg) || get(f, c->arg, c->size))
			return -1;
		c->layout = ioctl_layout_find(c->req);
		while (c->layout && c->nptrs < IOCTL_MAX_PTRS && c->layout->ptrs[c->nptrs].elem_size) {
			c->before[c->nptrs] = get_block(f, &c->before_len[c->nptrs], &err);
			c->nptrs++;
		}
		c->result = (int64_t)get64(f, &err);
		if (err || get(f, c->after_arg, c->size))
			goto bad;
		for (int i = 0; i < c->nptrs; i++)
			c->after[i] = get_block(f, &c->after_len[i], &err);
		break;
	default:
		return -1;
	}
	if (!err)
		return 1;
bad:
	rec_call_free(c);
	return -1;
}
