/**
 * The Handler stage of a run's pipeline as plain Java (no Vert.x): assigns steps, keeps the
 * consolidated summary, expands metric definitions, samples history for the end-of-run sparklines
 * and answers cheap queries. {@link dev.runbus.handler.RunHandler} is the entry point; it only
 * routes each record kind to one small handler class.
 *
 * <p>Section numbers in comments ("§2.3") refer to {@code docs/wandb-protocol.md}.
 */
package dev.runbus.handler;
