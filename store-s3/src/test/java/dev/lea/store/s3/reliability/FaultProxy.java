package dev.lea.store.s3.reliability;

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

/**
 * A loopback-only HTTP relay in front of S3Proxy that injects faults into the next requests of
 * one method: a {@code 503 Slow Down} answer, or a TCP reset after a number of bytes of the
 * request body (mid-upload) or of the response (mid-download). It asks the server to close every
 * connection after one exchange, so each request arrives on a new connection and can be judged.
 * Bounded: at most {@value #MAX_CONNECTIONS} connections, 30 s socket timeouts.
 */
final class FaultProxy implements AutoCloseable {

  /**
   * What to do to a request: answer 503; reset the connection after {@code afterBytes} of the
   * request body or of the response; or hold the response back {@code afterBytes} milliseconds.
   */
  enum Fault { SERVICE_UNAVAILABLE, RESET_REQUEST_BODY, RESET_RESPONSE, SLOW_RESPONSE }

  private static final int MAX_CONNECTIONS = 2000;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int TIMEOUT_MILLIS = 30_000;
  private static final byte[] SLOW_DOWN_BODY = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>")
      .getBytes(StandardCharsets.UTF_8);

  private final ServerSocket server;
  private final URI upstream;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger faultsLeft = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();
  private volatile Fault fault;
  private volatile String method;
  private volatile long afterBytes;

  FaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code times} requests with {@code httpMethod} get {@code what}. */
  void inject(Fault what, String httpMethod, int times, long afterBytes) {
    this.fault = what;
    this.method = httpMethod;
    this.afterBytes = afterBytes;
    injected.set(0);
    faultsLeft.set(times);
  }

  /** How many faults were injected since the last {@link #inject}. */
  int injected() {
    return injected.get();
  }

  private Fault claim(String requestMethod) {
    if (fault == null || !requestMethod.equals(method)) {
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
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        closeQuietly(client);
        return;
      }
      String text = new String(head, StandardCharsets.ISO_8859_1);
      Fault what = claim(text.substring(0, Math.max(0, text.indexOf(' '))));
      if (what == Fault.SERVICE_UNAVAILABLE) {
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: "
            + SLOW_DOWN_BODY.length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(SLOW_DOWN_BODY);
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
        relay(upstreamSocket, client, responseLimit);
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

  /** The request head, up to and including the blank line; null at end of stream. */
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
        throw new IOException("request head too large");
      }
    }
    return head.toByteArray();
  }

  /** SigV4 does not sign {@code Connection}, so replacing it keeps the signature valid. */
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
