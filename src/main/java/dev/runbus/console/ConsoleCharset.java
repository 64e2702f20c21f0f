package dev.runbus.console;

import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The charset a console stream encodes with, to read back the raw bytes a program writes to it.
 * Java 18+ says it ({@code PrintStream.charset()}); Java 17 encodes {@code System.out} with {@code
 * sun.stdout.encoding} when set, else the default charset.
 */
final class ConsoleCharset {

  private ConsoleCharset() {}

  static Charset of(PrintStream stream, boolean stderr) {
    try {
      return (Charset) PrintStream.class.getMethod("charset").invoke(stream);
    } catch (ReflectiveOperationException | RuntimeException olderJava) {
      // Java 17: from the properties the JVM itself reads
    }
    for (String property :
        stderr
            ? new String[] {"stderr.encoding", "sun.stderr.encoding"}
            : new String[] {"stdout.encoding", "sun.stdout.encoding"}) {
      String name = System.getProperty(property);
      if (name != null && Charset.isSupported(name)) {
        return Charset.forName(name);
      }
    }
    return Charset.defaultCharset();
  }
}
