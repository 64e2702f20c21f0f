package dev.runbus.cli;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * A record as JSON for people and scripts: fields by their proto names, {@code value_json} texts
 * embedded as the JSON values they are (NaN and ±Infinity bare, as W&B writes them, so they differ
 * from the strings "NaN" and "Infinity"), and item lists ({@code key}/{@code nested_key}/{@code
 * value_json}) folded into one object keyed by the (dotted) key, unless two items would get the
 * same name: then the list is shown as it is.
 */
final class RecordJson {

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .build();

  private RecordJson() {}

  static ObjectNode toJson(Message message) {
    ObjectNode node = MAPPER.createObjectNode();
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      FieldDescriptor descriptor = field.getKey();
      Object value = field.getValue();
      if (descriptor.isRepeated() && isItemList(descriptor)) {
        node.set(descriptor.getName(), items((List<?>) value));
      } else if (descriptor.isRepeated()) {
        ArrayNode array = node.putArray(descriptor.getName());
        for (Object element : (List<?>) value) {
          array.add(scalar(descriptor, element));
        }
      } else {
        node.set(descriptor.getName(), scalar(descriptor, value));
      }
    }
    return node;
  }

  private static boolean isItemList(FieldDescriptor field) {
    if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      return false;
    }
    var type = field.getMessageType();
    return type.findFieldByName("key") != null && type.findFieldByName("value_json") != null;
  }

  private static JsonNode items(List<?> items) {
    ObjectNode out = MAPPER.createObjectNode();
    for (Object element : items) {
      Message item = (Message) element;
      var type = item.getDescriptorForType();
      String key = (String) item.getField(type.findFieldByName("key"));
      FieldDescriptor nested = type.findFieldByName("nested_key");
      if (key.isEmpty() && nested != null) {
        key = String.join(".", cast(item.getField(nested)));
      }
      if (out.has(key)) {
        return itemList(items); // folding would hide one of them
      }
      out.set(key, parse((String) item.getField(type.findFieldByName("value_json"))));
    }
    return out;
  }

  private static ArrayNode itemList(List<?> items) {
    ArrayNode list = MAPPER.createArrayNode();
    for (Object item : items) {
      list.add(toJson((Message) item));
    }
    return list;
  }

  @SuppressWarnings("unchecked")
  private static List<String> cast(Object list) {
    return (List<String>) list;
  }

  private static JsonNode scalar(FieldDescriptor field, Object value) {
    switch (field.getJavaType()) {
      case MESSAGE:
        if (value instanceof Timestamp ts) {
          return MAPPER.getNodeFactory().numberNode(ts.getSeconds() + ts.getNanos() / 1e9);
        }
        return toJson((Message) value);
      case ENUM:
        return MAPPER
            .getNodeFactory()
            .textNode(((com.google.protobuf.Descriptors.EnumValueDescriptor) value).getName());
      case STRING:
        if (field.getName().equals("value_json")) {
          return parse((String) value);
        }
        return MAPPER.getNodeFactory().textNode((String) value);
      case BOOLEAN:
        return MAPPER.getNodeFactory().booleanNode((Boolean) value);
      case INT:
        return MAPPER.getNodeFactory().numberNode((Integer) value);
      case LONG:
        return MAPPER.getNodeFactory().numberNode((Long) value);
      case FLOAT:
        return MAPPER.getNodeFactory().numberNode((Float) value);
      case DOUBLE:
        return MAPPER.getNodeFactory().numberNode((Double) value);
      default:
        return MAPPER.getNodeFactory().textNode(String.valueOf(value));
    }
  }

  /**
   * A value_json text as JSON; text that is not valid JSON is kept as a string so nothing is
   * hidden.
   */
  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      return MAPPER.getNodeFactory().textNode(json);
    }
  }
}
