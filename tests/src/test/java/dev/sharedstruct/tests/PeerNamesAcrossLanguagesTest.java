package dev.sharedstruct.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sharedstruct.SharedMemory;
import dev.sharedstruct.tests.PeerNameStructs.Names;
import dev.sharedstruct.tests.PeerNameStructs.__linux__;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PeerNameStructs}: fields and a struct named as Java allows but C or Python cannot take
 * as they are. Through the processor's header (with c/sharedstruct.h), its module and the dynamic
 * Python view, every field is read and written by the name docs/PEERS.md's rules give it, and
 * Java sees what each peer wrote in the right field.
 */
class PeerNamesAcrossLanguagesTest {
    /** The C names of Names' fields, in order (Java: from, __init__, __class__, __init_, __init$, errno, ...). */
    private static final List<String> C = List.of("from", "__init___", "__class___", "__init__", "__init____", "errno_",
            "_Pragma_", "__linux___", "SS_HDR_LOCK_", "linux_", "constexpr_", "_", "a_b", "a_b_", "_fields", "_fields_",
            "temp_rature");
    /** Their names in the generated module's ctypes class. */
    private static final List<String> PYTHON = List.of("from_", "__init___", "__class___", "__init_", "__init____", "errno",
            "_Pragma", "__linux___", "SS_HDR_LOCK", "linux", "constexpr", "_", "a_b", "a_b_", "_fields", "_fields__",
            "temp_rature");
    /** Their attributes in the synchronized view: the Java names, but a dunder gets _ after it. */
    private static final List<String> VIEW = List.of("from", "__init___", "__class___", "__init_", "__init$", "errno",
            "_Pragma", "__linux___", "SS_HDR_LOCK", "linux", "constexpr", "$", "a$b", "a_b", "_fields", "_fields$",
            "température");

    @TempDir
    Path directory;

    private static void write(Names n, int times) {
        n.from(times);
        n.__init__(2 * times);
        n.__class__(3 * times);
        n.__init_(4 * times);
        n.__init$(5 * times);
        n.errno(6 * times);
        n._Pragma(7 * times);
        n.__linux__(8 * times);
        n.SS_HDR_LOCK(9 * times);
        n.linux(10 * times);
        n.constexpr(11 * times);
        n.$(12 * times);
        n.a$b(13 * times);
        n.a_b(14 * times);
        n._fields(15 * times);
        n._fields$(16 * times);
        n.température(17 * times);
    }

    private static String read(Names n) {
        return IntStream.of(n.from(), n.__init__(), n.__class__(), n.__init_(), n.__init$(), n.errno(), n._Pragma(), n.__linux__(),
                n.SS_HDR_LOCK(), n.linux(), n.constexpr(), n.$(), n.a$b(), n.a_b(), n._fields(), n._fields$(), n.température())
                .mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    /** "k 2k 3k ... 17k": what each field holds when field i was written i * k. */
    private static String times(int k) {
        return IntStream.rangeClosed(1, 17).mapToObj(i -> Integer.toString(i * k)).collect(Collectors.joining(" "));
    }

    private static Path resources() {
        return Peers.repository().resolve("tests/target/test-classes/META-INF/sharedstruct");
    }

    /** The two named structs both peers read: every field of "names" written from 1, "linux" with x 5 and y 6. */
    private record Stored(Names names, __linux__ linux) {
        static Stored in(SharedMemory shm) {
            Names names = shm.findOrCreate("names", Names.class);
            write(names, 1);
            __linux__ linux = shm.findOrCreate("linux", __linux__.class);
            linux.any().x(5);
            linux.y(6);
            return new Stored(names, linux);
        }
    }

    @Test
    void theCPeerReadsAndWritesEveryFieldByItsCName() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Stored stored = Stored.in(shm);
            Names names = stored.names();
            __linux__ linux = stored.linux();
            StringBuilder program = new StringBuilder("""
                    #define SHAREDSTRUCT_IMPLEMENTATION
                    #include "sharedstruct.h"
                    #include "dev_sharedstruct_tests_PeerNameStructs_Names.h"
                    #include "dev_sharedstruct_tests_PeerNameStructs___linux__.h"
                    #include <stdio.h>
                    int main(int argc, char **argv) {
                        char error[1024]; ss_region region; ss_object found, other;
                        (void)argc;
                        if (ss_open(&region, argv[1], error, sizeof error) != 0
                                || ss_find(&region, "names", NAMES_FINGERPRINT, NAMES_LAYOUT, &found, error, sizeof error) != 0
                                || ss_find(&region, "linux", __LINUX____FINGERPRINT, __LINUX____LAYOUT, &other, error, sizeof error) != 0) {
                            puts(error);
                            return 1;
                        }
                        struct Names *n = found.data;
                        struct __linux___ *l = other.data;
                        ss_lock(&found.lock);
                    """);
            for (int i = 0; i < C.size(); i++) {
                program.append("    printf(\"%d \", (int)n->").append(C.get(i)).append(");\n");
                program.append("    n->").append(C.get(i)).append(" *= 10;\n");
            }
            program.append("""
                        ss_unlock(&found.lock);
                        printf("%d %d %zu\\n", (int)l->any.x, (int)l->y, sizeof(struct __linux____any_));
                        l->y = 60;
                        ss_close(&region);
                        return 0;
                    }
                    """);
            Path c = Files.writeString(directory.resolve("names.c"), program);
            Path binary = directory.resolve("names");
            for (String standard : List.of("c11", "gnu17")) {
                Peers.run(List.of("gcc", "-std=" + standard, "-Wall", "-Wextra", "-Werror", "-I",
                        Peers.repository().resolve("c").toString(), "-I", resources().toString(), c.toString(), "-o", binary.toString()));
            }
            assertEquals(times(1) + " 5 6 4", Peers.run(List.of(binary.toString(), shm.path().toString())).strip());
            assertEquals(times(10), read(names));
            assertEquals(60, linux.y());
        }
    }

    @Test
    void thePythonPeerReadsAndWritesEveryFieldThroughTheModuleAndTheView() throws Exception {
        try (SharedMemory shm = SharedMemory.create(1 << 16)) {
            Stored stored = Stored.in(shm);
            Names names = stored.names();
            __linux__ linux = stored.linux();
            String out = Peers.run(List.of("python3", "-c", """
                    import sys
                    sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
                    from sharedstruct import Region
                    from dev_sharedstruct_tests_PeerNameStructs_Names import Names
                    from dev_sharedstruct_tests_PeerNameStructs___linux__ import __linux___
                    python, view_names = sys.argv[4].split(","), sys.argv[5].split(",")
                    with Region.open(sys.argv[3]) as region:
                        for cls in (Names, None):
                            view = region.find("names", cls)
                            with view.get_lock():
                                raw = view.get_obj()
                                print(type(raw) is Names, *(getattr(raw, name) for name in python))
                                print(*(getattr(view, name) for name in view_names))
                        for i, name in enumerate(python):
                            setattr(raw, name, getattr(raw, name) * 10)
                        for i, name in enumerate(view_names):
                            setattr(view, name, getattr(view, name) * 10)
                        for cls in (__linux___, None):
                            linux = region.find("linux", cls)
                            print(linux.any.x, linux.y, linux.get_obj().any.x)
                        linux.y = 60
                    """, Peers.repository().resolve("python").toString(), resources().toString(), shm.path().toString(),
                    String.join(",", PYTHON), String.join(",", VIEW)));
            assertEquals("True " + times(1) + "\n" + times(1) + "\nFalse " + times(1) + "\n" + times(1) + "\n5 6 5\n5 6 5",
                    out.strip());
            assertEquals(times(100), read(names), "the module's and the view's writes, each in its field");
            assertEquals(60, linux.y());
        }
    }
}
