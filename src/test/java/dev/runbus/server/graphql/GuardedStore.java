package dev.runbus.server.graphql;

import dev.runbus.server.store.ServerStore;
import io.vertx.core.Context;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a store so that a test sees where its methods run: every call made on an event loop is
 * counted (the endpoint must make none, since the real store blocks on JDBC), and methods named
 * in {@link #failing} throw an exception whose text looks like SQL, as a broken database would.
 */
final class GuardedStore {
  final AtomicInteger eventLoopCalls = new AtomicInteger();
  final Set<String> failing = ConcurrentHashMap.newKeySet();
  static final String SQL_TEXT = "SQLITE_ERROR: no such column: secret_key in SELECT * FROM runs";

  ServerStore wrap(ServerStore store) {
    return proxy(ServerStore.class, store);
  }

  @SuppressWarnings("unchecked")
  private <T> T proxy(Class<T> type, T target) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) -> {
              Object result;
              if (method.getDeclaringClass() == Object.class) {
                return method.invoke(target, args);
              }
              if (Context.isOnEventLoopThread()) {
                eventLoopCalls.incrementAndGet();
              }
              if (failing.contains(method.getName())) {
                throw new IllegalStateException(SQL_TEXT);
              }
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              Class<?> returned = method.getReturnType();
              if (returned.isInterface()
                  && returned.getPackageName().equals(ServerStore.class.getPackageName())) {
                return proxy((Class<Object>) returned, result);
              }
              return result;
            });
  }
}
