/*
 * The host world's view of AddressSanitizer: whether this file is built with
 * it (gcc says __SANITIZE_ADDRESS__, clang __has_feature), and the runtime
 * calls the stack switching, stack pool and page arena make under it.
 */
#ifndef DRMSIM_HOST_SANITIZER_H
#define DRMSIM_HOST_SANITIZER_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define DRMSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DRMSIM_ASAN 1
#endif
#endif

#ifdef DRMSIM_ASAN
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old, size_t *size_old);
void __lsan_register_root_region(const void *p, size_t size);
#endif

#endif
