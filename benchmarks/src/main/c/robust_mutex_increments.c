/*
 * glibc's side of the comparison: N processes each do OPS increments of one counter under a
 * robust, process-shared pthread mutex (what a C programmer uses for sharedstruct's job:
 * cross-process, sleeping, recoverable when an owner dies).
 *
 * Same shape as the Java workers: each process reports ready, spins until the common start,
 * times its own loop; the slowest process ends the race.
 *
 * Usage: robust_mutex_increments PROCESSES OPS_PER_PROCESS
 * Prints: "<total> <seconds>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCESSES 64

#if defined(__x86_64__) || defined(__i386__)
#define CPU_RELAX() __builtin_ia32_pause()
#else
#define CPU_RELAX() ((void) 0)
#endif

struct shared {
    pthread_mutex_t mutex;
    int64_t counter;
    atomic_int ready;
    atomic_int go;
    int64_t nanos[MAX_PROCESSES];
};

static int64_t now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t) t.tv_sec * 1000000000 + t.tv_nsec;
}

static void lock(pthread_mutex_t *mutex) {
    int rc = pthread_mutex_lock(mutex);
    if (rc == EOWNERDEAD) {
        pthread_mutex_consistent(mutex);
    } else if (rc != 0) {
        fprintf(stderr, "pthread_mutex_lock: %d\n", rc);
        exit(1);
    }
}

static void increment(pthread_mutex_t *mutex, volatile int64_t *counter, long ops) {
    for (long i = 0; i < ops; i++) {
        lock(mutex);
        *counter = *counter + 1;
        pthread_mutex_unlock(mutex);
    }
}

static void work(struct shared *shared, int index, long ops) {
    /* Warm up on a mutex of its own, as the Java workers do on memory of their own. */
    pthread_mutex_t own;
    pthread_mutex_init(&own, NULL);
    int64_t own_counter = 0;
    increment(&own, &own_counter, ops < 2000000 ? ops : 2000000);
    atomic_fetch_add(&shared->ready, 1);
    while (atomic_load(&shared->go) == 0) {
        CPU_RELAX();
    }
    int64_t began = now_nanos();
    increment(&shared->mutex, &shared->counter, ops);
    shared->nanos[index] = now_nanos() - began;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s PROCESSES OPS_PER_PROCESS\n", argv[0]);
        return 2;
    }
    int processes = atoi(argv[1]);
    long ops = atol(argv[2]);
    if (processes < 1 || processes > MAX_PROCESSES || ops < 1) {
        fprintf(stderr, "processes must be 1..%d and ops at least 1\n", MAX_PROCESSES);
        return 2;
    }
    struct shared *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&shared->mutex, &attributes);
    for (int i = 0; i < processes; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            work(shared, i, ops);
            _exit(0);
        }
    }
    while (atomic_load(&shared->ready) < processes) {
        CPU_RELAX();
    }
    atomic_store(&shared->go, 1);
    int failed = 0;
    for (int i = 0; i < processes; i++) {
        int status;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed = 1;
        }
    }
    int64_t longest = 1;
    for (int i = 0; i < processes; i++) {
        longest = shared->nanos[i] > longest ? shared->nanos[i] : longest;
    }
    printf("%lld %.9f\n", (long long) shared->counter, longest / 1e9);
    return failed;
}
