package dev.runbus.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** W&B's line rules (protocol §7.1) on one stream. */
class StreamLinesTest {

  private final StreamLines lines = new StreamLines();
  private final List<String> out = new ArrayList<>();

  private List<String> feed(String... pieces) {
    for (String piece : pieces) {
      lines.append(piece, line -> out.add(line.toString()));
    }
    return out;
  }

  @Test
  void newlinesEndLinesAndEmptyLinesCount() {
    assertEquals(List.of("a", "", "b"), feed("a\n\nb\n"));
    assertFalse(lines.hasPartial());
  }

  @Test
  void aLineWrittenInPiecesIsOneLine() {
    assertEquals(List.of("loading...done"), feed("load", "ing...", "done\n"));
  }

  @Test
  void aCarriageReturnLetsTheNextTextReplaceTheLine() {
    assertEquals(List.of("100%"), feed("\r 10%", "\r 50%\r", "100%\n"));
  }

  @Test
  void carriageReturnNewlineEndsTheLineAndKeepsIt() {
    assertEquals(List.of("windows", "line"), feed("windows\r\nline\r", "\n"));
  }

  @Test
  void aReturnAtTheEndOfOnePieceReplacesWithTheNextPiece() {
    feed("epoch 1 10%\r");
    assertEquals("epoch 1 10%", lines.partial().toString(), "shown until something replaces it");
    feed("epoch 1 20%");
    assertEquals("epoch 1 20%", lines.partial().toString());
    assertEquals(List.of("epoch 1 20%"), feed("\n"));
  }

  @Test
  void progressBarLinesCollapseButTheLinesAroundThemStay() {
    assertEquals(
        List.of("start", "[####] 100%", "done"),
        feed("start\n", "[#   ] 25%\r[##  ] 50%\r", "[####] 100%\n", "done\n"));
  }

  @Test
  void anOverlongLineIsCutIntoLinesOfTheLimit() {
    StreamLines short4 = new StreamLines(4);
    List<String> cut = new ArrayList<>();
    short4.append("abcdefghij\n", line -> cut.add(line.toString()));
    assertEquals(List.of("abcd", "efgh", "ij"), cut);
    short4.append("xy", line -> cut.add(line.toString()));
    short4.append("zw!", line -> cut.add(line.toString()));
    assertEquals(List.of("abcd", "efgh", "ij", "xyzw"), cut);
    assertEquals(1, short4.heldChars(), "never more than the limit held");
  }

  @Test
  void finishEndsTheUnfinishedLineOnce() {
    feed("no newline");
    assertTrue(lines.hasPartial());
    lines.finish(line -> out.add(line.toString()));
    lines.finish(line -> out.add(line.toString()));
    assertEquals(List.of("no newline"), out);
  }
}
