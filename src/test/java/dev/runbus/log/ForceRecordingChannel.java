package dev.runbus.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real file channel that records every force asked of it, with the file's size at that moment:
 * the one place a test can see an fsync, which leaves no other trace.
 */
final class ForceRecordingChannel extends FileChannel {

  private final FileChannel file;
  private final List<Long> forcedSizes = new CopyOnWriteArrayList<>();

  private ForceRecordingChannel(FileChannel file) {
    this.file = file;
  }

  /** Opens files as the writer does, recording each channel's forces into {@code opened}. */
  static LogWriter.ChannelOpener opener(List<ForceRecordingChannel> opened) {
    return (Path path) -> {
      ForceRecordingChannel channel = new ForceRecordingChannel(LogWriter.NEW_FILE.openNew(path));
      opened.add(channel);
      return channel;
    };
  }

  /** The file's size at each force, in order. */
  List<Long> forcedSizes() {
    return List.copyOf(forcedSizes);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    long size = file.size();
    file.force(metaData);
    forcedSizes.add(size);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return file.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    return file.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    file.truncate(size);
    return this;
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target)
      throws IOException {
    return file.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count)
      throws IOException {
    return file.transferFrom(src, position, count);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return file.write(src, position);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return file.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    file.close();
  }
}
