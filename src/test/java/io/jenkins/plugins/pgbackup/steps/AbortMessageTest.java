package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.dump.BackupException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The message a failed step ends with: the cause first, no class names. */
class AbortMessageTest {

    @Test
    void aFailureThatArrivedAsAProxyExceptionLosesTheClassNamesInFront() {
        // remoting's ProxyException takes the original's toString() as its message
        IOException proxied = new IOException("io.jenkins.plugins.pgbackup.dump.BackupException: Cannot reach the S3 "
                + "endpoint http://127.0.0.1:9: connection refused. Nothing was dumped or stored.");
        assertEquals("Cannot reach the S3 endpoint http://127.0.0.1:9: connection refused. Nothing was dumped or "
                + "stored.", RunnerSupport.abortMessage(proxied));
    }

    @Test
    void nestedClassNamesAreAllDropped() {
        IOException e = new IOException("java.io.IOException: software.amazon.awssdk.core.exception."
                + "SdkClientException: Unable to execute HTTP request: Connect to 127.0.0.1:9 failed");
        assertEquals("Unable to execute HTTP request: Connect to 127.0.0.1:9 failed", RunnerSupport.abortMessage(e));
    }

    @Test
    void aMessageThatLeadsWithTheCauseIsKeptAsItIs() {
        String m = "Bucket nosuch does not exist at http://127.0.0.1:4566 (NoSuchBucket, HTTP 404): create it, or "
                + "correct the bucket name or the endpoint. Nothing was dumped or stored.";
        assertEquals(m, RunnerSupport.abortMessage(new BackupException(m)));
        String time = "pg_dump failed with exit code 1, nothing was stored: pg_dump: error: connection to server at "
                + "\"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"app\"";
        assertEquals(time, RunnerSupport.abortMessage(new BackupException(time)));
    }

    @Test
    void aFailureWithoutAMessageSaysSo() {
        String m = RunnerSupport.abortMessage(new IOException());
        assertTrue(m.contains("without a message") && m.contains("IOException"), m);
    }
}
