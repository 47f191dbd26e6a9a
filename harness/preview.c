/*
 * The SDL2 scanout preview, a VM viewer for the machine's displays: one
 * window per display, redrawn every pass with the cursor composed, sized to
 * the scanout on a mode change, and a user's resize passed to the model as
 * a hotplug with a new preferred mode.
 */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

#include "compose.h"
#include "preview.h"

/* A user's resize reaches the model once the window has kept its size this
 * long, so dragging a window edge does not hotplug at every step. */
#define PREVIEW_RESIZE_SETTLE_MS 200

struct preview_view {
	int display;
	SDL_Window *win;
	Uint32 id;
	SDL_Renderer *ren;
	SDL_Texture *tex;
	uint32_t tex_w, tex_h;
	/* the scanout size the window was last fitted to (0: none yet) */
	uint32_t mode_w, mode_h;
	/* the size we last gave the window: its size events are not the user's */
	int set_w, set_h;
	/* a user's resize waiting to settle, and the last one forwarded */
	int pending_w, pending_h;
	Uint64 pending_at;
	int asked_w, asked_h;
	bool cannot_resize;		/* the model said so once: just scale */
};

bool preview_available(void)
{
	if (!getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY"))
		return false;
	if (SDL_Init(SDL_INIT_VIDEO) != 0)
		return false;
	SDL_Quit();
	return true;
}

static bool preview_shown(const struct scanout *s)
{
	return s->enabled && s->base && s->width && s->height;
}

/* Gives the window a size of our own choosing. */
static void preview_set_size(struct preview_view *v, int w, int h)
{
	v->set_w = w;
	v->set_h = h;
	SDL_SetWindowSize(v->win, w, h);
}

static int preview_open(struct machine *m, struct preview_view *v, int display)
{
	struct scanout s = machine_scanout(m, display);
	const char *name = machine_display_name(m, display);
	char title[64];
	int w = COMPOSE_BLANK_WIDTH, h = COMPOSE_BLANK_HEIGHT;

	if (name)
		snprintf(title, sizeof(title), "drmsim: %s", name);
	else
		snprintf(title, sizeof(title), "drmsim: display %d", display);
	if (preview_shown(&s)) {
		w = (int)s.width;
		h = (int)s.height;
		v->mode_w = s.width;
		v->mode_h = s.height;
	}
	v->display = display;
	v->set_w = w;
	v->set_h = h;
	v->win = SDL_CreateWindow(title, SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, w, h,
				  SDL_WINDOW_RESIZABLE);
	v->ren = v->win ? SDL_CreateRenderer(v->win, -1, 0) : NULL;
	if (!v->ren) {
		fprintf(stderr, "drmsim: SDL: %s\n", SDL_GetError());
		return -1;
	}
	v->id = SDL_GetWindowID(v->win);
	return 0;
}

static void preview_close(struct preview_view *v)
{
	if (v->tex)
		SDL_DestroyTexture(v->tex);
	if (v->ren)
		SDL_DestroyRenderer(v->ren);
	if (v->win)
		SDL_DestroyWindow(v->win);
}

/* A size event of the view's window: ours, a repeat, or a user's resize. */
static void preview_resized(struct preview_view *v, int w, int h)
{
	if (w == v->set_w && h == v->set_h)
		return;
	/* The window is the user's size now; a later return to ours is theirs too. */
	v->set_w = v->set_h = 0;
	if (w == v->pending_w && h == v->pending_h)
		return;
	v->pending_w = w;
	v->pending_h = h;
	v->pending_at = SDL_GetTicks64();
}

/* Forwards a settled user resize to the model, unless the scanout already
 * has that size or the model cannot resize (the renderer scales). */
static void preview_forward_resize(struct machine *m, struct preview_view *v)
{
	const char *name = machine_display_name(m, v->display);
	int w = v->pending_w, h = v->pending_h;

	if (!w || SDL_GetTicks64() - v->pending_at < PREVIEW_RESIZE_SETTLE_MS)
		return;
	v->pending_w = v->pending_h = 0;
	if ((w == v->asked_w && h == v->asked_h) ||
	    ((uint32_t)w == v->mode_w && (uint32_t)h == v->mode_h) || v->cannot_resize)
		return;
	v->asked_w = w;
	v->asked_h = h;
	if (machine_display_resize(m, v->display, (uint32_t)w, (uint32_t)h) < 0) {
		v->cannot_resize = true;
		fprintf(stderr, "drmsim: %s cannot change its mode to fit the window; scaling\n",
			name ? name : "the display");
	}
}

static void preview_draw(struct machine *m, struct preview_view *v)
{
	struct scanout s = machine_scanout(m, v->display);
	void *pixels;
	int pitch;

	SDL_SetRenderDrawColor(v->ren, 0, 0, 0, 255);
	SDL_RenderClear(v->ren);
	if (preview_shown(&s)) {
		if (s.width != v->mode_w || s.height != v->mode_h) {
			v->mode_w = s.width;
			v->mode_h = s.height;
			v->asked_w = v->asked_h = 0;	/* the same size may be asked again */
			preview_set_size(v, (int)s.width, (int)s.height);
		}
		if (!v->tex || v->tex_w != s.width || v->tex_h != s.height) {
			if (v->tex)
				SDL_DestroyTexture(v->tex);
			v->tex = SDL_CreateTexture(v->ren, SDL_PIXELFORMAT_XRGB8888,
						   SDL_TEXTUREACCESS_STREAMING, (int)s.width,
						   (int)s.height);
			v->tex_w = v->tex ? s.width : 0;
			v->tex_h = v->tex ? s.height : 0;
		}
		/* Composed every pass: drawing into guest memory does not bump
		 * the frame counter. */
		if (v->tex && SDL_LockTexture(v->tex, NULL, &pixels, &pitch) == 0) {
			compose_scanout(&s, pixels, (uint32_t)pitch / 4);
			SDL_UnlockTexture(v->tex);
			SDL_RenderCopy(v->ren, v->tex, NULL, NULL);
		}
	}
	SDL_RenderPresent(v->ren);
}

/* The mouse over a window, in the scanout's pixels (the window may be
 * scaled): where a model whose host owns the pointer draws the cursor. */
static void preview_pointer(struct machine *m, const struct preview_view *v, int wx, int wy)
{
	int w, h;

	SDL_GetWindowSize(v->win, &w, &h);
	if (w <= 0 || h <= 0 || !v->mode_w || !v->mode_h)
		return;
	machine_display_pointer(m, v->display, (int32_t)((int64_t)wx * v->mode_w / w),
				(int32_t)((int64_t)wy * v->mode_h / h));
}

int preview_run(struct machine *m, const int *displays, int n, double seconds,
		void (*idle)(void))
{
	struct preview_view *views;
	Uint64 end;
	int ret = 0;

	if (n < 1 || !displays) {
		fprintf(stderr, "drmsim: preview: no displays given\n");
		return -1;
	}
	if (SDL_Init(SDL_INIT_VIDEO) != 0) {
		fprintf(stderr, "drmsim: SDL: %s\n", SDL_GetError());
		return -1;
	}
	views = calloc((size_t)n, sizeof(*views));
	if (!views) {
		SDL_Quit();
		return -1;
	}
	for (int i = 0; i < n; i++)
		if (preview_open(m, &views[i], displays[i])) {
			ret = -1;
			goto out;
		}
	end = seconds > 0 ? SDL_GetTicks64() + (Uint64)(seconds * 1000) : 0;
	for (;;) {
		SDL_Event ev;
		bool quit = false;

		while (SDL_PollEvent(&ev)) {
			if (ev.type == SDL_QUIT)
				quit = true;
			if (ev.type == SDL_MOUSEMOTION) {
				for (int i = 0; i < n; i++)
					if (views[i].id == ev.motion.windowID)
						preview_pointer(m, &views[i], ev.motion.x, ev.motion.y);
				continue;
			}
			if (ev.type != SDL_WINDOWEVENT)
				continue;
			for (int i = 0; i < n; i++) {
				if (views[i].id != ev.window.windowID)
					continue;
				if (ev.window.event == SDL_WINDOWEVENT_CLOSE)
					quit = true;
				else if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
					 ev.window.event == SDL_WINDOWEVENT_RESIZED)
					preview_resized(&views[i], ev.window.data1, ev.window.data2);
			}
		}
		if (quit || (end && SDL_GetTicks64() >= end))
			break;
		for (int i = 0; i < n; i++)
			preview_forward_resize(m, &views[i]);
		if (idle)
			idle();
		for (int i = 0; i < n; i++)
			preview_draw(m, &views[i]);
		SDL_Delay(16);
	}
out:
	for (int i = 0; i < n; i++)
		preview_close(&views[i]);
	free(views);
	SDL_Quit();
	return ret;
}
