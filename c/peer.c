/*
 * A C peer process for tests, benchmarks and the example, on a named counter (a struct whose
 * first field is int64_t count) of a region file that Java or Python made.
 *
 *   peer increment REGION NAME COUNT          adds 1 to count COUNT times, under the lock
 *   peer hold REGION NAME                     takes the lock, writes count = -1, says "held", sleeps
 *   peer wait REGION NAME                     takes the lock, prints "previous_owner_died=B count=N"
 *   peer check REGION NAME FINGERPRINT LAYOUT finds NAME expecting that layout; prints the error if any
 *   peer bench REGION NAME COUNT              COUNT locked increments; prints increments per second
 *   peer busy REGION NAME READY MS            adds 1 to count under the lock, waits until count reaches
 *                                             READY, then for MS ms takes the lock over and over and keeps
 *                                             it 200 us each time; prints "longest=W acquisitions=N"
 *                                             (W: its longest wait for the lock, in ms)
 *   peer stale REGION NAME MS                 finds NAME, says "found", reads a line from its input, then
 *                                             tries the lock for up to MS ms and prints the outcome:
 *                                             acquired, owner_died (then releases), timed_out or freed
 *   peer reenter REGION NAME EXTRA            takes the lock, forges extra_holds = EXTRA (as a corrupt or
 *                                             very deep count), takes it again and prints the outcome and
 *                                             extra_holds: "OUTCOME extra=N"
 *   peer timed REGION NAME NANOS              ss_timed_lock(NANOS) and ss_unlock, then ss_unlock once more:
 *                                             prints "OUTCOME unlock=U again=A" (U and A the results, as numbers)
 *   peer poll REGION NAME NANOS MS            ss_timed_lock(NANOS) every 2 ms until it takes the lock or MS ms
 *                                             passed; prints the last outcome and the ms it took: "OUTCOME N"
 *   peer orphan REGION NAME                   a second thread takes the lock, writes count = -1, says "held" and
 *                                             sleeps; the main thread ends (pthread_exit) once it has said so,
 *                                             so that the process lives on in that thread alone
 *   peer churn REGION NAME MS SEED            for MS ms takes the lock of NAME (a struct of int64_t count, mirror,
 *                                             inside) every way there is (ss_lock, ss_timed_lock for 0, a
 *                                             few ms, a negative time), re-enters it, and checks that nobody
 *                                             else is inside: inside is 0 and count == mirror on entry unless
 *                                             the lock was taken over (then repairs them), sometimes holding it
 *                                             a few ms; says "ready", then
 *                                             prints "ok N died D bad B timeouts T longest W" (W in ms)
 *   peer storm REGION CELLS THREADS           for the counters whose lock cells CELLS lists (a line
 *                                             "OFFSET GENERATION" each: an own lock, count right after
 *                                             it), says "ready", then THREADS threads take their locks
 *                                             over and over (ss_lock, or ss_timed_lock for 0 or 1 ms)
 *                                             and add 1 to count, each thread until every lock said
 *                                             SS_FREED; prints "other N" (outcomes that are none of
 *                                             acquired, timed_out, freed)
 *   peer layout-walk TEXT YOURS               puts TEXT, without a NUL, at the end of a page that an unreadable
 *                                             one follows (as a stored layout text is seen when another
 *                                             process removes its NUL during ss_find), reads its size= and
 *                                             its differences from YOURS as ss_find does: prints
 *                                             "size=N differences: D", or dies of SIGSEGV if a walk overran it
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -Werror -I c c/peer.c -o peer
 */
#define _GNU_SOURCE
#define SHAREDSTRUCT_IMPLEMENTATION
#include "sharedstruct.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static const char *outcome(int result) {
    switch (result) {
    case SS_ACQUIRED:
        return "acquired";
    case SS_OWNER_DIED:
        return "owner_died";
    case SS_TIMED_OUT:
        return "timed_out";
    case SS_FREED:
        return "freed";
    case SS_TOO_MANY_HOLDS:
        return "too_many_holds";
    default:
        return "unknown";
    }
}

/* The counters of the storm command, and what its threads saw that they should not have. */
static ss_lock_t *storm_locks;
static int storm_count;
static _Atomic long storm_other;

static void *storm_thread(void *arg) {
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    char *gone = calloc((size_t)storm_count, 1);
    int live = storm_count;
    while (gone != NULL && live > 0) {
        for (int i = storm_count - 1; i >= 0; i--) {
            if (gone[i]) {
                continue;
            }
            seed = seed * 1103515245u + 12345u;
            int how = (int)((seed >> 16) % 3);
            ss_lock_t *lock = &storm_locks[i];
            int result = how == 0 ? ss_lock(lock) : ss_timed_lock(lock, how == 1 ? 0 : 1000000);
            if (result == SS_ACQUIRED || result == SS_OWNER_DIED) {
                volatile int64_t *count = (volatile int64_t *)(void *)(lock->cell + SS_LOCK_CELL_SIZE);
                *count = *count + 1;
                ss_unlock(lock);
            }
            if (result == SS_FREED) {
                gone[i] = 1;
                live--;
            } else if (result != SS_ACQUIRED && result != SS_TIMED_OUT) {
                atomic_fetch_add(&storm_other, 1);
            }
        }
    }
    free(gone);
    return NULL;
}

/* The storm command: see the top of this file. */
static int storm(ss_region *region, const char *cells, int threads) {
    FILE *file = fopen(cells, "r");
    if (file == NULL) {
        perror(cells);
        return 1;
    }
    long long offset, generation;
    while (fscanf(file, "%lld %lld", &offset, &generation) == 2) {
        if (offset < SS_DATA_START || (size_t)offset + 2 * SS_LOCK_CELL_SIZE > region->size || offset % 8 != 0) {
            fprintf(stderr, "cell offset %lld is not in the region\n", offset);
            return 1;
        }
        storm_locks = realloc(storm_locks, sizeof *storm_locks * (size_t)(storm_count + 1));
        storm_locks[storm_count++] = ss_lock_at(region, offset, generation);
    }
    fclose(file);
    printf("ready\n");
    fflush(stdout);
    pthread_t ids[64];
    threads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
    for (int t = 0; t < threads; t++) {
        pthread_create(&ids[t], NULL, storm_thread, (void *)(uintptr_t)t);
    }
    for (int t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
    }
    printf("other %ld\n", atomic_load(&storm_other));
    free(storm_locks);
    return 0;
}

/* The orphan command's lock, object, and the word its thread sets once it holds the lock. */
static ss_lock_t *orphan_lock;
static void *orphan_data;
static _Atomic int orphan_held;

static void *orphan_thread(void *arg) {
    (void)arg;
    if (ss_lock(orphan_lock) == SS_FREED) {
        exit(1);
    }
    *(volatile int64_t *)orphan_data = -1;
    printf("held\n");
    fflush(stdout);
    atomic_store(&orphan_held, 1);
    sleep(3600);
    return NULL;
}

/* ss_lock, but a lock whose object a Java process freed ends the program: its memory is not the counter's any more. */
static int take(ss_lock_t *lock, const char *name) {
    int result = ss_lock(lock);
    if (result == SS_FREED) {
        fprintf(stderr, "%s was freed by another process\n", name);
        exit(1);
    }
    return result;
}

static int layout_walk(const char *text, const char *yours) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t length = strlen(text);
    if (length > page) {
        fprintf(stderr, "layout-walk: TEXT must fit in a page\n");
        return 2;
    }
    char *pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED || mprotect(pages + page, page, PROT_NONE) != 0) {
        perror("layout-walk");
        return 2;
    }
    char *stored = pages + page - length;
    memcpy(stored, text, length);
    char differences[1024];
    ss__differences(stored, length, yours, differences, sizeof differences);
    printf("size=%" PRId64 " differences: %s\n", ss__layout_size(stored, length, INT64_MAX), differences);
    munmap(pages, 2 * page);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "layout-walk") == 0) {
        return layout_walk(argv[2], argv[3]);
    }
    if (argc < 4) {
        fprintf(stderr, "usage: %s increment|hold|wait|check|bench|busy|stale|reenter|timed|poll|orphan|churn|storm REGION NAME [ARGS]\n", argv[0]);
        return 2;
    }
    const char *command = argv[1];
    char error[1024];
    ss_region region;
    if (ss_open(&region, argv[2], error, sizeof error) != 0) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    if (strcmp(command, "storm") == 0) {
        int failed = storm(&region, argv[3], argc > 4 ? atoi(argv[4]) : 3);
        ss_close(&region);
        return failed;
    }
    ss_object object;
    int64_t fingerprint = strcmp(command, "check") == 0 && argc > 5 ? (int64_t)strtoull(argv[4], NULL, 0) : 0;
    const char *layout = strcmp(command, "check") == 0 && argc > 5 ? argv[5] : NULL;
    if (ss_find(&region, argv[3], fingerprint, layout, &object, error, sizeof error) != 0) {
        printf("%s\n", error);
        ss_close(&region);
        return 1;
    }
    if (strcmp(command, "check") == 0) {
        printf("found %s: %.*s\n", argv[3], (int)strnlen(object.layout, object.layout_bytes), object.layout);
        ss_close(&region);
        return 0;
    }
    if (object.lock.cell == NULL || object.kind != SS_KIND_STRUCT) {
        fprintf(stderr, "%s is not a synchronized struct\n", argv[3]);
        return 1;
    }
    volatile int64_t *count = object.data;
    if (strcmp(command, "increment") == 0 || strcmp(command, "bench") == 0) {
        long n = atol(argc > 4 ? argv[4] : "0");
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (long i = 0; i < n; i++) {
            take(&object.lock, argv[3]);
            *count = *count + 1;
            ss_unlock(&object.lock);
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (strcmp(command, "bench") == 0) {
            double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
            printf("%.0f\n", (double)n / seconds);
        }
    } else if (strcmp(command, "hold") == 0) {
        take(&object.lock, argv[3]);
        *count = -1;
        printf("held\n");
        fflush(stdout);
        sleep(3600);
    } else if (strcmp(command, "wait") == 0) {
        int died = take(&object.lock, argv[3]) == SS_OWNER_DIED;
        int64_t found = *count;
        if (found == -1) {
            *count = 0;
        }
        ss_unlock(&object.lock);
        printf("previous_owner_died=%s count=%" PRId64 "\n", died ? "True" : "False", found);
    } else if (strcmp(command, "busy") == 0 && argc > 5) {
        take(&object.lock, argv[3]);
        *count = *count + 1;
        ss_unlock(&object.lock);
        while (*count < atol(argv[4])) {
            usleep(100);
        }
        int64_t end = ss__now() + (int64_t)atol(argv[5]) * 1000000;
        int64_t longest = 0;
        long acquisitions = 0;
        while (ss__now() < end) {
            int64_t asked = ss__now();
            take(&object.lock, argv[3]);
            int64_t got = ss__now();
            longest = got - asked > longest ? got - asked : longest;
            acquisitions++;
            while (ss__now() - got < 200000) {
                /* busy, as real work would be */
            }
            ss_unlock(&object.lock);
        }
        printf("longest=%" PRId64 " acquisitions=%ld\n", longest / 1000000, acquisitions);
    } else if (strcmp(command, "timed") == 0 && argc > 4) {
        int result = ss_timed_lock(&object.lock, (int64_t)strtoll(argv[4], NULL, 10));
        int unlocked = ss_unlock(&object.lock);
        printf("%s unlock=%d again=%d\n", outcome(result), unlocked, ss_unlock(&object.lock));
    } else if (strcmp(command, "poll") == 0 && argc > 5) {
        int64_t start = ss__now(), end = start + (int64_t)atol(argv[5]) * 1000000, longest = 0;
        int result;
        for (;;) {
            int64_t call = ss__now();
            result = ss_timed_lock(&object.lock, (int64_t)strtoll(argv[4], NULL, 10));
            int64_t took = ss__now() - call;
            longest = took > longest ? took : longest;
            if (result != SS_TIMED_OUT || ss__now() >= end) {
                break;
            }
            usleep(2000);
        }
        /* The longest single call too: one that lasted a starving waiter's 20 ms may take a reservation. */
        printf("%s %" PRId64 " %" PRId64 "\n", outcome(result), (ss__now() - start) / 1000000, longest / 1000000);
        if (result == SS_ACQUIRED || result == SS_OWNER_DIED) {
            ss_unlock(&object.lock);
        }
    } else if (strcmp(command, "orphan") == 0) {
        orphan_lock = &object.lock;
        orphan_data = object.data;
        pthread_t thread;
        pthread_create(&thread, NULL, orphan_thread, NULL);
        while (!atomic_load(&orphan_held)) {
            usleep(1000);
        }
        pthread_exit(NULL); /* /proc/PID/stat now says Z, while the process lives on in the holder */
    } else if (strcmp(command, "churn") == 0 && argc > 5) {
        if (strncmp(object.layout, "count:long@0;mirror:long@8;inside:long@16;", 42) != 0) {
            fprintf(stderr, "%s is not {count, mirror, inside}: %.*s\n", argv[3], (int)strnlen(object.layout, object.layout_bytes), object.layout);
            return 1;
        }
        volatile int64_t *mirror = count + 1, *inside = count + 2;
        int64_t me = ss_thread_token();
        unsigned seed = (unsigned)strtoul(argv[5], NULL, 10);
        long ok = 0, died = 0, bad = 0, timeouts = 0;
        int64_t longest = 0, end = ss__now() + (int64_t)atol(argv[4]) * 1000000;
        printf("ready\n");
        fflush(stdout);
        while (ss__now() < end) {
            seed = seed * 1103515245u + 12345u;
            int how = (int)((seed >> 16) % 4);
            int64_t asked = ss__now();
            int result = how == 0 ? ss_lock(&object.lock)
                    : how == 1 ? ss_timed_lock(&object.lock, 0)
                    : how == 2 ? ss_timed_lock(&object.lock, (int64_t)((seed >> 8) % 3000000))
                    : ss_timed_lock(&object.lock, -5);
            int64_t waited = ss__now() - asked;
            if (result == SS_TIMED_OUT && (how == 1 || how == 2)) {
                timeouts++;
                continue;
            }
            if (result != SS_ACQUIRED && result != SS_OWNER_DIED) {
                fprintf(stderr, "lock (how %d) said %s\n", how, outcome(result));
                bad++;
                continue;
            }
            longest = how != 1 && waited > longest ? waited : longest;
            if (result == SS_OWNER_DIED) {
                died++;
            } else if (*inside != 0 || *count != *mirror) {
                fprintf(stderr, "not alone: inside=%" PRId64 " count=%" PRId64 " mirror=%" PRId64 "\n", *inside, *count, *mirror);
                bad++;
            }
            *mirror = *count;
            *inside = me;
            *count = *count + 1;
            if ((seed >> 4) % 8 == 0) {
                int again = ss_timed_lock(&object.lock, (seed >> 5) % 2 ? 0 : -1);
                if (again != SS_ACQUIRED || ss_unlock(&object.lock) != SS_ACQUIRED) {
                    fprintf(stderr, "re-entry said %s\n", outcome(again));
                    bad++;
                }
            }
            for (int i = (int)((seed >> 12) % 2000); i > 0; i--) {
                if (*inside != me) {
                    break;
                }
            }
            if ((seed >> 20) % 8 == 0) {
                usleep(500 + (seed >> 3) % 2500); /* held a while: a kill lands here more often */
            }
            if (*inside != me) {
                fprintf(stderr, "somebody else came in: inside=%" PRId64 "\n", *inside);
                bad++;
            }
            *mirror = *mirror + 1;
            *inside = 0;
            ok++;
            if (ss_unlock(&object.lock) != SS_ACQUIRED) {
                fprintf(stderr, "unlock refused\n");
                bad++;
            }
        }
        printf("ok %ld died %ld bad %ld timeouts %ld longest %" PRId64 "\n", ok, died, bad, timeouts, longest / 1000000);
    } else if (strcmp(command, "reenter") == 0 && argc > 4) {
        take(&object.lock, argv[3]);
        _Atomic int32_t *extra = (_Atomic int32_t *)(void *)(object.lock.cell + SS_LOCK_EXTRA_HOLDS);
        atomic_store(extra, (int32_t)strtol(argv[4], NULL, 10));
        int result = ss_lock(&object.lock);
        printf("%s extra=%" PRId32 "\n", outcome(result), atomic_load(extra));
    } else if (strcmp(command, "stale") == 0 && argc > 4) {
        /* Keeps the lock found now while the test frees the object (or waits behind a holder). */
        printf("found\n");
        fflush(stdout);
        char line[16];
        if (fgets(line, sizeof line, stdin) == NULL) {
            return 1;
        }
        int result = ss_timed_lock(&object.lock, (int64_t)atol(argv[4]) * 1000000);
        if (result == SS_ACQUIRED || result == SS_OWNER_DIED) {
            ss_unlock(&object.lock);
        }
        printf("%s\n", outcome(result));
    } else {
        fprintf(stderr, "unknown command %s\n", command);
        return 2;
    }
    ss_close(&region);
    return 0;
}
