package dev.lea.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A loopback relay in front of an endpoint that lets the first {@code freeBytes} of each
 * connection's traffic in one direction through, then one byte per {@code intervalMillis}: the
 * trickling endpoint that kept a run (and its lock) alive for minutes. With no upstream it is a
 * silent endpoint: it accepts connections and never answers. Throttled, it lets at most
 * {@code step} bytes through per interval from the start: a slow but steady link.
 */
final class TricklingRelay implements AutoCloseable {

  /** Which direction trickles. */
  enum Direction { REQUEST, RESPONSE }

  private final ServerSocket server;
  private final URI upstream;
  private final Direction direction;
  private final long freeBytes;
  private final long intervalMillis;
  private final int step;
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

  private TricklingRelay(URI upstream, Direction direction, long freeBytes, long intervalMillis,
      int step)
      throws IOException {
    this.upstream = upstream;
    this.direction = direction;
    this.freeBytes = freeBytes;
    this.intervalMillis = intervalMillis;
    this.step = step;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    start(this::acceptLoop, "trickling-relay-accept");
  }

  static TricklingRelay trickling(URI upstream, Direction direction, long freeBytes,
      long intervalMillis) throws IOException {
    return new TricklingRelay(upstream, direction, freeBytes, intervalMillis, 1);
  }

  /** At most {@code step} bytes per {@code intervalMillis} in {@code direction}. */
  static TricklingRelay throttled(URI upstream, Direction direction, int step,
      long intervalMillis) throws IOException {
    return new TricklingRelay(upstream, direction, 0, intervalMillis, step);
  }

  static TricklingRelay silent() throws IOException {
    return new TricklingRelay(null, Direction.RESPONSE, 0, 0, 1);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        if (upstream != null) {
          Socket target = new Socket(upstream.getHost(), upstream.getPort());
          sockets.add(target);
          start(() -> relay(client, target, direction == Direction.REQUEST),
              "trickling-relay-up");
          start(() -> relay(target, client, direction == Direction.RESPONSE),
              "trickling-relay-down");
        }
      } catch (IOException e) {
        return;
      }
    }
  }

  private void relay(Socket from, Socket to, boolean trickle) {
    byte[] buffer = new byte[Math.max(16 * 1024, step)];
    long copied = 0;
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        int limit = trickle && copied >= freeBytes ? step
            : (int) Math.min(buffer.length, trickle ? freeBytes - copied : buffer.length);
        int n = in.read(buffer, 0, limit);
        if (n < 0) {
          to.shutdownOutput();
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
        copied += n;
        if (trickle && copied > freeBytes) {
          // The injected slowness itself: an endpoint that sends a byte now and then.
          Thread.sleep(intervalMillis);
        }
      }
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void start(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Nothing more to release.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      sockets.forEach(TricklingRelay::closeQuietly);
    }
  }
}
