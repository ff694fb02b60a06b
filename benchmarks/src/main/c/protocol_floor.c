/*
 * What the lock protocol's uncontended steps cost with no FFM in the way: the robust fast path
 * (compare-and-set from the free word, the look at the block's generation and at the cell's
 * owner-private words, the increment, the look at waiters, the release store) against a bare
 * compare-and-set spin lock around the same increment, side by side on one mapped page, one
 * thread. Only the steps, not a lock to use: no waiting, no recovery (c/sharedstruct.h is the
 * real one). docs/LOCK.md ("Where the time goes") quotes it: the steps run at about 0.95x the
 * spin lock, so what the Java lock adds beyond that is FFM's checks and the JVM-side bookkeeping.
 *
 *   cc -std=c11 -O2 -Wall -Wextra -Werror -I c -o benchmarks/target/protocol_floor \
 *       benchmarks/src/main/c/protocol_floor.c && benchmarks/target/protocol_floor
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>

#include "sharedstruct.h"

#define OPS 10000000L
#define ROUNDS 5
/* A block as the region lays it out: its header, then the lock cell, then the struct's data. */
#define GENERATION_AT SS_BLK_GENERATION
#define CELL_AT SS_BLOCK_HEADER
#define DATA_AT (SS_BLOCK_HEADER + SS_LOCK_CELL_SIZE)
/* extra_holds and the count half of waiters, as one little-endian word at extra_holds. */
#define HOLDS_AND_WAITER_COUNT INT64_C(0x0000FFFFFFFFFFFF)

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static void spin_lock(unsigned char *block, long ops) {
    _Atomic int32_t *word = (_Atomic int32_t *)(void *)(block + CELL_AT);
    volatile int64_t *data = (volatile int64_t *)(void *)(block + DATA_AT);
    for (long i = 0; i < ops; i++) {
        int32_t expected = 0;
        while (!atomic_compare_exchange_weak_explicit(word, &expected, 1, memory_order_acquire, memory_order_relaxed)) {
            expected = 0;
        }
        (*data)++;
        atomic_store_explicit(word, 0, memory_order_release);
    }
}

/* Returns how many steps went another way than the uncontended one (0 expected). */
static long robust_steps(unsigned char *block, long ops, int64_t generation, int64_t token, int64_t start) {
    _Atomic int64_t *owner = (_Atomic int64_t *)(void *)(block + CELL_AT + SS_LOCK_OWNER);
    _Atomic int64_t *generation_word = (_Atomic int64_t *)(void *)(block + GENERATION_AT);
    _Atomic int32_t *extra_holds = (_Atomic int32_t *)(void *)(block + CELL_AT + SS_LOCK_EXTRA_HOLDS);
    _Atomic int64_t *holds_and_waiters = (_Atomic int64_t *)(void *)(block + CELL_AT + SS_LOCK_EXTRA_HOLDS);
    _Atomic int64_t *owner_start = (_Atomic int64_t *)(void *)(block + CELL_AT + SS_LOCK_OWNER_START);
    volatile int64_t *data = (volatile int64_t *)(void *)(block + DATA_AT);
    int64_t free_word = SS_LOCK_FREE(generation);
    long other = 0;
    for (long i = 0; i < ops; i++) {
        int64_t witness = free_word;
        int won = atomic_compare_exchange_strong_explicit(owner, &witness, token, memory_order_acquire, memory_order_relaxed);
        int64_t stale = (atomic_load_explicit(generation_word, memory_order_relaxed) ^ generation)
                | atomic_load_explicit(extra_holds, memory_order_relaxed)
                | (atomic_load_explicit(owner_start, memory_order_relaxed) ^ start);
        if (!won || stale != 0) {
            other++;
            continue;
        }
        (*data)++;
        if ((atomic_load_explicit(holds_and_waiters, memory_order_relaxed) & HOLDS_AND_WAITER_COUNT) != 0) {
            other++;
        }
        atomic_store_explicit(owner, free_word, memory_order_release);
    }
    return other;
}

int main(void) {
    unsigned char *block = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    const int64_t generation = 7, token = (INT64_C(4242) << 32) | 17, start = 123456789;
    printf("one thread, %ld increments per round: ns per locked increment\n", OPS);
    for (int round = 1; round <= ROUNDS; round++) {
        *(int64_t *)(void *)(block + CELL_AT) = 0;
        double began = now_ns();
        spin_lock(block, OPS);
        double spin = (now_ns() - began) / OPS;

        *(int64_t *)(void *)(block + GENERATION_AT) = generation;
        *(int64_t *)(void *)(block + CELL_AT + SS_LOCK_OWNER) = SS_LOCK_FREE(generation);
        *(int64_t *)(void *)(block + CELL_AT + SS_LOCK_OWNER_START) = start;
        began = now_ns();
        long other = robust_steps(block, OPS, generation, token, start);
        double robust = (now_ns() - began) / OPS;
        printf("round %d: spin lock %.2f, robust steps %.2f: %.2fx the spin lock%s\n", round, spin, robust,
                spin / robust, other == 0 ? "" : " (some steps went another way)");
    }
    return 0;
}
