package io.jenkins.plugins.pgbackup.steps;

import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jars the agent side of a backup or restore loads classes from, named by one class in each jar. An agent
 * otherwise fetches these classes from the controller one at a time (about 2,500 round trips on a fresh agent), so
 * {@link AgentPreload} sends the whole jars first. {@code AgentJarsTest} runs a real backup and restore with class
 * loading logged and fails when the agent side reads a jar that is not named here, or when one named here is not read.
 *
 * <p>Not named: what Jenkins core and remoting provide (the agent has them, or core serves them: {@code slf4j-api},
 * {@code jcl-over-slf4j}), and the JDK. The list follows the versions the plugins bring; the test says when it no
 * longer matches.
 */
final class AgentJars {

    private AgentJars() {}

    /** One class per jar; which plugin brings the jar is decided at run time by each class's loader. */
    static List<Class<?>> anchors() {
        return List.of(
                // this plugin
                EngineBridge.class,
                // postgresql-api: pgJDBC, for detecting the server's version
                org.postgresql.Driver.class,
                // aws-java-sdk2-s3
                software.amazon.awssdk.services.s3.S3Client.class,
                software.amazon.awssdk.transfer.s3.S3TransferManager.class,
                // aws-java-sdk2-core
                software.amazon.awssdk.core.SdkBytes.class,
                software.amazon.awssdk.awscore.AwsRequest.class,
                software.amazon.awssdk.regions.Region.class,
                software.amazon.awssdk.utils.IoUtils.class,
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.class,
                software.amazon.awssdk.http.SdkHttpClient.class,
                software.amazon.awssdk.http.apache.ApacheHttpClient.class,
                software.amazon.awssdk.http.auth.scheme.NoAuthAuthScheme.class,
                software.amazon.awssdk.http.auth.spi.signer.HttpSigner.class,
                software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.class,
                software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.class,
                software.amazon.awssdk.protocols.core.OperationInfo.class,
                software.amazon.awssdk.protocols.xml.AwsS3ProtocolFactory.class,
                software.amazon.awssdk.protocols.query.AwsQueryProtocolFactory.class,
                software.amazon.awssdk.protocols.jsoncore.JsonNode.class,
                software.amazon.awssdk.thirdparty.jackson.core.JsonFactory.class,
                software.amazon.awssdk.checksums.SdkChecksum.class,
                software.amazon.awssdk.checksums.spi.ChecksumAlgorithm.class,
                software.amazon.awssdk.endpoints.EndpointProvider.class,
                software.amazon.awssdk.metrics.MetricCollector.class,
                software.amazon.awssdk.profiles.ProfileFile.class,
                software.amazon.awssdk.retries.api.RetryStrategy.class,
                software.amazon.awssdk.retries.StandardRetryStrategy.class,
                org.reactivestreams.Publisher.class,
                // apache-httpcomponents-client-4-api: the SDK's HTTP client underneath
                org.apache.http.client.HttpClient.class,
                org.apache.http.HttpRequest.class,
                // jackson2-api: the backup manifest's JSON, and the StAX implementation the SDK's XML parser finds
                com.fasterxml.jackson.databind.ObjectMapper.class,
                com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class,
                com.ctc.wstx.stax.WstxInputFactory.class,
                org.codehaus.stax2.XMLStreamReader2.class);
    }

    /**
     * The anchors grouped by the class loader that defined them, in order: each plugin has its own loader on the
     * controller and so its own class loader on the agent, and a jar helps only in the loader that owns it.
     */
    static Map<ClassLoader, List<Class<?>>> byLoader(List<Class<?>> anchors) {
        Map<ClassLoader, List<Class<?>>> groups = new LinkedHashMap<>();
        for (Class<?> c : anchors) {
            ClassLoader loader = c.getClassLoader();
            // The JDK's classes are on every agent; a class from a directory (a development run) has no jar to send.
            if (loader != null && inJar(c)) {
                groups.computeIfAbsent(loader, l -> new ArrayList<>()).add(c);
            }
        }
        return groups;
    }

    static boolean inJar(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        return location != null && location.getPath().endsWith(".jar");
    }
}
