package dev.outflow.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of the Connect task threads during one measurement: a figure that, unlike the wall clock, hardly moves
 * when other processes compete for the cores. Task threads are pooled by the worker and not named after their
 * task, so they are recognised by their stacks, sampled while the measurement waits; their CPU time is counted
 * from when this object was made.
 */
final class TaskThreads {

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> cpuBefore = new HashMap<>();
    private final Set<Long> taskThreads = new HashSet<>();
    private final String taskMethod;
    private long firstSeenInTaskNanos = -1;

    /** @param taskMethod a frame only the task's own work has, e.g. {@code ParquetSinkTask.put} */
    TaskThreads(String taskMethod) {
        this.taskMethod = taskMethod;
        for (long id : mx.getAllThreadIds()) {
            cpuBefore.put(id, mx.getThreadCpuTime(id));
        }
    }

    /** Looks for task threads; call it often while waiting (every 50-200 ms). */
    void sample() {
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            for (StackTraceElement frame : stack) {
                String method = frame.getClassName().substring(frame.getClassName().lastIndexOf('.') + 1) + "."
                        + frame.getMethodName();
                if (method.equals(taskMethod)) {
                    taskThreads.add(thread.getId());
                    if (firstSeenInTaskNanos < 0) {
                        firstSeenInTaskNanos = System.nanoTime();
                    }
                    return;
                }
            }
        });
    }

    /** CPU nanoseconds the task threads used since this object was made. */
    long cpuNanos() {
        long total = 0;
        for (long id : taskThreads) {
            long now = mx.getThreadCpuTime(id);
            if (now >= 0) {
                total += now - cpuBefore.getOrDefault(id, 0L);
            }
        }
        return total;
    }

    /** When a task thread was first seen in {@code taskMethod} (System.nanoTime), or -1. */
    long firstSeenInTaskNanos() {
        return firstSeenInTaskNanos;
    }

    /** The current load average, to print next to every wall-clock figure. */
    static String load() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
