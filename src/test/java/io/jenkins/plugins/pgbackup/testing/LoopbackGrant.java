package io.jenkins.plugins.pgbackup.testing;

import io.jenkins.plugins.pgbackup.signing.BackupGrant;
import io.jenkins.plugins.pgbackup.signing.PartUrl;
import io.jenkins.plugins.pgbackup.storage.BackupManifest;
import io.jenkins.plugins.pgbackup.storage.BackupMetadata;
import io.jenkins.plugins.pgbackup.storage.ObjectHead;
import io.jenkins.plugins.pgbackup.storage.UploadedPart;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a remoting channel makes of an exported {@link BackupGrant}, in one JVM: a small serializable reference that
 * holds only an id, and forwards each call to the object exported under it. Lets engine tests serialize what the agent
 * receives, search the bytes for the keys, and run the engine on the deserialized copy. Counts the calls per method.
 */
public final class LoopbackGrant implements BackupGrant, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Map<String, BackupGrant> EXPORTED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    private final String id;

    private LoopbackGrant(String id) {
        this.id = id;
    }

    /** A reference to {@code grant}, as {@code Channel.export} gives one. */
    public static LoopbackGrant export(BackupGrant grant) {
        String id = UUID.randomUUID().toString();
        EXPORTED.put(id, grant);
        return new LoopbackGrant(id);
    }

    /** How many calls of {@code method} reached the exported grant through this reference. */
    public int calls(String method) {
        AtomicInteger n = CALLS.get(id + "#" + method);
        return n == null ? 0 : n.get();
    }

    private BackupGrant target(String method) throws IOException {
        CALLS.computeIfAbsent(id + "#" + method, k -> new AtomicInteger()).incrementAndGet();
        BackupGrant g = EXPORTED.get(id);
        if (g == null) {
            throw new IOException("The channel is closed");
        }
        return g;
    }

    /** Closes the channel: every later call fails as a call over a closed channel does. */
    public void unexport() {
        EXPORTED.remove(id);
    }

    @Override
    public void checkWritable() throws IOException, InterruptedException {
        target("checkWritable").checkWritable();
    }

    @Override
    public void requireAbsent(String key) throws IOException {
        target("requireAbsent").requireAbsent(key);
    }

    @Override
    public String createUpload(String key, BackupMetadata metadata) throws IOException {
        return target("createUpload").createUpload(key, metadata);
    }

    @Override
    public List<PartUrl> partUrls(String key, String uploadId, int first, int count) throws IOException {
        return target("partUrls").partUrls(key, uploadId, first, count);
    }

    @Override
    public void complete(String key, String uploadId, List<UploadedPart> parts) throws IOException {
        target("complete").complete(key, uploadId, parts);
    }

    @Override
    public ObjectHead head(String key) throws IOException {
        return target("head").head(key);
    }

    @Override
    public String writeManifest(BackupManifest manifest) throws IOException {
        return target("writeManifest").writeManifest(manifest);
    }

    @Override
    public boolean abort(String key, String uploadId, Duration timeout) throws IOException {
        return target("abort").abort(key, uploadId, timeout);
    }

    @Override
    public List<String> openUploads(String key, Duration timeout) throws IOException {
        return target("openUploads").openUploads(key, timeout);
    }

    @Override
    public void delete(String key, Duration timeout) throws IOException {
        target("delete").delete(key, timeout);
    }

    @Override
    public void deleteStored(String key) throws IOException {
        target("deleteStored").deleteStored(key);
    }
}
