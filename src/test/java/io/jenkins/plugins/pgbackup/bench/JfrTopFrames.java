package io.jenkins.plugins.pgbackup.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the Java threads of recorded backups spend their CPU: {@code jdk.ExecutionSample} events (threads running
 * Java code; a thread inside a system call, such as a socket write or a pipe read, is not sampled, see
 * {@link ThreadCpu} for kernel time) of one or more JFR files, aggregated by what the sample is doing (its
 * category, by the first rule that matches its stack), by top frame, by top frame's package and by thread.
 *
 * <p>Usage: {@code java -cp … io.jenkins.plugins.pgbackup.bench.JfrTopFrames FILE.jfr…}
 */
public final class JfrTopFrames {
    private JfrTopFrames() {}

    /** A category: its name and what the sample's stack (frames from the top) must show. */
    private record Rule(String name, Predicate<List<String>> matches) {}

    private static final List<Rule> RULES = List.of(
            new Rule("SHA-256 in the SDK's request signature (payload signing)",
                    s -> hashing(s) && any(s, "auth.signer", "signer.internal", "auth.aws.internal.signer")),
            new Rule("SHA-256 of each part for the SDK's payload signature (signer's ChecksumInputStream)",
                    s -> any(s, "auth.aws.internal.signer.io.ChecksumInputStream")),
            new Rule("checksum in the SDK (MD5/CRC of a body)", s -> hashing(s) && any(s, "checksums", "Md5")
                    || any(head(s), "CRC32", "Md5", "crc32")),
            new Rule("SHA-256 of the dump (StreamingUploader.fill)", s -> hashing(s) && any(s, "StreamingUploader")),
            new Rule("PBKDF2 of pgJDBC's SCRAM-SHA-256 login (version detection, once per backup)",
                    s -> any(s, "scram", "Scram")),
            new Rule("SHA-256 elsewhere", JfrTopFrames::hashing),
            new Rule("copy between buffers (arraycopy, ByteArrayInputStream, buffered streams)",
                    s -> top(s, "System.arraycopy", "Unsafe.copyMemory", "Arrays.copyOf", "ByteArrayInputStream.read",
                            "BufferedInputStream", "BufferedOutputStream", "ByteBuffer.put", "HeapByteBuffer",
                            "ChunkedOutputStream", "ContentLengthOutputStream", "SessionOutputBufferImpl",
                            "InputStream.transferTo", "copyMemory")),
            new Rule("socket I/O (Java side)", s -> top(s, "sun.nio.ch", "java.net.Socket", "NioSocketImpl",
                    "SocketOutputStream", "SocketInputStream", "sun.security.ssl")),
            new Rule("reading pg_dump's pipe (Java side)", s -> top(s, "FileInputStream", "ProcessPipeInputStream",
                    "ProcessBuilder", "ProcessImpl")),
            new Rule("Apache HTTP client", s -> any(head(s), "org.apache.http")),
            new Rule("AWS SDK (request building, marshalling, interceptors, signing other than hashing)",
                    s -> any(head(s), "software.amazon.awssdk")),
            new Rule("the benchmark's own /proc poller", s -> any(s, "bench.ThreadCpu")),
            new Rule("lambda forms and class generation (first calls)", s -> any(head(s),
                    "jdk.internal.org.objectweb.asm", "java.lang.invoke.LambdaForm", "InvokerBytecodeGenerator",
                    "java.lang.ClassLoader", "jdk.internal.loader")),
            new Rule("plugin's engine", s -> any(head(s), "io.jenkins.plugins.pgbackup")),
            new Rule("PostgreSQL JDBC driver (detection, preflight)", s -> any(s, "org.postgresql")),
            new Rule("JDK: logging, regex, strings, collections", s -> top(s, "java.util", "java.lang.String",
                    "java.lang.StringBuilder", "java.lang.AbstractStringBuilder", "java.util.regex",
                    "java.util.logging")),
            new Rule("other", s -> true));

    /** The top four frames: who is doing the work, as opposed to who asked for it. */
    private static List<String> head(List<String> stack) {
        return stack.subList(0, Math.min(4, stack.size()));
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> categories = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> others = new HashMap<>();
        int total = 0;
        for (String file : args) {
            for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(file))) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                List<String> stack = st.getFrames().stream().map(JfrTopFrames::name).toList();
                total++;
                String category = RULES.stream().filter(r -> r.matches().test(stack)).findFirst().orElseThrow().name();
                categories.merge(category, 1, Integer::sum);
                if (category.equals("other") || category.startsWith("AWS SDK") || category.startsWith("SHA-256 elsewhere")) {
                    others.merge(category.substring(0, Math.min(5, category.length())) + ": " + String.join(" < ", head(stack)), 1, Integer::sum);
                }
                methods.merge(stack.get(0), 1, Integer::sum);
                packages.merge(pkg(st.getFrames().get(0)), 1, Integer::sum);
                String thread = e.getThread("sampledThread") == null ? "?"
                        : e.getThread("sampledThread").getJavaName();
                threads.merge(ThreadCpu.fold(String.valueOf(thread)), 1, Integer::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%d execution samples in %d file(s)%n", total, args.length);
        print("by category (first matching rule, top of the stack first)", categories, total, 20);
        print("by top frame", methods, total, 25);
        print("by top frame's package", packages, total, 15);
        print("by thread", threads, total, 15);
        print("'other' and 'AWS SDK': the most frequent top four frames", others, total, 12);
    }

    private static void print(String title, Map<String, Integer> counts, int total, int limit) {
        System.out.println();
        System.out.println("## " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf(Locale.ROOT, "%5.1f %%  %6d  %s%n", 100.0 * e.getValue() / total,
                        e.getValue(), e.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String pkg(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "(default)" : type.substring(0, dot);
    }

    /** Hashing, also before the JIT has made SHA-256 an intrinsic (then its top frames are VarHandle reads). */
    private static boolean hashing(List<String> stack) {
        return any(stack.subList(0, Math.min(6, stack.size())), "sun.security.provider.SHA",
                "sun.security.provider.DigestBase", "sun.security.provider.ByteArrayAccess",
                "sun.security.provider.MD5", "java.security.MessageDigest");
    }

    /** The top frame's name contains one of these. */
    private static boolean top(List<String> stack, String... parts) {
        for (String p : parts) {
            if (stack.get(0).contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Some frame's name contains one of these. */
    private static boolean any(List<String> stack, String... parts) {
        for (String frame : stack) {
            for (String p : parts) {
                if (frame.contains(p)) {
                    return true;
                }
            }
        }
        return false;
    }
}
