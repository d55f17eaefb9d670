package io.jenkins.plugins.pgbackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this JVM's threads by name, read from {@code /proc/self/task} (user and kernel time, which a sampling
 * profiler does not see for threads blocked in a system call). A thread that ends between two polls keeps the time of
 * its last poll, so {@link #start()} polls every 250 ms on a thread of its own, whose time {@link #stop()} reports
 * apart ("bench-threadcpu") so that it can be left out of what the measured code spent.
 */
final class ThreadCpu {
    static final String POLLER = "bench-threadcpu";
    private static final double TICK = 0.01;

    /** tid → {user, kernel} ticks at the start and as last seen. */
    private final Map<Long, long[]> baseline = new HashMap<>();
    private final Map<Long, long[]> last = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private Thread poller;
    private volatile boolean running;

    void start() throws IOException {
        synchronized (this) {
            baseline.clear();
            last.clear();
            names.clear();
            poll(baseline);
        }
        running = true;
        poller = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(250);
                    synchronized (this) {
                        poll(last);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // a thread vanished while being read: the next poll sees the rest
                }
            }
        }, POLLER);
        poller.setDaemon(true);
        poller.start();
    }

    /** CPU seconds {user, kernel} per thread name (trailing numbers folded), since {@link #start()}. */
    Map<String, double[]> stop() throws IOException, InterruptedException {
        running = false;
        poller.interrupt();
        poller.join();
        Map<String, double[]> byName = new TreeMap<>();
        synchronized (this) {
            poll(last);
            for (Map.Entry<Long, long[]> e : last.entrySet()) {
                long[] b = baseline.getOrDefault(e.getKey(), new long[2]);
                double[] d = {(e.getValue()[0] - b[0]) * TICK, (e.getValue()[1] - b[1]) * TICK};
                byName.merge(fold(names.get(e.getKey())), d, ThreadCpu::sum);
            }
        }
        return byName;
    }

    static double[] sum(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1]};
    }

    private void poll(Map<Long, long[]> into) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String s;
                try {
                    s = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                long tid = Long.parseLong(task.getFileName().toString());
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
                names.put(tid, name);
                into.put(tid, new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])});
            }
        }
    }

    /** "GC Thread#1" → "GC Thread#", "G1 Conc#0" → "G1 Conc#": numbered threads of one kind together. */
    static String fold(String name) {
        return name == null ? "?" : name.replaceAll("#?\\d+$", "#");
    }
}
