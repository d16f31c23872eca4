package io.pgdbm.codegen;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The connection jOOQ reads the schema through, recording every {@link SQLException} thrown by it or by the
 * statements, result sets and metadata it hands out. jOOQ's code generator logs some failures ("Error while
 * initialising type") and carries on, writing classes that miss what it could not read; the recorded
 * errors let the generation fail instead of writing a state that says "up to date".
 */
final class RecordingConnection {
    private final List<SQLException> errors = new CopyOnWriteArrayList<>();
    private final Connection connection;

    RecordingConnection(Connection target) {
        this.connection = wrap(Connection.class, target);
    }

    Connection connection() {
        return connection;
    }

    /** The errors seen, in order; empty when every statement succeeded. */
    List<SQLException> errors() {
        return List.copyOf(errors);
    }

    private <T> T wrap(Class<T> type, T target) {
        InvocationHandler handler = (proxy, method, args) -> invoke(target, method, args);
        return type.cast(
                Proxy.newProxyInstance(RecordingConnection.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private Object invoke(Object target, Method method, Object[] args) throws Throwable {
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                errors.add(sql);
            }
            throw e.getCause();
        }
        Class<?> returned = method.getReturnType();
        if (result != null
                && returned.isInterface()
                && returned.getPackageName().equals("java.sql")
                && returned.isInstance(result)) {
            return wrapAs(returned, result);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private <T> Object wrapAs(Class<T> type, Object target) {
        return wrap(type, (T) target);
    }
}
