/*
 * Builds the simulated machine a command asks for: which device models go
 * on the PCI bus, in which order, with what options. Shared by run, shim,
 * lspci, replay, fuzz and the tests; no command knows device names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_type.h"
#include "drmsim_abi.h"
#include "machine_setup.h"

/* The registered devices: one line each. */
static const struct device_type *const device_types[] = {
	&amdgpu_device_type,
	&bochs_device_type,
	&vboxvideo_device_type,
	&virtio_gpu_device_type,
	&vmwgfx_device_type,
};
#define NR_TYPES (sizeof(device_types) / sizeof(device_types[0]))

#define MAX_PLUGGED 8
static const struct device_type *plugged[MAX_PLUGGED];
static int nr_plugged;

const struct device_type *machine_device_type(const char *name)
{
	for (size_t i = 0; i < NR_TYPES; i++)
		if (!strcmp(device_types[i]->name, name))
			return device_types[i];
	return NULL;
}

const struct device_type *machine_device_type_nth(int i)
{
	return i >= 0 && (size_t)i < NR_TYPES ? device_types[i] : NULL;
}

const struct device_type *machine_setup_device(int i)
{
	return i >= 0 && i < nr_plugged ? plugged[i] : NULL;
}

bool device_has_feature(const struct device_options *o, const char *flag)
{
	for (int i = 0; i < o->nr_features; i++)
		if (!strcmp(o->features[i], flag))
			return true;
	return false;
}

static bool type_has_feature(const struct device_type *t, const char *flag)
{
	for (const char *const *f = t->features; f && *f; f++)
		if (!strcmp(*f, flag))
			return true;
	return false;
}

/* Whether t has a choice "key=..." among its features. */
static bool type_has_choice(const struct device_type *t, const char *key)
{
	size_t n = strlen(key);

	for (const char *const *f = t->features; f && *f; f++)
		if (!strncmp(*f, key, n) && (*f)[n] == '=')
			return true;
	return false;
}

/* Whether any registered device takes the flag, or the choice key=val. */
static bool some_type_takes(const char *key, const char *val)
{
	char buf[128];

	snprintf(buf, sizeof(buf), val ? "%s=%s" : "%s", key, val ? val : "");
	for (size_t i = 0; i < NR_TYPES; i++)
		if (type_has_feature(device_types[i], buf))
			return true;
	return false;
}

static int parse_mode(const char *s, uint32_t *w, uint32_t *h)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b;

	if (end == s || *end != 'x')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || !a || !b || a > 16384 || b > 16384)
		return -1;
	*w = a;
	*h = b;
	return 0;
}

/*
 * One option of t from "key=value" or "flag". strict: an option the device
 * does not take is an error (it was written for this device); otherwise
 * (a default for every device) it is skipped.
 */
static int apply_option(const struct device_type *t, char *opt, bool strict,
			struct device_options *o)
{
	char *val = strchr(opt, '='), *end;
	unsigned long n;

	if (val)
		*val++ = 0;
	if (!strcmp(opt, "outputs") && val) {
		n = strtoul(val, &end, 10);
		if (*end || !n || n > 16) {
			fprintf(stderr, "drmsim: outputs=%s: want 1..16\n", val);
			return -1;
		}
		if ((int)n > t->max_outputs) {
			fprintf(stderr, "drmsim: %s has %d output%s, not %lu\n", t->name,
				t->max_outputs, t->max_outputs == 1 ? "" : "s", n);
			return -1;
		}
		o->outputs = n;
		return 0;
	}
	if (!strcmp(opt, "vram") && val) {
		n = strtoul(val, &end, 10);
		if (*end || !n || n > 512 || (n & (n - 1))) {
			fprintf(stderr, "drmsim: vram=%s: want a power of two MiB up to 512\n", val);
			return -1;
		}
		if (!t->vram) {
			if (!strict)
				return 0;
			fprintf(stderr, "drmsim: %s has no VRAM option\n", t->name);
			return -1;
		}
		o->vram_size = (uint64_t)n << 20;
		return 0;
	}
	if (!strcmp(opt, "mode") && val) {
		if (parse_mode(val, &o->width, &o->height)) {
			fprintf(stderr, "drmsim: mode=%s: want WxH\n", val);
			return -1;
		}
		return 0;
	}
	/* A choice (svga=legacy) is kept whole, as the device lists it. */
	if (val && type_has_choice(t, opt)) {
		val[-1] = '=';
		if (!type_has_feature(t, opt)) {
			fprintf(stderr, "drmsim: %s does not take option '%s'\n", t->name, opt);
			return -1;
		}
		val = NULL;
	}
	if (!val && type_has_feature(t, opt)) {
		if (o->nr_features == (int)(sizeof(o->features) / sizeof(o->features[0]))) {
			fprintf(stderr, "drmsim: too many features for %s\n", t->name);
			return -1;
		}
		o->features[o->nr_features++] = opt;
		return 0;
	}
	if (!strict)
		return 0;
	fprintf(stderr, "drmsim: %s does not take option '%s%s%s'\n", t->name, opt,
		val ? "=" : "", val ? val : "");
	return -1;
}

static int apply_options(const struct device_type *t, char *opts, bool strict,
			 struct device_options *o)
{
	for (char *save = NULL, *opt = strtok_r(opts, ":", &save); opt;
	     opt = strtok_r(NULL, ":", &save))
		if (apply_option(t, opt, strict, o))
			return -1;
	return 0;
}

static int setup(const char *list, const char *defaults, bool plug)
{
	struct machine *m = machine_get();
	char *specs = strdup(list ? list : ""), *save = NULL;
	/* Option strings stay alive: device_options point into them. */
	static char *keep[MAX_PLUGGED * 2];
	int ret = -1;

	for (int i = 0; i < MAX_PLUGGED * 2; i++) {
		free(keep[i]);
		keep[i] = NULL;
	}

	if (!specs)
		return -1;
	/* Device engines run on the kernel world's clock; its page arena is
	 * the RAM they bus-master into most. */
	machine_set_clock(m, kworld_now_ns);
	machine_set_ram(m, host_arena_base(), host_arena_size());
	nr_plugged = 0;
	if (!strcmp(specs, "none")) {
		free(specs);
		return 0;
	}
	for (char *spec = strtok_r(specs, ",", &save); spec; spec = strtok_r(NULL, ",", &save)) {
		char *own = strchr(spec, ':');
		const struct device_type *t;
		struct device_options o = { 0 };

		if (own)
			*own++ = 0;
		t = machine_device_type(spec);
		if (!t) {
			fprintf(stderr, "drmsim: unknown device '%s'\n", spec);
			machine_setup_usage();
			goto out;
		}
		if (nr_plugged == MAX_PLUGGED) {
			fprintf(stderr, "drmsim: at most %d devices\n", MAX_PLUGGED);
			goto out;
		}
		keep[2 * nr_plugged] = strdup(defaults ? defaults : "");
		keep[2 * nr_plugged + 1] = strdup(own ? own : "");
		if (!keep[2 * nr_plugged] || !keep[2 * nr_plugged + 1] ||
		    apply_options(t, keep[2 * nr_plugged], false, &o) ||
		    apply_options(t, keep[2 * nr_plugged + 1], true, &o) || (plug && t->plug(m, &o)))
			goto out;
		plugged[nr_plugged++] = t;
	}
	if (!nr_plugged) {
		fprintf(stderr, "drmsim: no device named\n");
		goto out;
	}
	ret = 0;
out:
	free(specs);
	return ret;
}

int machine_setup(const char *list, const char *defaults)
{
	return setup(list, defaults, true);
}

int machine_setup_check(const char *list, const char *defaults)
{
	int ret = setup(list ? list : "bochs", defaults, false);

	nr_plugged = 0;
	return ret;
}

int machine_option_arg(int argc, char **argv, int i, char *opts, size_t len)
{
	static const char *const keys[][2] = {
		{ "--outputs", "outputs" }, { "--vram", "vram" }, { "--mode", "mode" },
		{ "--features", NULL },
	};
	size_t used = strlen(opts);

	/* --KEY VALUE for a device's choice KEY=VALUE (--svga legacy). */
	if (!strncmp(argv[i], "--", 2) && argv[i][2]) {
		const char *key = argv[i] + 2;
		bool known = false;

		for (size_t t = 0; t < NR_TYPES; t++)
			known |= type_has_choice(device_types[t], key);
		if (known) {
			int n;

			if (i + 1 >= argc || !some_type_takes(key, argv[i + 1])) {
				fprintf(stderr, "drmsim: %s %s: no device takes it\n", argv[i],
					i + 1 < argc ? argv[i + 1] : "(missing)");
				return -1;
			}
			n = snprintf(opts + used, len - used, "%s%s=%s", used ? ":" : "", key,
				     argv[i + 1]);
			if (n < 0 || (size_t)n >= len - used) {
				fprintf(stderr, "drmsim: device options too long\n");
				return -1;
			}
			return 2;
		}
	}
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		int n;

		if (strcmp(argv[i], keys[k][0]))
			continue;
		if (i + 1 >= argc || !*argv[i + 1]) {
			fprintf(stderr, "drmsim: %s wants a value\n", argv[i]);
			return -1;
		}
		if (keys[k][1]) {
			n = snprintf(opts + used, len - used, "%s%s=%s", used ? ":" : "", keys[k][1],
				     argv[i + 1]);
		} else {
			/* --features a,b: flags a and b. */
			n = snprintf(opts + used, len - used, "%s%s", used ? ":" : "", argv[i + 1]);
			for (char *c = opts + used; n > 0 && (size_t)n < len - used && *c; c++)
				if (*c == ',')
					*c = ':';
		}
		if (n < 0 || (size_t)n >= len - used) {
			fprintf(stderr, "drmsim: device options too long\n");
			return -1;
		}
		if (strpbrk(argv[i + 1], keys[k][1] ? ":=," : ":=")) {
			fprintf(stderr, "drmsim: %s %s: bad value\n", argv[i], argv[i + 1]);
			return -1;
		}
		/* A feature flag no device takes is a typo, not a default. */
		if (!keys[k][1]) {
			char flags[256], *save = NULL;

			snprintf(flags, sizeof(flags), "%s", argv[i + 1]);
			for (char *f = strtok_r(flags, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
				if (!some_type_takes(f, NULL)) {
					fprintf(stderr, "drmsim: --features %s: no device takes it\n", f);
					return -1;
				}
			}
		}
		return 2;
	}
	return 0;
}

void machine_setup_usage(void)
{
	fprintf(stderr, "devices (--device NAME[:OPTION...][,NAME...], in bus order):\n");
	for (size_t i = 0; i < NR_TYPES; i++) {
		const struct device_type *t = device_types[i];

		fprintf(stderr, "  %-12s %s\n", t->name, t->summary);
		fprintf(stderr, "  %-12s options: mode=WxH%s", "", t->vram ? " vram=MIB" : "");
		if (t->max_outputs > 1)
			fprintf(stderr, " outputs=1..%d", t->max_outputs);
		for (const char *const *f = t->features; f && *f; f++)
			fprintf(stderr, " %s", *f);
		fputc('\n', stderr);
	}
	fprintf(stderr, "  --outputs N, --vram MIB, --mode WxH, --features A,B and --KEY VALUE for a\n"
			"  device's KEY=VALUE option apply to every device that takes them\n");
}
