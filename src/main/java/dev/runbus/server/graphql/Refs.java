package dev.runbus.server.graphql;

import dev.runbus.server.store.RunFiles.FileInfo;
import dev.runbus.server.store.RunInfo;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The sources of GraphQL objects that are names rather than stored rows. */
final class Refs {
  private Refs() {}

  /** The project W&B's clients call {@code project} or {@code model}. */
  record ProjectRef(String entity, String name) {
    String id() {
      return opaqueId("Project:v1:" + name + ":" + entity);
    }
  }

  record EntityRef(String name) {
    String id() {
      return opaqueId("Entity:" + name);
    }
  }

  /** One of a run's files as {@code files(names)} lists it; {@code info} null when not uploaded. */
  record FileNode(RunInfo run, String name, FileInfo info) {}

  /** W&B's ids are base64 of a typed name; clients never decode them. */
  static String opaqueId(String plain) {
    return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }
}
