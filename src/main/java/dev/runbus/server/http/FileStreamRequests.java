package dev.runbus.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbus.server.store.BadInputException;
import dev.runbus.server.store.FileStreamPost;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 200;

  private FileStreamRequests() {}

  public static FileStreamPost parse(byte[] body) {
    return parse(new java.io.ByteArrayInputStream(body), body.length);
  }

  /** Parses {@code length} bytes of JSON from {@code body}. */
  public static FileStreamPost parse(InputStream body, long length) {
    if (length == 0) {
      throw new BadInputException("empty body: a FileStream post is a JSON object");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadInputException("body is not valid JSON: " + describe(e));
    } catch (IOException e) {
      throw new BadInputException("body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new BadInputException("body must be a JSON object");
    }
    Map<String, FileStreamPost.Chunk> files = files(root.get("files"));
    List<String> uploaded = strings(root.get("uploaded"), "uploaded");
    boolean complete = bool(root.get("complete"), "complete");
    boolean preempting = bool(root.get("preempting"), "preempting");
    Integer exitcode = exitcode(root.get("exitcode"));
    return new FileStreamPost(files, uploaded, complete, exitcode, preempting);
  }

  private static Map<String, FileStreamPost.Chunk> files(JsonNode node) {
    if (isAbsent(node)) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new BadInputException("files: expected an object of file name to chunk");
    }
    Map<String, FileStreamPost.Chunk> files = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String where = "files[\"" + shorten(field.getKey()) + "\"]";
      JsonNode chunk = field.getValue();
      if (!chunk.isObject()) {
        throw new BadInputException(where + ": expected an object with offset and content");
      }
      JsonNode offset = chunk.get("offset");
      long start;
      if (isAbsent(offset)) {
        start = 0;
      } else if (offset.isIntegralNumber() && offset.canConvertToLong() && offset.asLong() >= 0) {
        start = offset.asLong();
      } else {
        throw new BadInputException(where + ".offset: expected a whole number of 0 or more");
      }
      JsonNode content = chunk.get("content");
      if (content == null || !content.isArray()) {
        throw new BadInputException(where + ".content: expected an array of strings");
      }
      files.put(field.getKey(), new FileStreamPost.Chunk(start, strings(content, where + ".content")));
    }
    return Collections.unmodifiableMap(files);
  }

  private static List<String> strings(JsonNode node, String where) {
    if (isAbsent(node)) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new BadInputException(where + ": expected an array of strings");
    }
    List<String> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new BadInputException(where + "[" + i + "]: expected a string");
      }
      out.add(item.textValue());
    }
    return Collections.unmodifiableList(out);
  }

  private static boolean bool(JsonNode node, String where) {
    if (isAbsent(node)) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new BadInputException(where + ": expected true or false");
    }
    return node.booleanValue();
  }

  private static Integer exitcode(JsonNode node) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new BadInputException("exitcode: expected a whole number or null");
    }
    return node.intValue();
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
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
