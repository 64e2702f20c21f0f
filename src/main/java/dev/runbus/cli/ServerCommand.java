package dev.runbus.cli;

import dev.runbus.server.RunbusServer;
import dev.runbus.server.ServerSettings;
import dev.runbus.server.store.Accounts;
import dev.runbus.server.store.ServerStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runbus server}: a W&B-compatible tracking server on this machine's loopback unless told
 * otherwise. Runs until SIGTERM or Ctrl-C, then stops accepting, lets requests in flight finish
 * (bounded), closes the database and exits 0.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run a tracking server that W&B's clients and runbus log to (WANDB_BASE_URL, WANDB_API_KEY).",
      "Settings: defaults < conf/server.json (or --config) < RUNBUS_SERVER_* variables < options."
    },
    subcommands = {ServerKeyCommand.class, ServerBenchCommand.class})
final class ServerCommand implements Callable<Integer> {

  @Mixin ServerStoreOptions storeOptions;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description = "Address to listen on (default: 127.0.0.1, this machine only).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one (default: 8080).")
  Integer port;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description = "User of the key the first start creates when there is none (default: admin).")
  String user;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "URL clients reach this server at, when not http://host:port (a proxy); upload URLs"
              + " point there.")
  String publicUrl;

  @Override
  public Integer call() throws Exception {
    JsonObject commandLine =
        storeOptions
            .toJson()
            .put("host", host)
            .put("port", port)
            .put("user", user)
            .put("publicUrl", publicUrl);
    Vertx vertx = Vertx.vertx();
    ServerSettings settings;
    ServerStore store;
    try {
      settings = ServerStoreOptions.settings(vertx, storeOptions, commandLine);
      store = ServerStoreOptions.open(settings);
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    RunbusServer server;
    try {
      server = RunbusServer.start(vertx, settings, store).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(
          CliMessages.line(
              "cannot listen on "
                  + settings.config().host()
                  + ":"
                  + settings.config().port()
                  + ": "
                  + e.getMessage()));
      store.close();
      vertx.close();
      return 1;
    }
    PrintStream out = System.out;
    Accounts accounts = store.accounts();
    if (accounts.noKeys()) {
      Accounts.IssuedKey issued = accounts.createKey(settings.firstUser());
      out.println(
          "runbus server: created an API key for user "
              + issued.user().name()
              + ". It is shown this once (only its hash is kept); log to this server with:");
      out.println("  WANDB_API_KEY=" + issued.key() + " WANDB_BASE_URL=" + server.baseUrl());
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stopThenExit(server, vertx, store, settings), "runbus-server-stop"));
    // before the ready line, which stays the last line of start-up
    out.println("runbus server web UI: " + server.baseUrl() + "/ (sign in with an API key)");
    out.println(
        "runbus server listening on "
            + server.baseUrl()
            + " ("
            + ServerStoreOptions.describe(store, settings)
            + ")");
    if (settings.config().publicUrl() == null && isWildcard(settings.config().host())) {
      System.err.println(
          CliMessages.line(
              "listening on every address, but upload URLs name "
                  + server.baseUrl()
                  + ", which clients on other machines cannot reach: set --public-url to the URL"
                  + " they use"));
    }
    out.flush();
    new CountDownLatch(1).await(); // until a signal's shutdown hook ends the JVM
    return 0;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  /**
   * SIGTERM or Ctrl-C: no new connections, requests in flight answered (within the shutdown
   * timeout), the database closed after the last store call, then exit 0: the signal was the
   * normal way to stop, not a failure. Runs in a shutdown hook, so it ends with halt, the only exit
   * a hook may take.
   */
  private static void stopThenExit(
      RunbusServer server, Vertx vertx, ServerStore store, ServerSettings settings) {
    int code = 0;
    long waitSeconds = settings.limits().shutdownTimeout().toSeconds() + 10;
    try {
      server.stop().await(waitSeconds, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println(CliMessages.line("server did not stop cleanly: " + e.getMessage()));
      code = 1;
    }
    try {
      store.close();
    } catch (RuntimeException e) {
      System.err.println(CliMessages.line("closing the database failed: " + e.getMessage()));
      code = 1;
    }
    System.out.println("runbus server stopped");
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  /** What the store is on, for the ready line, without a password a JDBC URL may carry. */
  static String redactJdbcUrl(String url) {
    String noQuery = url.replaceAll("[?;].*$", "");
    return noQuery.replaceAll("//[^/@]*@", "//");
  }
}
