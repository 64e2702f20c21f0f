package dev.runbus.server.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * W&B's two JSON scalars. {@code JSONString} carries a JSON document as a string in both
 * directions (config, summaryMetrics): the text is passed on unchanged, because W&B's Python
 * client writes bare NaN and Infinity into it and the store, not the transport, judges it.
 * {@code JSON} is any value written as itself (cliVersionInfo is an object).
 */
final class JsonScalars {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonScalars() {}

  static final GraphQLScalarType JSON_STRING =
      GraphQLScalarType.newScalar()
          .name("JSONString")
          .description("A JSON document carried as a string")
          .coercing(new JsonStringCoercing())
          .build();

  static final GraphQLScalarType ANY_JSON =
      GraphQLScalarType.newScalar()
          .name("JSON")
          .description("Any JSON value")
          .coercing(new AnyJsonCoercing())
          .build();

  /** A structured value a client sent where a JSON string was expected, written as JSON text. */
  static String text(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new CoercingParseValueException("value is not representable as JSON");
    }
  }

  private static final class JsonStringCoercing implements Coercing<String, String> {
    @Override
    public String serialize(Object result, GraphQLContext context, Locale locale) {
      if (result instanceof String s) {
        return s;
      }
      if (result instanceof Map<?, ?> || result instanceof List<?>) {
        try {
          return JSON.writeValueAsString(result);
        } catch (JsonProcessingException e) {
          throw new CoercingSerializeException("value is not representable as JSON");
        }
      }
      throw new CoercingSerializeException("JSONString needs a string");
    }

    @Override
    public String parseValue(Object input, GraphQLContext context, Locale locale) {
      if (input instanceof String s) {
        return s;
      }
      // A client that sends the object itself instead of its text still means the same document.
      if (input instanceof Map<?, ?> || input instanceof List<?>) {
        return text(input);
      }
      throw new CoercingParseValueException("JSONString needs a string holding JSON");
    }

    @Override
    public String parseLiteral(
        Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
      if (input instanceof StringValue s) {
        return s.getValue();
      }
      throw new CoercingParseLiteralException("JSONString needs a string literal");
    }
  }

  private static final class AnyJsonCoercing implements Coercing<Object, Object> {
    @Override
    public Object serialize(Object result, GraphQLContext context, Locale locale) {
      return result;
    }

    @Override
    public Object parseValue(Object input, GraphQLContext context, Locale locale) {
      return input;
    }

    @Override
    public Object parseLiteral(
        Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
      if (input instanceof StringValue s) {
        return s.getValue();
      }
      throw new CoercingParseLiteralException("JSON literals other than strings are not accepted");
    }
  }
}
