package io.keepcluster.node;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/** A short id naming this node process in health, logs and the ephemeral key id. */
public record NodeIdentity(String id, String version) {

  public static NodeIdentity create(Map<String, String> env, SecureRandom random) {
    String given = env.get("KEEP_NODE_ID");
    String id;
    if (given != null && given.matches("[A-Za-z0-9_-]{1,32}")) {
      id = given;
    } else {
      byte[] bytes = new byte[4];
      random.nextBytes(bytes);
      id = HexFormat.of().formatHex(bytes);
    }
    String version = NodeIdentity.class.getPackage().getImplementationVersion();
    return new NodeIdentity(id, version == null ? "dev" : version);
  }
}
