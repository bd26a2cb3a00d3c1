package dev.lea.sync;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * The process that owns a session folder, as recorded in its {@code .owner} file. The start time
 * tells a reused process id from the owner.
 */
record Owner(long pid, Instant started) {

  /** A session folder the next run would remove, and the owner it recorded, if any. */
  record Left(Path folder, Optional<Owner> owner) {}

  static Owner current() {
    ProcessHandle self = ProcessHandle.current();
    return new Owner(self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
  }

  String text() {
    return "pid=" + pid + "\nstarted=" + started + "\n";
  }

  /** Empty for a folder of an older lea, which recorded nothing, or an unreadable file. */
  static Optional<Owner> read(Path file) {
    try {
      Properties properties = new Properties();
      properties.load(new StringReader(Files.readString(file)));
      String pid = properties.getProperty("pid");
      String started = properties.getProperty("started");
      if (pid == null || started == null) {
        return Optional.empty();
      }
      return Optional.of(new Owner(Long.parseLong(pid.trim()), Instant.parse(started.trim())));
    } catch (IOException | NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Whether the process still runs: same id and, where the OS says, same start time. */
  boolean alive() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(handle -> handle.info().startInstant().map(started::equals).orElse(true))
        .orElse(false);
  }
}
