package dev.runbus.json;

/**
 * Text that leaves the JVM as UTF-8 (protobuf strings, file names) must be valid Unicode: an
 * unpaired surrogate has no UTF-8 form, and protobuf would silently write {@code ?} in its place.
 * Names (keys, settings, metric names) holding one are refused; values keep it, escaped in their
 * JSON ({@link JsonWriter#appendString}).
 */
public final class UnicodeText {

  private UnicodeText() {}

  /** The index of the first surrogate without its pair, or -1 when {@code s} is valid Unicode. */
  public static int unpairedSurrogateIndex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns {@code text} if it is valid Unicode.
   *
   * @param what names the text in the message, e.g. {@code config key}, {@code WANDB_PROJECT}
   * @throws IllegalArgumentException naming {@code what}, the surrogate and where it is
   */
  public static String requireValid(String what, String text) {
    int at = unpairedSurrogateIndex(text);
    if (at >= 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s %s contains an unpaired surrogate U+%04X at index %d;"
                  + " text must be valid Unicode to be written as UTF-8",
              what, Messages.quote(text), (int) text.charAt(at), at));
    }
    return text;
  }
}
