/* drmsim subcommands: each takes argc/argv after its own name and returns
 * the process exit status. */
#ifndef DRMSIM_COMMANDS_H
#define DRMSIM_COMMANDS_H

#include <stddef.h>

int cmd_bench(int argc, char **argv);
int cmd_kunit(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_symbols(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_lspci(int argc, char **argv);
int cmd_faultsweep(int argc, char **argv);
int cmd_match_table(int argc, char **argv);
int cmd_kpi_diff(int argc, char **argv);
int cmd_shim(int argc, char **argv);
int cmd_machine(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_fuzz(int argc, char **argv);
int cmd_fuzz_seeds(int argc, char **argv);
int bench_fuzz(int argc, char **argv);
int bench_amdgpu(int argc, char **argv);
/* The fuzz target of device: next to this drmsim (the fuzz build) or in
 * ../build-fuzz. 0, or -1 if it is not built. */
int fuzz_target_path(const char *device, char *out, size_t len);
/* Re-runs a fuzz input (fuzz/replay.c); the exit status of cmd_replay. */
int replay_fuzz_program(const char *device, const char *path);

/* Boots the kernel world with cmdline; prints why and returns non-zero if
 * boot failed. */
int drmsim_boot(const char *cmdline);

#endif
