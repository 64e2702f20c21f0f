package dev.runbus.server.graphql;

import dev.runbus.client.Version;
import dev.runbus.server.graphql.Refs.EntityRef;
import dev.runbus.server.graphql.Refs.ProjectRef;
import dev.runbus.server.store.RunInfo;
import dev.runbus.server.store.RunKey;
import dev.runbus.server.store.User;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The read side: viewer, serverInfo, entity, project/model and a project's run/bucket. A viewer
 * sees only its own entity: another entity's name answers null, exactly as a name that does not
 * exist, and runs are looked up through the store, which applies the same rule.
 */
final class QueryFetchers {
  /** W&B's client then leaves code saving off: it would upload the user's source as run files. */
  private static final String VIEWER_FLAGS = "{\"code_saving_enabled\": false}";

  private final StoreCalls store;
  private final Map<String, Object> serverInfo = ServerFeatures.serverInfo(Version.VERSION);

  QueryFetchers(StoreCalls store) {
    this.store = store;
  }

  void wire(RuntimeWiring.Builder wiring) {
    wiring.type(
        "Query",
        t ->
            t.dataFetcher("viewer", env -> Requests.viewer(env))
                .dataFetcher("serverInfo", env -> serverInfo)
                .dataFetcher("entity", this::entity)
                .dataFetcher("project", this::project)
                .dataFetcher("model", this::project));
    wiring.type(
        "User",
        t ->
            t.dataFetcher("id", env -> Refs.opaqueId("User:" + user(env).id()))
                .dataFetcher("name", env -> user(env).name())
                .dataFetcher("username", env -> user(env).name())
                .dataFetcher("entity", env -> user(env).name())
                .dataFetcher("email", env -> null)
                .dataFetcher("admin", env -> false)
                .dataFetcher("flags", env -> VIEWER_FLAGS)
                // W&B lists teams besides the user's own entity; a runbus user has none.
                .dataFetcher("teams", env -> Map.of("edges", List.of())));
    wiring.type(
        "Entity",
        t ->
            t.dataFetcher("id", env -> env.<EntityRef>getSource().id())
                .dataFetcher("name", env -> env.<EntityRef>getSource().name())
                .dataFetcher("organization", env -> null));
    wiring.type(
        "Project",
        t ->
            t.dataFetcher("id", env -> env.<ProjectRef>getSource().id())
                .dataFetcher("name", env -> env.<ProjectRef>getSource().name())
                .dataFetcher("entityName", env -> env.<ProjectRef>getSource().entity())
                .dataFetcher("entity", env -> new EntityRef(env.<ProjectRef>getSource().entity()))
                .dataFetcher("run", this::run)
                .dataFetcher("bucket", this::run));
  }

  private static User user(DataFetchingEnvironment env) {
    return env.getSource();
  }

  private EntityRef entity(DataFetchingEnvironment env) {
    String name = env.getArgument("name");
    User viewer = Requests.viewer(env);
    return name == null || name.equals(viewer.name()) ? new EntityRef(viewer.name()) : null;
  }

  /** A project of the viewer's entity; null for another entity's (which stays unseen). */
  private ProjectRef project(DataFetchingEnvironment env) {
    User viewer = Requests.viewer(env);
    String entity = env.getArgument("entityName");
    if (entity != null && !entity.isEmpty() && !entity.equals(viewer.name())) {
      return null;
    }
    return new ProjectRef(viewer.name(), Names.project(env.getArgument("name")));
  }

  /** run(name) and bucket(name, missingOk, desc): null when there is no such run. */
  private CompletionStage<RunInfo> run(DataFetchingEnvironment env) {
    ProjectRef project = env.getSource();
    String name = env.getArgument("name");
    if (name == null || name.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    User viewer = Requests.viewer(env);
    RunKey key = new RunKey(project.entity(), project.name(), name);
    return store.call(s -> s.runs().find(viewer, key).orElse(null));
  }
}
