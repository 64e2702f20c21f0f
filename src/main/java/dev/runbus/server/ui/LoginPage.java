package dev.runbus.server.ui;

/**
 * The sign-in page: the {@code webui/login.html} template with the {@code next} path kept in a
 * hidden field and, after a wrong key, the message. Both are HTML-escaped: {@code next} comes from
 * the query string.
 */
final class LoginPage {

  static final String WRONG_KEY = "That API key is not valid.";

  private LoginPage() {}

  static String render(String template, boolean wrongKey, String next) {
    String error =
        wrongKey
            ? "<p id=\"login-error\" class=\"login-error\" role=\"alert\">" + escape(WRONG_KEY) + "</p>"
            : "";
    return template.replace("{{error}}", error).replace("{{next}}", escape(NextPath.orHome(next)));
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
