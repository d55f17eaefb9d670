package io.jenkins.plugins.pgbackup.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The backups page's markup as a person reads it, checked offline (the page itself renders only on a real Jenkins,
 * see {@link BackupsPageJenkinsTest}): Jelly trims the whitespace at the edges of every text, so a space between two
 * values must not sit there ("15(15.18)"); long values show short with the whole value on hover; the table may
 * scroll instead of running off the page; the "Check now" form keeps its distance from the next heading.
 */
class BackupsPageViewTest {
    private static final Path PAGE = Path.of("src/main/resources/io/jenkins/plugins/pgbackup/page");
    private static final String LAYOUT = "/lib/layout";
    /** Spaces with no line break at a text's edge: Jelly drops them, gluing the text to its neighbour. */
    private static final Pattern EDGE_SPACE = Pattern.compile("^[ \\t]+\\S|\\S[ \\t]+$");

    private static Document parse(String view) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(PAGE.resolve(view).toFile());
    }

    private static List<Element> elements(Document d, String ns, String name) {
        NodeList l = d.getElementsByTagNameNS(ns, name);
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < l.getLength(); i++) {
            result.add((Element) l.item(i));
        }
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {"BackupsPage/index.jelly", "FreshnessMonitor/message.jelly"})
    void noTextReliesOnASpaceJellyTrims(String view) throws Exception {
        List<String> glued = new ArrayList<>();
        collectGlued(parse(view).getDocumentElement(), glued);
        assertEquals(List.of(), glued);
    }

    private static void collectGlued(Node n, List<String> glued) {
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeType() == Node.TEXT_NODE && EDGE_SPACE.matcher(c.getNodeValue()).find()) {
                glued.add("'" + c.getNodeValue() + "' in <" + n.getNodeName() + ">");
            }
            collectGlued(c, glued);
        }
    }

    @Test
    void theChecksumShowsItsPrefixWithTheWholeValueOnHoverAndACopyButton() throws Exception {
        Document d = parse("BackupsPage/index.jelly");
        Element code = elements(d, "", "code").stream()
                .filter(e -> e.getAttribute("class").contains("pgbackup-sha256")).findFirst().orElseThrow();
        assertEquals("${r.sha256Short}", code.getTextContent().trim());
        assertEquals("${r.sha256}", code.getAttribute("title"));
        assertTrue(elements(d, LAYOUT, "copyButton").stream()
                .anyMatch(b -> b.getAttribute("text").equals("${r.sha256}")), "a copy button for the SHA-256");
        assertFalse(d.getDocumentElement().getTextContent().contains("${r.sha256}"),
                "the whole checksum is never the cell's text");
    }

    @Test
    void timesReadAsAgesWithTheExactTimeOnHover() throws Exception {
        Document d = parse("BackupsPage/index.jelly");
        String text = d.getDocumentElement().getTextContent();
        // the raw instants ("2026-12-06T11:14:46.711868347Z") are no longer shown
        assertFalse(text.contains("${r.madeAt}") || text.contains("${it.lastCheck}") || text.contains("verifyText"),
                text);
        for (String[] ageAndTime : new String[][] {{"${%age(r.age)}", "${r.madeAtExact}"},
                {"${%age(r.verifyAge)}", "${r.verifyAtExact}"},
                {"${%lastCheck(it.lastCheckAge)}", "${it.lastCheckTime}"}}) {
            Element shown = elementWithText(d.getDocumentElement(), ageAndTime[0]);
            assertNotNull(shown, ageAndTime[0]);
            assertEquals(ageAndTime[1], shown.getAttribute("title"), ageAndTime[0]);
        }
    }

    /** The innermost element whose whole text is {@code text}. */
    private static Element elementWithText(Element e, String text) {
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child) {
                Element found = elementWithText(child, text);
                if (found != null) {
                    return found;
                }
            }
        }
        return e.getTextContent().trim().equals(text) ? e : null;
    }

    @Test
    void theTableScrollsInsideThePageAndCheckNowKeepsItsDistance() throws Exception {
        Document d = parse("BackupsPage/index.jelly");
        Element table = elements(d, "", "table").get(0);
        Element wrapper = (Element) table.getParentNode();
        assertEquals("pgbackup-table-scroll", wrapper.getAttribute("class"));
        String css = Files.readString(PAGE.resolve("BackupsPage/backups.css"));
        assertTrue(Pattern.compile("\\.pgbackup-table-scroll\\s*\\{[^}]*overflow-x:\\s*auto").matcher(css).find(),
                css);
        assertTrue(elements(d, "jelly:stapler", "adjunct").stream().anyMatch(a -> a.getAttribute("includes")
                .equals("io.jenkins.plugins.pgbackup.page.BackupsPage.backups")), "the page loads its style sheet");

        Element form = elements(d, "/lib/form", "form").get(0);
        assertEquals("checkNow", form.getAttribute("name"));
        assertTrue(((Element) form.getParentNode()).getAttribute("class").matches(".*jenkins-!-margin-bottom-[1-6].*"),
                "space between the button and the first target's heading");
    }
}
