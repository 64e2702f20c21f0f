package dev.runbus.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The web UI's pure modules (the data steps behind the charts, the formats, the live append)
 * checked one function at a time, in the browser that runs them: each case imports the module as
 * the pages do, from the packaged server, under the pages' Content-Security-Policy. The page tests
 * see these only through pixels and point counts; here a wrong number names itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiModulesIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private UiServer server;
  private Browser browser;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    server = UiServer.start(dir);
    browser = Browser.start();
    // The login page is open and carries the same Content-Security-Policy as every page.
    browser.open(server.url() + "/login");
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * The JSON of {@code expression}, evaluated with the module {@code /ui/<module>} bound to {@code
   * m}; an expression may return a promise. Undefined inside arrays reads as "undefined" (JSON
   * would make it null, and the charts tell the two apart).
   */
  private JsonNode eval(String module, String expression) throws Exception {
    String script =
        "const done = arguments[arguments.length - 1];"
            + "const keep = (k, v) => v === undefined ? 'undefined' : v;"
            + "import('/ui/"
            + module
            + "')"
            + ".then(async (m) => done(JSON.stringify(await ("
            + expression
            + "), keep)))"
            + ".catch((e) => done('{\"error\": ' + JSON.stringify(String(e)) + '}'));";
    Object answer = ((JavascriptExecutor) browser.driver()).executeAsyncScript(script);
    JsonNode node = JSON.readTree(String.valueOf(answer));
    if (node.has("error")) {
      throw new AssertionError(module + ": " + node.get("error").asText());
    }
    return node;
  }

  /** Asserts that {@code expression} (see {@link #eval}) gives the JSON {@code expected}. */
  private void assertEval(String expected, String module, String expression) throws Exception {
    assertEquals(json(expected), eval(module, expression), expression);
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void smoothingIsWandbsDebiasedMovingAverageAndKeepsGaps() throws Exception {
    // weight 0.5 on 1, 2, 3: 0.5/0.5 = 1, 1.25/0.75, 2.125/0.875 (not pulled towards zero)
    JsonNode smoothed = eval("chartdata.js", "m.smooth([1, 2, 3], 0.5)");
    assertEquals(1.0, smoothed.get(0).asDouble(), 1e-12);
    assertEquals(1.25 / 0.75, smoothed.get(1).asDouble(), 1e-12);
    assertEquals(2.125 / 0.875, smoothed.get(2).asDouble(), 1e-12);
    // a gap stays a gap and does not restart the average
    JsonNode gapped = eval("chartdata.js", "m.smooth([1, null, 2, 3], 0.5)");
    assertEquals(json("[1, null, " + 1.25 / 0.75 + ", " + 2.125 / 0.875 + "]"), gapped);
    assertEval("[4, null, 5]", "chartdata.js", "m.smooth([4, null, 5], 0)");
  }

  @Test
  void valuesTheApiSendsAsStringsBecomeGaps() throws Exception {
    assertEval(
        "[1.5, null, null, null, null, 0]",
        "chartdata.js",
        "[1.5, 'NaN', 'Infinity', '-Infinity', null, 0].map(m.toNumber)");
    assertEval("4", "chartdata.js", "m.countPoints([1, null, 0, 2, null, -1])");
  }

  @Test
  void theLogScaleLeavesOutWhatItCannotDrawAndCountsIt() throws Exception {
    assertEval(
        "{\"ys\": [null, 0.5, null, null, 3], \"dropped\": 2}",
        "chartdata.js",
        "m.positiveOnly([0, 0.5, -2, null, 3])");
  }

  @Test
  void seriesOfTheirOwnXAreAlignedWithRunOnsAndGapsToldApart() throws Exception {
    // run a has 1 and 3, run b has 2 and 3 with a missing value at 3; run a's point without x
    // is left out
    assertEval(
        "[[1, 2, 3], [10, \"undefined\", 30], [\"undefined\", 20, null]]",
        "chartdata.js",
        "m.align([{x: [1, 3, null], y: [10, 30, 99]}, {x: [2, 3], y: [20, null]}])");
  }

  @Test
  void aChartsPointsReadAsCsvAlignedOnXWithGapsEmpty() throws Exception {
    assertEval(
        "\"step,run a,\\\"b,\\\"\\\"q\\\"\\\"\\\"\\r\\n0,1.5,\\r\\n1,2,7\\r\\n2,,\\r\\n3,,8\\r\\n\"",
        "chartdata.js",
        "m.toCsv('step', [{label: 'run a', x: [0, 2, 1], y: [1.5, null, 2]},"
            + " {label: 'b,\"q\"', x: [1, 3], y: [7, 8]}])");
  }

  @Test
  void pointsAreSortedByXWhenAResumedRunsTimeStepsBack() throws Exception {
    assertEval(
        "{\"x\": [1, 2, 5], \"y\": [\"b\", \"c\", \"a\"]}",
        "chartdata.js",
        "m.sortedByX([5, 1, null, 2], ['a', 'b', 'x', 'c'])");
  }

  @Test
  void aLiveRunsNewLinesAreAppendedWithTheirXInBatchesOfAHundredKeys() throws Exception {
    // 150 keys against _runtime: two requests, each asking the x key too (99 + x, 51 + x);
    // the answer to the second is one line short, so one line is told as read
    String expression =
        "(async () => {"
            + "  const keys = Array.from({length: 150}, (_, i) => 'k' + i);"
            + "  const asked = [];"
            + "  const api = {lines: async (batch, from, count) => {"
            + "    asked.push({size: batch.length, x: batch.includes('_runtime'), from, count});"
            + "    const lines = [];"
            + "    const n = asked.length === 1 ? count : count - 1;"
            + "    for (let i = 0; i < n; i++) {"
            + "      const line = {_step: from + i, _runtime: 0.5 * (from + i)};"
            + "      for (const k of batch) {"
            + "        if (k !== '_runtime' && (k !== 'k7' || i > 0)) line[k] = from + i;"
            + "      }"
            + "      if (batch.includes('k140')) line.k140 = 'NaN';"
            + "      lines.push(line);"
            + "    }"
            + "    return lines;"
            + "  }};"
            + "  const byKey = new Map([['k0', {x: [0], y: [9]}]]);"
            + "  const read = await m.appendHistory(api, byKey, keys, '_runtime', 10, 3);"
            + "  return {asked, read, k0: byKey.get('k0'), k7: byKey.get('k7'),"
            + "    k140: byKey.get('k140'), series: byKey.size};"
            + "})()";
    JsonNode result = eval("history.js", expression);
    assertEquals(
        json(
            "[{\"size\": 100, \"x\": true, \"from\": 10, \"count\": 3},"
                + " {\"size\": 52, \"x\": true, \"from\": 10, \"count\": 3}]"),
        result.get("asked"));
    assertEquals(2, result.get("read").asInt());
    assertEquals(json("{\"x\": [0, 5, 5.5, 6], \"y\": [9, 10, 11, 12]}"), result.get("k0"));
    // a key missing from a line gets no point there (not a gap at the wrong x)
    assertEquals(json("{\"x\": [5.5, 6], \"y\": [11, 12]}"), result.get("k7"));
    assertEquals(json("{\"x\": [5, 5.5], \"y\": [null, null]}"), result.get("k140"));
    assertEquals(150, result.get("series").asInt());
  }

  @Test
  void byStepTheStepIsTheXAndNoKeyIsAdded() throws Exception {
    String expression =
        "(async () => {"
            + "  const asked = [];"
            + "  const api = {lines: async (batch, from, count) => {"
            + "    asked.push(batch);"
            + "    return [{_step: 7, a: 1, b: 2}];"
            + "  }};"
            + "  const byKey = new Map();"
            + "  await m.appendHistory(api, byKey, ['a', 'b'], '_step', 0, 1);"
            + "  return {asked, a: byKey.get('a'), b: byKey.get('b')};"
            + "})()";
    assertEval(
        "{\"asked\": [[\"a\", \"b\"]], \"a\": {\"x\": [7], \"y\": [1]},"
            + " \"b\": {\"x\": [7], \"y\": [2]}}",
        "history.js",
        expression);
  }

  @Test
  void wandbsOwnKeysGetNoChart() throws Exception {
    assertEval(
        "[\"loss\", \"train/acc\"]",
        "history.js",
        "m.chartableKeys(['_step', 'loss', '_runtime', 'train/acc', '_timestamp', '_wandb'])");
  }

  @Test
  void theChartFilterIsACaseInsensitiveRegexAndTextWhenItIsNotOne() throws Exception {
    String keys = "['train/loss', 'train/acc', 'val/loss', 'lr(0)']";
    assertEval(
        "{\"keys\": [\"train/loss\", \"val/loss\"], \"note\": \"2 of 4 metrics match.\"}",
        "keyfilter.js",
        "m.chartedKeys(" + keys + ", ' LOSS$ ', 500)");
    assertEval(
        "{\"keys\": [\"lr(0)\"], \"note\": \"“lr(0” is not a valid regular expression;"
            + " matched as text. 1 of 4 metrics match.\"}",
        "keyfilter.js",
        "m.chartedKeys(" + keys + ", 'lr(0', 500)");
    assertEval(
        "{\"keys\": [], \"note\": \"No metric matches “^test/”.\"}",
        "keyfilter.js",
        "m.chartedKeys(" + keys + ", '^test/', 500)");
    assertEval(
        "{\"keys\": [\"train/loss\", \"train/acc\", \"val/loss\", \"lr(0)\"],"
            + " \"note\": \"\"}",
        "keyfilter.js",
        "m.chartedKeys(" + keys + ", '', 500)");
  }

  @Test
  void theChartCapSaysHowManyMetricsItLeftOut() throws Exception {
    String keys = "Array.from({length: 1200}, (_, i) => 'layer' + i + '/grad')";
    assertEval(
        "{\"shown\": 500, \"first\": \"layer0/grad\", \"note\": \"Showing the first 500"
            + " of 1200 metrics; filter the charts to see the others.\"}",
        "keyfilter.js",
        "((r) => ({shown: r.keys.length, first: r.keys[0], note: r.note}))(m.chartedKeys("
            + keys + ", '', 500))");
    assertEval(
        "{\"shown\": 500, \"first\": \"layer1/grad\", \"note\": \"Showing the first 500"
            + " of 1199 metrics that match; filter the charts to see the others.\"}",
        "keyfilter.js",
        "((r) => ({shown: r.keys.length, first: r.keys[0], note: r.note}))(m.chartedKeys("
            + keys + ", '^layer[1-9]', 500))");
  }

  @Test
  void metadataComesFromTheFileElseFromTheConfigsFirstWriter() throws Exception {
    // wandb-core 0.30 keeps it at config._wandb.e, one entry per writing process
    String config =
        "{_wandb: {value: {e: {"
            + "w2: {writerId: 'w2', host: 'rank1', startedAt: '2026-12-02T06:03:05Z'},"
            + "w1: {writerId: 'w1', host: 'rank0', startedAt: '2026-12-02T06:03:02Z'}}}}}";
    assertEval(
        "{\"host\": \"rank0\", \"startedAt\": \"2026-12-02T06:03:02Z\", \"writers\": 2}",
        "runmetadata.js",
        "m.runMetadata(null, " + config + ")");
    assertEval(
        "{\"host\": \"from-file\"}",
        "runmetadata.js",
        "m.runMetadata({host: 'from-file'}, " + config + ")");
    assertEval(
        "[null, null, null]",
        "runmetadata.js",
        "[m.runMetadata(null, {}), m.runMetadata(null, {_wandb: {value: {m: []}}}),"
            + " m.runMetadata(null, null)]");
  }

  @Test
  void sizesAreGigabytesAsNumbersAndBytesAsDigitStrings() throws Exception {
    assertEval(
        "[\"23.54 GB\", \"23.5 GiB\", \"n/a\"]",
        "runmetadata.js",
        "(async () => { const f = await import('/ui/wsformat.js');"
            + " return [23.54, '25276059648', 'n/a'].map((v) => m.sizeOf(v, f.bytes)); })()");
  }

  @Test
  void durationsReadAsHoursMinutesAndSeconds() throws Exception {
    assertEval(
        "[\"0s\", \"12s\", \"4m 05s\", \"1h 02m 03s\", \"\", \"\"]",
        "format.js",
        "[0, 12.4, 245, 3723, -1, NaN].map(m.duration)");
    // a running run without _runtime: its last heartbeat less its start
    assertEval(
        "[90, 30, null]",
        "format.js",
        "[{summary: {_runtime: 90}, state: 'finished'},"
            + " {summary: {}, state: 'running', createdAt: '2026-12-02T09:00:00Z',"
            + "  heartbeatAt: '2026-12-02T09:00:30Z'},"
            + " {summary: {}, state: 'crashed', createdAt: '2026-12-02T09:00:00Z',"
            + "  heartbeatAt: '2026-12-02T09:00:30Z'}].map(m.runSeconds)");
  }

  @Test
  void tableCellsShowFiveSignificantDigitsAndShortJson() throws Exception {
    assertEval(
        "[\"3\", \"0.12346\", \"1.000e-5\", \"1.235e+10\", \"yes\", \"true\", \"\"]",
        "format.js",
        "[3, 0.123456789, 0.00001, 12345678901.5, 'yes', true, null].map(m.value)");
    JsonNode shortened =
        eval("format.js", "m.value({list: Array.from({length: 50}, (_, i) => i)})");
    assertEquals(78, shortened.asText().length());
    assertEquals('…', shortened.asText().charAt(77));
  }

  @Test
  void sizesConfigEntriesAndMediaReadAsAPersonExpects() throws Exception {
    assertEval(
        "[\"—\", \"512 B\", \"1.5 KiB\", \"3.0 MiB\"]",
        "wsformat.js",
        "[null, 512, 1536, 3 * 1024 * 1024].map(m.bytes)");
    // W&B's config entries are {value, desc}; a value that is itself an object stays whole
    assertEval(
        "[0.01, {\"a\": 1}, [1, 2]]",
        "wsformat.js",
        "[{value: 0.01, desc: null}, {a: 1}, [1, 2]].map(m.configValue)");
    assertEval(
        "[\"adam\", \"(image-file)\", \"{\\\"a\\\":1}\", \"null\"]",
        "wsformat.js",
        "['adam', {_type: 'image-file', path: 'x.png'}, {a: 1}, null]"
            + ".map((v) => m.valueText(v))");
  }
}
