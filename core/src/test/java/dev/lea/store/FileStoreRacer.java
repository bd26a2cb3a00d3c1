package dev.lea.store;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child process of {@link FileObjectStoreProcessIT}. Opens the store, prints {@code READY}, then
 * for each line from its parent runs one conditional write and prints {@code WON} or {@code LOST}:
 * {@code absent <key>} writes with ifAbsent, {@code match <key> <version>} with ifMatch. Stdin
 * is the start barrier: the parent sends a command only when every child is ready.
 */
public final class FileStoreRacer {

  private FileStoreRacer() {}

  public static void main(String[] args) throws Exception {
    String name = args[1];
    try (FileObjectStore store = new FileObjectStore(Path.of(args[0]));
        BufferedReader commands = new BufferedReader(
            new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println("READY");
      System.out.flush();
      String line;
      while ((line = commands.readLine()) != null && !line.equals("exit")) {
        String[] command = line.split(" ");
        Condition condition = command[0].equals("absent")
            ? Condition.ifAbsent() : Condition.ifMatch(command[2]);
        byte[] body = name.getBytes(StandardCharsets.UTF_8);
        try {
          store.put(command[1], new ByteArrayInputStream(body), body.length, Map.of(), condition);
          System.out.println("WON");
        } catch (PreconditionFailedException e) {
          System.out.println("LOST");
        }
        System.out.flush();
      }
    }
  }
}
