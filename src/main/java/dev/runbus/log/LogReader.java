package dev.runbus.log;

import static dev.runbus.log.LogFormat.BLOCK_SIZE;
import static dev.runbus.log.LogFormat.CHUNK_HEADER_SIZE;
import static dev.runbus.log.LogFormat.FILE_HEADER_SIZE;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.CRC32;

/**
 * Reads the records of a {@code .wandb} transaction log, one 32 KiB block at a time, so logs of any
 * size stream through constant memory (plus the largest record).
 *
 * <p>{@link #next()} returns records until the end of the data, then {@code null}. A log cut inside
 * a record (a crash, or a writer still at work) is not an error: {@code next()} returns {@code
 * null} and {@link #tornTail()} describes the cut. Damaged bytes throw {@link CorruptLogException}
 * naming the offset of the bad chunk; every record before it has been returned. Not thread-safe.
 */
public final class LogReader implements Closeable, Iterable<LogEntry> {

  private static final int MAX_RECORD_SIZE = Integer.MAX_VALUE - 8;

  private final Path file;
  private final FileChannel channel;
  private final CRC32 crc = new CRC32();

  // file bytes [blockStart, blockStart + blockLen) are in block; pos is the next unread one
  private final byte[] block = new byte[BLOCK_SIZE];
  private final ByteBuffer blockView = ByteBuffer.wrap(block);
  private long blockStart;
  private int blockLen;
  private int pos;

  // the record being assembled from FIRST and MIDDLE chunks; openOffset < 0 when none is open
  private long openOffset = -1;
  private byte[] assembly = new byte[0];
  private int assembled;

  private boolean ended;
  private TornTail tornTail;
  private CorruptLogException corruption;
  private boolean iteratorTaken;

  private LogReader(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens {@code file} and validates its header. */
  public static LogReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      LogReader reader = new LogReader(file, channel);
      reader.readFileHeader();
      return reader;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Opens {@code file}, validates its header, and positions the reader at {@code recordOffset}: a
   * record boundary a previous reader reported ({@link LogEntry#offset()} of a record to read
   * again, or {@link #position()} after one). A reader that follows a growing log, or resumes where
   * an earlier one stopped, starts there instead of reading the log from its beginning.
   *
   * @throws LogFormatException when the offset lies before the first record or past the end
   */
  public static LogReader open(Path file, long recordOffset) throws IOException {
    LogReader reader = open(file);
    try {
      reader.seek(recordOffset);
      return reader;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  private void seek(long recordOffset) throws IOException {
    if (recordOffset < FILE_HEADER_SIZE) {
      throw new LogFormatException(
          "cannot start reading " + file + " at offset " + recordOffset + ": inside the header");
    }
    long start = recordOffset - recordOffset % BLOCK_SIZE;
    if (start != blockStart) {
      loadBlock(start);
    }
    int at = (int) (recordOffset - start);
    if (at > blockLen) {
      throw new LogFormatException(
          "cannot start reading " + file + " at offset " + recordOffset + ": the log is only "
              + (blockStart + blockLen) + " bytes long");
    }
    pos = at;
  }

  /**
   * The next record, or {@code null} at the end of the data (check {@link #tornTail()}).
   *
   * @throws CorruptLogException at a damaged chunk, and again on every later call
   */
  public LogEntry next() throws IOException {
    if (corruption != null) {
      throw corruption;
    }
    if (ended) {
      return null;
    }
    try {
      LogEntry entry = readRecord();
      ended = entry == null;
      return entry;
    } catch (CorruptLogException e) {
      corruption = e;
      throw e;
    }
  }

  /**
   * How the log was cut, once {@link #next()} has returned {@code null}; {@code null} for a clean
   * end.
   */
  public TornTail tornTail() {
    return tornTail;
  }

  /** The file offset just after the last chunk read. */
  public long position() {
    return blockStart + pos;
  }

  public Path file() {
    return file;
  }

  /**
   * A single-pass iterator over the remaining records; I/O errors and corruption surface as {@link
   * UncheckedIOException}.
   */
  @Override
  public Iterator<LogEntry> iterator() {
    if (iteratorTaken) {
      throw new IllegalStateException("a LogReader can be iterated only once");
    }
    iteratorTaken = true;
    return new Iterator<>() {
      private LogEntry ahead;

      @Override
      public boolean hasNext() {
        if (ahead == null) {
          try {
            ahead = LogReader.this.next();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return ahead != null;
      }

      @Override
      public LogEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        LogEntry entry = ahead;
        ahead = null;
        return entry;
      }
    };
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void readFileHeader() throws IOException {
    loadBlock(0);
    if (blockLen < FILE_HEADER_SIZE) {
      throw new LogFormatException(
          "not a .wandb log: "
              + file
              + " is "
              + blockLen
              + " bytes, shorter than the "
              + FILE_HEADER_SIZE
              + "-byte header");
    }
    if (!LogFormat.isFileHeader(block, 0)) {
      HexFormat hex = HexFormat.of();
      throw new LogFormatException(
          "not a .wandb log: "
              + file
              + ": bad header at offset 0 (expected "
              + hex.formatHex(LogFormat.fileHeader())
              + ", found "
              + hex.formatHex(block, 0, FILE_HEADER_SIZE)
              + "): "
              + headerProblem());
    }
    pos = FILE_HEADER_SIZE;
  }

  private String headerProblem() {
    byte[] expected = LogFormat.fileHeader();
    if (!Arrays.equals(block, 0, 4, expected, 0, 4)) {
      return "wrong ident (expected \":W&B\")";
    }
    if (block[4] != expected[4] || block[5] != expected[5]) {
      return String.format(
          "wrong magic 0x%04x (expected 0xbee1)", (block[4] & 0xff) | (block[5] & 0xff) << 8);
    }
    return "unsupported version " + (block[6] & 0xff);
  }

  private LogEntry readRecord() throws IOException {
    while (true) {
      if (pos == blockLen) {
        if (blockLen < BLOCK_SIZE || !loadBlock(blockStart + BLOCK_SIZE)) {
          return endOfData();
        }
        continue;
      }
      long here = blockStart + pos;
      int left = BLOCK_SIZE - pos;
      int avail = blockLen - pos;
      if (left < CHUNK_HEADER_SIZE) {
        // no room for a chunk header: the writer padded the block trailer with zeros
        if (!isZero(block, pos, blockLen)) {
          throw corrupt(here, "non-zero byte in the " + left + "-byte block trailer padding");
        }
        if (avail < left) {
          return torn(here, "EOF inside the block trailer padding at offset " + here);
        }
        pos = blockLen;
        continue;
      }
      if (avail < CHUNK_HEADER_SIZE) {
        return torn(
            here,
            "EOF inside the chunk header at offset "
                + here
                + " ("
                + avail
                + " of "
                + CHUNK_HEADER_SIZE
                + " bytes)");
      }
      int checksum =
          (block[pos] & 0xff)
              | (block[pos + 1] & 0xff) << 8
              | (block[pos + 2] & 0xff) << 16
              | (block[pos + 3] & 0xff) << 24;
      int length = (block[pos + 4] & 0xff) | (block[pos + 5] & 0xff) << 8;
      int type = block[pos + 6] & 0xff;
      if (checksum == 0 && length == 0 && type == 0) {
        return zeroedSpace(here);
      }
      if (length > left - CHUNK_HEADER_SIZE) {
        throw corrupt(
            here,
            "chunk length "
                + length
                + " runs past the block end (room for "
                + (left - CHUNK_HEADER_SIZE)
                + " bytes)");
      }
      if (length > avail - CHUNK_HEADER_SIZE) {
        return torn(
            here,
            "EOF inside the payload of the "
                + LogFormat.typeName(type)
                + " chunk at offset "
                + here
                + " ("
                + (avail - CHUNK_HEADER_SIZE)
                + " of "
                + length
                + " bytes)");
      }
      int payloadAt = pos + CHUNK_HEADER_SIZE;
      int computed = LogFormat.checksum(crc, (byte) type, block, payloadAt, length);
      if (computed != checksum) {
        throw corrupt(
            here,
            String.format("checksum mismatch (stored %08x, computed %08x)", checksum, computed));
      }
      LogEntry entry = assemble(here, type, payloadAt, length);
      pos = payloadAt + length;
      if (entry != null) {
        return entry;
      }
    }
  }

  /** Adds a verified chunk to the record in progress; returns the record once it is complete. */
  private LogEntry assemble(long here, int type, int payloadAt, int length)
      throws CorruptLogException {
    switch (type) {
      case LogFormat.FULL:
        requireNoOpenRecord(here, type);
        return new LogEntry(here, Arrays.copyOfRange(block, payloadAt, payloadAt + length));
      case LogFormat.FIRST:
        requireNoOpenRecord(here, type);
        openOffset = here;
        assembled = 0;
        addToAssembly(here, payloadAt, length);
        return null;
      case LogFormat.MIDDLE:
        requireOpenRecord(here, type);
        addToAssembly(here, payloadAt, length);
        return null;
      case LogFormat.LAST:
        requireOpenRecord(here, type);
        addToAssembly(here, payloadAt, length);
        LogEntry entry = new LogEntry(openOffset, Arrays.copyOf(assembly, assembled));
        openOffset = -1;
        return entry;
      default:
        throw corrupt(here, "unknown chunk type " + type);
    }
  }

  private void requireNoOpenRecord(long here, int type) throws CorruptLogException {
    if (openOffset >= 0) {
      throw corrupt(
          here,
          LogFormat.typeName(type)
              + " chunk while the record that starts at offset "
              + openOffset
              + " still lacks its LAST chunk");
    }
  }

  private void requireOpenRecord(long here, int type) throws CorruptLogException {
    if (openOffset < 0) {
      throw corrupt(here, LogFormat.typeName(type) + " chunk without a FIRST chunk before it");
    }
  }

  private void addToAssembly(long here, int payloadAt, int length) throws CorruptLogException {
    if (length > MAX_RECORD_SIZE - assembled) {
      throw corrupt(
          here,
          "record that starts at offset "
              + openOffset
              + " grows past "
              + MAX_RECORD_SIZE
              + " bytes");
    }
    int needed = assembled + length;
    if (needed > assembly.length) {
      int grown = assembly.length > MAX_RECORD_SIZE / 2 ? MAX_RECORD_SIZE : assembly.length * 2;
      assembly = Arrays.copyOf(assembly, Math.max(needed, grown));
    }
    System.arraycopy(block, payloadAt, assembly, assembled, length);
    assembled = needed;
  }

  /**
   * An all-zero chunk header: space preallocated or zeroed by the file system. It ends the data
   * only if nothing but zeros follows.
   */
  private LogEntry zeroedSpace(long here) throws IOException {
    long nonZero = firstNonZeroFrom(pos);
    if (nonZero >= 0) {
      throw corrupt(here, "all-zero chunk header, but non-zero data follows at offset " + nonZero);
    }
    if (openOffset >= 0) {
      return torn(
          here,
          "zeroed (preallocated) space at offset " + here + " before the record's LAST chunk");
    }
    return null;
  }

  /** Scans from block index {@code from} to the end of the file; -1 if it is all zeros. */
  private long firstNonZeroFrom(int from) throws IOException {
    int start = from;
    while (true) {
      for (int i = start; i < blockLen; i++) {
        if (block[i] != 0) {
          return blockStart + i;
        }
      }
      if (blockLen < BLOCK_SIZE || !loadBlock(blockStart + BLOCK_SIZE)) {
        return -1;
      }
      start = 0;
    }
  }

  private LogEntry endOfData() {
    if (openOffset >= 0) {
      return torn(blockStart + pos, "EOF before the LAST chunk of the record");
    }
    return null;
  }

  /** Records the torn tail (starting at the open record, if any) and ends the data. */
  private LogEntry torn(long chunkOffset, String reason) {
    long offset = openOffset >= 0 ? openOffset : chunkOffset;
    long end = blockStart + blockLen;
    tornTail = new TornTail(offset, end - offset, reason);
    return null;
  }

  private CorruptLogException corrupt(long offset, String reason) {
    return new CorruptLogException(file, offset, reason);
  }

  /** Reads the block at {@code start}; false if the file ends there. */
  private boolean loadBlock(long start) throws IOException {
    blockView.clear();
    while (blockView.hasRemaining()) {
      if (channel.read(blockView, start + blockView.position()) < 0) {
        break;
      }
    }
    blockStart = start;
    blockLen = blockView.position();
    pos = 0;
    return blockLen > 0;
  }

  private static boolean isZero(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
