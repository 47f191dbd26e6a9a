/*
 * The SDL2 scanout preview: one window per display, redrawn whenever the
 * model publishes a new frame, closed cleanly on the window's close button.
 */
#include <SDL.h>
#include <stdio.h>

#include "preview.h"

#define FOURCC_XRGB8888 0x34325258u
#define FOURCC_BGRX8888 0x58524742u
#define FOURCC_RGB565 0x36314752u

bool preview_available(void)
{
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
		return false;
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return false;
	SDL_Quit();
	return true;
}

static Uint32 sdl_format(uint32_t fourcc)
{
	switch (fourcc) {
	case FOURCC_RGB565:
		return SDL_PIXELFORMAT_RGB565;
	case FOURCC_BGRX8888:
		return SDL_PIXELFORMAT_BGRX8888;
	default:
		return SDL_PIXELFORMAT_XRGB8888;
	}
}

int preview_run(struct machine *m, int display, double seconds, void (*idle)(void))
{
	SDL_Window *win = NULL;
	SDL_Renderer *ren = NULL;
	SDL_Texture *tex = NULL;
	struct scanout cur = { 0 };
	uint64_t shown = ~0ull;
	Uint64 end = seconds > 0 ? SDL_GetTicks64() + (Uint64)(seconds * 1000) : 0;
	int ret = 0;

	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "drmsim: SDL: %s\n", SDL_GetError());
		return -1;
	}
	win = SDL_CreateWindow("drmsim", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, 640, 480,
			       SDL_WINDOW_RESIZABLE);
	ren = win ? SDL_CreateRenderer(win, -1, 0) : NULL;
	if (!ren) {
		fprintf(stderr, "drmsim: SDL: %s\n", SDL_GetError());
		ret = -1;
		goto out;
	}
	for (;;) {
		SDL_Event ev;
		bool quit = false;

		while (SDL_PollEvent(&ev))
			if (ev.type == SDL_QUIT)
				quit = true;
		if (quit || (end && SDL_GetTicks64() >= end))
			break;
		if (idle)
			idle();
		cur = machine_scanout(m, display);
		if (cur.frame != shown || cur.enabled) {
			SDL_SetRenderDrawColor(ren, 0, 0, 0, 255);
			SDL_RenderClear(ren);
			if (cur.enabled && cur.base) {
				if (cur.frame != shown) {
					if (tex)
						SDL_DestroyTexture(tex);
					tex = SDL_CreateTexture(ren, sdl_format(cur.fourcc),
								SDL_TEXTUREACCESS_STREAMING,
								cur.width, cur.height);
					SDL_SetWindowSize(win, cur.width, cur.height);
				}
				/* Re-uploaded every pass: drawing into VRAM does not
				 * bump the frame counter. */
				if (tex)
					SDL_UpdateTexture(tex, NULL, cur.base, cur.stride);
				if (tex)
					SDL_RenderCopy(ren, tex, NULL, NULL);
			}
			SDL_RenderPresent(ren);
			shown = cur.frame;
		}
		SDL_Delay(16);
	}
out:
	if (tex)
		SDL_DestroyTexture(tex);
	if (ren)
		SDL_DestroyRenderer(ren);
	if (win)
		SDL_DestroyWindow(win);
	SDL_Quit();
	return ret;
}
