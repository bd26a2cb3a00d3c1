package dev.lea.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback TCP relay in front of a server that lets the server carry out the first
 * {@code PUT} it relays but swallows the server's final answer and cuts the connection: the write
 * happened, the client never hears of it, as when a response is lost on the network.
 */
final class ResponseDroppingProxy implements AutoCloseable {

  private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d)\\d\\d ");

  private final ServerSocket server;
  private final URI upstream;
  private final AtomicInteger dropsLeft = new AtomicInteger(1);
  private final AtomicInteger dropped = new AtomicInteger();
  private final Thread acceptor;

  ResponseDroppingProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "dropping-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** How many answers were swallowed. */
  int dropped() {
    return dropped.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket(upstream.getHost(), upstream.getPort());
        Connection connection = new Connection(client, target);
        start(connection::relayRequests, "dropping-proxy-up");
        start(connection::relayResponses, "dropping-proxy-down");
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void start(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private final class Connection {
    private final Socket client;
    private final Socket target;
    private volatile boolean putSeen;

    Connection(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    void relayRequests() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = client.getInputStream(); OutputStream out = target.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (new String(buffer, 0, Math.min(n, 4), StandardCharsets.ISO_8859_1).equals("PUT ")) {
            putSeen = true;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // The other direction closed the connection.
      } finally {
        closeBoth();
      }
    }

    void relayResponses() {
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = target.getInputStream(); OutputStream out = client.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (putSeen && isFinalAnswer(buffer, n) && dropsLeft.getAndUpdate(d -> d > 0 ? d - 1 : 0)
              > 0) {
            dropped.incrementAndGet();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // The other direction closed the connection.
      } finally {
        closeBoth();
      }
    }

    private boolean isFinalAnswer(byte[] buffer, int n) {
      Matcher status = STATUS.matcher(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      while (status.find()) {
        if (!status.group(1).equals("1")) {
          return true;
        }
      }
      return false;
    }

    private void closeBoth() {
      try {
        client.close();
      } catch (IOException e) {
        // Closing anyway.
      }
      try {
        target.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
