package dev.lea.store;

import dev.lea.spi.LeaException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where an object lives: a scheme, a bucket and a key inside it. For {@code s3://b/lake/c.sqlite}
 * the bucket is {@code b} and the key {@code lake/c.sqlite}. For {@code file:} URLs the bucket is
 * the directory that holds the file, as an absolute path, and the key is the file name, so that
 * sibling objects ({@code c.sqlite.lock}) stay inside the same root.
 *
 * <p>Keys are normalised and checked: no empty segments, no {@code .} or {@code ..}, no control
 * characters, so a key can never escape its bucket or prefix.
 */
public final class Location {

  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");

  private final String scheme;
  private final String bucket;
  private final String key;

  private Location(String scheme, String bucket, String key) {
    this.scheme = scheme;
    this.bucket = bucket;
    this.key = key;
  }

  /** A location from its parts; the key is validated. */
  public static Location of(String scheme, String bucket, String key) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(bucket, "bucket");
    return new Location(scheme, bucket, checkKey(key, scheme + "://" + bucket + "/" + key));
  }

  /**
   * Parses a catalog URL. {@code file:} URLs may be absolute ({@code file:///tmp/x.sqlite}) or
   * relative ({@code file:target/lake/x.sqlite}), resolved against {@code baseDirectory}.
   */
  public static Location parse(String url, Path baseDirectory) {
    if (url == null || url.isBlank()) {
      throw LeaException.user("Cannot parse catalog URL: it is empty. Give a URL such as"
          + " file:///data/lake/catalog.sqlite or s3://bucket/lake/catalog.sqlite");
    }
    String trimmed = url.trim();
    int colon = trimmed.indexOf(':');
    if (colon <= 0 || !SCHEME.matcher(trimmed.substring(0, colon)).matches()) {
      throw malformed(url, "it has no scheme (file:, s3:, r2:, gs:)");
    }
    String scheme = trimmed.substring(0, colon);
    if (scheme.equals("file")) {
      return parseFile(url, trimmed.substring(colon + 1), baseDirectory);
    }
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw malformed(url, e.getReason());
    }
    String bucket = uri.getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw malformed(url, "it names no bucket; expected " + scheme + "://<bucket>/<key>");
    }
    if (uri.getQuery() != null || uri.getFragment() != null) {
      throw malformed(url, "query strings and fragments are not supported");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String key = path.startsWith("/") ? path.substring(1) : path;
    if (key.isEmpty()) {
      throw malformed(url, "it names no object key; expected " + scheme + "://" + bucket + "/<key>");
    }
    return new Location(scheme, bucket, checkKey(key, url));
  }

  private static Location parseFile(String url, String rest, Path baseDirectory) {
    String pathText = rest;
    if (pathText.startsWith("//")) {
      String afterSlashes = pathText.substring(2);
      int slash = afterSlashes.indexOf('/');
      String host = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
      if (!host.isEmpty() && !host.equals("localhost")) {
        throw malformed(url, "file: URLs cannot name a host ('" + host + "')");
      }
      pathText = slash < 0 ? "" : afterSlashes.substring(slash);
    }
    if (pathText.isEmpty() || pathText.endsWith("/")) {
      throw malformed(url, "it names a directory, not a file");
    }
    pathText = percentDecode(pathText);
    Path path;
    try {
      path = Path.of(pathText);
    } catch (RuntimeException e) {
      throw malformed(url, e.getMessage());
    }
    if (!path.isAbsolute()) {
      path = baseDirectory.resolve(path);
    }
    path = path.toAbsolutePath().normalize();
    Path parent = path.getParent();
    if (parent == null) {
      throw malformed(url, "it names the file system root");
    }
    return new Location("file", parent.toString(), checkKey(path.getFileName().toString(), url));
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8, since {@link #toString()} prints file URLs encoded (a
   * space as {@code %20}) and that printed URL must address the same file. A {@code %} not
   * followed by two hex digits is kept as typed, so a hand-written path like {@code 100%done}
   * still works.
   */
  private static String percentDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) == '%' && i + 2 < text.length()
          && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
        bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        int codePoint = text.codePointAt(i);
        bytes.writeBytes(new String(Character.toChars(codePoint))
            .getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(codePoint);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 0x80;
  }

  private static String checkKey(String key, String url) {
    if (key == null || key.isEmpty()) {
      throw malformed(url, "the object key is empty");
    }
    if (key.startsWith("/") || key.endsWith("/")) {
      throw malformed(url, "an object key cannot start or end with '/'");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw malformed(url, "the key has an empty, '.' or '..' segment");
      }
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        throw malformed(url, "the key contains a control character or a backslash");
      }
    }
    if (key.length() > 1024) {
      throw malformed(url, "the key is longer than 1024 characters");
    }
    return key;
  }

  private static LeaException malformed(String url, String reason) {
    return LeaException.user("Cannot parse catalog URL '" + url + "': " + reason + ".");
  }

  public String scheme() {
    return scheme;
  }

  public String bucket() {
    return bucket;
  }

  public String key() {
    return key;
  }

  /** A sibling key in the same bucket: {@code key + suffix}. */
  public Location withSuffix(String suffix) {
    return of(scheme, bucket, key + suffix);
  }

  /** The URL form, as a user would write it. */
  @Override
  public String toString() {
    if (scheme.equals("file")) {
      return Path.of(bucket).resolve(key).toUri().toString();
    }
    return scheme + "://" + bucket + "/" + key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Location other
        && scheme.equals(other.scheme)
        && bucket.equals(other.bucket)
        && key.equals(other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, bucket, key);
  }
}
