package io.jenkins.plugins.pgbackup.notify;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;

/** How a notification fared. Never holds the webhook URL. */
public final class NotificationResult implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final boolean delivered;
    private final int attempts;
    private final int httpStatus;
    private final Duration waited;
    private final String message;

    NotificationResult(boolean delivered, int attempts, int httpStatus, Duration waited, String message) {
        this.delivered = delivered;
        this.attempts = attempts;
        this.httpStatus = httpStatus;
        this.waited = waited;
        this.message = message;
    }

    /** Whether Discord accepted the message (HTTP 2xx). */
    public boolean delivered() {
        return delivered;
    }

    /** Requests sent, 0 when none could be. */
    public int attempts() {
        return attempts;
    }

    /** The last HTTP status received, -1 when no response came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Time spent waiting between attempts (rate limits and backoff). */
    public Duration waited() {
        return waited;
    }

    /** What happened, for the build log: "sent", or why not. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return message;
    }
}
