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
 * to the original and offers its lines; the capture's own state is under {@link #captureLock},
 * held only briefly and never while waiting (a stop takes it to switch runs).
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
  public synchronized void print(boolean b) {
    original.print(b);
    capture(String.valueOf(b), false);
  }

  @Override
  public synchronized void print(char c) {
    original.print(c);
    capture(String.valueOf(c), false);
  }

  @Override
  public synchronized void print(int i) {
    original.print(i);
    capture(String.valueOf(i), false);
  }

  @Override
  public synchronized void print(long l) {
    original.print(l);
    capture(String.valueOf(l), false);
  }

  @Override
  public synchronized void print(float f) {
    original.print(f);
    capture(String.valueOf(f), false);
  }

  @Override
  public synchronized void print(double d) {
    original.print(d);
    capture(String.valueOf(d), false);
  }

  @Override
  public synchronized void print(char[] s) {
    original.print(s);
    capture(new String(s), false);
  }

  @Override
  public synchronized void print(String s) {
    original.print(s);
    capture(String.valueOf(s), false);
  }

  @Override
  public synchronized void print(Object obj) {
    String s = String.valueOf(obj);
    original.print(s);
    capture(s, false);
  }

  @Override
  public synchronized void println() {
    original.println();
    capture("", true);
  }

  @Override
  public synchronized void println(boolean x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(char x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(int x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(long x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(float x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(double x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(char[] x) {
    original.println(x);
    capture(new String(x), true);
  }

  @Override
  public synchronized void println(String x) {
    original.println(x);
    capture(String.valueOf(x), true);
  }

  @Override
  public synchronized void println(Object x) {
    String s = String.valueOf(x); // once: toString() may differ between two calls
    original.println(s);
    capture(s, true);
  }

  @Override
  public synchronized PrintStream format(String format, Object... args) {
    print(String.format(format, args));
    return this;
  }

  @Override
  public synchronized PrintStream format(Locale l, String format, Object... args) {
    print(String.format(l, format, args));
    return this;
  }

  // ---- bytes: the original writes them, the capture decodes them in the original's charset ----

  @Override
  public synchronized void write(int b) {
    original.write(b);
    captureBytes(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] buf, int off, int len) {
    original.write(buf, off, len);
    captureBytes(buf, off, len);
  }

  @Override
  public synchronized void write(byte[] buf) throws IOException {
    write(buf, 0, buf.length);
  }

  @Override
  public synchronized void writeBytes(byte[] buf) {
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

  private void capture(String text, boolean newline) {
    if (!capturing) {
      return;
    }
    List<String> finished;
    RunConsole run;
    synchronized (captureLock) {
      run = ConsoleCapture.active();
      if (run == null) {
        return;
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
        return;
      }
      run.enter();
    }
    offer(run, finished);
  }

  private void captureBytes(byte[] buf, int off, int len) {
    if (!capturing) {
      return;
    }
    List<String> finished;
    RunConsole run;
    synchronized (captureLock) {
      run = ConsoleCapture.active();
      if (run == null) {
        return;
      }
      Thread thread = Thread.currentThread();
      Unfinished held = unfinished.computeIfAbsent(thread, t -> new Unfinished());
      finished = new ArrayList<>(2);
      add(held, decode(held, buf, off, len), false, finished);
      if (!held.text.hasPartial() && held.pendingBytes == null) {
        unfinished.remove(thread);
      }
      if (finished.isEmpty()) {
        return;
      }
      run.enter();
    }
    offer(run, finished);
  }

  /** Outside the capture lock: offering may wait for room in the run. */
  private void offer(RunConsole run, List<String> finished) {
    try {
      boolean mayWait = ConsoleCapture.mayWait();
      for (String line : finished) {
        run.offer(stderr, line, mayWait);
      }
    } finally {
      run.exit();
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
