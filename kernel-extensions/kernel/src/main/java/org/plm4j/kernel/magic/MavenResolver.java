package org.plm4j.kernel.magic;

import org.plm4j.extension.magic.MagicUsageException;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.SimpleArtifactDescriptorPolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves Maven coordinates with their transitive runtime dependencies through Maven Resolver. It works
 * offline for everything cached in the local repository (tried first), and downloads the rest from the remote
 * repositories (Maven Central by default).
 */
public final class MavenResolver {

    /** Maven Central, under the id Maven itself uses so that cached artifacts count as coming from it. */
    public static final RemoteRepository CENTRAL =
            new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2/").build();

    private final Path localRepository;
    private final List<RemoteRepository> remotes;
    private RepositorySystem system;

    public MavenResolver(Path localRepository, List<RemoteRepository> remotes) {
        this.localRepository = localRepository;
        this.remotes = List.copyOf(remotes);
    }

    /** The user's local repository ({@code -Dmaven.repo.local} or {@code ~/.m2/repository}) and Maven Central. */
    public static MavenResolver withDefaults() {
        String local = System.getProperty("maven.repo.local");
        Path repo = local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new MavenResolver(repo, List.of(CENTRAL));
    }

    /**
     * Resolves one coordinate ({@code group:artifact[:extension[:classifier]]:version}).
     *
     * @return the jar of the artifact and of each runtime dependency
     * @throws MagicUsageException when the coordinate is malformed or cannot be resolved, naming it
     */
    public synchronized List<Path> resolve(String coordinate) {
        DefaultArtifact artifact;
        try {
            artifact = new DefaultArtifact(coordinate);
        } catch (IllegalArgumentException e) {
            throw new MagicUsageException("`" + coordinate + "` is not a Maven coordinate; write group:artifact:version, e.g. com.google.code.gson:gson:2.11.0");
        }
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        try {
            return resolve(artifact, true);
        } catch (DependencyResolutionException offline) {
            if (Boolean.getBoolean("plm4j.maven.debug")) {
                offline.printStackTrace();
            }
            try {
                return resolve(artifact, false);
            } catch (DependencyResolutionException online) {
                throw new MagicUsageException("cannot resolve " + coordinate + " from " + localRepository + " or "
                        + remotes.stream().map(RemoteRepository::getUrl).toList() + ": " + online.getMessage()
                        + ". Check the coordinate on https://central.sonatype.com and the network.", online);
            }
        }
    }

    private List<Path> resolve(DefaultArtifact artifact, boolean offline) throws DependencyResolutionException {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        session.setOffline(offline);
        session.setSystemProperties(System.getProperties()); // profile activation in poms needs java.version etc.
        if (offline) {
            // a pom missing from the cache must not silently drop transitive dependencies: go online instead
            session.setArtifactDescriptorPolicy(new SimpleArtifactDescriptorPolicy(false, false));
        }
        CollectRequest collect = new CollectRequest(new Dependency(artifact, JavaScopes.RUNTIME), remotes);
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<Path> jars = new ArrayList<>();
        for (ArtifactResult r : system.resolveDependencies(session, request).getArtifactResults()) {
            if (r.getArtifact() != null && r.getArtifact().getFile() != null) {
                jars.add(r.getArtifact().getFile().toPath());
            }
        }
        return jars;
    }
}
