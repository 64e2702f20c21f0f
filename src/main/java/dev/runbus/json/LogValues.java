package dev.runbus.json;

import java.util.Collection;
import java.util.Map;

/**
 * Validation and copying of {@code run.log(...)} keys and values on the caller's thread.
 *
 * <p>Everything is checked before anything is enqueued, so a bad value leaves nothing half-logged,
 * and inputs are only read, never modified. Scalars are kept as (immutable) objects and encoded
 * later (by the pump, or by the caller's thread when it fills a block of rows in a burst);
 * containers are encoded to {@link JsonText} right away, because that is the cheapest deep copy and
 * validates them in the same pass.
 */
public final class LogValues {

  /**
   * Longest accepted key, in UTF-16 chars. A key is a column name: it is repeated in every history
   * row on the wire, in the transaction log and in the summary, and shown in charts. Real metric
   * names are far shorter, and a longer key is almost always a bug (a value or a path logged as a
   * key), so it is rejected early instead of bloating every row.
   */
  public static final int MAX_KEY_LENGTH = 256;

  /**
   * Longest accepted map key inside a value (a nested key), in UTF-16 chars: the longest name JSON
   * readers accept by default (Jackson's {@code StreamReadConstraints}, which runbus's own summary
   * and config readers use). A longer one would be accepted here and then break whoever reads the
   * summary back, {@code finish()} included.
   */
  public static final int MAX_NESTED_KEY_LENGTH = 50_000;

  /** Deepest accepted nesting of maps, lists and arrays inside one value. */
  public static final int MAX_DEPTH = 100;

  private LogValues() {}

  /** {@link #checkKey(String, String)} for a key given to {@code log()}. */
  public static void checkKey(String key) {
    checkKey("log()", key);
  }

  /**
   * Checks a top-level log or summary key.
   *
   * @param call the call the key was given to, e.g. {@code summary().set()}, which names it in the
   *     message
   * @throws IllegalArgumentException if the key is null, empty, longer than {@link
   *     #MAX_KEY_LENGTH}, contains an unpaired surrogate (it could not be sent as UTF-8), or is one
   *     of the keys the tracker sets itself: {@code _step}, {@code _runtime}, {@code _timestamp}
   */
  public static void checkKey(String call, String key) {
    if (key == null) {
      throw new IllegalArgumentException(call + " key must not be null");
    }
    if (key.isEmpty()) {
      throw new IllegalArgumentException(call + " key must not be empty");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException(
          call
              + " key "
              + Messages.quote(key)
              + " is too long: "
              + key.length()
              + " characters, the limit is "
              + MAX_KEY_LENGTH);
    }
    if (isReserved(key)) {
      throw new IllegalArgumentException(
          call
              + " key "
              + Messages.quote(key)
              + " is reserved: _step, _runtime and _timestamp are set by runbus");
    }
    int surrogate = UnicodeText.unpairedSurrogateIndex(key);
    if (surrogate >= 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s key %s contains an unpaired surrogate U+%04X at index %d; keys must be valid Unicode",
              call, Messages.quote(key), (int) key.charAt(surrogate), surrogate));
    }
  }

  private static boolean isReserved(String key) {
    return key.charAt(0) == '_'
        && (key.equals("_step") || key.equals("_runtime") || key.equals("_timestamp"));
  }

  /**
   * Returns an immutable copy of {@code value}, safe to keep after the caller changes its objects.
   *
   * <ul>
   *   <li>{@code null}, {@link Boolean}, {@link String}, the boxed primitives, exact {@code
   *       BigDecimal}/{@code BigInteger} and {@link JsonText}: the value itself;
   *   <li>{@link Character} and enum constants: a String (the character, the constant's name);
   *   <li>other {@link Number}s ({@code AtomicLong}, {@code DoubleAdder}, …): a {@code Long} or
   *       {@code Double} snapshot of the current value;
   *   <li>{@link Map}s with String keys, {@link Collection}s and arrays (primitive or not), at most
   *       {@link #MAX_DEPTH} deep and without cycles: their {@link JsonText}.
   * </ul>
   *
   * <p>The key is not checked here (see {@link #checkKey}); it names the value in error messages.
   *
   * @throws IllegalArgumentException for any other type (records, POJOs, Optional, …) anywhere in
   *     the value, a null or non-String map key, a map key longer than {@link
   *     #MAX_NESTED_KEY_LENGTH}, a cycle or too deep nesting; the message names the key and the
   *     path inside the value
   */
  public static Object copyValue(String key, Object value) {
    return copyValue("log()", key, value);
  }

  /**
   * {@link #copyValue(String, String)} for a value given to {@code call} (e.g. {@code config},
   * {@code summary().set()}), which error messages name.
   */
  public static Object copyValue(String call, String key, Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof JsonText) {
      return value;
    }
    if (value instanceof Number n) {
      return Numbers.snapshot(n);
    }
    if (value instanceof Character c) {
      return c.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    StringBuilder json = new StringBuilder(64);
    new ValueEncoder(json, call, key).append(value); // throws for bad values, naming the key
    return new JsonText(json.toString());
  }
}
