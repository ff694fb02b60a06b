/* The C side of the three-language example: finds the Java-made "tally" by name, checked against
   the header the processor generated from Tally.java, and adds 1 to it N times under its lock. */
#define SHAREDSTRUCT_IMPLEMENTATION
#include "sharedstruct.h"
#include "dev_sharedstruct_samples_Tally.h"   /* META-INF/sharedstruct/ in the samples jar */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    char error[1024];
    ss_region region;
    ss_object found;
    if (argc < 3 || ss_open(&region, argv[1], error, sizeof error) != 0
            || ss_find(&region, "tally", TALLY_FINGERPRINT, TALLY_LAYOUT, &found, error, sizeof error) != 0) {
        fprintf(stderr, "%s\n", argc < 3 ? "usage: tally REGION N" : error);
        return 1;
    }
    struct Tally *tally = found.data;
    for (long i = atol(argv[2]); i > 0; i--) {
        if (ss_lock(&found.lock) == SS_OWNER_DIED) {
            fprintf(stderr, "the previous holder died; count is %" PRId64 "\n", tally->count);
        }
        tally->count++;
        ss_unlock(&found.lock);
    }
    ss_lock(&found.lock);
    memset(tally->last, 0, sizeof tally->last);
    memcpy(tally->last, "c", 1);
    printf("C sees count=%" PRId64 " last=%s\n", tally->count, tally->last);
    ss_unlock(&found.lock);
    ss_close(&region);
    return 0;
}
