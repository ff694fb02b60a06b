/*
 * Locked increments per second: the sharedstruct C peer (ss_lock/ss_unlock on a counter a Java
 * process made, found by name) against glibc's robust, process-shared pthread mutex on a shared
 * mapping, with 1, 2 and 4 processes, alternating, best of 3 rounds; totals checked.
 * Usage: peer_vs_robust REGION OPS_PER_PROCESS
 */
#define _GNU_SOURCE
#define SHAREDSTRUCT_IMPLEMENTATION
#include "sharedstruct.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    pthread_mutex_t mutex;
    int64_t count;
    _Atomic int ready;
    _Atomic int go;
} robust_counter;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void robust_lock(pthread_mutex_t *mutex) {
    if (pthread_mutex_lock(mutex) == EOWNERDEAD) {
        pthread_mutex_consistent(mutex);
    }
}

/* Runs processes children, each ops increments, after a common start; returns increments per second. */
static double run(int peer, const char *path, robust_counter *shared, int processes, long ops) {
    atomic_store(&shared->ready, 0);
    atomic_store(&shared->go, 0);
    for (int p = 0; p < processes; p++) {
        if (fork() == 0) {
            char error[512];
            ss_region region;
            ss_object counter;
            if (peer && (ss_open(&region, path, error, sizeof error) != 0
                    || ss_find(&region, "counter", 0, NULL, &counter, error, sizeof error) != 0)) {
                fprintf(stderr, "%s\n", error);
                _exit(1);
            }
            atomic_fetch_add(&shared->ready, 1);
            while (!atomic_load(&shared->go)) {
            }
            for (long i = 0; i < ops; i++) {
                if (peer) {
                    ss_lock(&counter.lock);
                    (*(volatile int64_t *)counter.data)++;
                    ss_unlock(&counter.lock);
                } else {
                    robust_lock(&shared->mutex);
                    shared->count++;
                    pthread_mutex_unlock(&shared->mutex);
                }
            }
            _exit(0);
        }
    }
    while (atomic_load(&shared->ready) < processes) {
    }
    double began = now();
    atomic_store(&shared->go, 1);
    for (int p = 0; p < processes; p++) {
        int status;
        wait(&status);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "a worker failed\n");
            exit(1);
        }
    }
    return (double)processes * (double)ops / (now() - began);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REGION OPS_PER_PROCESS\n", argv[0]);
        return 2;
    }
    long ops = atol(argv[2]);
    char error[512];
    ss_region region;
    ss_object counter;
    if (ss_open(&region, argv[1], error, sizeof error) != 0 || ss_find(&region, "counter", 0, NULL, &counter, error, sizeof error) != 0) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    robust_counter *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&shared->mutex, &attributes);
    printf("| processes | sharedstruct C peer | glibc robust mutex | peer / mutex |\n|---|---:|---:|---:|\n");
    int counts[] = {1, 2, 4};
    for (int c = 0; c < 3; c++) {
        int processes = counts[c];
        double best_peer = 0, best_mutex = 0;
        for (int round = 0; round < 3; round++) {
            shared->count = 0;
            double mutex = run(0, argv[1], shared, processes, ops);
            *(volatile int64_t *)counter.data = 0;
            double peer = run(1, argv[1], shared, processes, ops);
            if (shared->count != processes * ops || *(volatile int64_t *)counter.data != processes * ops) {
                fprintf(stderr, "a total is wrong\n");
                return 1;
            }
            best_peer = peer > best_peer ? peer : best_peer;
            best_mutex = mutex > best_mutex ? mutex : best_mutex;
        }
        printf("| %d | %.1f M/s | %.1f M/s | %.2f× |\n", processes, best_peer / 1e6, best_mutex / 1e6, best_peer / best_mutex);
    }
    ss_close(&region);
    return 0;
}
