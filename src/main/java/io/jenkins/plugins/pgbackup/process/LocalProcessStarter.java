package io.jenkins.plugins.pgbackup.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Starts programs on this machine with {@link ProcessBuilder}: what the engine did before there were others. */
final class LocalProcessStarter implements ProcessStarter {
    static final LocalProcessStarter INSTANCE = new LocalProcessStarter();

    private LocalProcessStarter() {}

    @Override
    public StartedProcess start(ProcessSpec spec) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        spec.removedEnvironment().forEach(pb.environment()::remove);
        pb.environment().putAll(spec.environment());
        if (spec.directory() != null) {
            pb.directory(spec.directory().toFile());
        }
        return new Local(pb.start());
    }

    @Override
    public String toString() {
        return "this machine";
    }

    private record Local(Process process) implements StartedProcess {
        @Override
        public String id() {
            return Long.toString(process.pid());
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
            return process.waitFor(timeout, unit);
        }

        @Override
        public int waitFor() throws InterruptedException {
            return process.waitFor();
        }

        @Override
        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public void destroy(Duration grace) {
            ProcessTree.destroy(process.toHandle(), grace);
        }
    }
}
