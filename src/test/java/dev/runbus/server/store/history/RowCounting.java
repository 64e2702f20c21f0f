package dev.runbus.server.store.history;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a real connection so a test can see how many result rows a read has fetched so far, and how
 * many blobs (chunk bodies, block data) it has taken from them.
 */
final class RowCounting {
  private RowCounting() {}

  static Connection wrap(Connection c, AtomicLong rowsFetched) {
    return wrap(c, rowsFetched, new AtomicLong());
  }

  static Connection wrap(Connection c, AtomicLong rowsFetched, AtomicLong blobsRead) {
    return proxy(
        Connection.class,
        c,
        (target, method, args) -> {
          Object result = invoke(target, method, args);
          return result instanceof PreparedStatement ps
                  && method.getName().equals("prepareStatement")
              ? wrapStatement(ps, rowsFetched, blobsRead)
              : result;
        });
  }

  private static PreparedStatement wrapStatement(
      PreparedStatement s, AtomicLong rows, AtomicLong blobs) {
    return proxy(
        PreparedStatement.class,
        s,
        (target, method, args) -> {
          Object result = invoke(target, method, args);
          return result instanceof ResultSet rs && method.getName().equals("executeQuery")
              ? wrapResults(rs, rows, blobs)
              : result;
        });
  }

  private static ResultSet wrapResults(ResultSet r, AtomicLong rows, AtomicLong blobs) {
    return proxy(
        ResultSet.class,
        r,
        (target, method, args) -> {
          Object result = invoke(target, method, args);
          if (method.getName().equals("next") && Boolean.TRUE.equals(result)) {
            rows.incrementAndGet();
          }
          return result;
        });
  }

  private interface Call {
    Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, Call call) {
    InvocationHandler h = (p, method, args) -> call.call(target, method, args);
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
