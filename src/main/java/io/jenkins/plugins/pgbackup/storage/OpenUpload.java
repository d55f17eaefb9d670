package io.jenkins.plugins.pgbackup.storage;

import java.time.Instant;

/**
 * A multipart upload that was started and neither completed nor aborted: its parts stay stored, and billed, until it
 * is aborted or a lifecycle rule removes it.
 *
 * @param initiated when it was started, as the server says; {@code null} if it does not
 */
public record OpenUpload(String key, String uploadId, Instant initiated) {}
