package dev.runbus.server.graphql;

import dev.runbus.server.UploadUrls;
import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The engine: W&B's schema (the classpath file {@code graphql/schema.graphqls}) wired to the
 * store, with limits. Depth counts every level, leaves included: W&B's deepest query is 6, and
 * the standard full introspection query (GraphiQL, code generators) needs 13. Complexity is one
 * per field written; the introspection query has about 70, W&B's largest mutation about 25.
 */
final class WandbSchema {
  static final String SCHEMA_RESOURCE = "graphql/schema.graphqls";
  static final int MAX_DEPTH = 15;
  static final int MAX_COMPLEXITY = 300;

  private WandbSchema() {}

  static GraphQL build(StoreCalls store, UploadUrls uploads) {
    TypeDefinitionRegistry types = new SchemaParser().parse(schemaText());
    RuntimeWiring.Builder wiring =
        RuntimeWiring.newRuntimeWiring()
            .scalar(JsonScalars.JSON_STRING)
            .scalar(JsonScalars.ANY_JSON)
            .scalar(DurationScalar.DURATION);
    new QueryFetchers(store).wire(wiring);
    new RunFetchers(store, uploads).wire(wiring);
    new MutationFetchers(store, uploads).wire(wiring);
    GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(types, wiring.build());
    return GraphQL.newGraphQL(schema)
        .instrumentation(
            new ChainedInstrumentation(
                List.of(
                    new MaxQueryDepthInstrumentation(MAX_DEPTH),
                    new MaxQueryComplexityInstrumentation(MAX_COMPLEXITY))))
        .defaultDataFetcherExceptionHandler(new SafeErrors())
        .build();
  }

  static String schemaText() {
    try (InputStream in = WandbSchema.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + SCHEMA_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
