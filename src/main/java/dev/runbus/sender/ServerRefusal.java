package dev.runbus.sender;

/**
 * The server said no in a way that will not change by asking again (W&B's non-retried statuses, or
 * a GraphQL error): the run goes on offline and {@code runbus sync} finishes the upload later.
 */
public final class ServerRefusal extends RuntimeException {

  /** A GraphQL answer with {@code errors} and no data: HTTP said 200, the server said no. */
  public static final int GRAPHQL_ERROR = 200;

  private final int status;
  private final String server;
  private final String reason;

  public ServerRefusal(int status, String server, String reason) {
    super(describe(status, server, reason));
    this.status = status;
    this.server = server;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  public String server() {
    return server;
  }

  public String reason() {
    return reason;
  }

  private static String describe(int status, String server, String reason) {
    String what = status == GRAPHQL_ERROR ? "GraphQL error" : "HTTP " + status;
    return server + " answered " + what + (reason == null || reason.isBlank() ? "" : ": " + reason);
  }
}
