package io.meshcode.cli.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON object with typed reads: a missing field or one of another type reads as absent. */
public final class JsonMap {

  private final Map<String, Object> fields;

  public JsonMap() {
    this(new LinkedHashMap<>());
  }

  JsonMap(Map<String, Object> fields) {
    this.fields = fields;
  }

  public static JsonMap of(Object... namesAndValues) {
    JsonMap map = new JsonMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  /** Sets a field; a null value leaves it out, so optional fields are simply not sent. */
  public JsonMap put(String name, Object value) {
    if (value == null) {
      fields.remove(name);
    } else {
      fields.put(name, value);
    }
    return this;
  }

  public boolean has(String name) {
    return fields.containsKey(name) && fields.get(name) != null;
  }

  public Object get(String name) {
    return fields.get(name);
  }

  public String string(String name) {
    Object value = fields.get(name);
    return value instanceof String s ? s : null;
  }

  public String string(String name, String fallback) {
    String value = string(name);
    return value == null ? fallback : value;
  }

  public long number(String name, long fallback) {
    return fields.get(name) instanceof Number n ? n.longValue() : fallback;
  }

  public boolean bool(String name) {
    return Boolean.TRUE.equals(fields.get(name));
  }

  public JsonMap object(String name) {
    return fields.get(name) instanceof JsonMap map ? map : new JsonMap();
  }

  /** The object in a field, attached: a missing (or non-object) field becomes an empty object first. */
  public JsonMap child(String name) {
    if (fields.get(name) instanceof JsonMap map) {
      return map;
    }
    JsonMap created = new JsonMap();
    fields.put(name, created);
    return created;
  }

  /** The array in a field, attached and changeable: a missing (or non-array) field becomes an empty array first. */
  @SuppressWarnings("unchecked")
  public List<Object> list(String name) {
    if (fields.get(name) instanceof ArrayList<?> items) {
      return (List<Object>) items;
    }
    List<Object> created = new ArrayList<>();
    if (fields.get(name) instanceof List<?> items) {
      created.addAll(items);
    }
    fields.put(name, created);
    return created;
  }

  /** The objects in an array field (other items skipped); empty when absent. */
  public List<JsonMap> objects(String name) {
    List<JsonMap> found = new ArrayList<>();
    if (fields.get(name) instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof JsonMap map) {
          found.add(map);
        }
      }
    }
    return found;
  }

  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(fields);
  }

  @Override
  public String toString() {
    return Json.write(this);
  }
}
