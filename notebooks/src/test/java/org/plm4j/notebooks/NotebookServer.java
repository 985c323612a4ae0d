package org.plm4j.notebooks;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./plm4j notebook} serving one directory on 127.0.0.1, a random free port and a random token, with
 * Jupyter's config, data (the kernelspec the launcher installs) and runtime directories under {@code home}, so
 * the user's own Jupyter set-up neither affects the test nor is changed by it. {@link #close()} stops Jupyter
 * and the kernels it started.
 */
final class NotebookServer implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final String token;

    private NotebookServer(Process process, Path log, int port, String token) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.token = token;
    }

    /** Starts the launcher on {@code notebookDir} and waits until Jupyter answers (at most {@code startup}). */
    static NotebookServer start(Path root, Path notebookDir, Path home, Duration startup) throws IOException, InterruptedException {
        int port = freePort();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path log = home.resolve("jupyter.log");
        ProcessBuilder pb = new ProcessBuilder(root.resolve("plm4j").toString(), "notebook", "--no-browser",
                "--ip=127.0.0.1", "--port=" + port, "--port-retries=0", "--NotebookApp.token=" + token,
                "--notebook-dir=" + notebookDir)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JUPYTER_CONFIG_DIR", Files.createDirectories(home.resolve("config")).toString());
        pb.environment().put("JUPYTER_DATA_DIR", Files.createDirectories(home.resolve("data")).toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", Files.createDirectories(home.resolve("runtime")).toString());
        NotebookServer server = new NotebookServer(pb.start(), log, port, token);
        try {
            server.awaitReady(startup);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The URL of a notebook under the served directory, token included. */
    String notebookUrl(String name) {
        return "http://127.0.0.1:" + port + "/notebooks/" + name + "?token=" + token;
    }

    /** The last lines Jupyter and the launcher printed, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no Jupyter log: " + e + ")";
        }
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI status = URI.create("http://127.0.0.1:" + port + "/api/status?token=" + token);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("./plm4j notebook exited with code " + process.exitValue()
                        + " before Jupyter answered:\n" + logTail());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) status.toURL().openConnection();
                c.setConnectTimeout(1000);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Jupyter did not answer on port " + port + " within " + timeout.toSeconds()
                + " s:\n" + logTail());
    }

    /**
     * Stops Jupyter with SIGTERM (it then shuts its kernels down), and kills whatever of its process tree is still
     * alive after 20 s.
     */
    @Override
    public void close() {
        List<ProcessHandle> tree = Processes.treeOf(process.toHandle());
        process.destroy();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Processes.kill(tree);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
