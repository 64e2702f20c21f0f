package dev.runbus.server.graphql;

import dev.runbus.server.UploadUrls;
import dev.runbus.server.store.Alert;
import dev.runbus.server.store.NotFoundException;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.Runs.Upserted;
import dev.runbus.server.store.Runs;
import dev.runbus.server.store.User;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * upsertBucket, createRunFiles, stopRun and notifyScriptableRunAlert: each one store transaction
 * on the worker pool.
 */
final class MutationFetchers {
  private final StoreCalls store;
  private final UploadUrls uploads;

  MutationFetchers(StoreCalls store, UploadUrls uploads) {
    this.store = store;
    this.uploads = uploads;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type(
        "Mutation",
        t ->
            t.dataFetcher("upsertBucket", this::upsertBucket)
                .dataFetcher("createRunFiles", this::createRunFiles)
                .dataFetcher("stopRun", this::stopRun)
                .dataFetcher("notifyScriptableRunAlert", this::notifyScriptableRunAlert));
  }

  private CompletionStage<Map<String, Object>> upsertBucket(DataFetchingEnvironment env) {
    User viewer = Requests.viewer(env);
    Map<String, Object> input = env.getArgument("input");
    return store.call(
        s -> {
          UpsertBucketInput parsed = UpsertBucketInput.from(input);
          Upserted upserted = s.runs().upsert(viewer, parsed.storageId(), parsed.upsert());
          Map<String, Object> payload = new HashMap<>();
          payload.put("bucket", upserted.run());
          payload.put("inserted", upserted.inserted());
          // v0.16 asks for server messages once it has seen the ServerSettings type: none here.
          payload.put("serverSettings", Map.of("serverMessages", List.of()));
          payload.put("clientMutationId", input.get("clientMutationId"));
          return payload;
        });
  }

  private CompletionStage<Map<String, Object>> createRunFiles(DataFetchingEnvironment env) {
    User viewer = Requests.viewer(env);
    Map<String, Object> input = env.getArgument("input");
    return store.call(
        s -> {
          RunInfo run = findRun(s.runs(), viewer, runKey(viewer, input));
          List<Map<String, Object>> files = new ArrayList<>();
          Object names = input.get("files");
          for (Object name : names == null ? List.of() : (List<?>) names) {
            String fileName = Names.required(name == null ? null : name.toString(), "file name");
            Map<String, Object> file = new HashMap<>();
            file.put("name", fileName);
            file.put("uploadUrl", uploads.uploadUrl(run, fileName));
            files.add(file);
          }
          Map<String, Object> payload = new HashMap<>();
          payload.put("runID", run.storageId());
          payload.put("uploadHeaders", List.of());
          payload.put("files", files);
          payload.put("clientMutationId", input.get("clientMutationId"));
          return payload;
        });
  }

  private CompletionStage<Map<String, Object>> stopRun(DataFetchingEnvironment env) {
    User viewer = Requests.viewer(env);
    Map<String, Object> input = env.getArgument("input");
    return store.call(
        s -> {
          String id = Names.required((String) input.get("id"), "id");
          RunKey key = keyOfStorageId(s.runs(), viewer, id);
          s.runs().requestStop(viewer, key);
          Map<String, Object> payload = new HashMap<>();
          payload.put("success", true);
          payload.put("clientMutationId", input.get("clientMutationId"));
          return payload;
        });
  }

  /**
   * W&B's run.alert: recorded unless the same title came within waitDuration. "success" says the
   * request was taken, as W&B answers it whether or not the alert went out again.
   */
  private CompletionStage<Map<String, Object>> notifyScriptableRunAlert(
      DataFetchingEnvironment env) {
    User viewer = Requests.viewer(env);
    Map<String, Object> input = env.getArgument("input");
    return store.call(
        s -> {
          Object severity = input.get("severity");
          Object wait = input.get("waitDuration");
          Alert alert =
              new Alert(
                  Names.required((String) input.get("title"), "title"),
                  (String) input.get("text"),
                  severity == null ? "INFO" : severity.toString(),
                  System.currentTimeMillis());
          s.runs().raiseAlert(viewer, runKey(viewer, input), alert, wait == null ? 0 : (Long) wait);
          Map<String, Object> payload = new HashMap<>();
          payload.put("success", true);
          payload.put("clientMutationId", input.get("clientMutationId"));
          return payload;
        });
  }

  private static RunKey runKey(User viewer, Map<String, Object> input) {
    String entity = (String) input.get("entityName");
    return new RunKey(
        entity == null || entity.isEmpty() ? viewer.name() : entity,
        Names.project((String) input.get("projectName")),
        Names.required((String) input.get("runName"), "runName"));
  }

  private static RunInfo findRun(Runs runs, User viewer, RunKey key) {
    return runs.find(viewer, key)
        .orElseThrow(() -> notFound(key.entity() + "/" + key.project() + "/" + key.name()));
  }

  /** The viewer's run whose storage id is exactly {@code id}. */
  private static RunKey keyOfStorageId(Runs runs, User viewer, String id) {
    for (RunKey candidate : StorageIdKeys.candidates(id)) {
      Optional<RunInfo> run = runs.find(viewer, candidate);
      if (run.isPresent() && id.equals(run.get().storageId())) {
        return candidate;
      }
    }
    throw notFound(id);
  }

  private static NotFoundException notFound(String what) {
    return new NotFoundException("no such run: " + what);
  }
}
