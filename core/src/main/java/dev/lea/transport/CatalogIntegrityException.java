package dev.lea.transport;

import java.io.IOException;

/** A remote catalog is corrupt, truncated, or not what its metadata says. */
public class CatalogIntegrityException extends IOException {

  public CatalogIntegrityException(String message) {
    super(message);
  }
}
