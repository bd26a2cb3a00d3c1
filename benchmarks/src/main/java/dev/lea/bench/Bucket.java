package dev.lea.bench;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.lea.config.LeaConfig;
import dev.lea.spi.LeaException;
import dev.lea.store.gcs.GcsSettings;
import dev.lea.store.s3.S3Settings;
import dev.lea.testing.FakeGcsServer;
import dev.lea.testing.InProcessS3;
import dev.lea.testing.SystemProperties;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where a benchmark moves catalogs: a directory for {@code file}, an S3Proxy in this JVM for
 * {@code s3}, the GCS fake in this JVM for {@code gcs}. lea reaches it the way a user configures
 * the store; the floor moves the same bytes there and back with the simplest code that can.
 */
abstract class Bucket implements AutoCloseable {

  static final String NAME = "lea-bench";

  /** Starts the bucket for {@code store} ({@code file}, {@code s3} or {@code gcs}). */
  static Bucket start(String store, Path scratch) throws Exception {
    return switch (store) {
      case "file" -> new FileBucket(Files.createDirectories(scratch.resolve(NAME)));
      case "s3" -> {
        Path directory = Files.createDirectories(scratch.resolve("s3"));
        InProcessS3 server = InProcessS3.start(directory, NAME);
        yield new S3Bucket(server.endpoint(), server);
      }
      case "gcs" -> new GcsBucket();
      default -> throw LeaException.user("Cannot benchmark store '" + store
          + "': expected file, s3 or gcs.");
    };
  }

  /** The bucket of an S3Proxy that another process runs at {@code endpoint}. */
  static Bucket s3At(URI endpoint) {
    return new S3Bucket(endpoint, null);
  }

  /** The URL of {@code key} in this bucket. */
  abstract String url(String key);

  /** {@code config} pointed at this bucket, as a user would set it. */
  abstract LeaConfig configure(LeaConfig config);

  /**
   * The floor: {@code source} stored at {@code key} and read back into {@code target}, with no
   * hashing, metadata or conditions of lea's own; answers the size of {@code target}.
   */
  abstract long floor(Path source, String key, Path target) throws IOException;

  /**
   * {@code Files.copy} there, made durable with one {@code fsync} as any store must, and back:
   * no hashing, no metadata, no atomic rename.
   */
  private static final class FileBucket extends Bucket {
    private final Path root;

    FileBucket(Path root) {
      this.root = root;
    }

    @Override
    String url(String key) {
      return "file:" + root.resolve(key);
    }

    @Override
    LeaConfig configure(LeaConfig config) {
      return config;
    }

    @Override
    long floor(Path source, String key, Path target) throws IOException {
      Path remote = root.resolve(key);
      Files.createDirectories(remote.getParent());
      Files.copy(source, remote, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel written = FileChannel.open(remote, StandardOpenOption.WRITE)) {
        written.force(true);
      }
      Files.copy(remote, target, StandardCopyOption.REPLACE_EXISTING);
      return Files.size(target);
    }

    @Override
    public void close() {}
  }

  /**
   * S3Proxy, reached by lea through {@code lea.s3.endpoint}, path style and region, with
   * credentials from the SDK's default chain; the floor is the bare SDK,
   * {@code putObject(RequestBody.fromFile)} then {@code getObject(ResponseTransformer.toFile)}.
   * The server runs in this JVM, or in another process when {@code server} is null.
   */
  private static final class S3Bucket extends Bucket {
    private final URI endpoint;
    private final InProcessS3 server;
    private final SystemProperties credentials;
    private final S3Client client;

    S3Bucket(URI endpoint, InProcessS3 server) {
      this.endpoint = endpoint;
      this.server = server;
      // lea's store takes credentials from the SDK's default chain, which reads these first.
      credentials = SystemProperties.set(Map.of("aws.accessKeyId", InProcessS3.ACCESS_KEY,
          "aws.secretAccessKey", InProcessS3.SECRET_KEY));
      client = S3Client.builder()
          .endpointOverride(endpoint)
          .forcePathStyle(true)
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(InProcessS3.ACCESS_KEY, InProcessS3.SECRET_KEY)))
          .build();
    }

    @Override
    String url(String key) {
      return "s3://" + NAME + "/" + key;
    }

    @Override
    LeaConfig configure(LeaConfig config) {
      return config.with(S3Settings.S3_ENDPOINT, endpoint.toString())
          .with(S3Settings.S3_PATH_STYLE, "true")
          .with(S3Settings.S3_REGION, Region.US_EAST_1.id());
    }

    @Override
    long floor(Path source, String key, Path target) throws IOException {
      client.putObject(b -> b.bucket(NAME).key(key), RequestBody.fromFile(source));
      // toFile refuses to overwrite; lea's download replaces its target, so both start clean.
      Files.deleteIfExists(target);
      client.getObject(b -> b.bucket(NAME).key(key), ResponseTransformer.toFile(target));
      return Files.size(target);
    }

    @Override
    public void close() throws Exception {
      client.close();
      credentials.close();
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * The GCS fake, reached by lea through {@code lea.gcs.endpoint} with no credentials, as an
   * emulator is; the floor is the bare client, {@code Storage.createFrom} then
   * {@code Storage.downloadTo}.
   */
  private static final class GcsBucket extends Bucket {
    private final FakeGcsServer server;
    private final Storage client;

    GcsBucket() throws IOException {
      server = FakeGcsServer.start(NAME);
      client = StorageOptions.http().setHost(server.endpoint()).setProjectId(NAME)
          .setCredentials(NoCredentials.getInstance()).build().getService();
    }

    @Override
    String url(String key) {
      return "gs://" + NAME + "/" + key;
    }

    @Override
    LeaConfig configure(LeaConfig config) {
      return config.with(GcsSettings.GCS_ENDPOINT, server.endpoint());
    }

    @Override
    long floor(Path source, String key, Path target) throws IOException {
      BlobId blob = BlobId.of(NAME, key);
      client.createFrom(BlobInfo.newBuilder(blob).build(), source);
      client.downloadTo(blob, target);
      return Files.size(target);
    }

    @Override
    public void close() throws Exception {
      client.close();
      server.close();
    }
  }
}
