package dev.runbus.server.store;

/** The server's storage, open on one database; {@link #close()} releases its connections. */
public interface ServerStore extends AutoCloseable {

  Accounts accounts();

  Runs runs();

  FileStreams fileStreams();

  RunFiles files();

  RunData data();

  /** "sqlite" or "postgresql". */
  String databaseKind();

  @Override
  void close();
}
