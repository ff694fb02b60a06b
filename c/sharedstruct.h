/*
 * sharedstruct.h: a C11 peer for sharedstruct regions (single header, Linux).
 *
 * Maps a region file that Java (or Python) made, finds a named object by name with a layout
 * fingerprint check, and takes its lock with exactly the protocol Java's SharedLock uses:
 * mutual exclusion with Java and Python holders, sleeping on the futex word, dead-owner takeover
 * with the reused-pid guard. See docs/FORMAT.md; every offset and constant of the format is in
 * the "FORMAT" section below and nowhere else.
 *
 *     #define SHAREDSTRUCT_IMPLEMENTATION   // in exactly one .c file, before any #include
 *     #include "sharedstruct.h"
 *
 *     ss_region region;
 *     char error[512];
 *     if (ss_open(&region, "/dev/shm/app.region", error, sizeof error) != 0) { puts(error); ... }
 *     ss_object counter;
 *     if (ss_find(&region, "counter", COUNTER_FINGERPRINT, COUNTER_LAYOUT, &counter, error, sizeof error) != 0) ...
 *     struct Counter *c = counter.data;
 *     int locked = ss_lock(&counter.lock);
 *     if (locked == SS_FREED) { ... }            // a Java process freed the object: not locked, do not touch it
 *     if (locked == SS_OWNER_DIED) { repair(c); }
 *     c->count++;
 *     ss_unlock(&counter.lock);
 *     ss_close(&region);
 *
 * Thread ids: a lock is owned by (process id << 32 | kernel thread id), so every thread of a C
 * program is its own owner and a lock is reentrant per thread.
 */
#ifndef SHAREDSTRUCT_H
#define SHAREDSTRUCT_H

/* The implementation needs syscall(), clock_gettime() and O_NOFOLLOW, which -std=c11 hides: in
   the .c file that defines SHAREDSTRUCT_IMPLEMENTATION, include this header before any other. */
#if defined(SHAREDSTRUCT_IMPLEMENTATION) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- FORMAT: every offset and constant of docs/FORMAT.md (format version 4) ---- */

/* Region header (docs/FORMAT.md "Region header"). */
#define SS_MAGIC UINT64_C(0x5443555254534853) /* "SHSTRUCT" little-endian */
#define SS_FORMAT_VERSION 4
#define SS_HDR_MAGIC 0
#define SS_HDR_VERSION 8
#define SS_HDR_READY 12
#define SS_HDR_SIZE 16
#define SS_HDR_REGION_ID 24
#define SS_HDR_LOCK 32
#define SS_HDR_TOP 64
#define SS_HDR_LAST_SIZE 72
#define SS_HDR_FREE_BYTES 80
#define SS_HDR_DIRECTORY 88
#define SS_HDR_INDEX 144         /* int64, payload of the INDEX block: bucket heads of the name index */
#define SS_HDR_INDEX_BUCKETS 152 /* int64, a power of two */
#define SS_HDR_INDEX_ENTRIES 160
#define SS_HDR_BIN_MAP 168       /* uint64[2] */
#define SS_HDR_REPAIR_REQUESTED 184 /* int64: 1 once a peer took the region lock over from a dead owner */
#define SS_HDR_STARTS 192        /* int64: payload of the STARTS block, always SS_DATA_START + SS_BLOCK_HEADER */
#define SS_HDR_BINS 256          /* int64[128]: free bins (the Java runtime allocates; peers only read) */
#define SS_DATA_START 1280
#define SS_MIN_REGION_SIZE 4096

/* Blocks (docs/FORMAT.md "Blocks"). */
#define SS_BLOCK_HEADER 64
#define SS_BLOCK_ALIGNMENT 16
#define SS_MIN_BLOCK 80
#define SS_BLK_SIZE 0        /* int64 */
#define SS_BLK_STATE 8       /* int16 */
#define SS_BLK_KIND 10       /* int16 */
#define SS_BLK_LOCK_USERS 12 /* int32 */
#define SS_BLK_GENERATION 16 /* int64, at least 1; 0 once freed (an ALLOCATED block with 0 is a free cut short: no object) */
#define SS_BLK_LOCK 24       /* int64 */
#define SS_BLK_FINGERPRINT 32 /* int64 */
#define SS_BLK_LENGTH 40     /* int64 */
#define SS_BLK_PREV_SIZE 48  /* int64, size of the block below (boundary tag) */
#define SS_BLK_ENTRY 56      /* int64, directory entry naming the object; 0 = unnamed */
#define SS_STATE_ALLOCATED 0x5A11
#define SS_STATE_FREE 0x5F4E
#define SS_KIND_LOCK 1
#define SS_KIND_STRUCT 2
#define SS_KIND_STRUCT_ARRAY 3
#define SS_KIND_PRIMITIVE_ARRAY 4
#define SS_KIND_PRIMITIVE_VALUE 5
#define SS_KIND_DIRECTORY_ENTRY 6
#define SS_KIND_TEXT 7
#define SS_KIND_INDEX 8
#define SS_KIND_STARTS 9 /* the block-start map: a bit per 16 bytes of data, set where an allocated block starts */
#define SS_KIND_OWN_LOCK 0x100

/* Directory entries (docs/FORMAT.md "Directory"). */
#define SS_DIR_NEXT 0       /* next (older) entry */
#define SS_DIR_PREV 8       /* previous (newer) entry */
#define SS_DIR_HASH_NEXT 16 /* next entry in the same index bucket */
#define SS_DIR_HASH 24      /* uint64, FNV-1a 64 of the name */
#define SS_DIR_BLOCK 32
#define SS_DIR_OBJECT 40
#define SS_DIR_LOCK 48
#define SS_DIR_FINGERPRINT 56
#define SS_DIR_LAYOUT 64
#define SS_DIR_KIND 72
#define SS_DIR_LENGTH 76
#define SS_DIR_GENERATION 80 /* int64 */
#define SS_DIR_NAME 88
#define SS_DIR_NAME_BYTES 128
#define SS_DIR_TYPE 216
#define SS_DIR_TYPE_BYTES 256
#define SS_DIR_ENTRY_SIZE 472
/* A stored layout text ends with a NUL within its block's first 16 MiB (Java writes none longer);
   only those bytes are read, so every length of it fits an int. */
#define SS_MAX_LAYOUT_BYTES (INT64_C(1) << 24)
#define SS_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define SS_FNV_PRIME UINT64_C(0x100000001b3)

/* Lock cell and protocol constants (docs/LOCK.md). */
#define SS_LOCK_CELL_SIZE 32
#define SS_LOCK_OWNER 0
/* The owner word of a free lock whose cell starts a block's payload: this bit and the block's
   generation (SS_LOCK_FREE(generation)). A free region header lock (generation 0) reads 0. No
   owner token has bit 63 (process ids stay below 2^22), and freed memory (free list links, -1 at
   a bin's end) or a new object in the block never holds the free word of the old generation. */
#define SS_LOCK_FREE_TAG INT64_MIN
#define SS_LOCK_FREE(generation) ((generation) == 0 ? INT64_C(0) : (int64_t)(generation) | SS_LOCK_FREE_TAG)
#define SS_LOCK_EXTRA_HOLDS 8
#define SS_LOCK_WAITERS 12
#define SS_LOCK_WAKEUPS 16
#define SS_LOCK_RECOVERIES 20
#define SS_LOCK_OWNER_START 24
#define SS_LOCK_SPINS 64
#define SS_LOCK_MAX_PAUSE 64
#define SS_LOCK_OWNER_CHECK_NS INT64_C(20000000)
#define SS_LOCK_REUSED_PID_GRACE_NS INT64_C(1000000000)
/* The longest futex sleep: a releaser that does not fence between its release and its read of
   waiters (docs/LOCK.md) can miss a waiter that registers at that instant; it looks again then. */
#define SS_LOCK_MAX_SLEEP_NS INT64_C(1000000)
/* Bit 31 of a held lock's owner word: a long waiter asks for the lock to be handed over. */
#define SS_LOCK_HANDOFF INT64_C(0x80000000)
/* The owner word of a lock released for a long waiter (pid 0, only the hand-off bit). */
#define SS_LOCK_RESERVED INT64_C(0x80000000)
/* A waiter that has waited this long is a long waiter: it asks for, and may take, a hand-off. */
#define SS_LOCK_STARVING_NS INT64_C(20000000)
/* A reservation no long waiter took for this long is free for any waiter. */
#define SS_LOCK_ABANDONED_RESERVATION_NS INT64_C(100000000)
/* waiters = generation << 16 | count */
#define SS_LOCK_COUNT_MASK 0xFFFF
/* A wake-up left unanswered this long at releases: the registered waiters are likely gone. */
#define SS_LOCK_STALE_WAKE_UP_NS INT64_C(50000000)
/* Linux hands out no process id above 2^22: a larger one in owner is corrupt. */
#define SS_LOCK_MAX_PID (INT64_C(1) << 22)

/* ---- API ---- */

/** Results of ss_lock / ss_timed_lock. */
enum {
    SS_ACQUIRED = 0,   /* acquired (or re-entered) */
    SS_OWNER_DIED = 1, /* acquired by taking it over from an owner whose process died: repair the data */
    SS_TIMED_OUT = 2,  /* not acquired before the deadline */
    SS_NOT_OWNER = 3,  /* ss_unlock by a thread that does not hold the lock */
    SS_FREED = 4,      /* not acquired: the block holding the lock cell (the object, or its LOCK block) was freed
                          since ss_find, by a Java process; its memory may belong to another object now, so neither
                          the lock nor the object may be used again (find the name again) */
    SS_TOO_MANY_HOLDS = 5 /* not re-entered: the calling thread holds the lock, and extra_holds is already INT32_MAX
                          (2^31 - 1 re-entries, or a corrupt count); the holds it has are unchanged */
};

typedef struct {
    unsigned char *base; /* the mapping */
    size_t size;
    int fd;
    char path[256];
} ss_region;

typedef struct {
    unsigned char *cell; /* the 32-byte lock cell; NULL for a raw object */
    /* The generation of the block whose payload starts with the cell (docs/FORMAT.md "Blocks"), as
       ss_find saw it. The lock's free owner word is SS_LOCK_FREE(generation), so a claim can only
       succeed on the live cell of that generation; every claim also checks the generation and
       refuses with SS_FREED once it changed. 0 for a cell that is never freed (the region
       header's, free when its owner word is 0), which is not checked: an initialiser giving only
       the cell, {.cell = base + SS_HDR_LOCK} (or {base + SS_HDR_LOCK}), leaves it 0. */
    int64_t generation;
    /* The word of the block-start map (docs/FORMAT.md 3.3) holding the bit of the cell's block, and
       that bit: once the block is freed and merged, its generation word is the bytes of whatever
       reuses the memory, which may hold the old generation; the map, which no object covers, says
       whether a block still starts there. NULL (not checked) with generation 0. ss_find fills both. */
    const unsigned char *start_word;
    uint64_t start_bit;
} ss_lock_t;

typedef struct {
    void *data;           /* the object itself */
    int64_t offset;       /* its offset in the region */
    int kind;             /* SS_KIND_STRUCT, ... (without SS_KIND_OWN_LOCK) */
    int32_t length;       /* elements of an array, 1 otherwise */
    int64_t fingerprint;  /* layout fingerprint, or the typecode of a primitive array/value */
    const char *layout;   /* the stored layout text (points into the region): NUL-terminated when ss_find */
    size_t layout_bytes;  /* checked it, within these bytes of its block; another process could rewrite it,
                             so read it as "%.*s" with this bound, never past it */
    ss_lock_t lock;
} ss_object;

/** Maps and validates a region file; 0, or -1 with a message naming the file in error. */
int ss_open(ss_region *region, const char *path, char *error, size_t error_size);

/**
 * How long ss_find waits for the region lock (which every holder keeps for microseconds) before
 * it gives up with -1: a stuck holder, or an owner word forged to name a live process, would
 * otherwise block it for good. Define it before including this header to change it.
 */
#ifndef SS_REGION_LOCK_TIMEOUT_NS
#define SS_REGION_LOCK_TIMEOUT_NS (INT64_C(30) * 1000000000)
#endif

/**
 * Finds the object named name. fingerprint != 0 is checked against the stored one; on a
 * mismatch the message names the fields that differ between the stored layout text and
 * expected_layout (when given); a struct whose stored size= differs from expected_layout's is
 * refused too, as the caller's struct would not fit. 0 when found, 1 when there is no such name, -1 on error
 * (including no region lock within SS_REGION_LOCK_TIMEOUT_NS).
 */
int ss_find(ss_region *region, const char *name, int64_t fingerprint, const char *expected_layout, ss_object *object,
        char *error, size_t error_size);

/**
 * Acquires the lock (reentrant per thread): SS_ACQUIRED or SS_OWNER_DIED; or SS_FREED, without
 * the lock, when a Java process freed the object the lock was found with (before the call, or
 * while this thread waited): the cell is free-list memory now, and is left as it was found; or
 * SS_TOO_MANY_HOLDS, without a new hold, to a thread that holds the lock with INT32_MAX
 * re-entries recorded already (or a corrupt count that reads so).
 */
int ss_lock(ss_lock_t *lock);

/**
 * As ss_lock, giving up after timeout_ns (negative, or too far for the monotonic clock to hold
 * the deadline: never): SS_ACQUIRED, SS_OWNER_DIED, SS_TIMED_OUT, SS_FREED or SS_TOO_MANY_HOLDS.
 */
int ss_timed_lock(ss_lock_t *lock, int64_t timeout_ns);

/** Releases one hold: SS_ACQUIRED (0) or SS_NOT_OWNER. */
int ss_unlock(ss_lock_t *lock);

/** This thread's owner token: process id << 32 | thread id. */
int64_t ss_thread_token(void);

/**
 * The lock whose cell starts the payload at cell_offset of region, made with generation (of that
 * payload's block, as found): with the block's bit in the block-start map, so that a claim also
 * refuses once no block starts there. For cells found by other means than ss_find; the caller
 * checks that cell_offset is a payload offset in the region.
 */
ss_lock_t ss_lock_at(const ss_region *region, int64_t cell_offset, int64_t generation);

void ss_close(ss_region *region);

#ifdef __cplusplus
}
#endif

/* ---- implementation ---- */
#ifdef SHAREDSTRUCT_IMPLEMENTATION

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SS_AT(region_base, offset, type) ((type *)((region_base) + (offset)))

static int64_t ss__get64(const unsigned char *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}

static int32_t ss__get32(const unsigned char *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

static int16_t ss__get16(const unsigned char *p) {
    int16_t v;
    memcpy(&v, p, 2);
    return v;
}

static void ss__fail(char *error, size_t size, const char *format, const char *a, const char *b) {
    if (error != NULL && size > 0) {
        snprintf(error, size, format, a, b);
    }
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void ss__failf(char *error, size_t size, const char *format, ...) {
    if (error != NULL && size > 0) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(error, size, format, arguments);
        va_end(arguments);
    }
}

/* ---- process identity ---- */

static _Thread_local int64_t ss__token;
static _Thread_local unsigned ss__token_epoch;
static atomic_uint ss__fork_epoch = 1;
static int64_t ss__start_time = -1;
static pthread_once_t ss__once = PTHREAD_ONCE_INIT;

static void ss__after_fork(void) {
    atomic_fetch_add(&ss__fork_epoch, 1);
    ss__start_time = -1;
}

/**
 * {state, start time, threads} from /proc/PID/stat (fields 3, 22 and 20); 0 when there is no such
 * process, -1 without /proc.
 */
static int ss__stat(long pid, char *state, int64_t *start, long *threads) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        return access("/proc/self", F_OK) == 0 ? 0 : -1;
    }
    char text[1024];
    size_t n = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[n] = 0;
    /* "pid (command) state ...": the command may hold spaces and parentheses. */
    char *close = strrchr(text, ')');
    if (close == NULL || close[1] == 0) {
        return -1;
    }
    char *field = close + 2;
    *state = field[0];
    *threads = 0;
    for (int i = 0; i < 19 && field != NULL; i++) {
        field = strchr(field, ' ');
        if (field != NULL) {
            field++;
            if (i == 16) {
                *threads = strtol(field, NULL, 10); /* field 20, num_threads */
            }
        }
    }
    *start = field == NULL ? 0 : strtoll(field, NULL, 10);
    return 1;
}

static void ss__init_once(void) {
    pthread_atfork(NULL, NULL, ss__after_fork);
}

static int64_t ss__own_start_time(void) {
    if (ss__start_time < 0) {
        char state;
        int64_t start = 0;
        long threads;
        ss__start_time = ss__stat((long)getpid(), &state, &start, &threads) == 1 ? start : 0;
    }
    return ss__start_time;
}

int64_t ss_thread_token(void) {
    unsigned epoch = atomic_load_explicit(&ss__fork_epoch, memory_order_relaxed);
    if (ss__token == 0 || ss__token_epoch != epoch) {
        pthread_once(&ss__once, ss__init_once);
        /* The thread part has 31 bits: bit 31 of an owner word is the hand-off request. */
        ss__token = ((int64_t)getpid() << 32) | ((int64_t)syscall(SYS_gettid) & INT64_C(0x7FFFFFFF));
        ss__token_epoch = atomic_load_explicit(&ss__fork_epoch, memory_order_relaxed);
    }
    return ss__token;
}

/* ---- the lock protocol (docs/LOCK.md) ---- */

static _Atomic int64_t *ss__owner(ss_lock_t *lock) {
    return (_Atomic int64_t *)(void *)(lock->cell + SS_LOCK_OWNER);
}

static _Atomic int32_t *ss__int(ss_lock_t *lock, int offset) {
    return (_Atomic int32_t *)(void *)(lock->cell + offset);
}

static _Atomic int64_t *ss__start(ss_lock_t *lock) {
    return (_Atomic int64_t *)(void *)(lock->cell + SS_LOCK_OWNER_START);
}

static int64_t ss__now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void ss__futex_wake(_Atomic int32_t *word, int count) {
    /* Not FUTEX_PRIVATE: waiters and wakers are in different processes. */
    syscall(SYS_futex, (void *)word, FUTEX_WAKE, count, NULL, NULL, 0);
}

static void ss__futex_wait(_Atomic int32_t *word, int32_t seen, int64_t nanos) {
    struct timespec timeout = {(time_t)(nanos / 1000000000), (long)(nanos % 1000000000)};
    syscall(SYS_futex, (void *)word, FUTEX_WAIT, seen, &timeout, NULL, 0);
}

/*
 * Whether the block the cell starts was freed (or freed and reused) since the lock was found:
 * its generation word, 48 bytes before the cell (docs/LOCK.md "Freeing a block with a lock
 * cell"). Java's free claims the lock before it frees, and never frees a held lock, so a claim
 * checked after its compare-and-set holds a live block for the whole hold.
 */
static int ss__freed(ss_lock_t *lock) {
    return lock->generation != 0
            && (atomic_load((_Atomic int64_t *)(void *)(lock->cell - SS_BLOCK_HEADER + SS_BLK_GENERATION)) != lock->generation
                || (lock->start_word != NULL
                        && (atomic_load((_Atomic uint64_t *)(void *)lock->start_word) & lock->start_bit) == 0));
}

/* The owner word of this lock when nobody holds it: SS_LOCK_FREE of the generation it was found with. */
static int64_t ss__free_word(const ss_lock_t *lock) {
    return SS_LOCK_FREE(lock->generation);
}

/* Whether word can be an owner token, with or without the hand-off bit: a pid of 1 to 2^22 and a thread part. */
static int ss__is_token(int64_t word) {
    int64_t token = word & ~SS_LOCK_HANDOFF;
    uint64_t pid = (uint64_t)token >> 32;
    return pid > 0 && pid <= (uint64_t)SS_LOCK_MAX_PID && (token & INT64_C(0x7FFFFFFF)) != 0;
}

/*
 * Whether a claim that found word where it wanted this lock's free word should give up with
 * SS_FREED: a token, RESERVED and the free word are a lock's; anything else (free list links, -1
 * at a bin's end, a new object's bytes, the free word of a later generation) is freed memory, or
 * a corrupt owner, which only the block's generation tells apart, so it is looked at before any
 * wait (and before a takeover of a "corrupt" owner writes there).
 */
static int ss__found_freed(ss_lock_t *lock, int64_t word) {
    return !ss__is_token(word) && word != SS_LOCK_RESERVED && word != ss__free_word(lock) && ss__freed(lock);
}

/*
 * Claims the lock by CAS(owner, expected, me): 1 claimed, 0 not (the word was not expected),
 * -1 the block was freed. A cell found freed is not tried; one freed under a successful claim
 * (its owner word a free list link, or a new object's word, that read expected: RESERVED and a
 * dead owner's token carry no generation) gets back the word it had, and the owner-private
 * words are not written: they are links, or the new object's, too.
 */
static int ss__claim(ss_lock_t *lock, int64_t expected, int64_t me) {
    if (ss__freed(lock)) {
        return -1;
    }
    if (!atomic_compare_exchange_strong(ss__owner(lock), &expected, me)) {
        return 0;
    }
    if (ss__freed(lock)) {
        int64_t mine = me;
        atomic_compare_exchange_strong(ss__owner(lock), &mine, expected);
        return -1;
    }
    return 1;
}

static void ss__claimed(ss_lock_t *lock) {
    /* A claim resets every owner-private word, so a dead owner's leftovers never count. */
    _Atomic int32_t *extra = ss__int(lock, SS_LOCK_EXTRA_HOLDS);
    if (atomic_load_explicit(extra, memory_order_relaxed) != 0) {
        atomic_store_explicit(extra, 0, memory_order_relaxed);
    }
    int64_t start = ss__own_start_time();
    if (atomic_load_explicit(ss__start(lock), memory_order_relaxed) != start) {
        atomic_store_explicit(ss__start(lock), start, memory_order_relaxed);
    }
}

/*
 * Looks before the compare-and-set, so that a waiter does not pull the line from the holder for
 * nothing. 1 taken, 0 not, -1 the block was freed (see ss__claim).
 */
static int ss__try_take_free(ss_lock_t *lock, int64_t me) {
    int64_t free_word = ss__free_word(lock);
    if (atomic_load_explicit(ss__owner(lock), memory_order_relaxed) != free_word) {
        return 0;
    }
    int claimed = ss__claim(lock, free_word, me);
    if (claimed > 0) {
        ss__claimed(lock);
    }
    return claimed;
}

/* One more hold in extra_holds; refused at INT32_MAX (as the Java runtime refuses): holds + 1 would overflow. */
static int ss__reenter(ss_lock_t *lock) {
    _Atomic int32_t *extra = ss__int(lock, SS_LOCK_EXTRA_HOLDS);
    int32_t holds = atomic_load_explicit(extra, memory_order_relaxed);
    if (holds == INT32_MAX) {
        return SS_TOO_MANY_HOLDS;
    }
    atomic_store_explicit(extra, (holds < 0 ? 0 : holds) + 1, memory_order_relaxed);
    return SS_ACQUIRED;
}

/* The count word started again from seen: count 0, the next generation. */
static uint32_t ss__restarted(uint32_t seen) {
    /* Generation 0 is never started again: a live cell of a block never reads it (see ss__register). */
    uint32_t next = ((seen >> 16) + 1) & 0xFFFF;
    return (next == 0 ? 1 : next) << 16;
}

/* Sets the waiter count to 0 in the next generation, unless it changed from seen. */
static void ss__restart_count(ss_lock_t *lock, uint32_t seen) {
    int32_t expected = (int32_t)seen;
    atomic_compare_exchange_strong(ss__int(lock, SS_LOCK_WAITERS), &expected, (int32_t)ss__restarted(seen));
}

/* What ss__register and ss__renew return when the cell's block was freed. */
#define SS__GONE UINT32_MAX

/*
 * Registers one waiter by compare-and-set from the count it read, never a blind add: a cell of
 * a block starts at a count generation that is not 0 (1 + the block's generation mod 65535) and
 * never goes back to 0, while freed memory often reads generation 0 there (the high half of a
 * free block's prev link), so a registration racing with a free fails instead of writing there;
 * one that succeeds looks at the block right after, and takes its +1 back if the block was freed
 * (docs/LOCK.md "waiters"). Returns the generation it registered in, or SS__GONE when the block
 * was freed.
 */
static uint32_t ss__register(ss_lock_t *lock) {
    _Atomic int32_t *waiters = ss__int(lock, SS_LOCK_WAITERS);
    for (;;) {
        int32_t seen = atomic_load(waiters);
        uint32_t count = (uint32_t)seen;
        if (ss__freed(lock)) {
            return SS__GONE;
        }
        /* 65,535 waiters already, or a corrupt count: start again rather than carry into the generation. */
        int restart = (count & SS_LOCK_COUNT_MASK) == SS_LOCK_COUNT_MASK;
        uint32_t next = restart ? ss__restarted(count) : count + 1;
        if (atomic_compare_exchange_strong(waiters, &seen, (int32_t)next)) {
            if (ss__freed(lock)) {
                /* Not a lock any more: take the change back, unless the new owner of the memory wrote there since. */
                int32_t changed = (int32_t)next;
                atomic_compare_exchange_strong(waiters, &changed, (int32_t)count);
                return SS__GONE;
            }
            if (!restart) {
                return count >> 16;
            }
        }
    }
}

/* Registers again when the count was started again (its waiters seemed gone); SS__GONE as ss__register. */
static uint32_t ss__renew(ss_lock_t *lock, uint32_t generation) {
    uint32_t now = (uint32_t)atomic_load(ss__int(lock, SS_LOCK_WAITERS));
    return (now >> 16) == generation ? generation : ss__register(lock);
}

/*
 * Leaves the count, never taking a place of another generation. A waiter that gives up holds
 * nothing that keeps the block from being freed once the count no longer holds it (it was
 * started again), so a -1 that lands after a free is taken back, as ss__register does its +1.
 */
static void ss__unregister(ss_lock_t *lock, uint32_t generation) {
    _Atomic int32_t *waiters = ss__int(lock, SS_LOCK_WAITERS);
    for (int i = 0; i < 1000; i++) {
        int32_t now = atomic_load(waiters);
        if (((uint32_t)now >> 16) != generation || ((uint32_t)now & SS_LOCK_COUNT_MASK) == 0) {
            return;
        }
        if (atomic_compare_exchange_strong(waiters, &now, now - 1)) {
            if (ss__freed(lock)) {
                int32_t left = now - 1;
                atomic_compare_exchange_strong(waiters, &left, now);
            }
            return;
        }
    }
}

/* A waiter got the lock: the wake-up on its way (if any) has done its job. */
static void ss__end_wake_up(ss_lock_t *lock) {
    _Atomic int32_t *wakeups = ss__int(lock, SS_LOCK_WAKEUPS);
    int32_t word = atomic_load(wakeups);
    if ((word & 1) != 0) {
        /* In unsigned arithmetic: the word wraps after 2^31 wake-ups, and INT32_MAX is odd. */
        atomic_compare_exchange_strong(wakeups, &word, (int32_t)((uint32_t)word + 1));
    }
}

/* Which lock this thread last found reserved, and since when (see ss__reservation_abandoned). */
static _Thread_local unsigned char *ss__reserved_cell;
static _Thread_local int64_t ss__reserved_since;

/*
 * Whether the owner word this thread just read (word) is a reservation it has seen stand for
 * 100 ms: its long waiters are gone (killed while they waited), and anyone may take it (docs/LOCK.md
 * "A reservation nobody takes"). Kept per thread and cell, across calls, as Java keeps it per
 * SharedLock object: a thread that only polls (ss_timed_lock with 0, or timeouts shorter than
 * 100 ms) would otherwise be refused for as long as nobody blocks on the lock. A look that finds
 * the lock not reserved forgets it.
 */
static int ss__reservation_abandoned(ss_lock_t *lock, int64_t word) {
    if (word != SS_LOCK_RESERVED) {
        if (ss__reserved_cell == lock->cell) {
            ss__reserved_cell = NULL;
        }
        return 0;
    }
    int64_t now = ss__now();
    if (ss__reserved_cell != lock->cell) {
        ss__reserved_cell = lock->cell;
        ss__reserved_since = now;
        return 0;
    }
    return now - ss__reserved_since >= SS_LOCK_ABANDONED_RESERVATION_NS;
}

/* Which lock this thread's releases last found a wake-up unanswered at, since when, how often. */
static _Thread_local unsigned char *ss__unanswered_cell;
static _Thread_local int64_t ss__unanswered_since;
static _Thread_local uint32_t ss__unanswered_releases;

/*
 * Announces a wake-up of one sleeper by making wakeups odd, unless one is already on its way;
 * returns whether the caller must then wake a sleeper (ss__futex_wake, which writes nothing).
 * Called while the cell is still the caller's to write: before the store that frees the lock
 * (see ss__free_cell). A wake-up that stays unanswered (no waiter took the lock) for 50 ms means
 * the registered waiters are likely gone (killed while asleep): the count is started again, and
 * live waiters register anew on their next look.
 */
static int ss__announce_wake_up(ss_lock_t *lock) {
    _Atomic int32_t *wakeups = ss__int(lock, SS_LOCK_WAKEUPS);
    int32_t word = atomic_load(wakeups);
    if ((word & 1) == 0) {
        ss__unanswered_cell = NULL;
        return atomic_compare_exchange_strong(wakeups, &word, word + 1);
    }
    if (ss__unanswered_cell != lock->cell) {
        ss__unanswered_cell = lock->cell;
        ss__unanswered_since = ss__now();
        ss__unanswered_releases = 0;
    } else if ((++ss__unanswered_releases & 63) == 0 && ss__now() - ss__unanswered_since > SS_LOCK_STALE_WAKE_UP_NS) {
        ss__restart_count(lock, (uint32_t)atomic_load(ss__int(lock, SS_LOCK_WAITERS)));
        ss__unanswered_cell = NULL;
    }
    return 0;
}

/*
 * Frees the lock, or hands it to a long waiter that asked for it, and wakes a sleeper if any.
 * With no waiter registered there is nobody to wake and no hand-off request to honour (only a
 * registered waiter asks): one release store. No full fence: a waiter registering at that very
 * moment may miss its wake-up and finds the lock free at its next look, within
 * SS_LOCK_MAX_SLEEP_NS (docs/LOCK.md "Releasing the lock").
 *
 * Nothing of the cell is written after the store that gives the lock up: from then on a waiter
 * may take and release it, and a Java process free the block and reuse its memory, before this
 * thread's next instruction. So the wake-up is announced in wakeups while the lock is held, and
 * only FUTEX_WAKE, which writes no memory, comes after the store.
 */
static void ss__free_cell(ss_lock_t *lock) {
    if (((uint32_t)atomic_load_explicit(ss__int(lock, SS_LOCK_WAITERS), memory_order_relaxed) & SS_LOCK_COUNT_MASK) == 0) {
        atomic_store_explicit(ss__owner(lock), ss__free_word(lock), memory_order_release);
        return;
    }
    if ((atomic_load_explicit(ss__owner(lock), memory_order_relaxed) & SS_LOCK_HANDOFF) != 0) {
        atomic_fetch_add(ss__int(lock, SS_LOCK_WAKEUPS), 2);
        atomic_store(ss__owner(lock), SS_LOCK_RESERVED);
        ss__futex_wake(ss__int(lock, SS_LOCK_WAKEUPS), INT32_MAX);
        return;
    }
    int wake = ss__announce_wake_up(lock);
    atomic_store_explicit(ss__owner(lock), ss__free_word(lock), memory_order_release);
    if (wake) {
        ss__futex_wake(ss__int(lock, SS_LOCK_WAKEUPS), 1);
    }
}

/*
 * A long waiter gives up: take its hand-off request back, or free a lock already reserved (with
 * its wake-up announced before, as a release does; see ss__free_cell). Only a token's request: a
 * word with bit 31 that is no token is not a request this waiter made. Called while the waiter
 * is still counted, which keeps a Java free from freeing the block meanwhile.
 */
static void ss__withdraw_hand_off(ss_lock_t *lock) {
    int64_t word = atomic_load(ss__owner(lock));
    if (word == SS_LOCK_RESERVED) {
        int wake = ss__announce_wake_up(lock);
        if (atomic_compare_exchange_strong(ss__owner(lock), &word, ss__free_word(lock)) && wake) {
            ss__futex_wake(ss__int(lock, SS_LOCK_WAKEUPS), 1);
        }
    } else if ((word & SS_LOCK_HANDOFF) != 0 && ss__is_token(word)) {
        atomic_compare_exchange_strong(ss__owner(lock), &word, word & ~SS_LOCK_HANDOFF);
    }
}

/*
 * A long waiter asks the owner (word, a token without the request) to hand the lock over on
 * release: 1 asked, 0 not (the word changed), -1 the block was freed. Like a claim it is
 * checked after its compare-and-set: a free and a reuse between this round's look at the
 * generation and the read of word may have left a new object's bytes there, which get back
 * what they had.
 */
static int ss__ask_hand_off(ss_lock_t *lock, int64_t word) {
    int64_t seen = word;
    if (!atomic_compare_exchange_strong(ss__owner(lock), &seen, word | SS_LOCK_HANDOFF)) {
        return 0;
    }
    if (ss__freed(lock)) {
        int64_t asked = word | SS_LOCK_HANDOFF;
        atomic_compare_exchange_strong(ss__owner(lock), &asked, word);
        return -1;
    }
    return 1;
}

/* What one waiter has seen of the owner's process: a reused pid is judged over a second. */
typedef struct {
    int64_t next_check, owner, other_since, other_owner, other_start;
} ss__watch;

static int ss__owner_is_gone(ss_lock_t *lock, ss__watch *watch, int64_t now) {
    if (now - watch->next_check < 0) {
        return 0;
    }
    watch->next_check = now + SS_LOCK_OWNER_CHECK_NS;
    watch->owner = atomic_load(ss__owner(lock));
    if (watch->owner == ss__free_word(lock) || watch->owner == SS_LOCK_RESERVED) {
        return 0; /* nobody owns it */
    }
    int64_t token = watch->owner & ~SS_LOCK_HANDOFF;
    long pid = (long)((uint64_t)token >> 32);
    if (pid <= 0 || pid > SS_LOCK_MAX_PID || (token & INT64_C(0x7FFFFFFF)) == 0) {
        return 1; /* no process could have written this word: take it over rather than wait forever */
    }
    if (pid == (long)getpid()) {
        return 0; /* a thread of this process that died holding the lock cannot be told from a slow one */
    }
    int64_t recorded = atomic_load(ss__start(lock));
    char state = 'R';
    int64_t start = 0;
    long threads = 0;
    int found = ss__stat(pid, &state, &start, &threads);
    /* A zombie with threads left is a process whose main thread ended (pthread_exit) and that lives on in
       its other threads, one of which may be the owner: only a zombie of one thread (or none) is dead. */
    if (found == 0 || (found == 1 && (state == 'X' || (state == 'Z' && threads <= 1)))) {
        return 1;
    }
    if (found < 0 || recorded == 0 || start == recorded) {
        watch->other_owner = 0;
        return 0;
    }
    if (watch->owner != watch->other_owner || recorded != watch->other_start) {
        watch->other_owner = watch->owner;
        watch->other_start = recorded;
        watch->other_since = now;
    }
    return now - watch->other_since >= SS_LOCK_REUSED_PID_GRACE_NS;
}

/* 1 taken over, 0 not (the owner changed), -1 the block was freed (see ss__claim). */
static int ss__take_over(ss_lock_t *lock, int64_t dead, int64_t me) {
    int claimed = ss__claim(lock, dead, me);
    if (claimed <= 0) {
        return claimed;
    }
    atomic_store_explicit(ss__int(lock, SS_LOCK_EXTRA_HOLDS), 0, memory_order_relaxed);
    atomic_store(ss__start(lock), ss__own_start_time());
    atomic_fetch_add(ss__int(lock, SS_LOCK_RECOVERIES), 1);
    return 1;
}

/*
 * Whether the owner word turns free within a short spin. A waiter that read wakeups odd may have
 * read it between a release's announcement of its wake-up and its store of the free word; if it
 * slept now, the FUTEX_WAKE could come first and it would sleep the whole 1 ms while the lock is
 * free (docs/LOCK.md "wakeups").
 */
static int ss__freed_soon(ss_lock_t *lock) {
    for (int i = 0, pause = 1; i < SS_LOCK_SPINS; i += pause, pause = pause * 2 > SS_LOCK_MAX_PAUSE ? SS_LOCK_MAX_PAUSE : pause * 2) {
        if (atomic_load(ss__owner(lock)) == ss__free_word(lock)) {
            return 1;
        }
        for (int p = 0; p < pause; p++) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
    }
    return 0;
}

/*
 * Spins a little, then sleeps on the wakeups word in slices of at most 1 ms (docs/LOCK.md "Taking
 * the lock"). Gives up with SS_FREED when the block was freed, looking before it registers and at
 * every round: it then leaves the waiter count and the owner word alone, as they are free list
 * links now.
 */
static int ss__acquire_slowly(ss_lock_t *lock, int64_t me, int64_t deadline) {
    for (int i = 0, pause = 1; i < SS_LOCK_SPINS; i += pause, pause = pause * 2 > SS_LOCK_MAX_PAUSE ? SS_LOCK_MAX_PAUSE : pause * 2) {
        int taken = ss__try_take_free(lock, me);
        if (taken != 0) {
            return taken > 0 ? SS_ACQUIRED : SS_FREED;
        }
        for (int p = 0; p < pause; p++) {
#if defined(__x86_64__) || defined(__i386__)
            __builtin_ia32_pause();
#endif
        }
    }
    if (ss__freed(lock)) {
        return SS_FREED;
    }
    _Atomic int32_t *wakeups = ss__int(lock, SS_LOCK_WAKEUPS);
    uint32_t generation = ss__register(lock);
    if (generation == SS__GONE) {
        return SS_FREED;
    }
    int64_t since = ss__now();
    int asked_for_hand_off = 0;
    ss__watch watch = {since + SS_LOCK_OWNER_CHECK_NS, 0, 0, 0, 0};
    int result;
    for (;;) {
        if (ss__freed(lock)) {
            /* Freed while this thread waited (free claimed the lock first): the cell is not a lock any more. */
            result = SS_FREED;
            break;
        }
        generation = ss__renew(lock, generation);
        if (generation == SS__GONE) {
            result = SS_FREED;
            break;
        }
        int32_t seen = atomic_load(wakeups);
        int64_t now = ss__now();
        int starving = now - since >= SS_LOCK_STARVING_NS;
        int64_t word = atomic_load(ss__owner(lock));
        int taken = 0;
        int abandoned = ss__reservation_abandoned(lock, word);
        if (word == SS_LOCK_RESERVED) {
            /* Reserved for long waiters; anyone may take it once they all seem to have left. */
            if (starving || abandoned) {
                taken = ss__claim(lock, word, me);
                if (taken > 0) {
                    ss__claimed(lock);
                }
            }
        } else {
            taken = ss__try_take_free(lock, me);
            if (taken == 0 && ss__found_freed(lock, word)) {
                taken = -1; /* not a lock's word, and the generation changed: freed (and maybe reused) */
            } else if (taken == 0 && starving && ss__is_token(word) && (word & SS_LOCK_HANDOFF) == 0) {
                /* Newcomers keep barging past: ask the owner to hand the lock over on release. */
                int asked = ss__ask_hand_off(lock, word);
                asked_for_hand_off |= asked > 0;
                taken = asked < 0 ? -1 : 0;
            }
        }
        if (taken != 0) {
            result = taken > 0 ? SS_ACQUIRED : SS_FREED;
            break;
        }
        if (deadline >= 0 && now - deadline >= 0) {
            result = SS_TIMED_OUT;
            break;
        }
        if (ss__owner_is_gone(lock, &watch, now)) {
            taken = ss__take_over(lock, watch.owner, me);
            if (taken != 0) {
                result = taken > 0 ? SS_OWNER_DIED : SS_FREED;
                break;
            }
        }
        if ((seen & 1) != 0 && ss__freed_soon(lock)) {
            continue;
        }
        int64_t sleep = SS_LOCK_MAX_SLEEP_NS;
        if (deadline >= 0 && deadline - now < sleep) {
            sleep = deadline - now;
        }
        ss__futex_wait(wakeups, seen, sleep);
    }
    if (result == SS_FREED || (result == SS_TIMED_OUT && ss__freed(lock))) {
        /* The waiter count and the owner word are free list links (or another object) now: leave without writing them. */
        return result;
    }
    if (result != SS_TIMED_OUT) {
        ss__end_wake_up(lock);
    }
    /* Withdraw while still counted: a registered waiter keeps a Java free from freeing the block. */
    if (result == SS_TIMED_OUT && asked_for_hand_off) {
        ss__withdraw_hand_off(lock);
    }
    if (!ss__freed(lock)) {
        ss__unregister(lock, generation);
    }
    return result;
}

int ss_timed_lock(ss_lock_t *lock, int64_t timeout_ns) {
    int64_t me = ss_thread_token();
    if (ss__freed(lock)) {
        return SS_FREED;
    }
    /* From this lock's free word: it succeeds only on the live cell of the generation the lock was found with. */
    int64_t free_word = ss__free_word(lock);
    int64_t witness = free_word;
    if (atomic_compare_exchange_strong(ss__owner(lock), &witness, me)) {
        if (ss__freed(lock)) {
            /* Not this lock's cell any more (a new object's bytes that read the free word): give them back. */
            int64_t mine = me;
            atomic_compare_exchange_strong(ss__owner(lock), &mine, free_word);
            return SS_FREED;
        }
        ss__claimed(lock);
        return SS_ACQUIRED;
    }
    /* Lost: the lock is held or reserved, or the cell is not this lock's any more (freed since the
       look above; its word, links or a new object's, may even look like this thread's token). */
    if (ss__freed(lock)) {
        return SS_FREED;
    }
    /* Bit 31 is a waiter's hand-off request, not part of the owner's token. */
    if ((witness & ~SS_LOCK_HANDOFF) == me) {
        return ss__reenter(lock);
    }
    if (ss__reservation_abandoned(lock, witness)) {
        int taken = ss__claim(lock, SS_LOCK_RESERVED, me);
        if (taken != 0) {
            if (taken > 0) {
                ss__claimed(lock);
            }
            return taken > 0 ? SS_ACQUIRED : SS_FREED;
        }
    }
    if (timeout_ns == 0) {
        return SS_TIMED_OUT;
    }
    /* A deadline past the clock's range (now + timeout_ns would overflow) is no deadline, as a negative timeout. */
    int64_t now = ss__now();
    return ss__acquire_slowly(lock, me, timeout_ns < 0 || timeout_ns > INT64_MAX - now ? -1 : now + timeout_ns);
}

int ss_lock(ss_lock_t *lock) {
    return ss_timed_lock(lock, -1);
}

int ss_unlock(ss_lock_t *lock) {
    int64_t me = ss_thread_token();
    if ((atomic_load_explicit(ss__owner(lock), memory_order_relaxed) & ~SS_LOCK_HANDOFF) != me) {
        return SS_NOT_OWNER;
    }
    _Atomic int32_t *extra = ss__int(lock, SS_LOCK_EXTRA_HOLDS);
    int32_t holds = atomic_load_explicit(extra, memory_order_relaxed);
    if (holds != 0) {
        /* A negative count is corrupt: reset it, and release rather than leave the lock wedged. */
        atomic_store_explicit(extra, holds > 0 ? holds - 1 : 0, memory_order_relaxed);
        if (holds > 0) {
            return SS_ACQUIRED;
        }
    }
    ss__free_cell(lock);
    return SS_ACQUIRED;
}

/* ---- regions ---- */

/* Payload bytes of the block-start map of a region of size bytes: a bit per 16 bytes of data, in whole words. */
static int64_t ss__starts_bytes(int64_t size) {
    int64_t bits = (size - SS_DATA_START) / SS_BLOCK_ALIGNMENT;
    return (bits + 63) / 64 * 8;
}

int ss_open(ss_region *region, const char *path, char *error, size_t error_size) {
    memset(region, 0, sizeof *region);
    region->fd = -1;
    snprintf(region->path, sizeof region->path, "%s", path);
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        ss__fail(error, error_size, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < SS_DATA_START) {
        ss__fail(error, error_size, "%s is not a sharedstruct region: %s", path, "not a regular file of at least 1280 bytes");
        close(fd);
        return -1;
    }
    unsigned char *base = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        ss__fail(error, error_size, "cannot map %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    region->base = base;
    region->size = (size_t)st.st_size;
    region->fd = fd;
    char detail[160];
    if ((uint64_t)ss__get64(base + SS_HDR_MAGIC) != SS_MAGIC) {
        ss__fail(error, error_size, "%s is not a sharedstruct region: %s", path, "it does not start with \"SHSTRUCT\"");
    } else if (atomic_load((_Atomic int32_t *)(void *)(base + SS_HDR_READY)) != 1) {
        ss__fail(error, error_size, "%s is not ready: %s", path, "its creator has not finished initialising it");
    } else if (ss__get32(base + SS_HDR_VERSION) != SS_FORMAT_VERSION) {
        snprintf(detail, sizeof detail, "format version %d, but this peer reads version %d", ss__get32(base + SS_HDR_VERSION),
                SS_FORMAT_VERSION);
        ss__fail(error, error_size, "%s is a region of %s", path, detail);
    } else if (ss__get64(base + SS_HDR_SIZE) != (int64_t)region->size) {
        snprintf(detail, sizeof detail, "its header says %lld bytes, the file has %lld", (long long)ss__get64(base + SS_HDR_SIZE),
                (long long)region->size);
        ss__fail(error, error_size, "%s has the wrong size: %s", path, detail);
    } else if ((int64_t)region->size < SS_DATA_START + SS_MIN_BLOCK || ss__get64(base + SS_HDR_STARTS) != SS_DATA_START + SS_BLOCK_HEADER
            || (uint16_t)ss__get16(base + SS_DATA_START + SS_BLK_STATE) != SS_STATE_ALLOCATED
            || (uint16_t)ss__get16(base + SS_DATA_START + SS_BLK_KIND) != SS_KIND_STARTS
            || ss__get64(base + SS_DATA_START + SS_BLK_SIZE) < SS_BLOCK_HEADER + ss__starts_bytes((int64_t)region->size)
            || ss__get64(base + SS_DATA_START + SS_BLK_SIZE) > (int64_t)region->size - SS_DATA_START) {
        ss__fail(error, error_size, "%s is corrupt: %s", path, "its first block is not the block-start map its size calls for");
    } else {
        return 0;
    }
    ss_close(region);
    return -1;
}

void ss_close(ss_region *region) {
    if (region->base != NULL) {
        munmap(region->base, region->size);
        region->base = NULL;
    }
    if (region->fd >= 0) {
        close(region->fd);
        region->fd = -1;
    }
}

/* The word of the block-start map (docs/FORMAT.md 3.3) that holds the bit of the block at offset block; *bit, that bit. */
static const unsigned char *ss__start_word(const ss_region *region, int64_t block, uint64_t *bit) {
    int64_t index = (block - SS_DATA_START) / SS_BLOCK_ALIGNMENT;
    *bit = UINT64_C(1) << (index & 63);
    return region->base + SS_DATA_START + SS_BLOCK_HEADER + (index >> 6) * 8;
}

/** The kind of the allocated block whose payload is at payload, or -1 when it is not one. */
static int ss__block_kind(const ss_region *region, int64_t payload) {
    /* Both words come from the file: range-check them before any arithmetic, which could overflow. */
    int64_t top = ss__get64(region->base + SS_HDR_TOP);
    if (top < SS_DATA_START || top > (int64_t)region->size || payload < SS_DATA_START + SS_BLOCK_HEADER || payload > top) {
        return -1;
    }
    int64_t block = payload - SS_BLOCK_HEADER;
    if (block % SS_BLOCK_ALIGNMENT != 0 || block > top - SS_MIN_BLOCK) {
        return -1;
    }
    int64_t size = ss__get64(region->base + block + SS_BLK_SIZE);
    if (size < SS_MIN_BLOCK || size % SS_BLOCK_ALIGNMENT != 0 || size > top - block
            || (uint16_t)ss__get16(region->base + block + SS_BLK_STATE) != SS_STATE_ALLOCATED) {
        return -1;
    }
    /* A header alone proves nothing: an object's bytes can hold a copy of one. The block-start
       map, which no view covers, must mark it too (docs/FORMAT.md 3.3). */
    uint64_t bit;
    const unsigned char *word = ss__start_word(region, block, &bit);
    if (((uint64_t)ss__get64(word) & bit) == 0) {
        return -1;
    }
    return (uint16_t)ss__get16(region->base + block + SS_BLK_KIND);
}

/*
 * The buckets of the name index of a region of size bytes: the largest power of two not above
 * size / 1024, at least 16 and at most 2^22 (docs/FORMAT.md 4.2). The header's count must be this
 * one: a forged smaller one would hide names, a larger one read past the index.
 */
static int64_t ss__index_buckets(int64_t size) {
    int64_t buckets = 16;
    while (buckets < (INT64_C(1) << 22) && buckets * 2 <= size / 1024) {
        buckets *= 2;
    }
    return buckets;
}

/** FNV-1a, 64 bits, of a name's bytes: the hash of the name index. */
static uint64_t ss__name_hash(const char *name, size_t length) {
    uint64_t hash = SS_FNV_OFFSET;
    for (size_t i = 0; i < length; i++) {
        hash = (hash ^ (unsigned char)name[i]) * SS_FNV_PRIME;
    }
    return hash;
}

/*
 * The payload size of a block ss__block_kind accepted, read again: another process may have
 * written the size word since, so it is checked again, against the mapping (-1 when it is less
 * than a block or runs past the end; every caller refuses a size that small).
 */
static int64_t ss__payload_size(const ss_region *region, int64_t payload) {
    int64_t block = payload - SS_BLOCK_HEADER;
    int64_t size = ss__get64(region->base + block + SS_BLK_SIZE);
    return size < SS_MIN_BLOCK || size > (int64_t)region->size - block ? -1 : size - SS_BLOCK_HEADER;
}

/* Bytes of one element of a primitive array or value of this typecode (docs/FORMAT.md); -1 for an unknown one. */
static int64_t ss__typecode_size(int64_t code) {
    switch (code) {
    case 'c': case 'b': case 'B': case '?':
        return 1;
    case 'h': case 'H':
        return 2;
    case 'i': case 'I': case 'f': case 'u':
        return 4;
    case 'l': case 'L': case 'q': case 'Q': case 'd':
        return 8;
    default:
        return -1;
    }
}

/*
 * The length of the layout item at item: up to its ';', a NUL or end, whichever comes first. A
 * stored text is walked only this way: another process can rewrite it between the check that it
 * is terminated and the walk, and strchr or strlen would then run on past its block.
 */
static size_t ss__item_length(const char *item, const char *end) {
    const char *at = item;
    while (at < end && *at != ';' && *at != 0) {
        at++;
    }
    return (size_t)(at - item);
}

/* The item after the one at item (length bytes long); NULL when that one ended at a NUL or at end. */
static const char *ss__next_item(const char *item, size_t length, const char *end) {
    const char *after = item + length;
    return after < end && *after == ';' ? after + 1 : NULL;
}

/*
 * The N of a layout text's "size=N" item (the last one, as Java reads it); -1 when there is none,
 * or N is not a number of at most limit (checked digit by digit, so it cannot overflow). The text
 * ends at its first NUL or after text_length bytes, whichever comes first.
 */
static int64_t ss__layout_size(const char *text, size_t text_length, int64_t limit) {
    int64_t size = -1;
    const char *end = text + text_length;
    for (const char *item = text; item != NULL;) {
        size_t length = ss__item_length(item, end);
        if (length >= 5 && strncmp(item, "size=", 5) == 0) {
            size = length > 5 ? 0 : -1;
            for (size_t i = 5; i < length && size >= 0; i++) {
                int digit = item[i] - '0';
                size = digit < 0 || digit > 9 || size > (limit - digit) / 10 ? -1 : size * 10 + digit;
            }
            if (size < 0) {
                return -1;
            }
        }
        item = ss__next_item(item, length, end);
    }
    return size;
}

/*
 * Appends "field f: region has A, yours B" for each field whose "name:type@offset" differs. The
 * stored text ends at its first NUL or after stored_length bytes; yours is a C string.
 */
static void ss__differences(const char *stored, size_t stored_length, const char *yours, char *out, size_t size) {
    size_t used = 0;
    out[0] = 0;
    const char *stored_end = stored + stored_length;
    const char *yours_end = yours + strnlen(yours, (size_t)SS_MAX_LAYOUT_BYTES); /* so that every length fits an int */
    for (int pass = 0; pass < 2; pass++) {
        const char *from = pass == 0 ? stored : yours;
        const char *from_end = pass == 0 ? stored_end : yours_end;
        const char *other = pass == 0 ? yours : stored;
        const char *other_end = pass == 0 ? yours_end : stored_end;
        for (const char *part = from; part != NULL;) {
            size_t length = ss__item_length(part, from_end);
            const char *colon = memchr(part, ':', length);
            if (colon == NULL) {
                colon = memchr(part, '=', length);
            }
            size_t name_length = colon == NULL ? length : (size_t)(colon - part);
            /* Look for the same field name in the other text. */
            const char *match = NULL;
            for (const char *o = other; o != NULL;) {
                size_t olength = ss__item_length(o, other_end);
                /* An item with neither ':' nor '=' (a corrupt text) matches nothing: it has no type to print. */
                if (colon != NULL && olength > name_length && strncmp(o, part, name_length) == 0
                        && (o[name_length] == ':' || o[name_length] == '=')) {
                    match = o;
                    if (pass == 0 && (olength != length || strncmp(o, part, length) != 0) && used < size) {
                        used += (size_t)snprintf(out + used, size - used, "%sfield %.*s is %.*s in the region but %.*s in yours",
                                used ? "; " : "", (int)name_length, part, (int)(length - name_length - 1), part + name_length + 1,
                                (int)(olength - name_length - 1), o + name_length + 1);
                    }
                    break;
                }
                o = ss__next_item(o, olength, other_end);
            }
            if (match == NULL && length > 0 && used < size) {
                used += (size_t)snprintf(out + used, size - used, "%sfield %.*s is only in %s", used ? "; " : "", (int)name_length,
                        part, pass == 0 ? "the region" : "yours");
            }
            part = ss__next_item(part, length, from_end);
        }
    }
    if (used == 0) {
        snprintf(out, size, "every field has the same type and offset, but the fingerprints differ");
    }
}

ss_lock_t ss_lock_at(const ss_region *region, int64_t cell_offset, int64_t generation) {
    ss_lock_t lock = {.cell = region->base + cell_offset, .generation = generation};
    lock.start_word = ss__start_word(region, cell_offset - SS_BLOCK_HEADER, &lock.start_bit);
    return lock;
}

int ss_find(ss_region *region, const char *name, int64_t fingerprint, const char *expected_layout, ss_object *object,
        char *error, size_t error_size) {
    size_t name_length = strlen(name);
    if (name_length == 0 || name_length >= SS_DIR_NAME_BYTES) {
        ss__fail(error, error_size, "name \"%s\" %s", name, "must be 1 to 127 bytes of UTF-8");
        return -1;
    }
    memset(object, 0, sizeof *object);
    ss_lock_t region_lock = {.cell = region->base + SS_HDR_LOCK}; /* never freed: generation 0, not checked */
    int64_t *repair_requested = (int64_t *)(void *)(region->base + SS_HDR_REPAIR_REQUESTED);
    int taken = ss_timed_lock(&region_lock, SS_REGION_LOCK_TIMEOUT_NS);
    if (taken != SS_ACQUIRED && taken != SS_OWNER_DIED) {
        /* Holds of the region lock are short: this long means a stuck holder, or a forged owner word. */
        int64_t owner = atomic_load((_Atomic int64_t *)(void *)(region->base + SS_HDR_LOCK));
        ss__failf(error, error_size, "gave up after %lld s waiting for the region lock of %s (its owner word names pid %lld):"
                " the holder is stuck, or the region is corrupt", (long long)(SS_REGION_LOCK_TIMEOUT_NS / 1000000000),
                region->path, (long long)(owner > 0 ? owner >> 32 : 0));
        return -1;
    }
    if (taken == SS_OWNER_DIED) {
        /* A peer does not repair (docs/FORMAT.md §4.5): it leaves the repair owed to the next Java process. */
        __atomic_store_n(repair_requested, 1, __ATOMIC_RELEASE);
    }
    /* While a repair is owed only the entry chain is true: walk it rather than the derived index. */
    int owed = __atomic_load_n(repair_requested, __ATOMIC_ACQUIRE) != 0;
    int result = 1;
    int64_t visited = 0;
    int64_t limit = (int64_t)region->size / SS_DIR_ENTRY_SIZE;
    /* The name index (docs/FORMAT.md "Finding a name"): checked before its bucket is read. */
    int64_t index = ss__get64(region->base + SS_HDR_INDEX);
    int64_t buckets = ss__get64(region->base + SS_HDR_INDEX_BUCKETS);
    uint64_t hash = ss__name_hash(name, name_length);
    int64_t first = 0;
    int64_t link = owed ? SS_DIR_NEXT : SS_DIR_HASH_NEXT;
    if (owed) {
        first = ss__get64(region->base + SS_HDR_DIRECTORY);
    } else if (ss__block_kind(region, index) != SS_KIND_INDEX || buckets != ss__index_buckets((int64_t)region->size)
            || ss__payload_size(region, index) / 8 < buckets) {
        ss__fail(error, error_size, "the name index of %s is corrupt%s", region->path, "");
        result = -1;
    } else {
        first = ss__get64(region->base + index + 8 * (int64_t)(hash & (uint64_t)(buckets - 1)));
    }
    for (int64_t entry = first; entry != 0; entry = ss__get64(region->base + entry + link)) {
        if (ss__block_kind(region, entry) != SS_KIND_DIRECTORY_ENTRY || ss__payload_size(region, entry) < SS_DIR_ENTRY_SIZE
                || ++visited > limit) {
            ss__fail(error, error_size, "the directory of %s is corrupt%s", region->path, "");
            result = -1;
            break;
        }
        const char *entry_name = (const char *)region->base + entry + SS_DIR_NAME;
        if ((!owed && (uint64_t)ss__get64(region->base + entry + SS_DIR_HASH) != hash)
                || strncmp(entry_name, name, SS_DIR_NAME_BYTES) != 0) {
            continue;
        }
        unsigned char *e = region->base + entry;
        int32_t entry_kind = ss__get32(e + SS_DIR_KIND);
        if (entry_kind < SS_KIND_STRUCT || entry_kind > SS_KIND_PRIMITIVE_VALUE) {
            /* Only objects have names: kind 6, 7 or 8 would make the name's own metadata its object. */
            ss__failf(error, error_size, "the directory entry \"%s\" of %s has kind %d, which is not an object's"
                    " (2 to 5): the region is corrupt", name, region->path, (int)entry_kind);
            result = -1;
            break;
        }
        int64_t block = ss__get64(e + SS_DIR_BLOCK);
        int64_t offset = ss__get64(e + SS_DIR_OBJECT);
        int64_t lock = ss__get64(e + SS_DIR_LOCK);
        int64_t layout = ss__get64(e + SS_DIR_LAYOUT);
        int block_kind = ss__block_kind(region, block);
        int own = block_kind >= 0 && (block_kind & SS_KIND_OWN_LOCK) != 0;
        int64_t lock_bytes = own ? SS_LOCK_CELL_SIZE : 0;
        int64_t generation = ss__get64(e + SS_DIR_GENERATION);
        /* The generation of the lock cell's block: the object's own, or its LOCK block's. */
        int64_t lock_generation = lock == 0 ? 0
                : lock == block ? generation
                : ss__block_kind(region, lock) == SS_KIND_LOCK ? ss__get64(region->base + lock - SS_BLOCK_HEADER + SS_BLK_GENERATION)
                : -1;
        if (block_kind < 0 || (block_kind & ~SS_KIND_OWN_LOCK) != ss__get32(e + SS_DIR_KIND) || offset != block + lock_bytes
                || generation <= 0 || ss__get64(region->base + block - SS_BLOCK_HEADER + SS_BLK_GENERATION) != generation
                || ss__block_kind(region, layout) != SS_KIND_TEXT
                || (lock != 0 && lock != block && ss__block_kind(region, lock) != SS_KIND_LOCK)
                || (lock == block && !own) || (lock != 0 && lock_generation <= 0)) {
            ss__fail(error, error_size, "the directory entry \"%s\" of %s names memory that does not hold it", name, region->path);
            result = -1;
            break;
        }
        if (lock != 0 && lock != block && ss__payload_size(region, lock) < SS_LOCK_CELL_SIZE) {
            /* A claim writes the whole cell: in a smaller block it would write the next block's header. */
            ss__failf(error, error_size, "the lock of \"%s\" in %s is in a block of %lld bytes, too small for a %d-byte lock cell:"
                    " the region is corrupt", name, region->path, (long long)ss__payload_size(region, lock), SS_LOCK_CELL_SIZE);
            result = -1;
            break;
        }
        int64_t text_size = ss__payload_size(region, layout);
        text_size = text_size < SS_MAX_LAYOUT_BYTES ? text_size : SS_MAX_LAYOUT_BYTES;
        if (text_size <= 0 || memchr(region->base + layout, 0, (size_t)text_size) == NULL) {
            ss__failf(error, error_size, "the layout text of \"%s\" in %s is not terminated within its block or its first %lld bytes",
                    name, region->path, (long long)SS_MAX_LAYOUT_BYTES);
            result = -1;
            break;
        }
        /* The object must fit its block after the own lock cell (docs/FORMAT.md "Checking an entry"):
           length elements of the typecode's size, or of the stored layout's size=, with no overflow. */
        int kind = ss__get32(e + SS_DIR_KIND);
        int32_t length = ss__get32(e + SS_DIR_LENGTH);
        int64_t code = ss__get64(e + SS_DIR_FINGERPRINT);
        int64_t available = ss__payload_size(region, block) - lock_bytes;
        int64_t element = kind == SS_KIND_STRUCT || kind == SS_KIND_STRUCT_ARRAY
                ? ss__layout_size((const char *)region->base + layout, (size_t)text_size, (int64_t)region->size)
                : ss__typecode_size(code);
        if (element < 0) {
            if (kind == SS_KIND_STRUCT || kind == SS_KIND_STRUCT_ARRAY) {
                ss__fail(error, error_size, "the layout text of \"%s\" in %s has no readable size", name, region->path);
            } else {
                ss__failf(error, error_size, "the directory entry \"%s\" of %s has an unknown typecode %lld", name,
                        region->path, (long long)code);
            }
            result = -1;
            break;
        }
        if (element >= 0 && expected_layout != NULL && (kind == SS_KIND_STRUCT || kind == SS_KIND_STRUCT_ARRAY)
                && (fingerprint == 0 || fingerprint == code)) {
            /* The caller's struct is what it reads and writes through object->data: its size, not
               the stored text's (which the fingerprint does not cover byte for byte), must fit. */
            int64_t yours = ss__layout_size(expected_layout, strnlen(expected_layout, (size_t)SS_MAX_LAYOUT_BYTES), INT64_MAX);
            if (yours != element) {
                ss__failf(error, error_size, "\"%s\" in %s is stored with size=%lld, but expected_layout says size=%lld:"
                        " the region is corrupt, or the layout is another struct's", name, region->path, (long long)element,
                        (long long)yours);
                result = -1;
                break;
            }
        }
        if (length < 1 || available < 0 || element > available / length) {
            ss__failf(error, error_size, "the directory entry \"%s\" of %s names a block too small for it: %d element(s) of %lld"
                    " bytes%s in a payload of %lld bytes", name, region->path, (int)length, (long long)element,
                    own ? " and a 32-byte lock cell" : "", (long long)(available + lock_bytes));
            result = -1;
            break;
        }
        object->data = region->base + offset;
        object->offset = offset;
        object->kind = kind;
        object->length = length;
        object->fingerprint = code;
        object->layout = (const char *)region->base + layout;
        object->layout_bytes = (size_t)text_size;
        if (lock != 0) {
            object->lock = ss_lock_at(region, lock, lock_generation);
        }
        if (fingerprint != 0 && fingerprint != object->fingerprint) {
            char differences[1024];
            if (expected_layout != NULL) {
                ss__differences(object->layout, object->layout_bytes, expected_layout, differences, sizeof differences);
            } else {
                snprintf(differences, sizeof differences, "its fingerprint differs");
            }
            char subject[300];
            snprintf(subject, sizeof subject, "\"%s\" in %s", name, region->path);
            ss__fail(error, error_size, "%s has another layout: %s", subject, differences);
            result = -1;
            break;
        }
        result = 0;
        break;
    }
    ss_unlock(&region_lock);
    if (result == 1) {
        ss__fail(error, error_size, "no object named \"%s\" in %s", name, region->path);
    }
    return result;
}

#endif /* SHAREDSTRUCT_IMPLEMENTATION */
#endif /* SHAREDSTRUCT_H */
