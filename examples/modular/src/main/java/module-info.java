/** A named module using sharedstruct on the module path. */
module com.example.modular {
    // Transitively gives dev.sharedstruct.annotation, so @SharedStruct needs no requires of its own.
    requires dev.sharedstruct;

    // The runtime finds SharedStruct_Counter.TYPE by reflection: export the package to it alone.
    exports com.example.modular to dev.sharedstruct;
}
