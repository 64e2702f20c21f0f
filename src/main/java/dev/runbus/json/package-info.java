/**
 * JSON for the logging hot path and its slow paths.
 *
 * <ul>
 *   <li>{@link dev.runbus.json.LogValues} validates keys and copies values on the caller's thread;
 *       containers are encoded right away, which is both the copy and the validation.
 *   <li>{@link dev.runbus.json.JsonWriter} turns copied values into {@code value_json} text (W&amp;B
 *       rules: compact JSON, bare {@code NaN}/{@code Infinity}): for rows, on the pump's thread, or
 *       on the caller's while it fills a block in a burst; for config and summary, in the call.
 *   <li>{@link dev.runbus.json.JsonValues} parses JSON back into plain Java values.
 *   <li>{@link dev.runbus.json.ConfigYaml} writes {@code files/config.yaml} (through Jackson's YAML
 *       emitter).
 * </ul>
 */
package dev.runbus.json;
