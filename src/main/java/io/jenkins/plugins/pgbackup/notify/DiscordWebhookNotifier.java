package io.jenkins.plugins.pgbackup.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Posts {@link Notification}s to a Discord webhook. Waits out HTTP 429 for as long as Discord asks ({@code retry_after}
 * in the body, else the {@code Retry-After} or {@code X-RateLimit-Reset-After} header), retries 5xx and network failures
 * with exponential backoff, never retries other 4xx; attempts, each wait and all waits together are bounded.
 *
 * <p>{@link #send} never throws: a notification that cannot be delivered is reported in its result, in the engine log
 * and in {@code java.util.logging}, and whatever it reports about has already happened. The webhook URL is a
 * credential: it appears in no message, log line or result, also when the HTTP client puts it in an exception.
 */
public final class DiscordWebhookNotifier {
    private static final Logger LOGGER = Logger.getLogger(DiscordWebhookNotifier.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String USER_AGENT = "PostgreSQL-Backup-Jenkins-Plugin (+https://plugins.jenkins.io/postgresql-backup)";
    /** Discord's error bodies are small; a receiver sending more gets the rest ignored. */
    private static final int MAX_BODY = 16 * 1024;
    private static final int MAX_DETAIL = 200;
    private static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(1);

    private final String webhookUrl;
    private final WebhookMask mask;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration maxWait;
    private final Duration maxTotalWait;
    private final Duration initialBackoff;
    private final Sleeper sleeper;
    private final Clock clock;

    private DiscordWebhookNotifier(Builder b) {
        this.webhookUrl = b.webhookUrl;
        this.mask = new WebhookMask(b.webhookUrl);
        this.requestTimeout = b.requestTimeout;
        this.maxAttempts = b.maxAttempts;
        this.maxWait = b.maxWait;
        this.maxTotalWait = b.maxTotalWait;
        this.initialBackoff = b.initialBackoff;
        this.sleeper = b.sleeper;
        this.clock = b.clock;
        if (b.client != null) {
            this.client = b.client;
        } else {
            HttpClient.Builder cb = b.clientBuilder != null ? b.clientBuilder : HttpClient.newBuilder();
            this.client = cb.connectTimeout(b.connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        }
    }

    /** @param webhookUrl the secret webhook URL, from a Secret text credential */
    public static Builder builder(String webhookUrl) {
        return new Builder(webhookUrl);
    }

    /**
     * Delivers the notification, or says why not. Never throws; an interrupt ends the attempts and stays set.
     *
     * @param log where the user reads about it (the build log)
     */
    public NotificationResult send(Notification notification, EngineLog log) {
        NotificationResult result;
        try {
            result = deliver(notification);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = new NotificationResult(false, 0, -1, Duration.ZERO, "interrupted while sending, so it may not have been sent");
        } catch (RuntimeException e) {
            result = new NotificationResult(false, 0, -1, Duration.ZERO,
                    "unexpected " + e.getClass().getSimpleName() + ": " + mask.apply(String.valueOf(e.getMessage())));
        }
        report(notification, result, log);
        return result;
    }

    private NotificationResult deliver(Notification n) throws InterruptedException {
        URI uri = webhookUri();
        if (uri == null) {
            return new NotificationResult(false, 0, -1, Duration.ZERO,
                    "the Discord webhook URL is missing or is not an http(s) URL");
        }
        String body = mask.apply(DiscordPayload.json(n, clock.instant()));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Content-Type", "application/json").header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            Outcome o = attempt(request);
            if (o.status >= 200 && o.status < 300) {
                return new NotificationResult(true, attempt, o.status, waited,
                        "sent" + (attempt > 1 ? " after " + attempt + " attempts" : ""));
            }
            Duration wait = o.serverWait != null ? o.serverWait : backoff(attempt);
            String stop = whyStop(o, wait, attempt, waited);
            if (stop != null) {
                return new NotificationResult(false, attempt, o.status, waited, o.problem + stop);
            }
            LOGGER.log(Level.FINE, "Discord notification attempt {0} failed ({1}); retrying in {2} ms",
                    new Object[] {attempt, o.problem, wait.toMillis()});
            sleeper.sleep(wait);
            waited = waited.plus(wait);
        }
    }

    /** {@code initialBackoff} doubled for each attempt already made, at most {@code maxWait}. */
    private Duration backoff(int attempt) {
        Duration d = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(maxWait) > 0 ? maxWait : d;
    }

    /** Why to give up after this outcome, or {@code null} to wait and retry. */
    private String whyStop(Outcome o, Duration wait, int attempt, Duration waited) {
        if (!o.retryable) {
            return "";
        }
        if (attempt >= maxAttempts) {
            return "; gave up after " + attempt + " attempts";
        }
        if (wait.compareTo(maxWait) > 0) {
            return "; Discord asked to wait " + seconds(wait) + ", longer than the " + seconds(maxWait)
                    + " allowed, so it was not retried";
        }
        if (waited.plus(wait).compareTo(maxTotalWait) > 0) {
            return "; waiting " + seconds(wait) + " more would exceed the " + seconds(maxTotalWait)
                    + " allowed in all, so it was not retried";
        }
        return null;
    }

    private Outcome attempt(HttpRequest request) throws InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> future =
                client.sendAsync(request, info -> new BoundedBodySubscriber(MAX_BODY));
        try {
            // the request timeout covers the response headers; this bounds the body as well
            HttpResponse<byte[]> r = future.get(requestTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return classify(r.statusCode(), r.headers(), r.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            return Outcome.retry(-1, "no response within " + seconds(requestTimeout), null);
        } catch (ExecutionException e) {
            return networkFailure(e.getCause());
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    private Outcome networkFailure(Throwable cause) {
        String problem;
        if (cause instanceof HttpConnectTimeoutException) {
            problem = "could not connect to Discord within the connect timeout";
        } else if (cause instanceof HttpTimeoutException) {
            problem = "no response within " + seconds(requestTimeout);
        } else if (cause instanceof ConnectException) {
            problem = "could not connect to Discord (" + cause.getClass().getSimpleName() + ")";
        } else if (cause instanceof IOException) {
            problem = "the request failed (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cut(mask.apply(cause.getMessage()))) + ")";
        } else {
            problem = "the request failed (" + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")";
        }
        return Outcome.retry(-1, problem, null);
    }

    private Outcome classify(int status, HttpHeaders headers, byte[] body) {
        if (status >= 200 && status < 300) {
            return Outcome.done(status);
        }
        JsonNode json = parse(body);
        String detail = discordDetail(json);
        if (status == 429) {
            Duration wait = retryAfter(json, headers);
            return Outcome.retry(status, "Discord rate-limited the webhook (HTTP 429" + detail + ")", wait);
        }
        if (status >= 500) {
            Duration asked = header(headers, "Retry-After") == null ? null : retryAfter(null, headers);
            return Outcome.retry(status, "Discord answered HTTP " + status + detail, asked);
        }
        String advice = switch (status) {
            case 401, 403 -> ": Discord refused the webhook; check the credential";
            case 404 -> ": the webhook does not exist (deleted, or a mistyped URL); check the credential";
            case 400 -> ": Discord rejected the message";
            default -> "";
        };
        return Outcome.fail(status, "HTTP " + status + detail + advice);
    }

    /** Discord's {@code retry_after} (seconds, fractional) from the body, else the headers, else one second. */
    static Duration retryAfter(JsonNode json, HttpHeaders headers) {
        Double s = json != null && json.path("retry_after").isNumber() ? json.path("retry_after").asDouble() : null;
        if (s == null) {
            s = header(headers, "Retry-After");
        }
        if (s == null) {
            s = header(headers, "X-RateLimit-Reset-After");
        }
        if (s == null || s.isNaN() || s.isInfinite() || s < 0) {
            return DEFAULT_RATE_LIMIT_WAIT;
        }
        return Duration.ofMillis((long) Math.ceil(Math.min(s, 1e9) * 1000));
    }

    private static Double header(HttpHeaders headers, String name) {
        try {
            return headers.firstValue(name).map(v -> Double.valueOf(v.trim())).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** ", code 50035: Invalid Form Body" from Discord's error JSON, or "". */
    private String discordDetail(JsonNode json) {
        if (json == null || !json.isObject()) {
            return "";
        }
        String message = json.path("message").asText("");
        String code = json.path("code").isNumber() ? "code " + json.path("code").asText() : "";
        String both = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
        return both.isBlank() ? "" : ", " + cut(mask.apply(both));
    }

    private URI webhookUri() {
        if (webhookUrl == null || webhookUrl.isBlank()) {
            return null;
        }
        try {
            URI u = new URI(webhookUrl.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && u.getHost() != null ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private void report(Notification n, NotificationResult r, EngineLog log) {
        String what = n.kind().label().toLowerCase(Locale.ROOT);
        if (r.delivered()) {
            log.info("Discord notification " + r.message() + ".");
            return;
        }
        String line = "Discord notification not sent: " + mask.apply(r.message()) + ". The " + what
                + " result is unaffected.";
        LOGGER.log(Level.WARNING, line);
        log.warn(line);
    }

    private static String cut(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + DiscordPayload.ELLIPSIS;
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Never the URL. */
    @Override
    public String toString() {
        return "DiscordWebhookNotifier[" + WebhookMask.MASK + "]";
    }

    /** One attempt's result: success, a failure worth retrying, or a final failure. */
    private static final class Outcome {
        private final int status;
        private final String problem;
        private final boolean retryable;
        /** The wait the server asked for; {@code null} lets the backoff decide. */
        private final Duration serverWait;

        private Outcome(int status, String problem, boolean retryable, Duration serverWait) {
            this.status = status;
            this.problem = problem;
            this.retryable = retryable;
            this.serverWait = serverWait;
        }

        static Outcome done(int status) {
            return new Outcome(status, "", false, null);
        }

        static Outcome fail(int status, String problem) {
            return new Outcome(status, problem, false, null);
        }

        static Outcome retry(int status, String problem, Duration serverWait) {
            return new Outcome(status, problem, true, serverWait);
        }
    }

    /** Settings; the defaults suit a build that should not wait long for a chat message. */
    public static final class Builder {
        private final String webhookUrl;
        private HttpClient client;
        private HttpClient.Builder clientBuilder;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private int maxAttempts = 4;
        private Duration maxWait = Duration.ofSeconds(30);
        private Duration maxTotalWait = Duration.ofSeconds(60);
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Sleeper sleeper = Sleeper.SYSTEM;
        private Clock clock = Clock.systemUTC();

        private Builder(String webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        /** A ready client (its own connect timeout and proxy apply); the connect timeout here is then unused. */
        public Builder httpClient(HttpClient value) {
            this.client = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /** A client builder to complete, such as one preconfigured with Jenkins' proxy settings. */
        public Builder httpClientBuilder(HttpClient.Builder value) {
            this.clientBuilder = Objects.requireNonNull(value, "httpClientBuilder");
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        /** How long to wait for Discord's answer to one request. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive(value, "requestTimeout");
            return this;
        }

        /** Requests sent at most, the first included. */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
            this.maxAttempts = value;
            return this;
        }

        /** The longest single wait; a rate limit asking for more is not waited out. */
        public Builder maxWait(Duration value) {
            this.maxWait = positive(value, "maxWait");
            return this;
        }

        /** The most time spent waiting between attempts, all waits together. */
        public Builder maxTotalWait(Duration value) {
            this.maxTotalWait = positive(value, "maxTotalWait");
            return this;
        }

        /** The first backoff after a 5xx or network failure; it doubles with each attempt, up to {@code maxWait}. */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = positive(value, "initialBackoff");
            return this;
        }

        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /** The time shown on notifications without their own. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public DiscordWebhookNotifier build() {
            return new DiscordWebhookNotifier(this);
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return d;
        }
    }
}
