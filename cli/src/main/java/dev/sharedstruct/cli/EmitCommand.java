package dev.sharedstruct.cli;

import dev.sharedstruct.RegionInspector.NamedObject;
import dev.sharedstruct.processor.peers.CHeaderWriter;
import dev.sharedstruct.processor.peers.PeerDeclaration;
import dev.sharedstruct.processor.peers.PeerLanguage;
import dev.sharedstruct.processor.peers.PeerLiterals;
import dev.sharedstruct.processor.peers.PythonModuleWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code emit --lang c|python REGION NAME}: a C header or Python module declaring a named struct,
 * written from the layout the region stores (read-only: the region is not changed), for a C or
 * Python program that has no jar at hand to take the processor's generated ones from. The text is
 * the processor's (the same writers), but for the first line, which says where it came from.
 */
@Command(name = "emit", description = {"Writes a C header or a Python module declaring a named struct, from the layout the region stores.",
        "C: the struct with _Static_asserts on its size and every offset, <NAME>_FINGERPRINT and <NAME>_LAYOUT for ss_find.",
        "Python: a ctypes.Structure with FINGERPRINT and LAYOUT, for region.find(NAME, Cls)."})
final class EmitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--lang", required = true, paramLabel = "c|python", description = "The language: ${COMPLETION-CANDIDATES}.")
    PeerLanguage language;

    @Parameters(index = "0", paramLabel = "REGION", description = "The region file.")
    Path region;

    @Parameters(index = "1", paramLabel = "NAME", description = "The struct's (or struct array's) name.")
    String name;

    @Override
    public Integer call() {
        String source = Regions.inspect(region, inspector -> write(region, ShowCommand.find(inspector, name), language));
        spec.commandLine().getOut().print(source);
        spec.commandLine().getOut().flush();
        return Main.OK;
    }

    /** The source declaring {@code object}'s struct (an object of {@code region}) in {@code language}. */
    static String write(Path region, NamedObject object, PeerLanguage language) {
        if (!object.kind().startsWith("struct")) {
            throw new BadInput("\"" + object.name() + "\" is a " + object.kind() + " (" + object.type()
                    + "), not a struct: there is nothing to declare; C and Python peers find it by name without a type");
        }
        PeerDeclaration declaration = new PeerDeclaration(object.type(), object.fingerprint(), object.layout(),
                StoredPeers.of(CheckedLayout.of(region, object), object.name()));
        String origin = "Written by sharedstruct emit from the layout of \"" + PeerLiterals.shown(object.name()) + "\" ("
                + PeerLiterals.shown(object.type()) + ")";
        return switch (language) {
            case c -> CHeaderWriter.write(origin, declaration);
            case python -> PythonModuleWriter.write(origin, declaration);
        };
    }
}
