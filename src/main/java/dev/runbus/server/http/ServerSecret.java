package dev.runbus.server.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The key upload URLs are signed with: 32 random bytes in {@code <data>/server-secret}, created at
 * the first start (readable by the owner only, where the file system knows owners) and kept, so
 * URLs handed out before a restart still work after it.
 */
public final class ServerSecret {

  static final String FILE_NAME = "server-secret";
  private static final int BYTES = 32;

  private ServerSecret() {}

  /** Blocking file I/O: call at start, before the event loops need it. */
  public static byte[] loadOrCreate(Path dataDirectory) {
    Path file = dataDirectory.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDirectory);
      if (!Files.exists(file)) {
        create(file);
      }
      byte[] secret = Files.readAllBytes(file);
      if (secret.length < BYTES) {
        throw new IllegalStateException(
            file + " holds " + secret.length + " bytes, not a secret of " + BYTES
                + ": remove it to have a new one made (upload URLs handed out so far stop working)");
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] secret = new byte[BYTES];
    new SecureRandom().nextBytes(secret);
    Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the data directory's own permissions protect it
      }
      Files.write(tmp, secret);
      // two servers starting on one new directory: whoever links first wins, the other reads it.
      // A link, not a move: an atomic move replaces a file already there, so the first server
      // would sign with a secret the file no longer holds.
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException raced) {
        // kept the other's
      } catch (UnsupportedOperationException | IOException noLinks) {
        // a file system without hard links: a plain move, which refuses a name already there
        try {
          Files.move(tmp, file);
        } catch (FileAlreadyExistsException raced) {
          // kept the other's
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
