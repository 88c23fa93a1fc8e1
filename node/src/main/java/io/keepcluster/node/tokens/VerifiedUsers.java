package io.keepcluster.node.tokens;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The Vert.x {@link User} of a verified token, laid out as {@link KeyRingJwtAuth} documents. From
 * the second time the same {@link VerifiedToken} object is seen (a reused bearer gets the object
 * the verified-token cache stored at its second use back from its third use on), the layout is
 * kept in a bounded slot array, so its User is then two shallow copies instead of a conversion
 * of the claims.
 *
 * <p>Every request gets its own principal and attributes objects (a handler may add to or remove
 * from them). What they hold below the top level (the {@code accessToken} claims, {@code
 * verifiedBy}, lists such as {@code aud}) is shared between the requests of one token and frozen:
 * an attempt to change it throws instead of leaking into the next request. A slot is used only
 * for the very same {@code VerifiedToken} object and token text, so a stale or colliding slot
 * costs a rebuild, never another token's User.
 */
final class VerifiedUsers {

  static final int SLOTS = 4_096;

  /** Claims vertx-auth-jwt keeps out of the principal (they are in the attributes). */
  private static final Set<String> NOT_IN_PRINCIPAL = Set.of("access_token", "exp", "iat", "nbf");
  private static final String[] COPIED_TO_ATTRIBUTES = {"exp", "iat", "nbf", "sub"};

  private record Layout(VerifiedToken verified, String token, JsonObject principal, JsonObject attributes) {}

  private final AtomicReferenceArray<Layout> slots = new AtomicReferenceArray<>(SLOTS);

  /** A new User for {@code token}, which {@code verified} is the verification of. */
  User user(String token, VerifiedToken verified) {
    int index = (System.identityHashCode(verified) * 0x9E3779B9 >>> 16) & (SLOTS - 1);
    Layout seen = slots.get(index);
    if (seen == null || seen.verified() != verified || !seen.token().equals(token)) {
      // First use: only remember that it was seen. Most tokens are used once, and a kept layout
      // would double what the verified-token cache holds per token (and the GC's work with it).
      slots.set(index, new Layout(verified, token, null, null));
      Layout layout = layout(token, verified);
      return User.create(layout.principal(), layout.attributes());
    }
    if (seen.principal() == null) {
      Layout layout = layout(token, verified);
      seen = new Layout(verified, token, frozenValues(layout.principal()), frozenValues(layout.attributes()));
      slots.set(index, seen);
    }
    return User.create(new JsonObject(new HashMap<>(seen.principal().getMap())),
        new JsonObject(new HashMap<>(seen.attributes().getMap())));
  }

  private static Layout layout(String token, VerifiedToken verified) {
    JsonObject claims = new JsonObject(verified.claims().toJSONObject());
    JsonObject principal = new JsonObject().put("access_token", token);
    for (String name : claims.fieldNames()) {
      if (!NOT_IN_PRINCIPAL.contains(name)) {
        principal.put(name, claims.getValue(name));
      }
    }
    JsonObject attributes = new JsonObject();
    attributes.put("accessToken", claims);
    for (String name : COPIED_TO_ATTRIBUTES) {
      if (claims.containsKey(name)) {
        attributes.put(name, claims.getValue(name));
      }
    }
    attributes.put("rootClaim", "accessToken");
    JsonObject verifiedBy = new JsonObject().put("kid", verified.kid()).put("source", verified.source().label());
    verified.external().ifPresent(external -> {
      // A provider's user and scope come from its claim mapping (userIdentifier, scope or scp).
      verifiedBy.put("provider", external.provider());
      attributes.put(KeyRingJwtAuth.IDENTITY,
          new JsonObject().put("user", external.user()).put("scope", external.scope()));
    });
    attributes.put(KeyRingJwtAuth.VERIFIED_BY, verifiedBy);
    return new Layout(verified, token, principal, attributes);
  }

  /** The same top level, with every value below it made unmodifiable. */
  private static JsonObject frozenValues(JsonObject json) {
    Map<String, Object> values = new HashMap<>();
    json.getMap().forEach((name, value) -> values.put(name, frozen(value)));
    return new JsonObject(values);
  }

  private static Object frozen(Object value) {
    if (value instanceof JsonObject object) {
      value = object.getMap();
    } else if (value instanceof JsonArray array) {
      value = array.getList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new HashMap<>();
      map.forEach((name, inner) -> copy.put(String.valueOf(name), frozen(inner)));
      return new JsonObject(Collections.unmodifiableMap(copy));
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(inner -> copy.add(frozen(inner)));
      return new JsonArray(Collections.unmodifiableList(copy));
    }
    return value; // strings, numbers, booleans: immutable
  }
}
