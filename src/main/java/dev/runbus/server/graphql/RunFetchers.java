package dev.runbus.server.graphql;

import dev.runbus.server.UploadUrls;
import dev.runbus.server.graphql.Refs.FileNode;
import dev.runbus.server.graphql.Refs.ProjectRef;
import dev.runbus.server.store.RunFiles.FileInfo;
import dev.runbus.server.store.RunInfo;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A run (W&B's bucket) as GraphQL fields, from the stored {@link RunInfo}. Only the tails and the
 * file list read the database again, and only when a query selects them.
 */
final class RunFetchers {
  /** historyTail and eventsTail: enough for W&B's resume logic, which reads the last line. */
  private static final int TAIL_LINES = 10;

  private final StoreCalls store;
  private final UploadUrls uploads;

  RunFetchers(StoreCalls store, UploadUrls uploads) {
    this.store = store;
    this.uploads = uploads;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type(
        "Run",
        t ->
            t.dataFetcher("id", run(RunInfo::storageId))
                .dataFetcher("name", run(RunInfo::name))
                .dataFetcher("displayName", run(RunInfo::displayName))
                .dataFetcher("description", run(RunInfo::description))
                .dataFetcher("notes", run(RunInfo::notes))
                .dataFetcher("state", run(RunInfo::state))
                .dataFetcher("exitcode", run(RunInfo::exitCode))
                .dataFetcher("group", run(RunInfo::group))
                .dataFetcher("jobType", run(RunInfo::jobType))
                .dataFetcher("host", run(RunInfo::host))
                .dataFetcher("commit", run(RunInfo::commit))
                .dataFetcher("sweepName", run(RunInfo::sweep))
                .dataFetcher("tags", run(r -> r.tags() == null ? List.of() : r.tags()))
                .dataFetcher("config", run(r -> orEmptyObject(r.config())))
                .dataFetcher("summaryMetrics", run(r -> orEmptyObject(r.summary())))
                .dataFetcher("wandbConfig", this::wandbConfig)
                .dataFetcher("stopped", run(RunInfo::stopRequested))
                .dataFetcher("shouldStop", run(RunInfo::stopRequested))
                .dataFetcher("historyLineCount", run(RunInfo::historyLineCount))
                .dataFetcher("eventsLineCount", run(RunInfo::eventsLineCount))
                .dataFetcher("logLineCount", run(RunInfo::logLineCount))
                .dataFetcher("historyTail", this::historyTail)
                .dataFetcher("eventsTail", this::eventsTail)
                .dataFetcher("runInfo", run(RunFetchers::runInfo))
                .dataFetcher("createdAt", run(r -> time(r.createdAtMillis())))
                .dataFetcher("updatedAt", run(r -> time(r.updatedAtMillis())))
                .dataFetcher("heartbeatAt", run(r -> time(r.heartbeatAtMillis())))
                .dataFetcher("project", run(r -> new ProjectRef(r.entity(), r.project())))
                .dataFetcher("files", this::files));
    wiring.type(
        "FileConnection",
        t ->
            t.dataFetcher("uploadHeaders", env -> List.of())
                .dataFetcher("edges", env -> edges(env.getSource())));
    wiring.type(
        "File",
        t ->
            t.dataFetcher("id", file(n -> Refs.opaqueId("File:" + n.run().id() + ":" + n.name())))
                .dataFetcher("name", file(FileNode::name))
                .dataFetcher("url", this::uploadUrl)
                .dataFetcher("directUrl", env -> null)
                .dataFetcher("sizeBytes", file(n -> n.info() == null ? null : n.info().sizeBytes()))
                .dataFetcher("md5", file(n -> n.info() == null ? null : n.info().md5Base64()))
                .dataFetcher(
                    "updatedAt",
                    file(n -> n.info() == null ? null : time(n.info().updatedAtMillis()))));
  }

  private static <T> DataFetcher<T> run(Function<RunInfo, T> field) {
    return env -> field.apply(env.<RunInfo>getSource());
  }

  private static <T> DataFetcher<T> file(Function<FileNode, T> field) {
    return env -> field.apply(env.<FileNode>getSource());
  }

  private static String orEmptyObject(String json) {
    return json == null || json.isEmpty() ? "{}" : json;
  }

  private static String time(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis).toString();
  }

  /** Non-null for every stored run: wandb-core reads a null runInfo as "never started". */
  private static Map<String, Object> runInfo(RunInfo run) {
    Map<String, Object> info = new HashMap<>();
    info.put("program", run.program());
    info.put("args", List.of());
    info.put("host", run.host());
    return info;
  }

  private String wandbConfig(DataFetchingEnvironment env) {
    List<String> keys = env.getArgument("keys");
    return ResumeJson.wandbConfig(env.<RunInfo>getSource().config(), keys);
  }

  private CompletionStage<String> historyTail(DataFetchingEnvironment env) {
    long id = env.<RunInfo>getSource().id();
    return store.call(s -> ResumeJson.lineArray(s.data().historyTail(id, TAIL_LINES)));
  }

  private CompletionStage<String> eventsTail(DataFetchingEnvironment env) {
    long id = env.<RunInfo>getSource().id();
    return store.call(s -> ResumeJson.lineArray(s.data().eventsTail(id, TAIL_LINES)));
  }

  /** files(names): the named files (uploaded or not, for upload URLs), or all recorded ones. */
  private CompletionStage<List<FileNode>> files(DataFetchingEnvironment env) {
    RunInfo run = env.getSource();
    List<String> names = env.getArgument("names");
    return store.call(
        s -> {
          List<FileNode> nodes = new ArrayList<>();
          if (names == null) {
            for (FileInfo info : s.files().list(run.id())) {
              nodes.add(new FileNode(run, info.name(), info));
            }
          } else {
            // W&B asks for a few names at a time; a run may hold thousands of media files.
            for (String name : names) {
              if (name != null) {
                nodes.add(new FileNode(run, name, s.files().find(run.id(), name).orElse(null)));
              }
            }
          }
          return nodes;
        });
  }

  private static List<Map<String, Object>> edges(List<FileNode> nodes) {
    List<Map<String, Object>> edges = new ArrayList<>(nodes.size());
    for (FileNode node : nodes) {
      edges.add(Map.of("node", node));
    }
    return edges;
  }

  /** url(upload: true): a signed upload URL on this server; no download URLs are handed out. */
  private String uploadUrl(DataFetchingEnvironment env) {
    FileNode node = env.getSource();
    Boolean upload = env.getArgument("upload");
    return Boolean.TRUE.equals(upload) ? uploads.uploadUrl(node.run(), node.name()) : null;
  }
}
