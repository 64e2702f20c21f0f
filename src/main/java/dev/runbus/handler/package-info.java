/**
 * The Handler stage of a run's pipeline as plain Java (no Vert.x): assigns steps, keeps the
 * consolidated summary, expands metric definitions, samples history for the end-of-run sparklines
 * and answers cheap queries. {@link dev.runbus.handler.RunHandler} is the entry point; it only
 * routes each record kind to one small handler class, all sharing one {@link
 * dev.runbus.handler.RunState}.
 *
 * <p>Values stay the {@code value_json} strings they arrived as. The hot path (a row of scalars)
 * only looks at a value's first character; a value is parsed only when a summarized metric needs
 * its number, the sampler keeps it, or a definition reaches inside a nested dict (Jackson, with NaN
 * and ±Infinity as bare tokens). Per-key work is cached by position while rows keep the same keys
 * in the same order.
 *
 * <p>Where this follows neither legacy W&B (L) nor wandb-core (H) literally:
 *
 * <ul>
 *   <li>With definitions in use, a nested leaf no summary flag applies to keeps its latest value
 *       leaf by leaf (L drops it); a top-level dict no definition reaches is stored whole.
 *   <li>Booleans are not numbers for min/max/mean/best (L counts them); the sampler counts them.
 *   <li>{@code copy} with other flags stores the plain value only (a leaf cannot be both).
 *   <li>A glob matches the raw history key; the expanded definition's name escapes literal dots.
 *   <li>Client-sent final/footer records are dropped: the Handler writes its own after the exit.
 *   <li>The summary is emitted once, in full, at exit; not after every row.
 * </ul>
 *
 * <p>Section numbers in comments ("§2.3") refer to {@code docs/wandb-protocol.md}.
 */
package dev.runbus.handler;
