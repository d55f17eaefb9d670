package io.jenkins.plugins.pgbackup.views;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.ext.DefaultHandler2;

/**
 * Reads a Jelly view the way Jelly and Stapler do and checks every {@code ${...}} against the JEXL 1.1 grammar, so a
 * view that a real Jenkins cannot compile fails the build here.
 *
 * <p>What is an expression follows Jelly's {@code CompositeExpression.parse}: only attribute values and text are
 * scanned (comments and processing instructions are not), {@code $$} is a literal {@code $}, and an expression ends
 * at the first {@code }} outside a quoted string (Jelly does not count nested braces, and a backslash does not escape
 * a quote). What is JEXL follows Stapler's {@code CustomJellyContext}: {@code ${%Key}} is a localised message whose
 * optional arguments, {@code ${%Key(a, b)}}, are each JEXL; a {@code '%Key'} string literal inside an expression
 * becomes a variable; everything else goes to {@code org.apache.commons.jexl.ExpressionFactory#createExpression},
 * exactly as Jelly's {@code JexlExpressionFactory} calls it.
 *
 * <p>Jenkins runs a fork of JEXL 1.1 ({@code org.jenkins-ci:commons-jexl:1.1-jenkins-20111212}, not on Maven Central)
 * that adds the conditional operators {@code a ? b : c} and {@code a ?: b}. The original grammar ({@link Jexl11}, in a
 * class loader of its own) has neither, so a conditional is split into its operands and each operand is parsed: what
 * the fork accepts passes, and a mistake inside an operand still fails.
 */
final class JellyExpressions {

    /** One {@code ${...}} and where it is. */
    record Expression(Path file, int line, String text) {
        @Override
        public String toString() {
            return file + ":" + line + ": ${" + text + "}";
        }
    }

    /** What is wrong with a view; empty when nothing is. */
    record Report(Path file, List<Expression> expressions, List<String> problems) {}

    private static final Pattern RESOURCE_LITERAL = Pattern.compile("(\"%[^\"]+\")|('%[^']+')");

    private JellyExpressions() {}

    /** Parses the file as XML, then every expression in it as JEXL 1.1. */
    static Report check(Path file) throws IOException {
        List<Expression> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            found.addAll(expressionsOf(file));
        } catch (SAXException | IllegalArgumentException e) {
            problems.add(file + ": " + e.getMessage());
        }
        for (Expression e : found) {
            String problem = parseProblem(e.text());
            if (problem != null) {
                problems.add(e + ": " + problem);
            }
        }
        return new Report(file, found, problems);
    }

    /** {@code null} when the expression compiles the way Stapler compiles it, else why not. */
    static String parseProblem(String expression) {
        int open = expression.indexOf('(');
        if (expression.startsWith("%") && open > 0 && Character.isWhitespace(expression.charAt(open - 1))) {
            // Stapler reads "%Timeout (minutes)" as the message "Timeout " with the argument "minutes": the page
            // shows the text cut at the parenthesis.
            return "a parenthesis in a localised text starts its message arguments: the page shows only \""
                    + expression.substring(1, open) + "\"";
        }
        try {
            for (String jexl : jexlParts(expression)) {
                for (String operand : conditionalOperands(jexl)) {
                    Jexl11.parse(operand);
                }
            }
            return null;
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** The JEXL texts inside one {@code ${...}}: its arguments for a localised message, else itself. */
    static List<String> jexlParts(String expression) {
        if (expression.startsWith("%")) {
            return messageArguments(expression);
        }
        Matcher m = RESOURCE_LITERAL.matcher(expression);
        StringBuilder jexl = new StringBuilder();
        int n = 0;
        while (m.find()) {
            m.appendReplacement(jexl, Matcher.quoteReplacement("__resourceLiteral__" + n++ + "__.evaluate(context)"));
        }
        m.appendTail(jexl);
        return List.of(jexl.toString());
    }

    /**
     * The operands of the fork's conditional operators, or the expression itself when it has none: {@code a ? b : c}
     * gives [a, b, c], {@code a ?: b} gives [a, b], nested ones are split further. Quoted strings and brackets are
     * skipped; a {@code ?} without its {@code :} is left to the parser, which rejects it.
     */
    static List<String> conditionalOperands(String jexl) {
        int q = topLevel(jexl, 0, '?');
        if (q < 0) {
            return List.of(jexl);
        }
        List<String> operands = new ArrayList<>();
        operands.add(jexl.substring(0, q));
        if (q + 1 < jexl.length() && jexl.charAt(q + 1) == ':') {
            operands.addAll(conditionalOperands(jexl.substring(q + 2)));
            return operands;
        }
        int colon = matchingColon(jexl, q + 1);
        if (colon < 0) {
            return List.of(jexl);
        }
        operands.addAll(conditionalOperands(jexl.substring(q + 1, colon)));
        operands.addAll(conditionalOperands(jexl.substring(colon + 1)));
        return operands;
    }

    /** The {@code :} that closes the ternary whose {@code ?} ends before {@code from}, past nested ternaries. */
    private static int matchingColon(String jexl, int from) {
        int open = 0;
        for (int i = topLevelAny(jexl, from); i >= 0; i = topLevelAny(jexl, i + 1)) {
            if (jexl.charAt(i) == '?') {
                boolean elvis = i + 1 < jexl.length() && jexl.charAt(i + 1) == ':';
                open += elvis ? 0 : 1;
                i += elvis ? 1 : 0;
            } else if (open == 0) {
                return i;
            } else {
                open--;
            }
        }
        return -1;
    }

    private static int topLevel(String jexl, int from, char wanted) {
        for (int i = topLevelAny(jexl, from); i >= 0; i = topLevelAny(jexl, i + 1)) {
            if (jexl.charAt(i) == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The next {@code ?} or {@code :} at or after {@code from} outside brackets and quoted strings, else -1. */
    private static int topLevelAny(String jexl, int from) {
        int depth = 0;
        for (int i = from; i < jexl.length(); i++) {
            char c = jexl.charAt(i);
            if (c == '"' || c == '\'') {
                int close = jexl.indexOf(c, i + 1);
                if (close < 0) {
                    return -1;
                }
                i = close;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if ((c == '?' || c == ':') && depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** "%Key(a, f(b, c))" gives [a, f(b, c)]: top-level commas split, brackets and quoted strings do not. */
    static List<String> messageArguments(String expression) {
        int open = expression.indexOf('(');
        if (open < 0) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        String rest = expression.substring(open + 1);
        while (!rest.isEmpty()) {
            int end = argumentEnd(rest, expression);
            args.add(rest.substring(0, end));
            rest = rest.substring(end + 1);
        }
        return args;
    }

    private static int argumentEnd(String text, String expression) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == ',' || c == ')') && depth == 0) {
                return i;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                if (close < 0) {
                    break;
                }
                i = close;
            }
        }
        throw new IllegalArgumentException("${" + expression + "} is missing ')' at the end");
    }

    /** The texts of the {@code ${...}} in one attribute value or run of text, as Jelly splits it. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            boolean dollar = text.charAt(i) == '$' && i + 1 < text.length();
            if (dollar && text.charAt(i + 1) == '$') {
                i += 2;
            } else if (dollar && text.charAt(i + 1) == '{') {
                i = readExpression(text, i + 2, out);
            } else {
                i++;
            }
        }
        return out;
    }

    private static int readExpression(String text, int start, List<String> out) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '}') {
                out.add(text.substring(start, i));
                return i + 1;
            }
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, i + 1);
                i = close < 0 ? text.length() : close;
            }
            i++;
        }
        throw new IllegalArgumentException("'}' missing at the end of ${" + text.substring(start) + "}");
    }

    private static List<Expression> expressionsOf(Path file) throws IOException, SAXException {
        Collector collector = new Collector(file);
        try (InputStream in = Files.newInputStream(file)) {
            SAXParser parser = parserFactory().newSAXParser();
            parser.setProperty("http://xml.org/sax/properties/lexical-handler", collector);
            parser.parse(in, collector);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        return collector.found;
    }

    private static SAXParserFactory parserFactory() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f;
    }

    /** Attribute values and text runs (comments are skipped by SAX), each at the line where it ends. */
    private static final class Collector extends DefaultHandler2 {
        private final Path file;
        private final List<Expression> found = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private Locator locator;

        Collector(Path file) {
            this.file = file;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) {
            flushText();
            for (int i = 0; i < attributes.getLength(); i++) {
                add(attributes.getValue(i));
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            flushText();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            text.append(ch, start, length);
        }

        @Override
        public void comment(char[] ch, int start, int length) {
            flushText();
        }

        private void flushText() {
            add(text.toString());
            text.setLength(0);
        }

        private void add(String value) {
            int line = locator == null ? 0 : locator.getLineNumber();
            for (String e : split(value)) {
                found.add(new Expression(file, line, e));
            }
        }
    }
}
