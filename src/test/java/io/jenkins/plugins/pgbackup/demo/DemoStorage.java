package io.jenkins.plugins.pgbackup.demo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.filesystem.reference.FilesystemConstants;

/**
 * The demo's S3 API: S3Proxy 3.0.0 on a free loopback port, AWS signature v4 with the demo's key pair, over a
 * jclouds {@code filesystem} blob store in {@code <demo>/s3} (kept, so a second start lists the first one's backups),
 * with the bucket {@value #BUCKET}.
 */
public final class DemoStorage implements AutoCloseable {
    /** The bucket the demo's backups go to. */
    public static final String BUCKET = "demo-backups";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    private DemoStorage(BlobStoreContext context, S3Proxy proxy) {
        this.context = context;
        this.proxy = proxy;
    }

    public static DemoStorage start(Path dir, DemoSecrets secrets) throws Exception {
        Path base = dir.resolve("s3");
        Files.createDirectories(base);
        Properties overrides = new Properties();
        overrides.setProperty(FilesystemConstants.PROPERTY_BASEDIR, base.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("identity", "credential")
                .overrides(overrides).build(BlobStoreContext.class);
        try {
            // false when it exists: a second start keeps the bucket and what is in it
            context.getBlobStore().createContainerInLocation(null, BUCKET);
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V4, secrets.s3AccessKey(), secrets.s3SecretKey())
                    // the AWS SDK sends x-amz- headers S3Proxy does not know (see S3ProxyServer)
                    .ignoreUnknownHeaders(true)
                    .build();
            proxy.start();
            while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
                Thread.sleep(10);
            }
            return new DemoStorage(context, proxy);
        } catch (Exception e) {
            context.close();
            throw e;
        }
    }

    /** Where S3 clients reach it, such as {@code http://127.0.0.1:43567}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Stops the server; the objects stay for the next start. */
    @Override
    public void close() throws Exception {
        try {
            proxy.stop();
        } finally {
            context.close();
        }
    }
}
