package dev.lea.store.s3;

import dev.lea.config.LeaSettings;
import dev.lea.transport.LargeCatalogHeapIT;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link LargeCatalogHeapIT} against S3Proxy (in this JVM, so that only the client's memory is
 * in the child's 64 MiB heap): before, the S3 store's 8 MiB part buffers ran a 280 MiB round trip
 * out of memory at {@code -Xmx64m}.
 */
class S3LargeCatalogHeapIT {

  private static final String BUCKET = "heap";

  @RegisterExtension
  static final S3ProxyBucket PROXY = new S3ProxyBucket(BUCKET);

  @TempDir
  Path dir;

  static Stream<Arguments> transportsAndCompressions() {
    return LargeCatalogHeapIT.transportsAndCompressions();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void roundTripFitsInA64MibHeap(String transport, String compression) throws Exception {
    String report = LargeCatalogHeapIT.roundTrip(dir, transport, compression, "s3://" + BUCKET,
        List.of("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY,
            "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY),
        List.of(S3Settings.S3_ENDPOINT + "=" + PROXY.server().endpoint(),
            S3Settings.S3_REGION + "=us-east-1", S3Settings.S3_PATH_STYLE + "=true"));
    System.out.println("s3: " + transport + " " + compression + ": " + report);
  }
}
