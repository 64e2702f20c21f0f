package dev.runbus.server.graphql;

import dev.runbus.server.store.StoreException;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a failed data fetcher into a GraphQL error the client may read. A {@link StoreException}
 * carries a message written for clients (not found, bad input) and is passed on; anything else
 * (a database failure, a bug) is logged here and answered with a fixed text, so that no
 * exception or SQL text reaches the client. graphql-java's own handler would send both.
 */
final class SafeErrors implements DataFetcherExceptionHandler {
  static final String INTERNAL = "internal error";
  private static final Logger LOG = Logger.getLogger(SafeErrors.class.getName());

  @Override
  public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(
      DataFetcherExceptionHandlerParameters params) {
    Throwable failure = unwrap(params.getException());
    String message;
    if (failure instanceof StoreException) {
      message = failure.getMessage();
    } else {
      LOG.log(Level.WARNING, "GraphQL field " + params.getPath() + " failed", failure);
      message = INTERNAL;
    }
    var error =
        GraphqlErrorBuilder.newError()
            .message(message)
            .path(params.getPath())
            .location(params.getSourceLocation())
            .build();
    return CompletableFuture.completedFuture(
        DataFetcherExceptionHandlerResult.newResult().error(error).build());
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
