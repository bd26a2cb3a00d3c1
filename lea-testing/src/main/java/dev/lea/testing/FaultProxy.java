package dev.lea.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback-only HTTP relay in front of a bucket server (S3Proxy, the GCS fake) that injects
 * faults into the next requests whose head matches a test: the service's own {@code 503} answer,
 * a TCP reset after a number of bytes of the request body (mid-upload) or of the response body
 * (mid-download), or a response held back. It has both sides close every connection after one
 * exchange, so each request arrives on a new connection and can be judged, and rewrites the
 * server's address in response heads (GCS's resumable upload {@code Location}) to its own, so that
 * every request of an upload passes through it. Replacing {@code Connection} keeps S3 signatures
 * valid: SigV4 does not sign it. Bounded: at most {@value #MAX_CONNECTIONS} connections, 30 s
 * socket timeouts.
 */
public final class FaultProxy implements AutoCloseable {

  /**
   * What to do to a request: answer 503; reset the connection after {@code afterBytes} of the
   * request body or of the response; hold the response back {@code afterBytes} milliseconds; or
   * let the server carry the request out and cut the connection instead of relaying its final
   * answer, as when a response is lost on the network.
   */
  public enum Fault {
    SERVICE_UNAVAILABLE, RESET_REQUEST_BODY, RESET_RESPONSE, SLOW_RESPONSE, LOSE_RESPONSE
  }

  /** How a service says 503: the status line's reason, the content type and the body. */
  public record Unavailable(String reason, String contentType, String body) {

    /** S3's throttling answer, which the AWS SDK retries. */
    public static final Unavailable S3_SLOW_DOWN = new Unavailable("Slow Down",
        "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");

    /** GCS's backend error, which google-cloud-storage retries. */
    public static final Unavailable GCS_BACKEND_ERROR = new Unavailable("Service Unavailable",
        "application/json; charset=UTF-8", "{\"error\":{\"code\":503,\"message\":"
        + "\"The service is currently unavailable.\",\"errors\":[{\"message\":\"The service is"
        + " currently unavailable.\",\"domain\":\"global\",\"reason\":\"backendError\"}]}}");
  }

  private static final int MAX_CONNECTIONS = 2000;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int TIMEOUT_MILLIS = 30_000;

  private final ServerSocket server;
  private final URI upstream;
  private final byte[] unavailable;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger faultsLeft = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();
  private volatile Fault fault;
  private volatile Predicate<String> matches = head -> false;
  private volatile long afterBytes;

  public FaultProxy(URI upstream, Unavailable unavailable) throws IOException {
    this.upstream = upstream;
    byte[] body = unavailable.body().getBytes(StandardCharsets.UTF_8);
    byte[] head = ("HTTP/1.1 503 " + unavailable.reason() + "\r\nContent-Type: "
        + unavailable.contentType() + "\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    this.unavailable = new byte[head.length + body.length];
    System.arraycopy(head, 0, this.unavailable, 0, head.length);
    System.arraycopy(body, 0, this.unavailable, head.length, body.length);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /**
   * The next {@code times} requests whose head (request line and headers) matches get {@code
   * what}; {@code afterBytes} is where a reset cuts the request or response body, or how many
   * milliseconds a slow response is held back.
   */
  public void inject(Fault what, Predicate<String> requestHead, int times, long afterBytes) {
    this.fault = what;
    this.matches = requestHead;
    this.afterBytes = afterBytes;
    injected.set(0);
    faultsLeft.set(times);
  }

  /** The next {@code times} requests with {@code httpMethod} get {@code what}. */
  public void inject(Fault what, String httpMethod, int times, long afterBytes) {
    inject(what, head -> head.startsWith(httpMethod + " "), times, afterBytes);
  }

  public void stopInjecting() {
    inject(null, head -> false, 0, 0);
  }

  /** How many requests got the fault since the last {@link #inject}. */
  public int injected() {
    return injected.get();
  }

  private Fault claim(String head) {
    if (fault == null || !matches.test(head)) {
      return null;
    }
    if (faultsLeft.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
      return null;
    }
    injected.incrementAndGet();
    return fault;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (connections.incrementAndGet() > MAX_CONNECTIONS) {
        closeQuietly(client);
        continue;
      }
      start(() -> handle(client), "fault-proxy-request");
    }
  }

  private void handle(Socket client) {
    Socket target = null;
    try {
      client.setSoTimeout(TIMEOUT_MILLIS);
      byte[] head = readHead(client.getInputStream());
      if (head == null) {
        closeQuietly(client);
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      Fault what = claim(text);
      if (what == Fault.SERVICE_UNAVAILABLE) {
        OutputStream out = client.getOutputStream();
        out.write(unavailable);
        out.flush();
        closeQuietly(client);
        return;
      }
      target = new Socket(upstream.getHost(), upstream.getPort());
      target.setSoTimeout(TIMEOUT_MILLIS);
      target.getOutputStream().write(closeAfterExchange(text).getBytes(
          StandardCharsets.ISO_8859_1));
      Socket upstreamSocket = target;
      long responseLimit = what == Fault.RESET_RESPONSE ? afterBytes : Long.MAX_VALUE;
      long holdMillis = what == Fault.SLOW_RESPONSE ? afterBytes : 0;
      start(() -> {
        holdBack(holdMillis);
        relayResponse(upstreamSocket, client, responseLimit, what == Fault.LOSE_RESPONSE);
      }, "fault-proxy-down");
      relay(client, target, what == Fault.RESET_REQUEST_BODY ? afterBytes : Long.MAX_VALUE);
    } catch (IOException e) {
      reset(client);
      if (target != null) {
        reset(target);
      }
    }
  }

  /** The injected slowness itself: a server that answers late, not a wait for anything. */
  private static void holdBack(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The response head with the server's address replaced by ours, then the body; interim
   * ({@code 1xx}) answers pass as they are. With {@code loseFinal} the final answer is not
   * relayed: both connections are reset instead.
   */
  private void relayResponse(Socket from, Socket to, long bodyLimit, boolean loseFinal) {
    try {
      while (true) {
        byte[] head = readHead(from.getInputStream());
        if (head == null) {
          to.shutdownOutput();
          return;
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("HTTP/1.1 1")) {
          to.getOutputStream().write(head);
          continue;
        }
        if (loseFinal) {
          reset(from);
          reset(to);
          return;
        }
        // The server closes after the exchange, maybe without saying so; the client must not
        // reuse the connection, or its next request would go to a closed upstream.
        to.getOutputStream().write(closeAfterExchange(text.replace(
            upstream.getHost() + ":" + upstream.getPort(),
            endpoint().getHost() + ":" + endpoint().getPort()))
            .getBytes(StandardCharsets.ISO_8859_1));
        relay(from, to, bodyLimit);
        return;
      }
    } catch (IOException e) {
      reset(from);
      reset(to);
    }
  }

  /** Copies {@code from} to {@code to}; after {@code limit} bytes, resets both connections. */
  private static void relay(Socket from, Socket to, long limit) {
    byte[] buffer = new byte[16 * 1024];
    long copied = 0;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, Math.max(1, limit - copied)));
        if (n < 0) {
          to.shutdownOutput();
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
        copied += n;
        if (copied >= limit) {
          reset(from);
          reset(to);
          return;
        }
      }
    } catch (IOException e) {
      reset(from);
      reset(to);
    }
  }

  /** A message head, up to and including the blank line; null at end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      if (head.size() > MAX_HEAD) {
        throw new IOException("message head too large");
      }
    }
    return head.toByteArray();
  }

  private static String closeAfterExchange(String head) {
    StringBuilder rewritten = new StringBuilder();
    for (String line : head.substring(0, head.length() - 4).split("\r\n")) {
      if (!line.regionMatches(true, 0, "Connection:", 0, "Connection:".length())) {
        rewritten.append(line).append("\r\n");
      }
    }
    return rewritten.append("Connection: close\r\n\r\n").toString();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // Already closed; closing again below is harmless.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing more to release.
    }
  }

  private static void start(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
