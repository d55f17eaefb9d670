package io.jenkins.plugins.pgbackup.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * CPU time by who spent it, read from Linux's {@code /proc}: this JVM itself (the plugin's engine, and S3Proxy when it
 * runs in-process), the processes it started and waited for (pg_dump), a PostgreSQL server (the postmaster, the
 * backends it reaped and those still running) and optionally another process (S3Proxy in its own JVM). A snapshot
 * before and one after a run give where the CPU of that run went, whatever else the machine did meanwhile.
 */
final class CpuAccounting {
    /** Linux reports process times in clock ticks of 1/100 s on every architecture this runs on. */
    private static final double TICK = 0.01;

    private final long postmaster;
    private final long other;

    /**
     * @param postmaster the server's postmaster pid
     * @param other another process to account for, or -1
     */
    CpuAccounting(long postmaster, long other) {
        this.postmaster = postmaster;
        this.other = other;
    }

    /** CPU seconds so far, by account. */
    record Snapshot(double self, double selfSystem, double children, double server, double other) {
        Snapshot minus(Snapshot before) {
            return new Snapshot(self - before.self, selfSystem - before.selfSystem, children - before.children,
                    server - before.server, other - before.other);
        }

        String describe() {
            return String.format(Locale.ROOT, "JVM %.2f s (kernel %.2f s), its child processes (pg_dump) %.2f s, "
                    + "PostgreSQL server (backends) %.2f s%s", self, selfSystem, children, server,
                    other == 0 ? "" : String.format(Locale.ROOT, ", S3Proxy process %.2f s", other));
        }
    }

    /**
     * A snapshot once the run's backend has exited and the postmaster has reaped it (its CPU moves to the postmaster's
     * children's times then); the wait is outside the measured time.
     */
    Snapshot settled() throws IOException, InterruptedException {
        Thread.sleep(1000);
        return snapshot();
    }

    Snapshot snapshot() throws IOException {
        long[] me = times(ProcessHandle.current().pid());
        long[] pm = times(postmaster);
        long server = pm[0] + pm[1] + pm[2] + pm[3];
        for (long child : children(postmaster)) {
            long[] c = times(child);
            server += c[0] + c[1] + c[2] + c[3];
        }
        double otherCpu = 0;
        if (other > 0) {
            long[] o = times(other);
            otherCpu = (o[0] + o[1] + o[2] + o[3]) * TICK;
        }
        return new Snapshot((me[0] + me[1]) * TICK, me[1] * TICK, (me[2] + me[3]) * TICK, server * TICK, otherCpu);
    }

    /** utime, stime, cutime, cstime; zeros for a process that has gone. */
    static long[] times(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        String s;
        try {
            s = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException e) {
            return new long[4];
        }
        // The command name may contain spaces and parentheses: fields are counted after the last ')'.
        String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
            Long.parseLong(f[14])};
    }

    static long parentOf(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).trim().split(" ")[1]);
    }

    private static List<Long> children(long parent) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> {
                        try {
                            return parentOf(pid) == parent;
                        } catch (IOException | RuntimeException e) {
                            return false; // gone meanwhile
                        }
                    }).toList();
        }
    }
}
