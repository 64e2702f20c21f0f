package dev.runbus.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.FileStreamPost;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a FileStream post's envelope (W&B's {@code {"files": {name: {"offset", "content"}},
 * "uploaded", "complete", "exitcode", "preempting"}}) into a {@link FileStreamPost}. The lines are
 * strings inside the envelope and stay as sent (they may hold bare NaN, which is not JSON). Anything
 * of the wrong type is refused with a {@link BadInputException} naming the field; fields this server
 * does not use ({@code dropped}, {@code failed}, newer ones) are ignored, as W&B's backend does.
 */
public final class FileStreamRequests {

  private static final JsonFactory JSON = new JsonFactory();
  private static final int MAX_MESSAGE = 200;

  private FileStreamRequests() {}

  public static FileStreamPost parse(byte[] body) {
    return parse(new java.io.ByteArrayInputStream(body), body.length);
  }

  /**
   * Parses {@code length} bytes of JSON from {@code body}, streaming (a post of 10,000 lines
   * builds no tree). A field of the wrong type is remembered and the reading goes on, so that a
   * body that is not JSON at all says so first, and of several wrong fields the one named is the
   * first of files, uploaded, complete, preempting, exitcode (as when the body was read whole).
   */
  public static FileStreamPost parse(InputStream body, long length) {
    if (length == 0) {
      throw new BadInputException("empty body: a FileStream post is a JSON object");
    }
    Object files = Map.of();
    Object uploaded = List.of();
    Object complete = false;
    Object preempting = false;
    Object exitcode = null;
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken root = p.nextToken();
      if (root != JsonToken.START_OBJECT) {
        p.skipChildren(); // an array that is not even JSON is reported as such
        throw new BadInputException("body must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        switch (name) {
          case "files" -> files = files(p);
          case "uploaded" -> uploaded = strings(p, "uploaded");
          case "complete" -> complete = bool(p, "complete");
          case "preempting" -> preempting = bool(p, "preempting");
          case "exitcode" -> exitcode = exitcode(p);
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new BadInputException("body is not valid JSON: " + describe(e));
    } catch (IOException e) {
      throw new BadInputException("body is not valid JSON");
    }
    for (Object field : new Object[] {files, uploaded, complete, preempting, exitcode}) {
      if (field instanceof Wrong wrong) {
        throw new BadInputException(wrong.message());
      }
    }
    @SuppressWarnings("unchecked")
    Map<String, FileStreamPost.Chunk> chunks = (Map<String, FileStreamPost.Chunk>) files;
    @SuppressWarnings("unchecked")
    List<String> names = (List<String>) uploaded;
    return new FileStreamPost(
        chunks, names, (Boolean) complete, (Integer) exitcode, (Boolean) preempting);
  }

  /** A field of the wrong type, reported once the whole body has been read. */
  private record Wrong(String message) {}

  private static Object files(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return Map.of();
    }
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new Wrong("files: expected an object of file name to chunk");
    }
    Map<String, Object> read = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      read.put(name, chunk(p, "files[\"" + shorten(name) + "\"]"));
    }
    Map<String, FileStreamPost.Chunk> files = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : read.entrySet()) {
      if (e.getValue() instanceof Wrong wrong) {
        return wrong;
      }
      files.put(e.getKey(), (FileStreamPost.Chunk) e.getValue());
    }
    return Collections.unmodifiableMap(files);
  }

  private static Object chunk(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new Wrong(where + ": expected an object with offset and content");
    }
    Object offset = 0L;
    Object content = new Wrong(where + ".content: expected an array of strings");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (name.equals("offset")) {
        if (t == JsonToken.VALUE_NULL) {
          offset = 0L;
        } else if (t == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
            && p.getLongValue() >= 0) {
          offset = p.getLongValue();
        } else {
          p.skipChildren();
          offset = new Wrong(where + ".offset: expected a whole number of 0 or more");
        }
      } else if (name.equals("content")) {
        content =
            t == JsonToken.START_ARRAY
                ? strings(p, where + ".content")
                : skipped(p, where + ".content: expected an array of strings");
      } else {
        p.skipChildren();
      }
    }
    if (offset instanceof Wrong) {
      return offset;
    }
    if (content instanceof Wrong) {
      return content;
    }
    @SuppressWarnings("unchecked")
    List<String> lines = (List<String>) content;
    return new FileStreamPost.Chunk((Long) offset, lines);
  }

  private static Wrong skipped(JsonParser p, String message) throws IOException {
    p.skipChildren();
    return new Wrong(message);
  }

  private static Object strings(JsonParser p, String where) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return skipped(p, where + ": expected an array of strings");
    }
    List<String> out = new ArrayList<>();
    Wrong wrong = null;
    JsonToken t;
    for (int i = 0; (t = p.nextToken()) != JsonToken.END_ARRAY; i++) {
      if (t == JsonToken.VALUE_STRING) {
        if (wrong == null) {
          out.add(p.getText());
        }
      } else {
        p.skipChildren();
        wrong = wrong != null ? wrong : new Wrong(where + "[" + i + "]: expected a string");
      }
    }
    return wrong != null ? wrong : Collections.unmodifiableList(out);
  }

  private static Object bool(JsonParser p, String where) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_NULL -> false;
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      default -> skipped(p, where + ": expected true or false");
    };
  }

  private static Object exitcode(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    return skipped(p, "exitcode: expected a whole number or null");
  }

  /** Jackson's reason and position, without its echo of the source. */
  private static String describe(JsonProcessingException e) {
    String reason = shorten(String.valueOf(e.getOriginalMessage()));
    JsonLocation at = e.getLocation();
    return at == null ? reason : reason + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
  }
}
