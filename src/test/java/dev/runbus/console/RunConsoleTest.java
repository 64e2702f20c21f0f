package dev.runbus.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runbus.proto.OutputRawRecord;
import dev.runbus.proto.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A run's captured lines: bounded in bytes, shipped in order, a gap said where it is. */
class RunConsoleTest {

  private final List<Record> shipped = new CopyOnWriteArrayList<>();

  private static List<String> lines(List<Record> records) {
    List<String> lines = new ArrayList<>();
    for (Record r : records) {
      for (String line : r.getOutputRaw().getLine().split("\n")) {
        lines.add((r.getOutputRaw().getOutputType() == OutputRawRecord.OutputType.STDERR ? "err " : "") + line);
      }
    }
    return lines;
  }

  @Test
  void aPrinterThatMayWaitLosesNothingHoweverSmallTheBound() throws Exception {
    RunConsole console = new RunConsole("bounded", shipped::add, 64);
    console.startShipping();
    Thread printer =
        new Thread(
            () -> IntStream.range(0, 2000).forEach(i -> console.offer(false, "line " + i, true)),
            "printer");
    printer.start();
    printer.join();
    console.stop();
    assertEquals(IntStream.range(0, 2000).mapToObj(i -> "line " + i).toList(), lines(shipped));
    assertEquals(0, console.droppedLines());
    assertEquals(2000, console.lines());
  }

  @Test
  void linesThatFindNoRoomAreDroppedCountedAndTheGapIsSaidInTheLog() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    RunConsole console =
        new RunConsole(
            "stalled",
            record -> {
              try {
                stalled.await(); // the run's queue does not take anything yet
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              shipped.add(record);
            },
            1000);
    console.startShipping();
    // runbus's own threads and event loops never wait: they drop at once when full
    for (int i = 0; i < 200; i++) {
      console.offer(false, "line " + i, false);
    }
    long dropped = console.droppedLines();
    assertTrue(dropped > 0 && dropped < 200, "dropped " + dropped);
    stalled.countDown();
    console.stop();
    List<String> lines = lines(shipped);
    int kept = (int) (200 - dropped);
    assertEquals(kept + 1, lines.size(), String.join("\n", lines));
    assertEquals(IntStream.range(0, kept).mapToObj(i -> "line " + i).toList(), lines.subList(0, kept));
    // at the end: the gap is said once nothing more comes
    assertTrue(lines.get(kept).startsWith("err runbus: " + dropped + " console lines ("), lines.get(kept));
    assertEquals(200, console.lines());
  }

  @Test
  void whenRoomComesBackTheGapIsSaidBeforeTheNextLine() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    RunConsole console =
        new RunConsole(
            "gap",
            record -> {
              try {
                stalled.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              shipped.add(record);
            },
            200);
    console.startShipping();
    for (int i = 0; i < 50; i++) {
      console.offer(false, "before " + i, false);
    }
    long dropped = console.droppedLines();
    assertTrue(dropped > 0, "dropped " + dropped);
    stalled.countDown();
    Thread printer = new Thread(() -> console.offer(false, "after", true), "printer");
    printer.start();
    printer.join();
    console.stop();
    List<String> lines = lines(shipped);
    int after = lines.indexOf("after");
    assertTrue(
        lines.get(after - 1).startsWith("err runbus: " + dropped + " console line"),
        String.join("\n", lines));
  }
}
