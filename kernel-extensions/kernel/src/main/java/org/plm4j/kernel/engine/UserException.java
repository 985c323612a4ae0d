package org.plm4j.kernel.engine;

import jdk.jshell.EvalException;

/**
 * Stands in for an exception thrown by cell code, built from JShell's {@link EvalException} whose stack frames
 * name snippets ({@code #id}) and snippet lines; prints like the original ({@code class: message}).
 */
final class UserException extends RuntimeException {
    private final String className;
    private final String userMessage;

    private UserException(String className, String message, UserException cause) {
        super(message, cause);
        this.className = className;
        this.userMessage = message;
    }

    static UserException of(EvalException e) {
        UserException cause = e.getCause() instanceof EvalException c && c != e ? of(c) : null;
        UserException u = new UserException(e.getExceptionClassName(), e.getMessage(), cause);
        u.setStackTrace(e.getStackTrace());
        return u;
    }

    String simpleClassName() {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    String userMessage() {
        return userMessage;
    }

    @Override
    public String toString() {
        return userMessage == null ? className : className + ": " + userMessage;
    }
}
