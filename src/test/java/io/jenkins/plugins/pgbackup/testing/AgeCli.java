package io.jenkins.plugins.pgbackup.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.process.ProcessResult;
import io.jenkins.plugins.pgbackup.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code age} command-line tool (Debian package {@code age}, installed by .ci/run): key generation, encryption and
 * decryption done by the reference implementation, for interoperability tests. Skips outside CI when missing.
 */
public final class AgeCli {
    private AgeCli() {}

    /** An identity file as {@code age-keygen} writes it, with its identity and its recipient. */
    public record Key(Path file, String identity, String recipient) {}

    /** Skips (or, in CI, fails) the test when {@code age} and {@code age-keygen} are not on the PATH. */
    public static void require() {
        Environment.require(onPath("age") && onPath("age-keygen"),
                "the age command-line tool is not installed (apt-get install age)");
    }

    /** A new key pair made by {@code age-keygen -o file}. */
    public static Key keygen(Path dir) throws IOException, InterruptedException {
        require();
        Path file = Files.createTempFile(dir, "age-key-", ".txt");
        Files.delete(file); // age-keygen refuses to overwrite
        run(List.of("age-keygen", "-o", file.toString()));
        String identity = null;
        String recipient = null;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.startsWith("AGE-SECRET-KEY-1")) {
                identity = line.strip();
            } else if (line.startsWith("# public key: ")) {
                recipient = line.substring("# public key: ".length()).strip();
            }
        }
        assertTrue(identity != null && recipient != null, "age-keygen wrote an identity and its public key");
        return new Key(file, identity, recipient);
    }

    /** {@code age -e -r R... -o out in}. */
    public static void encrypt(Path in, Path out, List<String> recipients) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("age", "-e"));
        for (String r : recipients) {
            cmd.add("-r");
            cmd.add(r);
        }
        cmd.addAll(List.of("-o", out.toString(), in.toString()));
        run(cmd);
    }

    /** {@code age -d -i key -o out in}: the result, which fails on a wrong key or damaged input. */
    public static ProcessResult decrypt(Path in, Path out, Path identityFile) throws IOException, InterruptedException {
        require();
        return ProcessRunner.of(List.of("age", "-d", "-i", identityFile.toString(), "-o", out.toString(),
                in.toString())).run();
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        require();
        ProcessResult r = ProcessRunner.of(cmd).run();
        assertTrue(r.succeeded(), cmd.get(0) + " failed: " + r.stderr());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
