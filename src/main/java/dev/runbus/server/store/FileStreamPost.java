package dev.runbus.server.store;

import java.util.List;
import java.util.Map;

/**
 * One parsed FileStream post. {@code files} maps a file name (wandb-history.jsonl,
 * wandb-events.jsonl, wandb-summary.json, output.log, or any other name) to its chunk.
 * {@code complete} and {@code exitcode} end the run; {@code preempting} marks it so.
 */
public record FileStreamPost(
    Map<String, Chunk> files,
    List<String> uploaded,
    boolean complete,
    Integer exitcode,
    boolean preempting) {

  /** Lines {@code offset .. offset + lines.size() - 1} of one file. */
  public record Chunk(long offset, List<String> lines) {}
}
