package dev.runbus.log;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A chunk that no correct writer produces: bad checksum, unknown type, a length past the block end,
 * chunks out of order or non-zero padding. Unlike a torn tail, this means damaged bytes.
 */
public class CorruptLogException extends IOException {

  private static final long serialVersionUID = 1L;

  private final long offset;
  private final String reason;

  public CorruptLogException(Path file, long offset, String reason) {
    super("corrupt .wandb log " + file + " at offset " + offset + ": " + reason);
    this.offset = offset;
    this.reason = reason;
  }

  /** File offset of the bad chunk (or padding). */
  public long offset() {
    return offset;
  }

  public String reason() {
    return reason;
  }
}
