/**
 * The server's storage: one schema (Flyway migrations) on SQLite or PostgreSQL, reached only
 * through the interfaces of this package. Every method blocks on JDBC: callers run them on a
 * worker, never on an event loop.
 *
 * <p>Access control lives here too, in one place: a {@link User} sees and writes only its own
 * entity (one user per API key, the user's name is its W&B entity). A run of another entity is
 * reported as not found, so that a key learns nothing about data that is not its own.
 */
package dev.runbus.server.store;
