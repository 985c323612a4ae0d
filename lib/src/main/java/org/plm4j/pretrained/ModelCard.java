package org.plm4j.pretrained;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A catalogue entry: what a named pretrained model is, where it comes from, and whether it is
 * converted and cached on this machine.
 *
 * @param name the name {@link Pretrained#load(String)} takes
 * @param description architecture and origin in one line
 * @param maven the Maven coordinates of the jar that carries the weights ({@code group:artifact:version})
 * @param license the weights' license
 * @param directory the cached Hugging Face directory, if it is converted already
 */
public record ModelCard(String name, String description, String maven, String license, Optional<Path> directory) {

    /** Whether the model is converted and cached (loading it needs no Maven and no conversion). */
    public boolean installed() {
        return directory.isPresent();
    }

    /** The command that puts the jar into the local Maven repository (on a machine with Maven Central access). */
    public String mavenCommand() {
        return "mvn dependency:get -Dartifact=" + maven + " -Dtransitive=false";
    }

    @Override
    public String toString() {
        return name + "  " + description + "  [" + maven + ", " + license + "]  "
                + directory.map(d -> "installed: " + d).orElse("not installed");
    }
}
