package dev.runbus.cli;

import dev.runbus.log.LogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells a text file from a binary one by its first bytes, so that inspect can say "this is a text
 * file" where a hex dump of a header would only puzzle.
 */
final class TextFiles {

  /** Enough to judge by; a .wandb log's header alone is 7 bytes. */
  private static final int SAMPLE_BYTES = 512;

  private static final int SHOWN_CHARS = 40;

  private TextFiles() {}

  /**
   * The start of the first line of {@code file} if the file looks like text (UTF-8, no control
   * characters but tabs and line ends), or null if it does not, is empty or cannot be read.
   */
  static String beginning(Path file) {
    byte[] sample;
    try (InputStream in = Files.newInputStream(file)) {
      sample = in.readNBytes(SAMPLE_BYTES);
    } catch (IOException e) {
      return null;
    }
    if (startsLikeALog(sample)) {
      return null; // a log cut inside its header is a damaged log, not text
    }
    String text = decode(sample);
    if (text == null || text.isBlank()) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return null;
      }
    }
    String first = text.strip().lines().findFirst().orElse("");
    return first.length() <= SHOWN_CHARS ? first : first.substring(0, SHOWN_CHARS) + "...";
  }

  private static boolean startsLikeALog(byte[] sample) {
    byte[] header = LogFormat.fileHeader();
    int ident = Math.min(sample.length, 4); // ":W&B"
    for (int i = 0; i < ident; i++) {
      if (sample[i] != header[i]) {
        return false;
      }
    }
    return true;
  }

  /** The sample as UTF-8, or null if it is not; a character cut at the sample's end is allowed. */
  private static String decode(byte[] sample) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(sample);
    var out = java.nio.CharBuffer.allocate(sample.length);
    var result = decoder.decode(in, out, false);
    if (result.isError()) {
      return null;
    }
    // bytes left undecoded are an incomplete character at the sample's end: fine when the sample
    // was cut there, not text otherwise
    if (in.remaining() > 0 && sample.length < SAMPLE_BYTES) {
      return null;
    }
    return out.flip().toString();
  }
}
