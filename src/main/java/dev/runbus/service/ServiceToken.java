package dev.runbus.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret every transport of a service asks for: created at the service's first start and kept
 * in its data directory ({@value #FILE}, readable by its owner only), or given by configuration.
 */
public final class ServiceToken {

  public static final String FILE = "service.token";

  private final byte[] token;

  private ServiceToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the service token is empty");
    }
    this.token = token.strip().getBytes(StandardCharsets.UTF_8);
  }

  public static ServiceToken of(String token) {
    return new ServiceToken(token);
  }

  /**
   * The token kept in {@code dataDir}, created (32 random bytes, hex) if there is none yet. Two
   * services starting at once on one directory agree: the file is created exclusively, and the
   * loser reads the winner's.
   */
  public static ServiceToken loadOrCreate(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String fresh = HexFormat.of().formatHex(random);
      Path temp = Files.createTempFile(dataDir, FILE, ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
          // Windows: the data directory's own permissions protect it
        }
        Files.writeString(temp, fresh + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        Files.createLink(file, temp);
      } catch (FileAlreadyExistsException anotherServiceWon) {
        // read theirs below
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return new ServiceToken(Files.readString(file));
  }

  /** Whether {@code presented} is this token; in constant time. */
  public boolean matches(String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(token, presented.strip().getBytes(StandardCharsets.UTF_8));
  }

  /** The token's text, for a client started by the service's own tests and tools. */
  public String value() {
    return new String(token, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ServiceToken[****]";
  }
}
