package dev.runbus.console;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code System.out} or {@code System.err} while runs capture the console: every call goes to the
 * stream that was there before, unchanged (so the terminal gets the very bytes it would have got,
 * once, in the original's own encoding), and its text is also cut into lines for the active run.
 *
 * <p>Lines are assembled per thread, so threads printing at once each keep their own lines whole
 * and in their order, and one thread's progress bar ({@code \r}) never swallows another thread's
 * line. A finished line belongs to the run active when it finished ({@link ConsoleCapture}).
 *
 * <p>Locks: each call holds this stream's monitor, as a {@code PrintStream} does, while it writes
 * to the original and cuts its text into lines; the capture's own state is under {@link
 * #captureLock}, held only briefly (a stop takes it to switch runs). The finished lines are
 * offered to the run after both are released: waiting for room there never holds a lock another
 * printer needs.
 */
final class CapturingPrintStream extends PrintStream {

  /** Chars of unfinished lines held over all threads before the longest waiting is cut. */
  static final int UNFINISHED_BUDGET_CHARS = 1 << 20;

  private final PrintStream original;
  private final boolean stderr;
  private final Charset charset;
  final Object captureLock = new Object();
  /** Off once uninstalled: from then on this stream only passes through, forever. */
  volatile boolean capturing = true;
  /** Each thread's unfinished line; a thread without one has no entry. */
  private final Map<Thread, Unfinished> unfinished = new HashMap<>();
  private long unfinishedChars;

  /** One thread's unfinished line, and the bytes of a char it has not finished writing. */
  private final class Unfinished {
    final StreamLines text = new StreamLines();
    CharsetDecoder decoder;
    ByteBuffer pendingBytes;
  }

  CapturingPrintStream(PrintStream original, boolean stderr) {
    super(original, true);
    this.original = original;
    this.stderr = stderr;
    this.charset = ConsoleCharset.of(original, stderr);
  }

  PrintStream original() {
    return original;
  }

  boolean isStderr() {
    return stderr;
  }

  // ---- text: the original prints it, the capture takes the same chars ----

  @Override
  public void print(boolean b) {
    tee(out -> out.print(b), String.valueOf(b), false);
  }

  @Override
  public void print(char c) {
    tee(out -> out.print(c), String.valueOf(c), false);
  }

  @Override
  public void print(int i) {
    tee(out -> out.print(i), String.valueOf(i), false);
  }

  @Override
  public void print(long l) {
    tee(out -> out.print(l), String.valueOf(l), false);
  }

  @Override
  public void print(float f) {
    tee(out -> out.print(f), String.valueOf(f), false);
  }

  @Override
  public void print(double d) {
    tee(out -> out.print(d), String.valueOf(d), false);
  }

  @Override
  public void print(char[] s) {
    tee(out -> out.print(s), new String(s), false);
  }

  @Override
  public void print(String s) {
    tee(out -> out.print(s), String.valueOf(s), false);
  }

  @Override
  public void print(Object obj) {
    String s = String.valueOf(obj);
    tee(out -> out.print(s), s, false);
  }

  @Override
  public void println() {
    tee(PrintStream::println, "", true);
  }

  @Override
  public void println(boolean x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(char x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(int x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(long x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(float x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(double x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(char[] x) {
    tee(out -> out.println(x), new String(x), true);
  }

  @Override
  public void println(String x) {
    tee(out -> out.println(x), String.valueOf(x), true);
  }

  @Override
  public void println(Object x) {
    String s = String.valueOf(x); // once: toString() may differ between two calls
    tee(out -> out.println(s), s, true);
  }

  @Override
  public PrintStream format(String format, Object... args) {
    print(String.format(format, args));
    return this;
  }

  @Override
  public PrintStream format(Locale l, String format, Object... args) {
    print(String.format(l, format, args));
    return this;
  }

  // ---- bytes: the original writes them, the capture decodes them in the original's charset ----

  @Override
  public void write(int b) {
    Taken taken;
    synchronized (this) {
      original.write(b);
      taken = takeBytes(new byte[] {(byte) b}, 0, 1);
    }
    offer(taken);
  }

  @Override
  public void write(byte[] buf, int off, int len) {
    Taken taken;
    synchronized (this) {
      original.write(buf, off, len);
      taken = takeBytes(buf, off, len);
    }
    offer(taken);
  }

  @Override
  public void write(byte[] buf) throws IOException {
    write(buf, 0, buf.length);
  }

  @Override
  public void writeBytes(byte[] buf) {
    write(buf, 0, buf.length);
  }

  @Override
  public void flush() {
    original.flush();
  }

  @Override
  public void close() {
    original.close();
  }

  @Override
  public boolean checkError() {
    return original.checkError();
  }

  // ---- the capture ----

  /** Lines a call finished, for the run they belong to; offered once the stream is free. */
  private record Taken(RunConsole run, List<String> lines) {}

  /**
   * Prints through the original stream and takes {@code text} for the run under this stream's
   * monitor (so the terminal and the capture see the same order), then offers it to the run
   * outside the monitor (a printer waiting for room must not hold up another).
   */
  private void tee(Consumer<PrintStream> print, String text, boolean newline) {
    Taken taken;
    synchronized (this) {
      print.accept(original);
      taken = take(text, newline);
    }
    offer(taken);
  }

  private Taken take(String text, boolean newline) {
    if (!capturing) {
      return null;
    }
    List<String> finished;
    RunConsole run;
    synchronized (captureLock) {
      run = ConsoleCapture.active();
      if (run == null) {
        return null;
      }
      Thread thread = Thread.currentThread();
      Unfinished held = unfinished.get(thread);
      if (held == null && newline && plain(text)) {
        finished = List.of(text); // the usual println: one whole line, nothing held
      } else {
        if (held == null) {
          held = new Unfinished();
          unfinished.put(thread, held);
        }
        finished = new ArrayList<>(2);
        add(held, text, newline, finished);
        if (!held.text.hasPartial() && held.pendingBytes == null) {
          unfinished.remove(thread);
        }
      }
      if (finished.isEmpty()) {
        return null;
      }
      run.enter();
    }
    return new Taken(run, finished);
  }

  private Taken takeBytes(byte[] buf, int off, int len) {
    if (!capturing) {
      return null;
    }
    List<String> finished;
    RunConsole run;
    synchronized (captureLock) {
      run = ConsoleCapture.active();
      if (run == null) {
        return null;
      }
      Thread thread = Thread.currentThread();
      Unfinished held = unfinished.computeIfAbsent(thread, t -> new Unfinished());
      finished = new ArrayList<>(2);
      add(held, decode(held, buf, off, len), false, finished);
      if (!held.text.hasPartial() && held.pendingBytes == null) {
        unfinished.remove(thread);
      }
      if (finished.isEmpty()) {
        return null;
      }
      run.enter();
    }
    return new Taken(run, finished);
  }

  /**
   * Outside this stream's monitor and the capture lock: offering may wait for room in the run,
   * and no other printer (an event loop, say) should wait for that. A thread offers its own lines
   * in order, so each thread's order is kept.
   */
  private void offer(Taken taken) {
    if (taken == null) {
      return;
    }
    try {
      boolean mayWait = ConsoleCapture.mayWait();
      for (String line : taken.lines()) {
        taken.run().offer(stderr, line, mayWait);
      }
    } finally {
      taken.run().exit();
    }
  }

  private static boolean plain(String text) {
    return text.indexOf('\n') < 0 && text.indexOf('\r') < 0;
  }

  /** Applies text to a thread's line, keeping the chars held over all threads bounded. */
  private void add(Unfinished held, CharSequence text, boolean newline, List<String> finished) {
    int before = held.text.heldChars();
    StreamLines.Sink sink = line -> finished.add(line.toString());
    held.text.append(text, sink);
    if (newline) {
      held.text.append("\n", sink);
    }
    unfinishedChars += held.text.heldChars() - before;
    if (unfinishedChars > UNFINISHED_BUDGET_CHARS) {
      // cut every waiting line here rather than hold more: what follows starts new lines
      for (Unfinished other : unfinished.values()) {
        other.text.finish(sink);
      }
      unfinishedChars = 0;
    }
  }

  private String decode(Unfinished held, byte[] buf, int off, int len) {
    if (held.decoder == null) {
      held.decoder =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }
    ByteBuffer in;
    if (held.pendingBytes == null) {
      in = ByteBuffer.wrap(buf, off, len);
    } else {
      in = ByteBuffer.allocate(held.pendingBytes.remaining() + len);
      in.put(held.pendingBytes).put(buf, off, len).flip();
    }
    CharBuffer out = CharBuffer.allocate((int) (in.remaining() * (double) held.decoder.maxCharsPerByte()) + 2);
    held.decoder.decode(in, out, false);
    // a char cut between two writes waits for its last bytes (at most a few)
    held.pendingBytes = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : null;
    return out.flip().toString();
  }

  /**
   * Ends every thread's unfinished line and hands them over: the capture of the run they belong
   * to is stopping. Called under {@link #captureLock}.
   */
  List<String> takeUnfinished() {
    List<String> lines = new ArrayList<>();
    for (Unfinished held : unfinished.values()) {
      held.text.finish(line -> lines.add(line.toString()));
    }
    unfinished.clear();
    unfinishedChars = 0;
    return lines;
  }
}
