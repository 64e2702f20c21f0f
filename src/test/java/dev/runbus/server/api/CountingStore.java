package dev.runbus.server.api;

import dev.runbus.server.store.ServerStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store seen through a counter of its calls (runs(), data(), files() … and every method
 * on what they return), so that a test can tell whether a request reached a handler at all: every
 * handler reads the store, and a request refused by validation must not.
 */
final class CountingStore {
  final AtomicInteger calls = new AtomicInteger();
  final ServerStore store;

  CountingStore(ServerStore real) {
    this.store =
        (ServerStore)
            Proxy.newProxyInstance(
                ServerStore.class.getClassLoader(),
                new Class<?>[] {ServerStore.class},
                (proxy, method, args) -> {
                  Object part = invoke(real, method, args);
                  Class<?> type = method.getReturnType();
                  if (type.isInterface() && type.getPackageName().equals("dev.runbus.server.store")) {
                    return Proxy.newProxyInstance(
                        type.getClassLoader(), new Class<?>[] {type}, counting(part));
                  }
                  return part;
                });
  }

  private InvocationHandler counting(Object target) {
    return (proxy, method, args) -> {
      calls.incrementAndGet();
      return invoke(target, method, args);
    };
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
