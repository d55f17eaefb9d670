package io.jenkins.plugins.pgbackup.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.pgbackup.config.DatabaseConnection;
import io.jenkins.plugins.pgbackup.config.DiscordNotification;
import io.jenkins.plugins.pgbackup.config.PgBackupGlobalConfiguration;
import io.jenkins.plugins.pgbackup.config.RetentionSettings;
import io.jenkins.plugins.pgbackup.config.StorageTarget;
import java.beans.Introspector;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** Every field a user can set, on any form, has a {@code help-FIELD.html} next to its class, and the step's form. */
class HelpFilesTest {

    /** Constructor parameters and setter properties, as Stapler and structs bind them. */
    static Set<String> dataBoundProperties(Class<?> c) {
        Set<String> names = new TreeSet<>();
        for (Constructor<?> k : c.getConstructors()) {
            if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : k.getParameters()) {
                    names.add(p.getName());
                }
            }
        }
        for (Method m : c.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                names.add(Introspector.decapitalize(m.getName().substring(3)));
            }
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(classes = {PgBackupStep.class, PgRestoreStep.class, PgVerifyStep.class, DatabaseConnection.class, StorageTarget.class,
        DiscordNotification.class, RetentionSettings.class, PgBackupGlobalConfiguration.class})
    void everyFieldHasAHelpFile(Class<?> c) throws IOException {
        Set<String> fields = dataBoundProperties(c);
        assertTrue(fields.size() >= 3, c + " " + fields);
        for (String f : fields) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + "/help-" + f + ".html")) {
                assertNotNull(in, c.getSimpleName() + "/help-" + f + ".html");
                String html = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                assertTrue(html.startsWith("<div>") && html.endsWith("</div>"), c.getSimpleName() + "." + f);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {PgBackupStep.class, PgRestoreStep.class, PgVerifyStep.class, PgBackupBuilder.class,
        PgRestoreBuilder.class, PgVerifyBuilder.class})
    void everyStepHasOverallHelp(Class<?> c) {
        assertNotNull(c.getResource(c.getSimpleName() + "/help.html"), c.getSimpleName());
    }

    @ParameterizedTest
    @ValueSource(classes = {PgBackupStep.class, PgRestoreStep.class, PgVerifyStep.class})
    void buildStepsAcceptExactlyThePipelineStepsArguments(Class<?> step) throws ClassNotFoundException {
        Class<?> builder = Class.forName(step.getName().replace("Step", "Builder"));
        assertEquals(dataBoundProperties(step), dataBoundProperties(builder));
    }

    @ParameterizedTest
    @ValueSource(classes = {PgBackupStep.class, PgRestoreStep.class, PgVerifyStep.class})
    void theFormBindsEveryArgumentWithItsHelp(Class<?> step) throws IOException {
        String jelly;
        try (InputStream in = step.getResourceAsStream(step.getSimpleName() + "/config.jelly")) {
            jelly = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String f : dataBoundProperties(step)) {
            assertTrue(jelly.contains("field=\"" + f + "\" help=\"${pgHelp}" + f + "\"")
                    || jelly.contains("field=\"" + f + "\"") && jelly.contains("help=\"${pgHelp}" + f + "\""),
                    step.getSimpleName() + " form lacks " + f);
        }
        List.of("escape-by-default='true'").forEach(s -> assertTrue(jelly.contains(s)));
    }
}
