/* Pointer fields of DRM ioctl arguments (harness/ioctl_layout.c). */
#ifndef DRMSIM_IOCTL_LAYOUT_H
#define DRMSIM_IOCTL_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

struct ioctl_ptr {
	uint16_t ptr_off;	/* offset of the 64-bit user pointer */
	uint16_t count_off;	/* offset of the field that sizes it */
	uint8_t count_bytes;	/* width of that field: 2, 4 or 8 */
	uint16_t elem_size;	/* bytes per counted element (1: a byte length) */
	uint8_t unused;
};

#define IOCTL_MAX_PTRS 4

struct ioctl_layout {
	unsigned long req;
	struct ioctl_ptr ptrs[IOCTL_MAX_PTRS];	/* elem_size 0 ends the list */
};

/* The layout of req, or NULL if its argument holds no user pointers. */
const struct ioctl_layout *ioctl_layout_find(unsigned long req);
/* Bytes behind pointer p of argument arg (count × element size). */
size_t ioctl_ptr_bytes(const void *arg, const struct ioctl_ptr *p);
uint64_t ioctl_ptr_value(const void *arg, const struct ioctl_ptr *p);
void ioctl_ptr_set(void *arg, const struct ioctl_ptr *p, uint64_t v);

/* Recording file: "DRMSIMREC2\n", the machine (u32 n, n bytes of the
 * --device list; u32 n, n bytes of the device options; both without NUL),
 * then records of little-endian fields (a "DRMSIMREC1\n" file has no
 * machine part: it was recorded on bochs):
 *   u32 kind (REC_OPEN, REC_IOCTL, REC_CLOSE), u32 file (the open's index)
 *   open:  u32 minor, u32 flags, i64 result
 *   ioctl: u64 request, u32 size, size bytes of the argument before the
 *          call, then per pointer of its layout: u32 n, n bytes before;
 *          i64 result, size bytes after, per pointer: u32 n, n bytes after
 *   close: i64 result */
#define REC_MAGIC "DRMSIMREC2\n"
#define REC_MAGIC_V1 "DRMSIMREC1\n"
enum { REC_OPEN = 1, REC_IOCTL = 2, REC_CLOSE = 3 };

#endif
