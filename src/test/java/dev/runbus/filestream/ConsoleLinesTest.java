package dev.runbus.filestream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** output.log lines for the FileStream (protocol §5.5, §7.1). */
class ConsoleLinesTest {

  private static final Timestamp T1 = Timestamp.newBuilder().setSeconds(1_700_000_000).build();
  private static final Timestamp T2 =
      Timestamp.newBuilder().setSeconds(1_700_000_001).setNanos(250_000_000).build();

  private final List<String> sent = new ArrayList<>();
  private final ConsoleLines lines = new ConsoleLines(0);

  private void apply(boolean stderr, Timestamp at, String text) {
    lines.apply(
        stderr,
        at,
        text,
        (number, body) -> sent.add(number + " " + new String(body, StandardCharsets.UTF_8)));
  }

  @Test
  void stderrGetsItsPrefixAndEveryLineItsUtcMicrosecondTimestamp() {
    apply(false, T1, "hello\n");
    apply(true, T2, "oops\n");
    assertEquals(
        List.of(
            "0 \"2023-11-14T22:13:20.000000 hello\"",
            "1 \"ERROR 2023-11-14T22:13:21.250000 oops\""),
        sent);
    assertEquals(2, lines.currentLine());
  }

  @Test
  void aProgressBarIsRewrittenAtItsOwnOffset() {
    apply(false, T1, "10%\r");
    apply(false, T1, "50%");
    apply(false, T2, "\r100%\n");
    assertEquals(
        List.of(
            "0 \"2023-11-14T22:13:20.000000 10%\"",
            "0 \"2023-11-14T22:13:20.000000 50%\"",
            "0 \"2023-11-14T22:13:21.250000 100%\""),
        sent);
    assertEquals(1, lines.currentLine());
  }

  @Test
  void aStderrLineNeverLandsInsideAnUnfinishedStdoutLine() {
    apply(false, T1, "loading");
    apply(true, T2, "warning\n");
    apply(false, T2, "... done\n");
    assertEquals(
        List.of(
            "0 \"2023-11-14T22:13:20.000000 loading\"", // shown while unfinished
            "0 \"ERROR 2023-11-14T22:13:21.250000 warning\"", // a finished line takes its place
            "1 \"2023-11-14T22:13:20.000000 loading\"", // shown again after it
            "1 \"2023-11-14T22:13:21.250000 loading... done\""),
        sent);
    assertEquals(2, lines.currentLine());
  }
}
