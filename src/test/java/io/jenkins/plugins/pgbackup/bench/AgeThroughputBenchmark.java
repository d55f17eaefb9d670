package io.jenkins.plugins.pgbackup.bench;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.jenkins.plugins.pgbackup.crypto.AgeStreams;
import io.jenkins.plugins.pgbackup.testing.TestStreams;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Locale;

/**
 * The CPU cost of age encryption and decryption alone, on one thread: a pseudo-random stream of the size of the
 * benchmark dump, encrypted (and decrypted) to nowhere, CPU time measured with the thread's CPU clock so that load from
 * other processes does not count. Not a unit test: {@code java -cp ... AgeThroughputBenchmark [MB=278] [reps=3]}.
 */
public final class AgeThroughputBenchmark {
    private AgeThroughputBenchmark() {}

    public static void main(String[] args) throws Exception {
        long bytes = (args.length > 0 ? Long.parseLong(args[0]) : 278) * 1_000_000L;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        KeyPair k = new X25519KeyPairGenerator().generateKeyPair();
        String recipient = new String(k.getPublic().getEncoded(), StandardCharsets.US_ASCII);
        String identity = new String(k.getPrivate().getEncoded(), StandardCharsets.US_ASCII);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < reps; i++) {
            long c0 = cpu.getCurrentThreadCpuTime();
            try (InputStream in = TestStreams.random(bytes, i)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            long source = cpu.getCurrentThreadCpuTime() - c0;
            long c1 = cpu.getCurrentThreadCpuTime();
            try (InputStream in = AgeStreams.encrypt(TestStreams.random(bytes, i), List.of(recipient, recipient))) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            long encrypt = cpu.getCurrentThreadCpuTime() - c1 - source;
            long c2 = cpu.getCurrentThreadCpuTime();
            try (InputStream in = AgeStreams.decrypt(AgeStreams.encrypt(TestStreams.random(bytes, i),
                    List.of(recipient)), List.of(identity))) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            long decrypt = cpu.getCurrentThreadCpuTime() - c2 - source - encrypt;
            System.out.printf(Locale.ROOT, "%d MB: encryption %.2f s CPU (%.0f MB/s), decryption %.2f s CPU "
                    + "(%.0f MB/s), source alone %.2f s%n", bytes / 1_000_000, encrypt / 1e9, bytes / 1e6 / (encrypt
                    / 1e9), decrypt / 1e9, bytes / 1e6 / (decrypt / 1e9), source / 1e9);
        }
    }
}
