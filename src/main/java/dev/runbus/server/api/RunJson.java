package dev.runbus.server.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.runbus.server.store.RunFiles.FileInfo;
import dev.runbus.server.store.RunInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** How a run and its files are written in the read API's answers (the OpenAPI's {@code Run}). */
final class RunJson {
  private RunJson() {}

  /** One run; {@code files} null leaves the files out (as in a page of runs). */
  static void write(RunInfo run, List<FileInfo> files, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("entity", run.entity());
    g.writeStringField("project", run.project());
    g.writeStringField("name", run.name());
    g.writeStringField("displayName", run.displayName());
    g.writeStringField("state", run.state());
    g.writeFieldName("exitCode");
    if (run.exitCode() == null) {
      g.writeNull();
    } else {
      g.writeNumber(run.exitCode());
    }
    g.writeFieldName("config");
    writeObjectText(run.config(), g);
    g.writeFieldName("summary");
    writeObjectText(run.summary(), g);
    g.writeStringField("notes", run.notes());
    g.writeStringField("description", run.description());
    g.writeStringField("group", run.group());
    g.writeStringField("jobType", run.jobType());
    g.writeStringField("host", run.host());
    g.writeStringField("program", run.program());
    g.writeStringField("repo", run.repo());
    g.writeStringField("commit", run.commit());
    g.writeStringField("sweep", run.sweep());
    g.writeArrayFieldStart("tags");
    for (String tag : run.tags() == null ? List.<String>of() : run.tags()) {
      g.writeString(tag);
    }
    g.writeEndArray();
    g.writeBooleanField("stopRequested", run.stopRequested());
    g.writeNumberField("historyLineCount", run.historyLineCount());
    g.writeNumberField("eventsLineCount", run.eventsLineCount());
    g.writeNumberField("logLineCount", run.logLineCount());
    g.writeStringField("createdAt", time(run.createdAtMillis()));
    g.writeStringField("updatedAt", time(run.updatedAtMillis()));
    g.writeStringField(
        "heartbeatAt", run.heartbeatAtMillis() == null ? null : time(run.heartbeatAtMillis()));
    if (files != null) {
      g.writeArrayFieldStart("files");
      for (FileInfo f : files) {
        writeFile(f, g);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  static void writeFile(FileInfo f, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", f.name());
    g.writeNumberField("size", f.sizeBytes());
    g.writeStringField("md5", f.md5Base64());
    g.writeStringField("updatedAt", time(f.updatedAtMillis()));
    g.writeEndObject();
  }

  static String time(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  /** A stored config or summary as a JSON object, non-finite numbers as strings. */
  private static void writeObjectText(String text, JsonGenerator g) throws IOException {
    FiniteJson.writeStored(text, g);
  }
}
