package dev.runbus;

import java.util.Locale;
import java.util.Map;

/**
 * How a run attaches to a runbus service as one rank of a distributed job, or that it does not
 * (then it runs in this JVM's own kernel). From {@link Settings.Builder#attach} and its siblings,
 * else the environment a launcher script sets for every rank: {@code RUNBUS_ATTACH=cluster}, {@code
 * RUNBUS_RANK} (else torchrun's {@code RANK}), {@code RUNBUS_WORLD_SIZE} (else {@code WORLD_SIZE}),
 * {@code RUNBUS_SERVICE_TOKEN}.
 *
 * @param enabled attach over the cluster
 * @param rank this process's rank; 0 is the primary, whose finish ends the run
 * @param worldSize how many ranks log into the run
 * @param token the service's token
 * @param labelKeys keys labelled {@code rank<N>/…} on the service (by default when more than one
 *     rank logs)
 */
public record Attach(boolean enabled, int rank, int worldSize, String token, boolean labelKeys) {

  /** A run of this JVM alone. */
  public static final Attach NONE = new Attach(false, 0, 1, "", false);

  public static final String ATTACH_VARIABLE = "RUNBUS_ATTACH";

  /** Explicit values from the builder; null: from the environment. */
  record Explicit(Boolean attach, Integer rank, Integer worldSize, String token, Boolean labelKeys) {}

  /**
   * Resolves the attach settings; {@code runId} is the run id set (empty if none).
   *
   * @throws IllegalArgumentException naming the setting or variable that is wrong
   */
  static Attach resolve(Explicit explicit, Map<String, String> env, String runId) {
    boolean enabled =
        explicit.attach() != null ? explicit.attach() : attachFrom(env.get(ATTACH_VARIABLE));
    if (!enabled) {
      return NONE;
    }
    int rank =
        explicit.rank() != null
            ? explicit.rank()
            : number(env, "RUNBUS_RANK", "RANK", 0);
    int worldSize =
        explicit.worldSize() != null
            ? explicit.worldSize()
            : number(env, "RUNBUS_WORLD_SIZE", "WORLD_SIZE", 1);
    if (worldSize < 1) {
      throw new IllegalArgumentException(
          "world size must be at least 1, was " + worldSize + source(explicit.worldSize() != null, env, "RUNBUS_WORLD_SIZE", "WORLD_SIZE"));
    }
    if (rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException(
          "rank "
              + rank
              + " is outside a world of "
              + worldSize
              + (worldSize == 1 ? " rank" : " ranks")
              + " (ranks are 0 to world size - 1)"
              + source(explicit.rank() != null, env, "RUNBUS_RANK", "RANK"));
    }
    if (worldSize > 1 && runId.isEmpty()) {
      throw new IllegalArgumentException(
          "rank "
              + rank
              + " of "
              + worldSize
              + " needs the run id all ranks share: set WANDB_RUN_ID to the same id for every rank"
              + " (or Settings.runId)");
    }
    String token =
        explicit.token() != null ? explicit.token() : env.getOrDefault("RUNBUS_SERVICE_TOKEN", "");
    boolean labelKeys = explicit.labelKeys() != null ? explicit.labelKeys() : worldSize > 1;
    return new Attach(true, rank, worldSize, token.trim(), labelKeys);
  }

  private static boolean attachFrom(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "cluster" -> true;
      case "none", "off", "false", "0" -> false;
      default ->
          throw new IllegalArgumentException(
              ATTACH_VARIABLE
                  + "=\""
                  + value
                  + "\" is not a way to attach: use cluster (join the runbus service's cluster and"
                  + " log into its run), or leave it unset to run in this process");
    };
  }

  /** {@code primary}, else {@code fallback} (torchrun's name), else {@code otherwise}. */
  private static int number(Map<String, String> env, String primary, String fallback, int otherwise) {
    for (String variable : new String[] {primary, fallback}) {
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        try {
          return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              variable + "=\"" + value + "\" is not a whole number", e);
        }
      }
    }
    return otherwise;
  }

  private static String source(
      boolean explicit, Map<String, String> env, String primary, String fallback) {
    if (explicit) {
      return "";
    }
    String used = env.get(primary) != null && !env.get(primary).isBlank() ? primary : fallback;
    return " (from " + used + ")";
  }

  /** Never the token itself: settings get printed. */
  @Override
  public String toString() {
    return "Attach[enabled="
        + enabled
        + ", rank="
        + rank
        + ", worldSize="
        + worldSize
        + ", token="
        + (token.isEmpty() ? "none" : "set")
        + ", labelKeys="
        + labelKeys
        + "]";
  }

  /** A rank that says who it is: {@code rank 2 of 4}. */
  public String describe() {
    return "rank " + rank + " of " + worldSize;
  }
}
