package io.jenkins.plugins.pgbackup.signing;

import io.jenkins.plugins.pgbackup.storage.BackupObject;
import io.jenkins.plugins.pgbackup.storage.BackupSource;
import io.jenkins.plugins.pgbackup.storage.S3Clients;
import io.jenkins.plugins.pgbackup.storage.StorageException;
import io.jenkins.plugins.pgbackup.storage.VerifyingInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's side of a restore or restore drill when the controller signs: the one backup the controller resolved
 * (and its globals), read with plain HTTP GETs of presigned URLs, without any key. Each GET carries {@code If-Match}
 * with the ETag the controller saw, and its content is checked against the size and SHA-256 of the manifest exactly
 * as with the keys. A URL about to expire, or one the server refuses (it expired while the first pass ran), is signed
 * again by the controller; 5xx answers and broken connections are retried before the content starts.
 */
public final class PresignedSource implements BackupSource {
    static final Duration CONNECT_TIMEOUT = S3Clients.CONNECT_TIMEOUT;
    /** Without a byte for this long, a read fails (as the SDK's socket timeout). */
    static final Duration READ_TIMEOUT = S3Clients.SOCKET_TIMEOUT;
    /** Attempts per GET, the first included, for 5xx answers and connections that fail before the content. */
    static final int ATTEMPTS = 4;
    /** A URL with less than this left is signed again before a GET starts. */
    static final Duration MARGIN = Duration.ofMinutes(1);
    /** An error answer is a few hundred bytes of XML; more is not read. */
    private static final int ERROR_BODY_LIMIT = 8 * 1024;

    private final RestoreTicket ticket;
    private final RestoreGrant grant;
    private final Clock clock;
    private final Map<String, SignedGet> urls = new ConcurrentHashMap<>();

    public PresignedSource(RestoreTicket ticket, RestoreGrant grant) {
        this(ticket, grant, Clock.systemUTC());
    }

    /** @param clock decides whether a URL is about to expire (tests: a clock that never says so) */
    PresignedSource(RestoreTicket ticket, RestoreGrant grant, Clock clock) {
        this.ticket = ticket;
        this.grant = grant;
        this.clock = clock;
    }

    @Override
    public String getBucket() {
        return ticket.bucket();
    }

    @Override
    public BackupObject head(String key) throws StorageException {
        if (!ticket.backup().getKey().equals(key)) {
            throw new StorageException("No backup at " + location(key) + " for this step: the controller resolved "
                    + ticket.backup().getKey() + " and signs reads of that backup only");
        }
        return ticket.backup();
    }

    @Override
    public Optional<BackupObject> latest(String database) throws StorageException {
        if (ticket.latestOf() == null || !ticket.latestOf().equals(database)) {
            throw new StorageException("The controller resolved " + ticket.backup().getKey() + " for this step, not "
                    + "the newest backup of '" + database + "'");
        }
        return Optional.of(ticket.backup());
    }

    @Override
    public Optional<BackupObject> globals(String dumpKey) throws StorageException {
        head(dumpKey);
        if (ticket.globalsProblem() != null) {
            throw new StorageException(ticket.globalsProblem());
        }
        return Optional.ofNullable(ticket.globals());
    }

    @Override
    public InputStream openStream(BackupObject backup) throws IOException {
        if (!ticket.covers(backup.getKey())) {
            throw new StorageException("Reading " + location(backup.getKey()) + " is not part of this step: the "
                    + "controller signs reads of " + ticket.backup().getKey() + " and its globals only");
        }
        String location = location(backup.getKey());
        return VerifyingInputStream.of(get(backup, location), location, backup);
    }

    /** The response body of a GET that answered 200, after retries and at most one new signature. */
    private InputStream get(BackupObject backup, String location) throws IOException {
        boolean signedAgain = false;
        StorageException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            HttpURLConnection c = null;
            try {
                c = connect(url(backup.getKey()), backup.getETag());
                int status = c.getResponseCode();
                if (status == HttpURLConnection.HTTP_OK) {
                    return new Body(c);
                }
                String code = errorCode(c);
                c.disconnect();
                if (status == HttpURLConnection.HTTP_FORBIDDEN && !signedAgain) {
                    // Most likely expired during a long first pass: one new signature, not counted as an attempt.
                    urls.remove(backup.getKey());
                    signedAgain = true;
                    attempt--;
                    continue;
                }
                last = refusal(location, status, code);
                if (status < 500 && status != 429) {
                    throw last;
                }
            } catch (IOException e) {
                disconnect(c);
                if (e instanceof StorageException || isInterrupt(e)) {
                    throw e;
                }
                last = new StorageException("Reading " + location + " failed: " + describe(e));
            }
            pause(attempt);
        }
        throw last;
    }

    private static StorageException refusal(String location, int status, String code) {
        return switch (status) {
            case HttpURLConnection.HTTP_PRECON_FAILED -> new StorageException("Reading " + location + " failed: it "
                    + "was replaced after the controller checked it (its ETag no longer matches, If-Match); refusing "
                    + "to use it");
            case HttpURLConnection.HTTP_NOT_FOUND -> new StorageException("Reading " + location + " failed: there "
                    + "is no such object any more (" + code + ", HTTP 404)");
            case HttpURLConnection.HTTP_FORBIDDEN -> new StorageException("Reading " + location + " failed: the "
                    + "storage refused the controller's presigned URL (" + code + ", HTTP 403); check the controller's "
                    + "clock and that its keys may read the bucket");
            default -> new StorageException("Reading " + location + " failed: " + code + " (HTTP " + status + ")");
        };
    }

    /** A URL that is valid for at least {@link #MARGIN}: the one at hand, or a new one from the controller. */
    private SignedGet url(String key) throws IOException {
        SignedGet known = urls.get(key);
        if (known != null && known.expires().isAfter(clock.instant().plus(MARGIN))) {
            return known;
        }
        SignedGet fresh;
        try {
            fresh = grant.presign(key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while the controller signed a read");
            io.initCause(e);
            throw io;
        }
        if (!fresh.key().equals(key)) {
            throw new StorageException("The controller signed " + fresh.key() + " instead of " + key);
        }
        urls.put(key, fresh);
        return fresh;
    }

    private static HttpURLConnection connect(SignedGet url, String eTag) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url.url()).toURL().openConnection();
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) READ_TIMEOUT.toMillis());
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        if (eTag != null) {
            // An ordinary header, not part of the signature: the object must still be the one the controller checked.
            c.setRequestProperty("If-Match", eTag);
        }
        return c;
    }

    /** S3's error code from the XML body (AccessDenied, SignatureDoesNotMatch...), or "no error code". */
    private static String errorCode(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err == null) {
                return "no error code";
            }
            String body = new String(err.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8);
            String code = S3ErrorBody.code(body);
            return code == null ? "no error code" : code;
        } catch (IOException e) {
            return "no error code";
        }
    }

    /** An I/O error's message without any URL in it: a presigned URL is a credential for its lifetime. */
    static String describe(IOException e) {
        String message = String.valueOf(e.getMessage()).replaceAll("https?://\\S*", "(the presigned URL)");
        return e.getClass().getSimpleName() + ": " + message;
    }

    /** A timeout is an {@link InterruptedIOException} too, but no abort of the build. */
    private static boolean isInterrupt(IOException e) {
        return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
    }

    private static void pause(int attempt) throws InterruptedIOException {
        if (attempt >= ATTEMPTS) {
            return;
        }
        try {
            Thread.sleep(200L << (attempt - 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to read the backup again");
        }
    }

    private static void disconnect(HttpURLConnection c) {
        if (c != null) {
            c.disconnect();
        }
    }

    private String location(String key) {
        return "s3://" + ticket.bucket() + "/" + key;
    }

    /** The response's content; closing it before its end drops the connection instead of draining it. */
    private static final class Body extends FilterInputStream {
        private final HttpURLConnection connection;
        private boolean ended;

        Body(HttpURLConnection connection) throws IOException {
            super(connection.getInputStream());
            this.connection = connection;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(b, off, len);
            } catch (SocketTimeoutException e) {
                // Not an abort of the build, which is what the restore takes an InterruptedIOException for.
                throw new IOException("no data from the storage for " + READ_TIMEOUT.toSeconds() + " s", e);
            }
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (!ended) {
                    connection.disconnect();
                }
            }
        }
    }
}
