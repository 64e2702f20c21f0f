package dev.runbus.console;

import com.google.protobuf.Timestamp;
import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.Record;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One run's captured console: the lines {@link ConsoleCapture} gives it, held in chunks (one per
 * stream and run of lines) until a thread of its own ships each chunk as an {@code OutputRawRecord}
 * into the run's queue. The printing thread only appends to memory: shipping may wait for the
 * run's queue, and a printer holds its stream's lock.
 *
 * <p>What is held is bounded in bytes ({@code maxBytes}, two per char). When it is full a printer
 * waits for room, at most {@link #WAIT_MILLIS} per line, and never on runbus's or Vert.x's own
 * threads; a line that finds no room then is dropped and counted, and until the backlog is half
 * gone the next ones are dropped without waiting, so a stalled run slows its program once, not
 * at every line. What was dropped is said in the log itself, as a stderr line where the gap is,
 * and in the end-of-run report.
 */
public final class RunConsole {

  /** Puts a record into the run's queue; may wait for room; throws when the run takes no more. */
  public interface Shipper {
    void ship(Record record);
  }

  /** How long a printer waits for room before its line is dropped. */
  static final long WAIT_MILLIS = 2_000;

  /** Chars per record at most: a flood becomes records of about 64 KiB, not one per line. */
  static final int CHUNK_CHARS = 32 * 1024;

  /** The default bound on what is held, in bytes. */
  public static final long DEFAULT_MAX_BYTES = 8L << 20;

  private final String runId;
  private final Shipper shipper;
  private final long maxBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition room = lock.newCondition();
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private long heldBytes;
  private boolean dropping;
  private long dropNoteLines;
  private long dropNoteBytes;
  private long lines;
  private long droppedLines;
  private long droppedBytes;
  /** Lines handed to this run by a printer and not yet offered: the stop waits for them. */
  private int inFlight;
  private boolean closing;
  private RuntimeException shipFailure;
  private Thread shipping;

  private static final class Chunk {
    final boolean stderr;
    final StringBuilder text = new StringBuilder();
    final Timestamp time;

    Chunk(boolean stderr) {
      this.stderr = stderr;
      Instant now = Instant.now();
      this.time =
          Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
    }
  }

  public RunConsole(String runId, Shipper shipper, long maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.runId = runId;
    this.shipper = shipper;
    this.maxBytes = maxBytes;
  }

  /** Starts capturing this JVM's {@code System.out} and {@code System.err} for the run. */
  public RunConsole start() {
    startShipping();
    ConsoleCapture.start(this);
    return this;
  }

  /** The thread that ships what is held; started before the capture. */
  void startShipping() {
    shipping = new Thread(this::shipLoop, "runbus-console-" + runId);
    shipping.setDaemon(true);
    shipping.start();
  }

  /**
   * Stops the capture (restoring the JVM's streams when no other run captures), ends the lines
   * left unfinished, and returns once every captured line is in the run's queue. Call it before
   * the run's exit record.
   */
  public void stop() {
    ConsoleCapture.stop(this);
    lock.lock();
    try {
      closing = true;
      work.signalAll();
      room.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (shipping.isAlive()) {
      try {
        shipping.join();
      } catch (InterruptedException e) {
        interrupted = true; // the lines must be queued before the exit record; finish first
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lines captured, dropped ones included. */
  public long lines() {
    lock.lock();
    try {
      return lines;
    } finally {
      lock.unlock();
    }
  }

  /** Lines that found no room and were dropped (said in the log where they were). */
  public long droppedLines() {
    lock.lock();
    try {
      return droppedLines;
    } finally {
      lock.unlock();
    }
  }

  /** A printer is about to offer lines; see {@link #awaitNoneInFlight}. */
  void enter() {
    lock.lock();
    try {
      inFlight++;
    } finally {
      lock.unlock();
    }
  }

  void exit() {
    lock.lock();
    try {
      if (--inFlight == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits until lines handed to this run before its capture stopped are all offered. */
  void awaitNoneInFlight() {
    lock.lock();
    try {
      while (inFlight > 0) {
        idle.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Holds one finished line (without its break) for shipping, waiting for room if {@code mayWait};
   * see the class comment for what happens when there is none.
   */
  void offer(boolean stderr, CharSequence line, boolean mayWait) {
    long bytes = 2L * (line.length() + 1);
    lock.lock();
    try {
      lines++;
      if (shipFailure != null) {
        droppedLines++; // the run is dead and says so itself; nothing will take the line
        droppedBytes += bytes;
        return;
      }
      if (dropping && heldBytes <= maxBytes / 2) {
        dropping = false;
      }
      if (!dropping && heldBytes + bytes > maxBytes && heldBytes > 0 && mayWait && !closing) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        long left = deadline - System.nanoTime();
        while (heldBytes + bytes > maxBytes && heldBytes > 0 && left > 0 && !closing) {
          try {
            left = room.awaitNanos(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      if (heldBytes + bytes > maxBytes && heldBytes > 0) {
        dropping = true;
        droppedLines++;
        droppedBytes += bytes;
        dropNoteLines++;
        dropNoteBytes += bytes;
        return;
      }
      if (dropNoteLines > 0) {
        hold(true, dropNote(dropNoteLines, dropNoteBytes));
        dropNoteLines = 0;
        dropNoteBytes = 0;
      }
      hold(stderr, line);
    } finally {
      lock.unlock();
    }
  }

  /** The line that marks a gap in the log, on stderr. */
  static String dropNote(long lines, long bytes) {
    return "runbus: "
        + lines
        + (lines == 1 ? " console line" : " console lines")
        + " ("
        + bytes / 2
        + " chars) dropped here: the run could not take them as fast as they were printed";
  }

  private void hold(boolean stderr, CharSequence line) {
    Chunk last = chunks.peekLast();
    if (last == null || last.stderr != stderr || last.text.length() + line.length() > CHUNK_CHARS) {
      last = new Chunk(stderr);
      chunks.addLast(last);
      work.signal();
    }
    last.text.append(line).append('\n');
    heldBytes += 2L * (line.length() + 1);
  }

  private void shipLoop() {
    while (true) {
      Chunk chunk;
      lock.lock();
      try {
        while (chunks.isEmpty() && !closing) {
          work.awaitUninterruptibly();
        }
        if (chunks.isEmpty()) {
          if (dropNoteLines > 0 && shipFailure == null) {
            hold(true, dropNote(dropNoteLines, dropNoteBytes)); // the gap at the very end
            dropNoteLines = 0;
            continue;
          }
          return;
        }
        chunk = chunks.pollFirst(); // printers start a new chunk from now on
      } finally {
        lock.unlock();
      }
      ship(chunk);
    }
  }

  private void ship(Chunk chunk) {
    RuntimeException failed = null;
    if (shipFailureSeen() == null) {
      try {
        shipper.ship(
            Record.newBuilder()
                .setOutputRaw(
                    OutputRawRecord.newBuilder()
                        .setOutputType(
                            chunk.stderr
                                ? OutputRawRecord.OutputType.STDERR
                                : OutputRawRecord.OutputType.STDOUT)
                        .setTimestamp(chunk.time)
                        .setLine(chunk.text.toString()))
                .build());
      } catch (RuntimeException e) {
        failed = e; // the run's pipeline failed: it says so itself, at finish at the latest
      }
    }
    lock.lock();
    try {
      if (failed != null && shipFailure == null) {
        shipFailure = failed;
      }
      heldBytes -= 2L * chunk.text.length();
      room.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private RuntimeException shipFailureSeen() {
    lock.lock();
    try {
      return shipFailure;
    } finally {
      lock.unlock();
    }
  }
}
