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

  static Stream<Arguments> everyTransportAndCompression() {
    return LargeCatalogHeapIT.everyTransportAndCompression();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("transportsAndCompressions")
  void roundTripOf128MibFitsInA64MibHeap(String transport, String compression) throws Exception {
    String report = roundTrip(LargeCatalogHeapIT.DEFAULT_SIZE, transport, compression);
    System.out.println("s3: 128 MiB " + transport + " " + compression + ": " + report);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyTransportAndCompression")
  void roundTripOf1GibFitsInA64MibHeap(String transport, String compression) throws Exception {
    LargeCatalogHeapIT.assumeLarge();
    String report = roundTrip(LargeCatalogHeapIT.LARGE_SIZE, transport, compression);
    System.out.println("s3: 1 GiB " + transport + " " + compression + ": " + report);
  }

  private String roundTrip(long size, String transport, String compression) throws Exception {
    return LargeCatalogHeapIT.roundTrip(dir, size, transport, compression, "s3://" + BUCKET,
        List.of("-Daws.accessKeyId=" + S3ProxyServer.ACCESS_KEY,
            "-Daws.secretAccessKey=" + S3ProxyServer.SECRET_KEY),
        List.of(S3Settings.S3_ENDPOINT + "=" + PROXY.server().endpoint(),
            S3Settings.S3_REGION + "=us-east-1", S3Settings.S3_PATH_STYLE + "=true"));
  }
}
