package dev.runbus.sender;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code .netrc} file as W&B's {@code wandb login} writes it and Python's netrc module reads it:
 * {@code machine <host> login <user> password <key>} entries, a {@code default} entry, {@code
 * account} ignored, {@code macdef} bodies skipped to the next blank line, {@code #} comments.
 * Tokens are separated by any whitespace, so one entry may span lines or share one with another.
 */
final class Netrc {
  /** One entry's login and password; either may be null when the file leaves it out. */
  record Entry(String login, String password) {}

  private final Map<String, Entry> machines;
  private final Entry fallback;

  private Netrc(Map<String, Entry> machines, Entry fallback) {
    this.machines = machines;
    this.fallback = fallback;
  }

  /** The entry for {@code host}, else the {@code default} entry, if any. */
  Optional<Entry> entryFor(String host) {
    return machine(host).or(this::defaultEntry);
  }

  /** The entry naming exactly {@code host}. */
  Optional<Entry> machine(String host) {
    return Optional.ofNullable(machines.get(host));
  }

  /** The {@code default} entry, if the file has one. */
  Optional<Entry> defaultEntry() {
    return Optional.ofNullable(fallback);
  }

  static Netrc parse(String text) {
    Map<String, Entry> machines = new HashMap<>();
    Entry fallback = null;
    String[] lines = text.split("\r?\n", -1);
    StringBuilder tokens = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String trimmed = line.strip();
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.startsWith("macdef")) {
        // a macro's body runs to the next empty line and is not made of tokens
        while (i + 1 < lines.length && !lines[i + 1].isBlank()) {
          i++;
        }
        continue;
      }
      tokens.append(line).append(' ');
    }
    String[] words = tokens.toString().trim().split("\\s+");
    String machine = null;
    boolean isDefault = false;
    String login = null;
    String password = null;
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      switch (word) {
        case "machine", "default" -> {
          if (machine != null) {
            machines.putIfAbsent(machine, new Entry(login, password));
          } else if (isDefault && fallback == null) {
            fallback = new Entry(login, password);
          }
          login = null;
          password = null;
          isDefault = word.equals("default");
          machine = isDefault || i + 1 >= words.length ? null : words[++i];
        }
        case "login" -> login = i + 1 < words.length ? words[++i] : null;
        case "password" -> password = i + 1 < words.length ? words[++i] : null;
        case "account" -> i++;
        default -> {
          // a word outside an entry's keywords: ignored, as lenient readers do
        }
      }
    }
    if (machine != null) {
      machines.putIfAbsent(machine, new Entry(login, password));
    } else if (isDefault && fallback == null) {
      fallback = new Entry(login, password);
    }
    return new Netrc(machines, fallback);
  }
}
