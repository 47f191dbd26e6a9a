/*
 * A program built with 64-bit file offsets (-D_FILE_OFFSET_BITS=64: its
 * glob, scandir, stat and fstatat are glob64, scandir64, stat64 and
 * fstatat64) finds the card with glob() and scandir(), opens it, and
 * checks with fstatat(fd, "", AT_EMPTY_PATH), statx(fd, "", AT_EMPTY_PATH)
 * and stat() that it is the character device 226:0; openat2() opens it too.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct how { uint64_t flags, mode, resolve; };

static int fail(const char *what)
{
	printf("dri_probe64: %s failed\n", what);
	return 1;
}

static int is_card0(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) == 226 && minor(st->st_rdev) == 0;
}

static int only_cards(const struct dirent *d)
{
	return !strncmp(d->d_name, "card", 4);
}

int main(void)
{
	glob_t g;
	struct dirent **names;
	struct stat st;
	struct statx sx;
	int (*openat2_fn)(int, const char *, struct how *, size_t);
	int n, fd, fd2;

	if (glob("/dev/dri/card*", 0, NULL, &g) || g.gl_pathc != 1 ||
	    strcmp(g.gl_pathv[0], "/dev/dri/card0"))
		return fail("glob");
	globfree(&g);
	n = scandir("/dev/dri", &names, only_cards, alphasort);
	if (n != 1 || strcmp(names[0]->d_name, "card0"))
		return fail("scandir");
	free(names[0]);
	free(names);
	if (stat("/dev/dri/card0", &st) || !is_card0(&st))
		return fail("stat");
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail("open");
	memset(&st, 0, sizeof(st));
	if (fstatat(fd, "", &st, AT_EMPTY_PATH) || !is_card0(&st))
		return fail("fstatat AT_EMPTY_PATH");
	memset(&st, 0, sizeof(st));
	if (fstat(fd, &st) || !is_card0(&st))
		return fail("fstat");
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) || !S_ISCHR(sx.stx_mode) ||
	    sx.stx_rdev_major != 226 || sx.stx_rdev_minor != 0)
		return fail("statx AT_EMPTY_PATH");
	openat2_fn = (int (*)(int, const char *, struct how *, size_t))dlsym(RTLD_DEFAULT, "openat2");
	if (!openat2_fn)
		return fail("finding openat2");
	fd2 = openat2_fn(AT_FDCWD, "/dev/dri/card0", &(struct how){ .flags = O_RDWR }, sizeof(struct how));
	memset(&st, 0, sizeof(st));
	if (fd2 < 0 || fstat(fd2, &st) || !is_card0(&st))
		return fail("openat2");
	close(fd2);
	close(fd);
	printf("dri_probe64: glob, scandir, stat, fstatat, statx, openat2: card0 chr 226:0\n");
	return 0;
}
