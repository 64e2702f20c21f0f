package dev.runbus.sender;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The Sender's waits and where its one-line notices go: W&B's values by default, shorter in tests.
 *
 * @param retry the backoff between attempts of a request
 * @param configDebounce how long config changes gather before one upsert carries them (5 s, as
 *     wandb-core)
 * @param stopPollInterval how often RunStoppedStatus asks whether the run should stop (15 s)
 * @param httpTimeout how long one GraphQL attempt may take (30 s, as wandb-core)
 * @param metadataWait how long to look for {@code wandb-metadata.json} after the run starts
 * @param notices where the Sender's few user-facing lines go (stderr)
 */
public record SenderTunables(
    RetryPolicy retry,
    Duration configDebounce,
    Duration stopPollInterval,
    Duration httpTimeout,
    Duration metadataWait,
    Consumer<String> notices) {

  public static SenderTunables defaults() {
    return new SenderTunables(
        RetryPolicy.defaults(),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofSeconds(10),
        System.err::println);
  }
}
