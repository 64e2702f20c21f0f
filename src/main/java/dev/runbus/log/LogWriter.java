package dev.runbus.log;

import static dev.runbus.log.LogFormat.BLOCK_SIZE;
import static dev.runbus.log.LogFormat.CHUNK_HEADER_SIZE;
import static dev.runbus.log.LogFormat.MAX_CHUNK_PAYLOAD;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Appends records to a new {@code .wandb} transaction log, framing them into 32 KiB blocks exactly
 * as W&B's writers do.
 *
 * <p>One block is buffered in memory, aligned to the file's blocks; it goes to the OS when it
 * fills, on {@link #flush()}, {@link #sync()} and {@link #close()}. A crash therefore leaves the
 * log cut at a block or flush boundary, possibly inside a record (a torn tail that {@link
 * LogReader} reports), never with misplaced bytes.
 *
 * <p>Not thread-safe: a log has exactly one writer thread (only {@link #forceHandedOver()} and the
 * sync counters may be used from another). After an I/O error the writer refuses further writes,
 * since what reached the file is unknown; close it.
 */
public final class LogWriter implements Closeable {

  /** Opens a new log's file; tests give one that records what the writer asks of the file. */
  @FunctionalInterface
  public interface ChannelOpener {
    FileChannel openNew(Path file) throws IOException;
  }

  /** Creates the file, failing if it exists, for writing. */
  public static final ChannelOpener NEW_FILE =
      file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private final Path file;
  private final FileChannel channel;
  private final CRC32 crc = new CRC32();

  // The block being filled: file bytes [blockStart, blockStart + fill); the OS already has
  // [blockStart, blockStart + written).
  private final byte[] block = new byte[BLOCK_SIZE];
  private final ByteBuffer blockView = ByteBuffer.wrap(block);
  private long blockStart;
  private int fill;
  private int written;

  private byte[] recordBuffer = new byte[4096];
  private long recordsAppended;
  private boolean closed;
  private IOException failure;

  // read by the thread that forces ahead, and by whoever reports progress
  private volatile long handedOver;
  private final AtomicLong syncs = new AtomicLong();
  private final AtomicLong syncedPosition = new AtomicLong();

  private LogWriter(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Creates {@code file} (failing if it exists), writes the file header and hands it to the OS at
   * once, so a reader can open the still-empty log.
   */
  public static LogWriter create(Path file) throws IOException {
    return create(file, NEW_FILE);
  }

  /** {@link #create(Path)} with the file opened by {@code opener}. */
  public static LogWriter create(Path file, ChannelOpener opener) throws IOException {
    FileChannel channel;
    try {
      channel = opener.openNew(file);
    } catch (FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException(
          file.toString(), null, "a .wandb log already exists there");
    }
    LogWriter writer = new LogWriter(file, channel);
    try {
      System.arraycopy(LogFormat.fileHeader(), 0, writer.block, 0, LogFormat.FILE_HEADER_SIZE);
      writer.fill = LogFormat.FILE_HEADER_SIZE;
      writer.flush();
    } catch (IOException | RuntimeException e) {
      writer.close();
      throw e;
    }
    return writer;
  }

  /**
   * Appends {@code recordWithoutNum} with field 1 ({@code num}) set to {@code num}, and returns the
   * log's end offset after it.
   *
   * <p>{@code num} is encoded first, then the message: since {@code num} is field 1 this is
   * byte-identical to protobuf's canonical encoding of the record with {@code num} set. The caller
   * guarantees that {@code num} is unset in the message. A {@code num} of 0 is omitted, as proto3
   * does.
   *
   * <p>The record is encoded into a reused buffer and framed without allocating; protobuf itself
   * still allocates its small array encoder and, in 4.x, a byte[] per string field it writes.
   */
  public long append(long num, MessageLite recordWithoutNum) throws IOException {
    int numSize = num == 0 ? 0 : CodedOutputStream.computeInt64Size(1, num);
    int size = numSize + recordWithoutNum.getSerializedSize();
    byte[] buf = recordBuffer(size);
    CodedOutputStream out = CodedOutputStream.newInstance(buf, 0, size);
    if (num != 0) {
      out.writeInt64(1, num); // tag byte 0x08, then the varint
    }
    recordWithoutNum.writeTo(out);
    out.checkNoSpaceLeft();
    return append(buf, 0, size);
  }

  /**
   * Appends {@code payload[off, off+len)} as one record and returns the log's end offset after it.
   */
  public long append(byte[] payload, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, payload.length);
    ensureWritable();
    int left = BLOCK_SIZE - fill;
    if (left < CHUNK_HEADER_SIZE) {
      // too small for a chunk header: pad the block trailer with zeros
      Arrays.fill(block, fill, BLOCK_SIZE, (byte) 0);
      fill = BLOCK_SIZE;
      writeFullBlock();
      left = BLOCK_SIZE;
    }
    if (len + CHUNK_HEADER_SIZE <= left) {
      putChunk(LogFormat.FULL, payload, off, len);
    } else {
      int first = left - CHUNK_HEADER_SIZE; // may be 0
      putChunk(LogFormat.FIRST, payload, off, first);
      off += first;
      len -= first;
      while (len > MAX_CHUNK_PAYLOAD) {
        putChunk(LogFormat.MIDDLE, payload, off, MAX_CHUNK_PAYLOAD);
        off += MAX_CHUNK_PAYLOAD;
        len -= MAX_CHUNK_PAYLOAD;
      }
      putChunk(LogFormat.LAST, payload, off, len);
    }
    recordsAppended++;
    return position();
  }

  /** Hands every buffered byte to the OS (no fsync); the next write continues after them. */
  public void flush() throws IOException {
    ensureWritable();
    writeBlock(fill);
  }

  /** {@link #flush()}, then forces the file's content to the storage device. */
  public void sync() throws IOException {
    flush();
    long upTo = flushedPosition();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw failed(e);
    }
    synced(upTo);
  }

  /**
   * Forces what was already handed to the OS to the storage device, leaving the buffer alone, so
   * it may run on another thread while appends go on. A long run written back this way in the
   * background leaves little for the fsync at finish.
   */
  public void forceHandedOver() throws IOException {
    long upTo = handedOver;
    channel.force(false);
    synced(upTo);
  }

  private void synced(long upTo) {
    syncs.incrementAndGet();
    syncedPosition.accumulateAndGet(upTo, Math::max);
  }

  /** How many times the log was forced to the device, from any thread. */
  public long syncs() {
    return syncs.get();
  }

  /** The log's length that the last force covered: what survives a power loss. */
  public long syncedPosition() {
    return syncedPosition.get();
  }

  /** Flushes and closes the file; calling it again does nothing. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (failure == null) {
        writeBlock(fill);
      }
    } finally {
      channel.close();
    }
  }

  /** The log's logical end offset, including bytes still buffered. */
  public long position() {
    return blockStart + fill;
  }

  /** The end of what has been handed to the OS: a crash now leaves a file of this size. */
  public long flushedPosition() {
    return blockStart + written;
  }

  public long recordsAppended() {
    return recordsAppended;
  }

  public Path file() {
    return file;
  }

  /** Copies one chunk into the block; a chunk never crosses a block end, so it always fits. */
  private void putChunk(byte type, byte[] payload, int off, int len) throws IOException {
    int checksum = LogFormat.checksum(crc, type, payload, off, len);
    int h = fill;
    block[h] = (byte) checksum;
    block[h + 1] = (byte) (checksum >>> 8);
    block[h + 2] = (byte) (checksum >>> 16);
    block[h + 3] = (byte) (checksum >>> 24);
    block[h + 4] = (byte) len;
    block[h + 5] = (byte) (len >>> 8);
    block[h + 6] = type;
    System.arraycopy(payload, off, block, h + CHUNK_HEADER_SIZE, len);
    fill = h + CHUNK_HEADER_SIZE + len;
    if (fill == BLOCK_SIZE) {
      writeFullBlock();
    }
  }

  private void writeFullBlock() throws IOException {
    writeBlock(BLOCK_SIZE);
    blockStart += BLOCK_SIZE;
    fill = 0;
    written = 0;
  }

  /** Writes block bytes [written, end) at their own file offset, so nothing is written twice. */
  private void writeBlock(int end) throws IOException {
    blockView.limit(end).position(written);
    try {
      while (blockView.hasRemaining()) {
        channel.write(blockView, blockStart + blockView.position());
      }
    } catch (IOException e) {
      throw failed(e);
    }
    written = end;
    handedOver = blockStart + end;
  }

  private byte[] recordBuffer(int size) {
    if (recordBuffer.length < size) {
      recordBuffer = new byte[Math.max(size, Integer.highestOneBit(size - 1) << 1)];
    }
    return recordBuffer;
  }

  private void ensureWritable() throws IOException {
    if (closed) {
      throw new IOException("log writer for " + file + " is closed");
    }
    if (failure != null) {
      throw new IOException("log writer for " + file + " failed earlier; close it", failure);
    }
  }

  private IOException failed(IOException e) {
    failure = e;
    return e;
  }
}
