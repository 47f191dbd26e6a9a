/*
 * png_expect FILE W H [X Y RRGGBB]...: checks a PNG's size and the colour
 * of pixels (within a tolerance of 2 per channel); exit 0 if all match.
 * Used to assert on what a real client program put in the scanout.
 */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	png_image img = { .version = PNG_IMAGE_VERSION };
	unsigned char *rgb;
	int bad = 0;

	if (argc < 4 || (argc - 4) % 3) {
		fprintf(stderr, "usage: png_expect FILE W H [X Y RRGGBB]...\n");
		return 2;
	}
	if (!png_image_begin_read_from_file(&img, argv[1])) {
		fprintf(stderr, "png_expect: %s: %s\n", argv[1], img.message);
		return 1;
	}
	img.format = PNG_FORMAT_RGB;
	rgb = malloc(PNG_IMAGE_SIZE(img));
	if (!rgb || !png_image_finish_read(&img, NULL, rgb, 0, NULL))
		return 1;
	if (img.width != strtoul(argv[2], NULL, 0) || img.height != strtoul(argv[3], NULL, 0)) {
		fprintf(stderr, "png_expect: size %ux%u, expected %sx%s\n", img.width, img.height,
			argv[2], argv[3]);
		return 1;
	}
	for (int i = 4; i + 2 < argc; i += 3) {
		unsigned x = strtoul(argv[i], NULL, 0), y = strtoul(argv[i + 1], NULL, 0);
		unsigned long want = strtoul(argv[i + 2], NULL, 16);
		const unsigned char *p;

		if (x >= img.width || y >= img.height) {
			fprintf(stderr, "png_expect: (%u,%u) outside the image\n", x, y);
			return 2;
		}
		p = rgb + 3 * ((size_t)y * img.width + x);
		for (int c = 0; c < 3; c++) {
			int w = (want >> (16 - 8 * c)) & 0xff;

			if (abs(p[c] - w) > 2) {
				fprintf(stderr, "png_expect: (%u,%u) is %02x%02x%02x, expected %06lx\n", x,
					y, p[0], p[1], p[2], want);
				bad = 1;
				break;
			}
		}
	}
	free(rgb);
	return bad;
}
