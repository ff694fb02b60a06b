package dev.sharedstruct.tests;

import dev.sharedstruct.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests that each need a fresh region of 1 MiB, deleted afterwards. */
abstract class RegionTest {
    protected SharedMemory shm;

    @BeforeEach
    void openRegion() {
        shm = SharedMemory.create(1 << 20);
    }

    @AfterEach
    void closeRegion() {
        shm.close();
    }
}
