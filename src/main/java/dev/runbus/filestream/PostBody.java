package dev.runbus.filestream;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One FileStream post, built: its bytes (sent again unchanged on a retry, so its offsets are the
 * same) and what its acknowledgement means.
 *
 * @param body the JSON body
 * @param logOffset every record of the log before this offset is in this post or an earlier one
 * @param historyLines the history line count once this post is stored
 * @param eventsLines the events line count once this post is stored
 * @param consoleLine the console line being written once this post is stored
 * @param historyInPost history lines this post carries
 * @param uploaded the files this post reports uploaded
 * @param complete the final post ({@code complete} + {@code exitcode})
 * @param preempting this post says the run is being preempted
 */
record PostBody(
    Buffer body,
    long logOffset,
    long historyLines,
    long eventsLines,
    long consoleLine,
    int historyInPost,
    List<String> uploaded,
    boolean complete,
    boolean preempting) {}
