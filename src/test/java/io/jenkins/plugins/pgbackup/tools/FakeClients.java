package io.jenkins.plugins.pgbackup.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Fake installations: tiny shell scripts that answer {@code --version} like a client, and a compression probe like
 * pg_dump (refusing the methods they were "built" without, else failing to connect, as a real one does).
 */
final class FakeClients {
    private FakeClients() {}

    static Path install(Path binDir, String tool, String version, String... unsupportedMethods) throws IOException {
        Files.createDirectories(binDir);
        StringBuilder script = new StringBuilder("#!/bin/sh\n")
                .append("if [ \"$1\" = --version ]; then echo '").append(tool).append(" (PostgreSQL) ").append(version)
                .append("'; exit 0; fi\n");
        for (String method : unsupportedMethods) {
            script.append("case \"$*\" in *--compress=").append(method).append("*) echo '").append(tool)
                    .append(": error: this build does not support compression with ")
                    .append(method.toUpperCase(java.util.Locale.ROOT)).append("' >&2; exit 1;; esac\n");
        }
        script.append("echo '").append(tool).append(": error: connection to server on socket \"/nowhere/.s.PGSQL.5432\" ")
                .append("failed: No such file or directory' >&2\nexit 1\n");
        return write(binDir.resolve(tool), script.toString());
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
