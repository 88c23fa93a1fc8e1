package io.keepcluster.node.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Byte, text and JSON mutations, the usual dictionary of a fuzzer. */
final class Mutations {

  /** Fragments that make parsers take unusual paths. */
  static final String[] DICTIONARY = {
    "=", "==", "+", "/", "-", "_", ".", "..", " ", "\n", "\t", "\r\n", "\u0000", "\u00e9", "\ud83d\ude00",
    "\ud800", "{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "null", "true", "false", "0", "-0",
    "-1", "1e999", "-1e999", "1e-999", "9223372036854775808", "-9223372036854775809",
    "18446744073709551616", "1.5", "NaN", "Infinity", "0x10", "\"alg\"", "\"none\"", "\"crit\"",
    "\"kid\"", "\"exp\"", "-----BEGIN ", "-----END ", "PRIVATE KEY-----", "EC PRIVATE KEY-----",
    "RSA PRIVATE KEY-----", "PUBLIC KEY-----", "CERTIFICATE-----", "MII", "AAAA", "////",
  };

  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private Mutations() {}

  /** 1 to 4 random edits of {@code text}. */
  static String mutate(Random r, String text) {
    String out = text;
    int edits = 1 + r.nextInt(4);
    for (int i = 0; i < edits; i++) {
      out = edit(r, out);
    }
    return out;
  }

  private static String edit(Random r, String text) {
    int length = text.length();
    int at = length == 0 ? 0 : r.nextInt(length + 1);
    int end = Math.min(length, at + r.nextInt(16));
    switch (r.nextInt(9)) {
      case 0: // flip a bit of one character
        if (length == 0) {
          return text;
        }
        int i = r.nextInt(length);
        return text.substring(0, i) + (char) (text.charAt(i) ^ (1 << r.nextInt(7))) + text.substring(i + 1);
      case 1: // replace one character by a base64url one
        if (length == 0) {
          return text;
        }
        int j = r.nextInt(length);
        return text.substring(0, j) + BASE64URL.charAt(r.nextInt(64)) + text.substring(j + 1);
      case 2: // insert a dictionary fragment
        return text.substring(0, at) + DICTIONARY[r.nextInt(DICTIONARY.length)] + text.substring(at);
      case 3: // delete a range
        return text.substring(0, at) + text.substring(end);
      case 4: // duplicate a range
        return text.substring(0, end) + text.substring(at, end) + text.substring(end);
      case 5: // truncate
        return text.substring(0, at);
      case 6: // insert a random character, any plane
        return text.substring(0, at) + (char) r.nextInt(0x10000) + text.substring(at);
      case 7: // swap two ranges' order
        return text.substring(at, end) + text.substring(0, at) + text.substring(end);
      default: // replace a range by a dictionary fragment
        return text.substring(0, at) + DICTIONARY[r.nextInt(DICTIONARY.length)] + text.substring(end);
    }
  }

  /** {@code json} with 1 to 3 structural edits: values replaced, keys removed or added. */
  static JsonObject mutate(Random r, JsonObject json) {
    JsonObject out = json.copy();
    int edits = 1 + r.nextInt(3);
    for (int i = 0; i < edits; i++) {
      editObject(r, out, 0);
    }
    return out;
  }

  private static void editObject(Random r, JsonObject json, int depth) {
    List<String> keys = new ArrayList<>(json.fieldNames());
    if (!keys.isEmpty() && r.nextInt(4) != 0) {
      String key = keys.get(r.nextInt(keys.size()));
      Object value = json.getValue(key);
      if (value instanceof JsonObject nested && depth < 4 && r.nextBoolean()) {
        editObject(r, nested, depth + 1);
      } else if (r.nextInt(5) == 0) {
        json.remove(key);
      } else {
        json.put(key, value(r, 0));
      }
    } else {
      String key = r.nextBoolean() && !keys.isEmpty() ? keys.get(r.nextInt(keys.size())) + "x"
          : DICTIONARY[r.nextInt(DICTIONARY.length)];
      json.put(key, value(r, 0));
    }
  }

  /** A random JSON value: extreme numbers, odd strings, small arrays and objects. */
  static Object value(Random r, int depth) {
    switch (r.nextInt(depth > 2 ? 9 : 11)) {
      case 0: return null;
      case 1: return r.nextBoolean();
      case 2: return r.nextInt();
      case 3: return r.nextLong();
      case 4: return new java.math.BigInteger(80 + r.nextInt(100), r).negate().add(java.math.BigInteger.valueOf(r.nextInt()));
      case 5: return new double[] {Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 0.5, -0.0, 1e18, 9.2e18, -1}[r.nextInt(8)];
      case 6: return DICTIONARY[r.nextInt(DICTIONARY.length)];
      case 7: return "x".repeat(r.nextInt(300));
      case 8: return "";
      case 9: {
        JsonArray array = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          array.add(value(r, depth + 1));
        }
        return array;
      }
      default: {
        JsonObject object = new JsonObject();
        for (int i = r.nextInt(4); i > 0; i--) {
          object.put(DICTIONARY[r.nextInt(DICTIONARY.length)], value(r, depth + 1));
        }
        return object;
      }
    }
  }

  /** JSON text nested {@code depth} deep: arrays or objects. */
  static String deep(Random r, int depth) {
    boolean arrays = r.nextBoolean();
    String open = arrays ? "[" : "{\"a\":";
    String close = arrays ? "]" : "}";
    return open.repeat(depth) + (r.nextBoolean() ? "1" : "") + close.repeat(r.nextInt(2) == 0 ? depth : depth / 2);
  }

  /** Random text: printable, any character, or dots and base64url only. */
  static String randomText(Random r) {
    int length = r.nextInt(r.nextInt(10) == 0 ? 9000 : 200);
    StringBuilder out = new StringBuilder(length);
    int kind = r.nextInt(3);
    for (int i = 0; i < length; i++) {
      switch (kind) {
        case 0 -> out.append((char) (0x20 + r.nextInt(0x5f)));
        case 1 -> out.append((char) r.nextInt(0x10000));
        default -> out.append(r.nextInt(12) == 0 ? '.' : BASE64URL.charAt(r.nextInt(64)));
      }
    }
    return out.toString();
  }
}
