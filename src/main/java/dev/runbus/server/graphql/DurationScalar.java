package dev.runbus.server.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.GraphQLScalarType;
import java.util.Locale;

/**
 * W&B's {@code Duration}: a number of seconds (an alert's {@code waitDuration}), sent as a number
 * or as its decimal text; read as whole seconds.
 */
final class DurationScalar {
  private DurationScalar() {}

  static final GraphQLScalarType DURATION =
      GraphQLScalarType.newScalar()
          .name("Duration")
          .description("A number of seconds")
          .coercing(new SecondsCoercing())
          .build();

  private static final class SecondsCoercing implements Coercing<Long, Long> {
    @Override
    public Long serialize(Object result, GraphQLContext context, Locale locale) {
      return (Long) result;
    }

    @Override
    public Long parseValue(Object input, GraphQLContext context, Locale locale) {
      if (input instanceof Number n) {
        return seconds(n.doubleValue());
      }
      if (input instanceof String s) {
        try {
          return seconds(Double.parseDouble(s.trim()));
        } catch (NumberFormatException e) {
          // answered below
        }
      }
      throw new CoercingParseValueException("Duration needs a number of seconds");
    }

    @Override
    public Long parseLiteral(
        Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
      if (input instanceof IntValue i) {
        return seconds(i.getValue().doubleValue());
      }
      if (input instanceof FloatValue f) {
        return seconds(f.getValue().doubleValue());
      }
      if (input instanceof StringValue s) {
        return parseValue(s.getValue(), context, locale);
      }
      throw new CoercingParseLiteralException("Duration needs a number of seconds");
    }

    private static long seconds(double value) {
      if (!(value >= 0) || value > 365.0 * 24 * 3600) {
        throw new CoercingParseValueException("Duration must be 0 to one year of seconds");
      }
      return (long) Math.ceil(value);
    }
  }
}
