package io.jenkins.plugins.pgbackup.storage;

import io.jenkins.plugins.pgbackup.testing.S3ProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a unit test: measures what the streaming upload adds to a dump's own time, against S3Proxy on disk. Run with
 * {@code java -cp <test classpath> io.jenkins.plugins.pgbackup.storage.UploadBenchmark [MiB] [MB/s] [part MiB]}.
 *
 * <p>The source yields incompressible bytes, either as fast as it can or paced like pg_dump's output (the issue's
 * 931 MB database dumped with zstd:3 in 12.5 s is about 75 MB/s). The upload cannot end before the source does; what
 * it adds is the tail after the last byte: the last parts, CompleteMultipartUpload, the HEAD and the manifest.
 */
public final class UploadBenchmark {
    private UploadBenchmark() {}

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        int partMib = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        long size = mib << 20;
        Path dir = Files.createTempDirectory("pgbackup-bench");
        try (S3ProxyServer server = S3ProxyServer.onDisk(dir.resolve("s3"))) {
            String bucket = server.createBucket();
            long t0 = System.nanoTime();
            long drained = new Source(size, rate).transferTo(OutputStream.nullOutputStream());
            double sourceSeconds = seconds(t0);
            resetPeaks();
            AtomicLong partsDone = new AtomicLong();
            Timings timings = new Timings();
            S3Client client = S3Clients.create(server.settings(bucket, ""),
                    b -> b.overrideConfiguration(o -> o.addExecutionInterceptor(timings)));
            StreamingUploader up = new StreamingUploader(client, bucket).withPartSize(partMib << 20)
                    .withObserver(new StreamingUploader.Observer() {
                        @Override
                        public void beforeComplete(String uploadId) {
                            partsDone.set(System.nanoTime());
                        }
                    });
            BackupMetadata m = BackupMetadata.builder("bench", Instant.now()).build();
            long t1 = System.nanoTime();
            UploadResult r = up.upload(new Source(size, rate), "bench/bench.dump", m, p -> {});
            double total = seconds(t1);
            double tail = (System.nanoTime() - partsDone.get()) / 1e9;
            System.out.printf(Locale.ROOT, "size %d MiB, source pace %s, parts of %d MiB, %d parts%n", mib,
                    rate > 0 ? rate + " MB/s" : "unlimited", partMib, r.getParts());
            System.out.printf(Locale.ROOT, "source alone (read to /dev/null): %.2f s (%d bytes)%n", sourceSeconds,
                    drained);
            System.out.printf(Locale.ROOT, "streaming upload end to end:      %.2f s = %.3f x source, %.0f MB/s%n",
                    total, total / sourceSeconds, size / 1e6 / total);
            System.out.printf(Locale.ROOT, "after the last part: complete + HEAD + manifest: %.2f s%n", tail);
            timings.print();
            client.close();
            System.out.printf(Locale.ROOT, "peak heap %d MiB (part buffers at most %d x %d MiB)%n",
                    peakHeap() >> 20, up.maxBuffers(), partMib);
        } finally {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Wall time per S3 operation, attempts included. */
    private static final class Timings implements ExecutionInterceptor {
        private static final ExecutionAttribute<Long> START = new ExecutionAttribute<>("bench-start");
        private final Map<String, double[]> byOperation = new ConcurrentSkipListMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(START, System.nanoTime());
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            double s = (System.nanoTime() - attributes.getAttribute(START)) / 1e9;
            byOperation.compute(op, (k, v) -> v == null ? new double[] {1, s, s} : new double[] {v[0] + 1, v[1] + s,
                    Math.max(v[2], s)});
        }

        void print() {
            byOperation.forEach((op, v) -> System.out.printf(Locale.ROOT, "  %-24s %4.0f x, %6.2f s in all, max %5.2f s%n",
                    op, v[0], v[1], v[2]));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    /** Incompressible bytes from a random 8 MiB block, optionally paced to a rate in MB/s. */
    private static final class Source extends InputStream {
        private static final byte[] BLOCK = new byte[8 << 20];

        static {
            new SplittableRandom(1).nextBytes(BLOCK);
        }

        private final long size;
        private final double rate;
        private final long start = System.nanoTime();
        private long position;

        Source(long size, double rate) {
            this.size = size;
            this.rate = rate;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= size) {
                return -1;
            }
            int offset = (int) (position % BLOCK.length);
            int n = (int) Math.min(Math.min(len, 64 * 1024), Math.min(size - position, BLOCK.length - offset));
            System.arraycopy(BLOCK, offset, b, off, n);
            position += n;
            pace();
            return n;
        }

        private void pace() throws IOException {
            if (rate <= 0) {
                return;
            }
            long due = start + (long) (position / (rate * 1e6) * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }
}
