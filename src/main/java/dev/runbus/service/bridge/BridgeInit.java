package dev.runbus.service.bridge;

import dev.runbus.Mode;
import dev.runbus.Settings;
import dev.runbus.service.ServiceConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@code init} frame's body to the run's {@link Settings}: the client names the run (W&B's
 * {@code wandb.init} arguments), the service decides where it lives and whether it goes online.
 */
final class BridgeInit {

  static final Set<String> FIELDS =
      Set.of(
          "project", "entity", "name", "notes", "tags", "group", "job_type", "config", "id",
          "resume", "strict_steps");

  private BridgeInit() {}

  /**
   * @throws IllegalArgumentException (a setting the Java API refuses) or ServiceException
   *     (a malformed field)
   */
  static Settings settings(JsonObject body, ServiceConfig config, long maxFrameBytes) {
    BridgeSession.fields(body, "init", FIELDS);
    Settings.Builder builder =
        Settings.builder()
            .dir(config.dataDir())
            .quiet(true) // a service prints no run banners
            // the service finishes its runs as it stops (exit 143): the JVM's exit hook must not
            // race it with exit 0
            .finishAtExit(false)
            // this JVM is the service, not the client's process: its CPU and heap would pass
            // for the client's
            .stats(false)
            .environment(Map.of()); // the service's configuration decides, not its environment
    if (config.online()) {
      builder.mode(Mode.ONLINE).baseUrl(config.baseUrl()).apiKey(config.apiKey());
    } else {
      builder.mode(Mode.OFFLINE);
    }
    String project = BridgeSession.string(body, "project", false);
    if (project != null) {
      builder.project(project);
    }
    String entity = BridgeSession.string(body, "entity", false);
    if (entity != null) {
      builder.entity(entity);
    }
    String name = BridgeSession.string(body, "name", false);
    if (name != null) {
      builder.name(name);
    }
    String notes = BridgeSession.string(body, "notes", false);
    if (notes != null) {
      builder.notes(notes);
    }
    List<String> tags = BridgeSession.strings(body, "tags");
    if (!tags.isEmpty()) {
      builder.tags(tags.toArray(new String[0]));
    }
    String group = BridgeSession.string(body, "group", false);
    if (group != null) {
      builder.group(group);
    }
    String jobType = BridgeSession.string(body, "job_type", false);
    if (jobType != null) {
      builder.jobType(jobType);
    }
    String id = BridgeSession.string(body, "id", false);
    if (id != null) {
      builder.runId(id);
    }
    String resume = BridgeSession.string(body, "resume", false);
    if (resume != null) {
      builder.resume(resume);
    }
    if (body.getValue("strict_steps") != null) {
      builder.strictSteps(BridgeSession.bool(body, "strict_steps"));
    }
    JsonObject runConfig = BridgeSession.object(body, "config", false);
    if (runConfig != null) {
      builder.config(BridgeValues.map(runConfig, "config", maxFrameBytes));
    }
    return builder.build();
  }
}
