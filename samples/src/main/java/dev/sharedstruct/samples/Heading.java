package dev.sharedstruct.samples;

/** The heading every demo starts with: what it shows and what its output should be. */
final class Heading {
    private Heading() {
    }

    /** Prints {@code == title}, then each line of what the demo shows and what to expect, indented. */
    static void print(String title, String... lines) {
        System.out.println();
        System.out.println("== " + title);
        for (String line : lines) {
            System.out.println("   " + line);
        }
    }
}
