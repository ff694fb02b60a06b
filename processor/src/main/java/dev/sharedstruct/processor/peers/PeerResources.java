package dev.sharedstruct.processor.peers;

import dev.sharedstruct.processor.model.StructModel;
import java.io.IOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes, beside each generated class, a C header and a Python module of the same struct as
 * class-output resources, {@code META-INF/sharedstruct/<binary name with . and $ as _>.h} and
 * {@code .py}, so that they ship in the user's jar (docs/PEERS.md).
 */
public final class PeerResources {
    static final String DIRECTORY = "META-INF/sharedstruct/";

    private PeerResources() {
    }

    public static void write(StructModel struct, Filer filer) throws IOException {
        String binaryName = struct.interfaceName().reflectionName();
        String stem = fileStem(binaryName);
        resource(filer, struct, stem + ".h", CHeaderWriter.write(binaryName, struct.plan()));
        resource(filer, struct, stem + ".py", PythonModuleWriter.write(binaryName, struct.plan()));
    }

    /** {@code com.example.Outer$Point} → {@code com_example_Outer_Point}: a C guard, a Python module name. */
    static String fileStem(String binaryName) {
        return binaryName.replace('.', '_').replace('$', '_');
    }

    private static void resource(Filer filer, StructModel struct, String name, String content) throws IOException {
        FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", DIRECTORY + name, struct.element());
        try (Writer writer = file.openWriter()) {
            writer.write(content);
        }
    }
}
