package io.keepcluster.it.harness;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.IMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import org.awaitility.core.ConditionTimeoutException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The attacker of issue 7: an embedded Hazelcast member started in the test JVM that knows the
 * cluster's NAME and the nodes' addresses, never {@code KEEP_CLUSTER_SECRET}. It joins exactly as
 * a node does (TCP-IP member list, 127.0.0.1, the nodes' partition count: a different count is
 * refused at join) and then reads and writes the grid.
 *
 * <p>The grid is treated as opaque: maps are found at run time (every distributed object whose
 * name starts with {@code keepcluster.}, {@link IMap} or {@link ReplicatedMap}) and picked by name
 * fragments. Values of an {@link IMap} are read as their serialized bytes ({@link Data}), so a
 * value of a class this JVM does not have is still read, copied and replayed byte for byte.
 */
public final class RogueMember implements AutoCloseable {

  public static final String PREFIX = "keepcluster.";
  /** The node attribute a node reads to name a member (HazelcastMember.NODE_ATTRIBUTE). */
  public static final String NODE_ATTRIBUTE = "keepcluster.node";
  /** Must equal the nodes' {@code hazelcast.partition.count}: a member with another count is refused. */
  public static final String PARTITION_COUNT = "31";

  static {
    // Hazelcast logs through java.util.logging here: keep the test output to warnings.
    Logger.getLogger("com.hazelcast").setLevel(Level.WARNING);
  }

  private final HazelcastInstance instance;
  private final int port;

  private RogueMember(HazelcastInstance instance, int port) {
    this.instance = instance;
    this.port = port;
  }

  /** Starts the rogue member and joins the cluster; returns once joined (or alone after 20 s). */
  public static RogueMember join(Cluster cluster) {
    return join(cluster, null);
  }

  /** As {@link #join(Cluster)}, with member attribute {@code keepcluster.node = nodeId} when not null. */
  public static RogueMember join(Cluster cluster, String nodeId) {
    int port = Cluster.freePort();
    HazelcastInstance instance = Hazelcast.newHazelcastInstance(config(cluster, port, nodeId));
    RogueMember rogue = new RogueMember(instance, port);
    System.out.println("[it] rogue member " + rogue.address() + (nodeId == null ? "" : " as " + nodeId)
        + " started; it sees " + rogue.membersSeen() + " members");
    return rogue;
  }

  static Config config(Cluster cluster, int port, String nodeId) {
    Config config = new Config();
    config.setClusterName(cluster.name());
    config.setInstanceName("rogue-" + UUID.randomUUID().toString().substring(0, 8));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.partition.count", PARTITION_COUNT);
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.join.seconds", "20");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
    config.setProperty("hazelcast.socket.bind.any", "false");
    if (nodeId != null) {
      config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
    }
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(nodeAddresses(cluster));
    return config;
  }

  /** {@code 127.0.0.1:<cluster port>} of every node, as each announced it. */
  public static List<String> nodeAddresses(Cluster cluster) {
    return cluster.nodes().stream().map(n -> "127.0.0.1:" + n.ports().cluster()).collect(Collectors.toList());
  }

  /**
   * A Hazelcast client with the cluster's name and the nodes' addresses. Returns the connected
   * client (the caller shuts it down) or throws when no node lets it in within {@code connectTimeout}.
   */
  public static HazelcastInstance client(Cluster cluster, Duration connectTimeout) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(cluster.name());
    config.setInstanceName("rogue-client-" + UUID.randomUUID().toString().substring(0, 8));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.getNetworkConfig().setAddresses(nodeAddresses(cluster)).setConnectionTimeout(2000);
    config.getConnectionStrategyConfig().getConnectionRetryConfig()
        .setClusterConnectTimeoutMillis(connectTimeout.toMillis());
    return HazelcastClient.newHazelcastClient(config);
  }

  public HazelcastInstance instance() {
    return instance;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}: how a node's /health should name this member. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Members in the rogue's view of the cluster, itself included (1 when it was not let in). */
  public int membersSeen() {
    return instance.getLifecycleService().isRunning() ? instance.getCluster().getMembers().size() : 0;
  }

  /** Every {@code keepcluster.*} map the grid knows right now, sorted by name. */
  public List<GridMap> maps() {
    List<GridMap> maps = new ArrayList<>();
    for (DistributedObject object : instance.getDistributedObjects()) {
      if (!object.getName().startsWith(PREFIX)) {
        continue;
      }
      if (object instanceof IMap<?, ?> map) {
        maps.add(new GridMap(object.getName(), map, null));
      } else if (object instanceof ReplicatedMap<?, ?> map) {
        maps.add(new GridMap(object.getName(), null, map));
      }
    }
    maps.sort(Comparator.comparing(GridMap::name));
    return maps;
  }

  /**
   * Waits until the rogue's list of {@code keepcluster.*} maps stops changing for a second (the
   * members announce their maps to a newcomer shortly after it joined) and answers it. Answers at
   * once when the rogue is alone (it was not let in).
   */
  public List<GridMap> awaitMaps(Duration atMost) {
    if (membersSeen() <= 1) {
      return maps();
    }
    AtomicReference<Set<String>> last = new AtomicReference<>(Set.of());
    try {
      Waits.within(atMost, "the rogue's list of keepcluster maps settles").during(Duration.ofSeconds(1))
          .until(() -> {
            Set<String> names = maps().stream().map(GridMap::name).collect(Collectors.toSet());
            return !names.isEmpty() && names.equals(last.getAndSet(names));
          });
    } catch (ConditionTimeoutException e) {
      System.out.println("[it] " + this + ": the list of keepcluster maps did not settle: " + last.get());
    }
    return maps();
  }

  /** The maps whose name contains any of {@code fragments} (case-insensitive). */
  public List<GridMap> maps(String... fragments) {
    return maps().stream().filter(m -> m.nameContainsAny(fragments)).collect(Collectors.toList());
  }

  /** Every entry of every {@code keepcluster.*} map: map name to key to value (serialized bytes for IMaps). */
  public Map<String, Map<Object, Object>> snapshot() {
    Map<String, Map<Object, Object>> snapshot = new LinkedHashMap<>();
    for (GridMap map : maps()) {
      snapshot.put(map.name(), map.entries());
    }
    return snapshot;
  }

  /**
   * Rolls the grid back to {@code snapshot}: entries written since are removed and every entry of
   * the snapshot is put back as it was (same bytes). Answers how many entries were written.
   */
  public int restore(Map<String, Map<Object, Object>> snapshot) {
    int written = 0;
    for (GridMap map : maps()) {
      Map<Object, Object> old = snapshot.getOrDefault(map.name(), Map.of());
      for (Object key : map.keys()) {
        if (!old.containsKey(key)) {
          map.remove(key);
          written++;
        }
      }
      for (Map.Entry<Object, Object> entry : old.entrySet()) {
        map.put(entry.getKey(), entry.getValue());
        written++;
      }
    }
    return written;
  }

  /** Leaves the cluster (gracefully, bounded by 20 s), then makes sure the member is gone. */
  @Override
  public void close() {
    try {
      if (instance.getLifecycleService().isRunning()) {
        instance.shutdown();
      }
    } catch (RuntimeException e) {
      System.out.println("[it] rogue member " + address() + " did not shut down cleanly: " + e);
    } finally {
      if (instance.getLifecycleService().isRunning()) {
        instance.getLifecycleService().terminate();
      }
    }
  }

  @Override
  public String toString() {
    return "rogue member " + address();
  }

  /** One {@code keepcluster.*} map as the attacker sees it: an {@link IMap} or a {@link ReplicatedMap}. */
  public static final class GridMap {

    private final String name;
    private final IMap<Object, Object> map;
    private final ReplicatedMap<Object, Object> replicated;

    @SuppressWarnings("unchecked")
    private GridMap(String name, IMap<?, ?> map, ReplicatedMap<?, ?> replicated) {
      this.name = name;
      this.map = (IMap<Object, Object>) map;
      this.replicated = (ReplicatedMap<Object, Object>) replicated;
    }

    public String name() {
      return name;
    }

    public String kind() {
      return map != null ? "IMap" : "ReplicatedMap";
    }

    public boolean nameContainsAny(String... fragments) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (String f : fragments) {
        if (lower.contains(f.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
      return false;
    }

    public Set<Object> keys() {
      return new HashSet<>(map != null ? map.keySet() : replicated.keySet());
    }

    public int size() {
      return map != null ? map.size() : replicated.size();
    }

    /** The value under {@code key}: its serialized bytes ({@link Data}) for an IMap, the object for a ReplicatedMap. */
    public Object raw(Object key) {
      if (replicated != null) {
        return replicated.get(key);
      }
      return rawOfIMap(key);
    }

    /** Every entry, values as {@link #raw}. */
    public Map<Object, Object> entries() {
      Map<Object, Object> entries = new LinkedHashMap<>();
      for (Object key : keys()) {
        Object value = raw(key);
        if (value != null) {
          entries.put(key, value);
        }
      }
      return entries;
    }

    /** Puts {@code value} (an object, or serialized bytes taken by {@link #raw}, stored as they are). */
    public void put(Object key, Object value) {
      if (map != null) {
        map.put(key, value);
      } else {
        replicated.put(key, value);
      }
    }

    public void remove(Object key) {
      if (map != null) {
        map.remove(key);
      } else {
        replicated.remove(key);
      }
    }

    /** Removes every entry one by one, then clears the map. Answers how many keys were removed. */
    public int wipe() {
      Set<Object> keys = keys();
      keys.forEach(this::remove);
      if (map != null) {
        map.clear();
      } else {
        replicated.clear();
      }
      return keys.size();
    }

    private Object rawOfIMap(Object key) {
      try {
        // MapProxySupport.getInternal answers the stored bytes without deserializing them.
        Method getInternal = findMethod(map.getClass(), "getInternal");
        getInternal.setAccessible(true);
        return getInternal.invoke(map, key);
      } catch (NoSuchMethodException | IllegalAccessException e) {
        return map.get(key);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + name + "[" + key + "]: " + e.getCause(), e.getCause());
      }
    }

    private static Method findMethod(Class<?> type, String method) throws NoSuchMethodException {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          return c.getDeclaredMethod(method, Object.class);
        } catch (NoSuchMethodException e) {
          // look in the superclass
        }
      }
      throw new NoSuchMethodException(type.getName() + "." + method + "(Object)");
    }

    @Override
    public String toString() {
      return name + " (" + kind() + ", " + size() + " entries)";
    }
  }

  /**
   * Everything an attacker can read out of one value: the text of its serialized bytes (as UTF-8
   * and as Latin-1, so markers survive any framing) and, when it is not bytes, its string form.
   */
  public static String readable(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Data data) {
      byte[] bytes = data.toByteArray();
      return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8) + "\n" + new String(bytes, StandardCharsets.ISO_8859_1);
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8) + "\n" + new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return String.valueOf(value);
  }
}
