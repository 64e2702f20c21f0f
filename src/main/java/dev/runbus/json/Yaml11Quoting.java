package dev.runbus.json;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.Locale;
import java.util.Set;

/**
 * Which strings {@code config.yaml} may write plain: those no YAML 1.1 reader (PyYAML) resolves to
 * another type. Jackson's default check follows YAML 1.2 and misses YAML 1.1's forms ({@code 0x1F},
 * {@code 1_000}, {@code 1:30}, dates, {@code .inf}, {@code ~}, {@code <<}, {@code =}), so the rule
 * here is deliberately narrow: plain only when the first character is a letter (any script) or one
 * of {@code _ / $ (}, and the whole is not a YAML 1.1 boolean or null. No number, date or special value starts
 * that way. The emitter still quotes what YAML's syntax needs quoted ({@code "a: b"}, a trailing
 * space, control characters).
 */
final class Yaml11Quoting extends StringQuotingChecker {

  private static final long serialVersionUID = 1L;

  /** Booleans and null in YAML 1.1, compared ignoring case to also cover other YAML 1.1 readers. */
  private static final Set<String> WORDS =
      Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null");

  @Override
  public boolean needToQuoteName(String name) {
    return !readsAsString(name);
  }

  @Override
  public boolean needToQuoteValue(String value) {
    return !readsAsString(value);
  }

  static boolean readsAsString(String s) {
    return !s.isEmpty()
        && s.indexOf(ConfigYaml.MARK) < 0 // only a double-quoted string can hold its escape
        && startsLikeAWord(s.codePointAt(0))
        && !(s.length() <= 5 && WORDS.contains(s.toLowerCase(Locale.ROOT)));
  }

  /** Beyond ASCII, only letters: no space, mark, byte order mark or symbol starts plain. */
  private static boolean startsLikeAWord(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == '/'
        || c == '$'
        || c == '('
        || (c >= 0x80 && Character.isLetter(c));
  }
}
