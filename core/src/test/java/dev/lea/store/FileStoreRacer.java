package dev.lea.store;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A child process of {@link FileObjectStoreProcessIT} and {@link FileObjectStoreCrashIT}. Opens
 * the store, prints {@code READY}, then for each line from its parent runs one write:
 * {@code absent <key>} writes with ifAbsent and {@code match <key> <version>} with ifMatch, each
 * printing {@code WON} or {@code LOST}; {@code pause <key> <version>} writes with ifMatch and
 * stops for good between the sidecar and the data rename, printing {@code BETWEEN}; {@code hang
 * <key>} stops for good in the middle of the bytes, printing {@code WRITING}. Stdin is the start
 * barrier: the parent sends a command only when every child is ready. The stopped commands wait
 * for the parent to kill the process.
 */
public final class FileStoreRacer {

  private FileStoreRacer() {}

  public static void main(String[] args) throws Exception {
    String name = args[1];
    CountDownLatch never = new CountDownLatch(1);
    Runnable stop = () -> {
      System.out.println("BETWEEN");
      System.out.flush();
      awaitForever(never);
    };
    try (FileObjectStore store = new FileObjectStore(Path.of(args[0]));
        FileObjectStore stopping = new FileObjectStore(Path.of(args[0]), stop);
        BufferedReader commands = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("READY");
      System.out.flush();
      String line;
      while ((line = commands.readLine()) != null && !line.equals("exit")) {
        String[] command = line.split(" ");
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        switch (command[0]) {
          case "pause" -> stopping.put(command[1], new ByteArrayInputStream(body), body.length,
              Map.of("writer", name), Condition.ifMatch(command[2]));
          case "hang" -> store.put(command[1], new Trickle(never), -1, Map.of(),
              Condition.none());
          default -> {
            Condition condition = command[0].equals("absent")
                ? Condition.ifAbsent() : Condition.ifMatch(command[2]);
            try {
              store.put(command[1], new ByteArrayInputStream(body), body.length, Map.of(),
                  condition);
              System.out.println("WON");
            } catch (PreconditionFailedException e) {
              System.out.println("LOST");
            }
          }
        }
        System.out.flush();
      }
    }
  }

  private static void awaitForever(CountDownLatch never) {
    try {
      never.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One buffer of bytes, then {@code WRITING} and no more. */
  private static final class Trickle extends InputStream {
    private final CountDownLatch never;
    private boolean sent;

    Trickle(CountDownLatch never) {
      this.never = never;
    }

    @Override
    public int read() {
      throw new UnsupportedOperationException("the store reads in blocks");
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (!sent) {
        sent = true;
        java.util.Arrays.fill(buffer, offset, offset + length, (byte) 'x');
        return length;
      }
      System.out.println("WRITING");
      System.out.flush();
      awaitForever(never);
      return -1;
    }
  }
}
