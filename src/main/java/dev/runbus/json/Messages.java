package dev.runbus.json;

/** Small helpers so that error messages show user text safely and briefly. */
final class Messages {

  /** How many characters of a key or path an error message shows. */
  static final int SHOWN_CHARS = 60;

  private Messages() {}

  /**
   * Quotes {@code text} as a JSON string (so control characters and quotes stay visible) and cuts
   * it after {@value #SHOWN_CHARS} characters: {@code "abcd"…(300 chars)}.
   */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), SHOWN_CHARS) + 24);
    if (text.length() <= SHOWN_CHARS) {
      JsonWriter.appendString(sb, text);
      return sb.toString();
    }
    JsonWriter.appendString(sb, text.substring(0, cutPoint(text, SHOWN_CHARS)));
    return sb.append("…(").append(text.length()).append(" chars)").toString();
  }

  /** Shortens an (unquoted) path for display, keeping its start. */
  static String shorten(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, cutPoint(text, max)) + "…(" + text.length() + " chars)";
  }

  /** Never cut a surrogate pair in half. */
  private static int cutPoint(String text, int max) {
    return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
  }
}
