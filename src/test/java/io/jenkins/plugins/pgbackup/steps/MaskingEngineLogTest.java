package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.pgbackup.engine.EngineLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskingEngineLogTest {

    @Test
    void masksEverySecretInInfoAndWarnings() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.to(out), List.of("hunter2", "AWS/secret+key"));
        log.info("connecting with hunter2 twice: hunter2");
        log.warn("S3 said: signature for AWS/secret+key does not match");
        log.info("nothing secret here");
        assertEquals(List.of("connecting with **** twice: ****",
                "WARNING: S3 said: signature for **** does not match", "nothing secret here"),
                Arrays.asList(bytes.toString(StandardCharsets.UTF_8).split("\\R")));
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.none(), List.of("pass", "password123"));
        assertEquals("x **** y ****", log.mask("x password123 y pass"));
    }

    @Test
    void emptySecretsAndNullLinesAreHarmless() {
        MaskingEngineLog log = new MaskingEngineLog(EngineLog.none(), Arrays.asList("", null, "s"));
        assertEquals("****ecret", log.mask("secret"));
        assertNull(log.mask(null));
    }
}
