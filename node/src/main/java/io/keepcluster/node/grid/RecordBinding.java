package io.keepcluster.node.grid;

import java.nio.charset.StandardCharsets;

/**
 * What a sealed grid record is bound to: the map, the entry key, the record type, its version and
 * its writer. All of it goes into the AES-GCM associated data, so a record copied under another
 * key, into another map, relabelled as another type, given another version or another writer no
 * longer opens.
 */
public record RecordBinding(String map, String key, String type, long version, String writer) {

  byte[] associatedData() {
    // Length-prefixed fields: no separator inside a key or node id can shift one field into the next.
    StringBuilder aad = new StringBuilder("keepcluster-grid/v1");
    for (String field : new String[] {map, key, type, Long.toString(version), writer}) {
      aad.append('|').append(field.length()).append(':').append(field);
    }
    return aad.toString().getBytes(StandardCharsets.UTF_8);
  }
}
