package io.keepcluster.node.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import io.keepcluster.node.keys.lifecycle.KeysetRecord;
import io.keepcluster.node.keys.lifecycle.KeysetStore;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyset store of a cluster member, mechanically over two Hazelcast maps: {@code records}
 * (kid to the record's JSON) and {@code acks} (kid to a JSON object of node id to fingerprint).
 *
 * <p>Interim: until the grid layer seals every whole record, this class seals each record's JSON
 * with the cluster secret itself ({@link #seal}/{@link #open}), so no private key is ever readable
 * in the grid. A record that does not open is skipped, and a publish replaces it (repair).
 */
public final class HazelcastKeysetStore implements KeysetStore {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastKeysetStore.class);

  private final HazelcastMember member;
  private final ClusterCipher cipher;
  private final IMap<String, String> records;
  private final IMap<String, String> acks;

  public HazelcastKeysetStore(HazelcastMember member, ClusterCipher cipher) {
    this.member = member;
    this.cipher = cipher;
    this.records = member.instance().getMap(HazelcastMember.KEYSETS);
    this.acks = member.instance().getMap(HazelcastMember.ACKS);
  }

  @Override
  public Map<String, KeysetRecord> records() {
    Map<String, KeysetRecord> result = new HashMap<>();
    records.forEach((kid, sealed) -> {
      KeysetRecord record = open(kid, sealed);
      if (record != null) {
        result.put(kid, record);
      }
    });
    return result;
  }

  @Override
  public KeysetRecord publishIfAbsent(KeysetRecord record) {
    String mine = seal(record);
    while (true) {
      String existing = records.putIfAbsent(record.kid(), mine);
      if (existing == null) {
        return record;
      }
      KeysetRecord current = open(record.kid(), existing);
      if (current != null && !current.status().tombstone()) {
        return current;
      }
      // A tombstone (another key may take the NAME) or a record that does not open (repaired).
      if (records.replace(record.kid(), existing, mine)) {
        return record;
      }
    }
  }

  @Override
  public void update(KeysetRecord record) {
    records.put(record.kid(), seal(record));
  }

  @Override
  public Map<String, String> acks(String kid) {
    String json = acks.get(kid);
    Map<String, String> result = new HashMap<>();
    if (json != null) {
      new JsonObject(json).forEach(e -> result.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return result;
  }

  @Override
  public void ack(String kid, String nodeId, String fingerprint) {
    while (true) {
      String existing = acks.get(kid);
      JsonObject next = existing == null ? new JsonObject() : new JsonObject(existing);
      next.put(nodeId, fingerprint);
      boolean written = existing == null
          ? acks.putIfAbsent(kid, next.encode()) == null
          : acks.replace(kid, existing, next.encode());
      if (written) {
        return;
      }
    }
  }

  @Override
  public List<String> members() {
    return ClusterSecretCheck.trustedMembers(member);
  }

  @Override
  public void onChange(Runnable listener) {
    Listener entries = new Listener(listener);
    records.addEntryListener(entries, false);
    acks.addEntryListener(entries, false);
    member.instance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        listener.run();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        listener.run();
      }
    });
  }

  private String seal(KeysetRecord record) {
    return cipher.seal(record.toJson(), associatedData(record.kid()));
  }

  private KeysetRecord open(String kid, String sealed) {
    try {
      KeysetRecord record = KeysetRecord.fromJson(cipher.open(sealed, associatedData(kid)));
      return record.kid().equals(kid) ? record : null;
    } catch (ClusterCipher.SealException | IllegalArgumentException e) {
      LOG.debug("event=keyset_record_unreadable kid={} reason=\"{}\"", kid, e.getMessage());
      return null;
    }
  }

  private static String associatedData(String kid) {
    return HazelcastMember.KEYSETS + ":" + kid;
  }

  /** Any change to the maps means "run a pass soon". */
  private static final class Listener implements EntryAddedListener<String, String>,
      EntryUpdatedListener<String, String>, EntryRemovedListener<String, String>,
      EntryMergedListener<String, String>, EntryEvictedListener<String, String>,
      EntryExpiredListener<String, String>, MapClearedListener {

    private final Runnable listener;

    Listener(Runnable listener) {
      this.listener = listener;
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      listener.run();
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      listener.run();
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      listener.run();
    }

    @Override
    public void entryMerged(EntryEvent<String, String> event) {
      listener.run();
    }

    @Override
    public void entryEvicted(EntryEvent<String, String> event) {
      listener.run();
    }

    @Override
    public void entryExpired(EntryEvent<String, String> event) {
      listener.run();
    }

    @Override
    public void mapCleared(MapEvent event) {
      listener.run();
    }
  }
}
