package org.plm4j.pca;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Splits BLAS work over Java threads that each call OpenBLAS single-threaded. For a sum of
 * products such as the Gram matrix this beats one multi-threaded call per block: each thread
 * copies its own rows and multiplies them into its own accumulator, so both cores stay busy through
 * the copies as well and no BLAS call waits on the other core.
 *
 * <p>OpenBLAS's thread count is global to the process ({@code openblas_set_num_threads}); it is set
 * to 1 for the duration, under a lock, and restored on every path. The {@code dev.ludovic.netlib}
 * bindings expose no thread control, so the two functions are looked up through JNA (which DJL
 * already brings) in the OpenBLAS library this process has mapped. With another BLAS, or none
 * found, there is one worker: the caller, with the library's own threading.
 */
final class BlasThreads {

    private static final Function GET;
    private static final Function SET;
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "plm4j-blas-worker");
        t.setDaemon(true);
        return t;
    });

    static {
        Function get = null;
        Function set = null;
        try {
            NativeLinalg.available(); // loads the system BLAS, so that it is mapped below
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                String path = line.substring(line.lastIndexOf(' ') + 1);
                if (path.contains("/libopenblas")) {
                    NativeLibrary lib = NativeLibrary.getInstance(path);
                    get = lib.getFunction("openblas_get_num_threads");
                    set = lib.getFunction("openblas_set_num_threads");
                    break;
                }
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            get = null; // not Linux, not OpenBLAS, or no JNA: the caller works alone
            set = null;
        }
        GET = get;
        SET = set;
    }

    private BlasThreads() {
    }

    /** Whether OpenBLAS's thread count can be read and set here. */
    static boolean controllable() {
        return SET != null;
    }

    /** How many workers to use: OpenBLAS's thread count, or 1 when its threads cannot be controlled. */
    static int workers() {
        return GET == null ? 1 : Math.max(1, GET.invokeInt(new Object[0]));
    }

    /**
     * Runs {@code task} for worker 0 to {@code workers - 1}, worker 0 on the calling thread, and
     * returns the results in worker order. With more than one worker OpenBLAS runs single-threaded
     * until all have finished; when its threads cannot be controlled the caller runs every share in turn.
     * The first exception of any worker is rethrown after all have ended.
     */
    static <T> List<T> each(int workers, IntFunction<T> task) {
        if (workers <= 1 || SET == null) {
            // no control over OpenBLAS's threads: the caller runs every share, with the library's threading
            List<T> results = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                results.add(task.apply(w));
            }
            return results;
        }
        LOCK.lock();
        int before = GET.invokeInt(new Object[0]);
        SET.invoke(new Object[] {1});
        try {
            List<Future<T>> others = new ArrayList<>();
            for (int w = 1; w < workers; w++) {
                int worker = w;
                others.add(POOL.submit(() -> task.apply(worker)));
            }
            List<T> results = new ArrayList<>();
            Throwable failure = null;
            try {
                results.add(task.apply(0));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            boolean interrupted = false;
            for (Future<T> f : others) {
                while (true) {
                    try {
                        results.add(f.get());
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // the workers write into arrays we return: wait for them
                    } catch (ExecutionException e) {
                        failure = failure == null ? e.getCause() : failure;
                        break;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            } else if (failure instanceof Error err) {
                throw err;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return results;
        } finally {
            SET.invoke(new Object[] {before});
            LOCK.unlock();
        }
    }
}
