package dev.runbus.ranks;

import dev.runbus.proto.RankIdentity;
import dev.runbus.proto.Record;

/**
 * A rank's console lines in a run several ranks write: each line starts with W&B's label, {@code
 * [rank1] }, as W&B's own shared runs label each writer's lines, so the run's one console says who
 * printed what. A run with one writer keeps its lines as printed.
 */
final class RankConsole {

  private RankConsole() {}

  static Record labelled(RankIdentity rank, Record record) {
    if (rank.getWorldSize() <= 1) {
      return record;
    }
    String text = record.getOutputRaw().getLine();
    return record.toBuilder()
        .setOutputRaw(record.getOutputRaw().toBuilder().setLine(label(text, "[rank" + rank.getRank() + "] ")))
        .build();
  }

  /**
   * The label before every line of {@code text}, and after every {@code \r} that rewrites a line
   * (a progress bar): the console keeps only what follows a {@code \r}, which must keep its label.
   * Empty lines stay empty.
   */
  static String label(String text, String label) {
    StringBuilder out = new StringBuilder(text.length() + 2 * label.length());
    boolean lineStart = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (lineStart && c != '\n' && c != '\r') {
        out.append(label);
      }
      out.append(c);
      lineStart = c == '\n' || c == '\r';
    }
    return out.toString();
  }
}
