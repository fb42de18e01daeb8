package dev.outflow.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts child processes that cannot outlive the test JVM: one JVM shutdown hook destroys every process still
 * registered (a test that forgets close(), or a JVM ended by Ctrl-C or by failsafe's timeout).
 */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(p -> destroyTree(p, 5)),
                "outflow-child-process-reaper"));
    }

    private ChildProcesses() {
    }

    /** Runs "$@" in the background and kills it when the parent JVM or this script is stopped. */
    private static final String ORPHAN_GUARD = "\"$@\" & child=$!; "
            + "trap 'kill $child 2>/dev/null; wait $child' EXIT TERM INT; "
            + "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null && kill -0 $child 2>/dev/null; "
            + "do sleep 1; done";

    /**
     * {@code command} wrapped in a small bash guard that stops it when this JVM is gone, even if the JVM dies
     * without running shutdown hooks (e.g. -XX:+ExitOnOutOfMemoryError in the heap-capped tests).
     */
    static List<String> orphanGuarded(String name, List<String> command) {
        List<String> guarded = new ArrayList<>(List.of("bash", "-c", ORPHAN_GUARD, name));
        guarded.addAll(command);
        return guarded;
    }

    static Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        RUNNING.add(process);
        return process;
    }

    /** Stops the process and its descendants: politely first (SIGTERM), then SIGKILL after the grace period. */
    static void destroy(Process process, int graceSeconds) {
        try {
            destroyTree(process, graceSeconds);
        } finally {
            RUNNING.remove(process);
        }
    }

    private static void destroyTree(Process process, int graceSeconds) {
        // Snapshot descendants first: once the parent is gone they are re-parented and harder to find.
        var descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                log.warn("Process {} did not stop in {} s, killing it", process.pid(), graceSeconds);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
