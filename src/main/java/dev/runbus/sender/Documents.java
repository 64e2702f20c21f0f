package dev.runbus.sender;

/**
 * The GraphQL documents the Sender sends, with the operation names, variables, fields and order
 * W&B's clients send (wandb-core's text for the operations it still uses; v0.16's for
 * RunStoppedStatus, which wandb-core replaced by the FileStream's {@code stopped} flag), so that a
 * W&B server, which may check documents against its own schema, accepts them as it accepts W&B's.
 */
final class Documents {

  private Documents() {}

  static final String UPSERT_BUCKET =
      """

      mutation UpsertBucket ($id: String, $name: String, $project: String, $entity: String, \
      $groupName: String, $description: String, $displayName: String, $notes: String, \
      $commit: String, $config: JSONString, $host: String, $debug: Boolean, $program: String, \
      $repo: String, $jobType: String, $state: String, $sweep: String, $tags: [String!], \
      $summaryMetrics: JSONString) {
      \tupsertBucket(input: {id:$id,name:$name,groupName:$groupName,modelName:$project,\
      entityName:$entity,description:$description,displayName:$displayName,notes:$notes,\
      config:$config,commit:$commit,host:$host,debug:$debug,jobProgram:$program,jobRepo:$repo,\
      jobType:$jobType,state:$state,sweep:$sweep,tags:$tags,summaryMetrics:$summaryMetrics}) {
      \t\tbucket {
      \t\t\tid
      \t\t\tname
      \t\t\tdisplayName
      \t\t\tdescription
      \t\t\tconfig
      \t\t\tsweepName
      \t\t\tproject {
      \t\t\t\tid
      \t\t\t\tname
      \t\t\t\tentity {
      \t\t\t\t\tid
      \t\t\t\t\tname
      \t\t\t\t}
      \t\t\t}
      \t\t\thistoryLineCount
      \t\t}
      \t\tinserted
      \t}
      }
      """;

  /** Every variable UpsertBucket declares, in its order; W&B sends each, null for "unchanged". */
  static final String[] UPSERT_VARIABLES = {
    "id", "name", "project", "entity", "groupName", "description", "displayName", "notes",
    "commit", "config", "host", "debug", "program", "repo", "jobType", "state", "sweep", "tags",
    "summaryMetrics"
  };

  static final String CREATE_RUN_FILES =
      """

      mutation CreateRunFiles ($entity: String!, $project: String!, $run: String!, \
      $files: [String!]!) {
      \tcreateRunFiles(input: {entityName:$entity,projectName:$project,runName:$run,\
      files:$files}) {
      \t\trunID
      \t\tuploadHeaders
      \t\tfiles {
      \t\t\tname
      \t\t\tuploadUrl
      \t\t}
      \t}
      }
      """;

  static final String RUN_RESUME_STATUS =
      """

      query RunResumeStatus ($project: String, $entity: String, $name: String!) {
      \tmodel(name: $project, entityName: $entity) {
      \t\tid
      \t\tname
      \t\tentity {
      \t\t\tid
      \t\t\tname
      \t\t}
      \t\tbucket(name: $name, missingOk: true) {
      \t\t\tid
      \t\t\tname
      \t\t\tsummaryMetrics
      \t\t\tdisplayName
      \t\t\tlogLineCount
      \t\t\thistoryLineCount
      \t\t\teventsLineCount
      \t\t\thistoryTail
      \t\t\teventsTail
      \t\t\tconfig
      \t\t\ttags
      \t\t\tnotes
      \t\t\twandbConfig(keys: ["t"])
      \t\t\trunInfo {
      \t\t\t\targs
      \t\t\t}
      \t\t}
      \t}
      }
      """;

  static final String RUN_STOPPED_STATUS =
      """

      query RunStoppedStatus ($projectName: String, $entityName: String, $runId: String!) {
      \tproject(name: $projectName, entityName: $entityName) {
      \t\trun(name: $runId) {
      \t\t\tstopped
      \t\t}
      \t}
      }
      """;
}
