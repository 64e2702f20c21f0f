package dev.runbus.server.store.sql;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/** Display names for new runs in W&B's shape, "adjective-noun-N", N the run's number in its project. */
final class DisplayNames {
  private static final String[] ADJECTIVES = {
    "amber", "bold", "brisk", "calm", "clever", "cosmic", "crisp", "daring", "eager", "faithful",
    "fearless", "gentle", "golden", "graceful", "happy", "hardy", "honest", "jolly", "keen",
    "lively", "lucky", "mellow", "misty", "noble", "patient", "proud", "quiet", "rapid", "rosy",
    "serene", "silver", "steady", "sunny", "swift", "tender", "vivid", "warm", "wild", "wise",
    "young"
  };
  private static final String[] NOUNS = {
    "aurora", "bird", "breeze", "brook", "canyon", "cloud", "comet", "cosmos", "dawn", "delta",
    "dew", "dream", "dust", "field", "fire", "flower", "forest", "frost", "galaxy", "glade",
    "grass", "harbor", "hill", "lake", "leaf", "meadow", "moon", "morning", "night", "ocean",
    "pine", "planet", "rain", "river", "sea", "shadow", "sky", "snow", "star", "sun", "thunder",
    "violet", "water", "wave", "wind", "wood"
  };

  private final RandomGenerator random;

  DisplayNames() {
    this(new SecureRandom());
  }

  DisplayNames(RandomGenerator random) {
    this.random = random;
  }

  String next(long runNumber) {
    return ADJECTIVES[random.nextInt(ADJECTIVES.length)]
        + "-"
        + NOUNS[random.nextInt(NOUNS.length)]
        + "-"
        + runNumber;
  }
}
