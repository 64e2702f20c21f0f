package dev.runbus.ranks;

import dev.runbus.proto.RankState;
import java.util.Locale;
import java.util.Map;

/**
 * How the ranks of a run ended, as the run records it: the summary key {@value #SUMMARY_KEY}, one
 * entry per rank ({@code {"0": {"state": "finished", "exit_code": 0, "host": …}, …}}), so a person
 * (and {@code inspect}) sees at once which ranks finished, failed, vanished or timed out.
 */
final class RankOutcomes {

  static final String SUMMARY_KEY = "ranks";

  private RankOutcomes() {}

  static String word(RankState state) {
    return switch (state) {
      case RANK_ATTACHED -> "attached";
      case RANK_FINISHED -> "finished";
      case RANK_FAILED -> "failed";
      case RANK_VANISHED -> "vanished";
      case RANK_TIMED_OUT -> "timed_out";
      case RANK_NEVER_ATTACHED -> "never_attached";
      default -> state.name().toLowerCase(Locale.ROOT);
    };
  }

  /** The summary value: a JSON object by rank number, in rank order. */
  static String summaryJson(Map<Integer, RankSession> sessions, Iterable<Integer> neverAttached) {
    StringBuilder json = new StringBuilder("{");
    boolean first = true;
    for (RankSession session : sessions.values()) {
      json.append(first ? "" : ",").append('"').append(session.rank()).append("\":{");
      first = false;
      json.append("\"state\":\"").append(word(session.state)).append('"');
      if (session.state == RankState.RANK_FINISHED || session.state == RankState.RANK_FAILED) {
        json.append(",\"exit_code\":").append(session.exitCode);
      }
      json.append(",\"rows\":").append(session.historyRows);
      if (!session.identity.getHost().isEmpty()) {
        json.append(",\"host\":").append(quote(session.identity.getHost()));
      }
      if (session.identity.getPid() != 0) {
        json.append(",\"pid\":").append(session.identity.getPid());
      }
      if (!session.note.isEmpty()) {
        json.append(",\"note\":").append(quote(session.note));
      }
      json.append('}');
    }
    for (int rank : neverAttached) {
      json.append(first ? "" : ",").append('"').append(rank).append("\":{\"state\":\"")
          .append(word(RankState.RANK_NEVER_ATTACHED)).append("\"}");
      first = false;
    }
    return json.append('}').toString();
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
