package dev.lea.store.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import dev.lea.config.LeaConfig;
import dev.lea.config.LeaSettings;
import dev.lea.spi.LeaException;
import dev.lea.store.Location;
import dev.lea.store.ObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 2 for GCS, and issue 18: the client's deadlines come from
 * {@code lea.store.attemptTimeout} and {@code lea.store.requestTimeout} instead of the library's
 * 50 s retry limit, so a silent endpoint fails at the configured deadline, naming the settings.
 */
class GcsDeadlineIT {

  private static final Duration HANG_GUARD = Duration.ofSeconds(60);

  @TempDir
  Path project;

  private LeaConfig config(String endpoint) {
    return LeaConfig.defaults(project)
        .with(GcsSettings.GCS_ENDPOINT, endpoint)
        .with(LeaSettings.STORE_ATTEMPT_TIMEOUT, "1s")
        .with(LeaSettings.STORE_REQUEST_TIMEOUT, "3s");
  }

  @Test
  void theClientTakesItsDeadlinesFromTheSettings() throws Exception {
    Location location = Location.parse("gs://lake/c.sqlite", project);
    try (Storage storage = GcsClients.open(location, config("http://127.0.0.1:9"))) {
      assertThat(storage.getOptions().getRetrySettings().getTotalTimeoutDuration())
          .isEqualTo(Duration.ofSeconds(3));
      assertThat(((HttpTransportOptions) storage.getOptions().getTransportOptions())
          .getReadTimeout()).isEqualTo(1000);
    }
  }

  @Test
  void aSilentEndpointFailsAtTheDeadline() throws Exception {
    try (SilentEndpoint silent = new SilentEndpoint()) {
      Location location = Location.parse("gs://lake/c.sqlite", project);
      try (ObjectStore store = new GcsObjectStoreProvider().open(location,
          config("http://127.0.0.1:" + silent.port()))) {
        assertTimeoutPreemptively(HANG_GUARD, () ->
            assertThatThrownBy(() -> store.head("c.sqlite"))
                .isInstanceOfSatisfying(LeaException.class,
                    e -> assertThat(e.kind()).isEqualTo(LeaException.Kind.INFRASTRUCTURE))
                .hasMessageStartingWith("Cannot read gs://lake/c.sqlite: the GCS endpoint")
                .hasMessageContaining("did not answer in time (PT1S per attempt, PT3S with"
                    + " retries")
                .hasMessageContaining("raise lea.store.attemptTimeout (LEA_STORE_ATTEMPT_TIMEOUT)"
                    + " and lea.store.requestTimeout (LEA_STORE_REQUEST_TIMEOUT) for a slow"
                    + " link."));
      }
    }
  }

  /** Accepts connections and never answers. */
  private static final class SilentEndpoint implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new ArrayList<>();

    SilentEndpoint() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket socket = server.accept();
            synchronized (accepted) {
              accepted.add(socket);
            }
          } catch (IOException e) {
            return;
          }
        }
      }, "silent-endpoint");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      synchronized (accepted) {
        for (Socket socket : accepted) {
          socket.close();
        }
      }
    }
  }
}
