package dev.runbus.server.store;

/**
 * A FileStream post whose lines start past the end of what is stored: lines were lost in between,
 * so nothing of the post is stored and the client must resend from {@link #expected()}.
 */
public final class OffsetGapException extends StoreException {
  private final String file;
  private final long expected;
  private final long offset;

  public OffsetGapException(String file, long expected, long offset) {
    super(file + ": offset " + offset + " leaves a gap; the server has " + expected + " lines");
    this.file = file;
    this.expected = expected;
    this.offset = offset;
  }

  public String file() {
    return file;
  }

  public long expected() {
    return expected;
  }

  public long offset() {
    return offset;
  }
}
