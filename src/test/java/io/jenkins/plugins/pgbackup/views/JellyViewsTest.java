package io.jenkins.plugins.pgbackup.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every view of the plugin is well-formed XML and every {@code ${...}} in it compiles with JEXL 1.1, as Stapler
 * compiles it on a real Jenkins ({@code size}, {@code empty}, {@code not}... are keywords there).
 */
class JellyViewsTest {

    private static final Path VIEWS = Path.of("src/main/resources");

    @TestFactory
    Stream<DynamicTest> everyViewOfThePluginCompiles() throws IOException {
        List<Path> views = jellyFiles(VIEWS);
        assertTrue(views.size() >= 14, "expected the plugin's views under " + VIEWS.toAbsolutePath() + ": " + views);
        return views.stream().map(v -> DynamicTest.dynamicTest(VIEWS.relativize(v).toString(), () -> {
            JellyExpressions.Report report = JellyExpressions.check(v);
            assertEquals(List.of(), report.problems());
        }));
    }

    @Test
    void theBuildPageViewsAreActuallyRead() throws IOException {
        Path backup = VIEWS.resolve("io/jenkins/plugins/pgbackup/action/BackupAction/index.jelly");
        JellyExpressions.Report report = JellyExpressions.check(backup);
        List<String> texts = report.expressions().stream().map(JellyExpressions.Expression::text).toList();
        assertTrue(texts.contains("it.sizeText"), texts.toString());
        assertTrue(texts.contains("!it.pruned.isEmpty()"), texts.toString());
        assertTrue(texts.contains("%Retention dry run: would prune"), texts.toString());
        assertTrue(texts.size() > 20, texts.toString());
    }

    /** Each fixture has one mistake; the report names the file, the line where it is known and the expression. */
    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', value = {
        "keyword.jelly | keyword.jelly:4: ${it.size}: ParseException | a reserved word, as on the real Jenkins",
        "keyword-in-conditional.jelly | ${it.ok ? it.size : 0}: ParseException | a reserved word in a ternary",
        "syntax.jelly | ${it.pruned.isEmpty(} | a syntax error",
        "message-argument.jelly | ${%Downloaded(it.size)} | an argument of a localised message",
        "parenthetical.jelly | ${%Timeout (minutes)}: a parenthesis in a localised text | a text cut by Stapler",
        "malformed.jelly | malformed.jelly | XML that is not well-formed",
        "unterminated.jelly | missing at the end of ${it.database} | an expression without its closing brace"})
    void aViewWithAMistakeFails(String fixture, String expected, String what) throws Exception {
        List<String> problems = JellyExpressions.check(fixture(fixture)).problems();
        assertEquals(1, problems.size(), what + ": " + problems);
        assertTrue(problems.get(0).contains(expected), problems.get(0));
    }

    @Test
    void messagesHelpersQuotesEscapesAndCommentsAreReadAsStaplerReadsThem() throws Exception {
        JellyExpressions.Report report = JellyExpressions.check(fixture("good.jelly"));
        assertEquals(List.of(), report.problems());
        List<String> texts = report.expressions().stream().map(JellyExpressions.Expression::text).toList();
        assertEquals(List.of("it.run", "%Server version", "%Pruned(it.pruned.size(), h.escape('a,b)'))",
                "!it.pruned.isEmpty() && it.getSize() != 0", "h.getIconFilePath(it)", "it.label != '}'",
                "it.kind == '%Other' || it.kind == \"x}y\"", "attrs.title ?: it.displayName",
                "it.ok ? '%Yes' : (it.count + 1)", "a ? b ? 'c:d' : e : f ?: g"), texts);
    }

    /** Jenkins' fork of JEXL has conditionals; each operand is parsed by the original grammar. */
    @Test
    void conditionalsAreSplitIntoTheirOperandsAsJenkinsForkReadsThem() {
        assertEquals(List.of("it.x"), JellyExpressions.conditionalOperands("it.x"));
        assertEquals(List.of("attrs.a ", " it"), JellyExpressions.conditionalOperands("attrs.a ?: it"));
        assertEquals(List.of("a ", " b ", " c"), JellyExpressions.conditionalOperands("a ? b : c"));
        assertEquals(List.of("a ", " b ", " 'c:d' ", " e ", " f ", " g"),
                JellyExpressions.conditionalOperands("a ? b ? 'c:d' : e : f ?: g"));
        assertEquals(List.of("f('?', x) ", " y[0] "), JellyExpressions.conditionalOperands("f('?', x) ?: y[0] "));
        assertEquals(List.of("a ? b"), JellyExpressions.conditionalOperands("a ? b"), "left to the parser");
        assertTrue(JellyExpressions.parseProblem("a ? b").startsWith("ParseException"));
        assertEquals(null, JellyExpressions.parseProblem("attrs.managementLink ?: it"));
        assertNotNull(JellyExpressions.parseProblem("it.x ?: "), "an empty operand is a mistake");
        assertNotNull(JellyExpressions.parseProblem("? it.x : 1"), "an empty condition is a mistake");
    }

    /**
     * The original JEXL 1.1 must never be on the class path of the tests: on a real Jenkins build it shadows core's fork
     * (same package names) and every page of the Jenkins tests fails to render. Where a JEXL is on it, it is the fork.
     */
    @Test
    void theOriginalJexlIsNotOnTheTestClassPathOnlyInTheViewChecksOwnLoader() throws Exception {
        ClassLoader tests = JellyViewsTest.class.getClassLoader();
        try {
            Class<?> visible = Class.forName("org.apache.commons.jexl.ExpressionFactory", false, tests);
            String jar = visible.getProtectionDomain().getCodeSource().getLocation().getPath();
            assertTrue(jar.contains("jenkins"), "the original JEXL is on the test class path: " + jar);
        } catch (ClassNotFoundException e) {
            // nothing of JEXL on the class path (the offline build): nothing can shadow anything
        }
        ClassLoader isolated = Jexl11.loader();
        assertTrue(isolated != tests && isolated.getParent() == ClassLoader.getPlatformClassLoader(),
                "the view check's JEXL sees nothing of the test class path: " + isolated);
    }

    @Test
    void aMessageIsSplitIntoItsArguments() {
        assertEquals(List.of(), JellyExpressions.jexlParts("%Server version"));
        assertEquals(List.of("it.pruned.size()", " h.escape('a,b)')"),
                JellyExpressions.jexlParts("%Pruned(it.pruned.size(), h.escape('a,b)'))"));
        assertEquals(List.of("__resourceLiteral__0__.evaluate(context) + it.name"),
                JellyExpressions.jexlParts("'%Label' + it.name"));
    }

    private static Path fixture(String name) throws URISyntaxException {
        Path p = Path.of(JellyViewsTest.class.getResource(name).toURI());
        assertTrue(Files.isRegularFile(p), p.toString());
        return p;
    }

    private static List<Path> jellyFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> views = files.filter(p -> p.toString().endsWith(".jelly")).sorted().toList();
            assertFalse(views.isEmpty(), "no .jelly under " + root.toAbsolutePath());
            return views;
        }
    }
}
