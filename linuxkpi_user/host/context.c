/*
 * Execution contexts for kernel tasks: a stack pointer switch in a few
 * instructions (ucontext's swapcontext makes a sigprocmask system call on
 * every switch, and task switches are the kernel world's hottest path).
 * AddressSanitizer and valgrind are told about every stack change so both
 * keep working across tasks.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "drmsim_abi.h"
#include "sanitizer.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define DRMSIM_VALGRIND 1
#endif

struct host_ctx {
	void *sp;		/* saved stack pointer while not running */
	void *stack;		/* lowest address of the stack */
	size_t size;
	void (*entry)(void *);
	void *arg;
	void *fake_stack;	/* ASan's fake-stack handle across a switch */
	unsigned valgrind_id;
};

/* rdi = where to save the old sp, rsi = new sp. Callee-saved registers live
 * on the stack being left; the new stack's top holds the same layout. */
void drmsim_ctx_swap(void **save_sp, void *new_sp);
void drmsim_ctx_start(void);
__asm__(".text\n"
	".globl drmsim_ctx_swap\n"
	".type drmsim_ctx_swap,@function\n"
	"drmsim_ctx_swap:\n"
	"	pushq %rbp\n	pushq %rbx\n	pushq %r12\n"
	"	pushq %r13\n	pushq %r14\n	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n	popq %r14\n	popq %r13\n"
	"	popq %r12\n	popq %rbx\n	popq %rbp\n"
	"	ret\n"
	".size drmsim_ctx_swap, .-drmsim_ctx_swap\n"
	/* First code a new context runs: r12 = its host_ctx. The undefined
	 * return address ends every unwinder's walk here. */
	".globl drmsim_ctx_start\n"
	".type drmsim_ctx_start,@function\n"
	"drmsim_ctx_start:\n"
	"	.cfi_startproc\n"
	"	.cfi_undefined rip\n"
	"	movq %r12, %rdi\n"
	"	call drmsim_ctx_entry\n"
	"	ud2\n"
	"	.cfi_endproc\n"
	".size drmsim_ctx_start, .-drmsim_ctx_start\n");

void drmsim_ctx_entry(struct host_ctx *ctx);
void drmsim_ctx_entry(struct host_ctx *ctx)
{
#ifdef DRMSIM_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	ctx->entry(ctx->arg);
	fprintf(stderr, "drmsim: a kernel task's entry function returned\n");
	abort();
}

struct host_ctx *host_ctx_create(void *stack, dh_size size, void (*entry)(void *), void *arg)
{
	struct host_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return NULL;
	ctx->stack = stack;
	ctx->size = size;
	ctx->entry = entry;
	ctx->arg = arg;
	/* Six callee-saved registers, then the return address into
	 * drmsim_ctx_start; sp+56 must be 16-byte aligned for its call. */
	unsigned long top = ((unsigned long)stack + size) & ~15UL;
	unsigned long *sp = (unsigned long *)(top - 72);
	memset(sp, 0, 72);
	sp[3] = (unsigned long)ctx;	/* r12 */
	sp[6] = (unsigned long)drmsim_ctx_start;
	ctx->sp = sp;
#ifdef DRMSIM_VALGRIND
	ctx->valgrind_id = VALGRIND_STACK_REGISTER(stack, (char *)stack + size);
#endif
	return ctx;
}

static __thread struct host_ctx *self_ctx;

struct host_ctx *host_ctx_self(void)
{
	if (!self_ctx) {
		pthread_attr_t attr;
		self_ctx = calloc(1, sizeof(*self_ctx));
		if (!self_ctx)
			abort();
		if (pthread_getattr_np(pthread_self(), &attr) == 0) {
			pthread_attr_getstack(&attr, &self_ctx->stack, &self_ctx->size);
			pthread_attr_destroy(&attr);
		}
	}
	return self_ctx;
}

void host_ctx_destroy(struct host_ctx *ctx)
{
	if (!ctx || ctx == self_ctx)
		return;
#ifdef DRMSIM_VALGRIND
	VALGRIND_STACK_DEREGISTER(ctx->valgrind_id);
#endif
	free(ctx);
}

void host_ctx_switch(struct host_ctx *from, struct host_ctx *to)
{
#ifdef DRMSIM_ASAN
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack, to->size);
#endif
	drmsim_ctx_swap(&from->sp, to->sp);
#ifdef DRMSIM_ASAN
	__sanitizer_finish_switch_fiber(from->fake_stack, NULL, NULL);
#endif
}

/* Freed stacks are kept for the next task: tasks come and go with every
 * client call, and returning 32 KiB aligned blocks to malloc each time
 * costs more than the call. */
#define STACK_POOL 64
static void *stack_pool[STACK_POOL];
static int stack_pool_n;
static dh_size stack_pool_size;

void *host_stack_alloc(dh_size size)
{
	void *p = NULL;

	if (stack_pool_n && size == stack_pool_size) {
		p = stack_pool[--stack_pool_n];
#ifdef DRMSIM_ASAN
		/* A task that died left its frames' redzones poisoned. */
		__asan_unpoison_memory_region(p, size);
#endif
	} else if (posix_memalign(&p, size, size)) {
		/* Kernel code finds thread_info by masking the stack pointer
		 * with THREAD_SIZE - 1: the stack is aligned to its size. */
		return NULL;
	}
	/* thread_info at the base is initialised by the kernel side; the rest
	 * of a stack is written before it is read. */
	return p;
}

void host_stack_free(void *stack, dh_size size)
{
	if (stack_pool_n < STACK_POOL && (!stack_pool_n || size == stack_pool_size)) {
		stack_pool_size = size;
		stack_pool[stack_pool_n++] = stack;
		return;
	}
	free(stack);
}
