package io.jenkins.plugins.pgbackup.signing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code and message of S3's XML error body, as the agent's presigned requests receive it without an SDK to parse
 * it: for the messages of a refused part upload or download.
 */
final class S3ErrorBody {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private S3ErrorBody() {}

    /** AccessDenied, SignatureDoesNotMatch, NoSuchUpload...; {@code null} when the body names none. */
    static String code(String body) {
        return first(CODE, body);
    }

    /** The human-readable message; {@code null} when the body has none. */
    static String message(String body) {
        return first(MESSAGE, body);
    }

    private static String first(Pattern p, String body) {
        if (body == null) {
            return null;
        }
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
