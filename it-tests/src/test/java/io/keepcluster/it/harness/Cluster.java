package io.keepcluster.it.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * N node processes of one test class that form one Hazelcast cluster on 127.0.0.1: a cluster
 * port per node picked with {@code new ServerSocket(0)}, a cluster name unique to this run, one
 * shared secret. {@link #close()} kills every process it started (the JVM shutdown hook in
 * {@link LiveProcesses} covers a run that never reaches it).
 */
public final class Cluster implements AutoCloseable {

  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "it-Admin-Passw0rd";
  /** How long N nodes may take to find each other; {@code -Dkeepcluster.formationTimeout=SECONDS} changes it. */
  /** Every cluster's {@code publicUrl}: its issuer, the same on every node. */
  public static final String PUBLIC_URL = "https://keepcluster.it.test";
  public static final Duration FORMATION_TIMEOUT =
      Duration.ofSeconds(Long.getLong("keepcluster.formationTimeout", 60));

  private final String test;
  private final String name;
  private final String secret;
  private final List<Integer> clusterPorts;
  private final Map<String, String> overrides;
  private final Map<String, Map<String, String>> nodeOverrides;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<NodeProcess> extras = new ArrayList<>();
  private long launchedAt;

  private Cluster(String test, int size, Map<String, String> overrides,
      Map<String, Map<String, String>> nodeOverrides) {
    this.test = test;
    this.overrides = Map.copyOf(overrides);
    this.nodeOverrides = Map.copyOf(nodeOverrides);
    this.name = "it-" + test + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.secret = "it-secret-" + UUID.randomUUID();
    this.clusterPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clusterPorts.add(freePort());
    }
    ItPaths.deleteTree(ItPaths.nodeRoot(test));
    ItPaths.deleteTree(ItPaths.logDir(test));
    for (int i = 1; i <= size; i++) {
      nodes.add(new NodeProcess("node" + i, configDirOf("node" + i), ItPaths.logDir(test),
          nodeEnv("node" + i, clusterPorts.get(i - 1), members(clusterPorts))));
    }
  }

  /** Starts {@code size} nodes in parallel and waits until each has announced its ports (not until they joined). */
  public static Cluster start(String test, int size) {
    return start(test, size, Map.of());
  }

  /** As {@link #start(String, int)}, with {@code overrides} on top of every node's environment. */
  public static Cluster start(String test, int size, Map<String, String> overrides) {
    return start(test, size, overrides, Map.of());
  }

  /**
   * As {@link #start(String, int, Map)}, and {@code nodeOverrides.get("node1")} (and so on) on top
   * of that one node's environment, for example a fixed {@code PORT} picked with {@link #freePort()}.
   */
  public static Cluster start(String test, int size, Map<String, String> overrides,
      Map<String, Map<String, String>> nodeOverrides) {
    Cluster cluster = new Cluster(test, size, overrides, nodeOverrides);
    try {
      cluster.launchedAt = System.nanoTime();
      cluster.nodes.forEach(NodeProcess::launch);
      cluster.nodes.forEach(NodeProcess::awaitPorts);
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** Starts and waits until every node is UP and reports every member: the usual first step of a scenario. */
  public static Cluster startFormed(String test, int size) {
    return startFormed(test, size, Map.of());
  }

  /** As {@link #startFormed(String, int)}, with {@code overrides} on top of every node's environment. */
  public static Cluster startFormed(String test, int size, Map<String, String> overrides) {
    return startFormed(test, size, overrides, Map.of());
  }

  /** As {@link #startFormed(String, int, Map)}, with per-node overrides as in {@link #start(String, int, Map, Map)}. */
  public static Cluster startFormed(String test, int size, Map<String, String> overrides,
      Map<String, Map<String, String>> nodeOverrides) {
    Cluster cluster = start(test, size, overrides, nodeOverrides);
    try {
      cluster.awaitFormed();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw new AssertionError("cluster of " + test + " did not form: " + e.getMessage() + cluster.logPaths(), e);
    }
  }

  /** Waits until every node is UP and lists all nodes as members; answers the time since launch. */
  public Duration awaitFormed() {
    awaitMembers(nodes.size(), nodes);
    return Duration.ofNanos(System.nanoTime() - launchedAt);
  }

  public void awaitMembers(int count, List<NodeProcess> which) {
    await("cluster of " + count + " on " + ids(which)).atMost(FORMATION_TIMEOUT)
        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
        .untilAsserted(() -> {
          for (NodeProcess n : which) {
            Health h = n.client().health();
            if (!h.up() || h.members().size() != count) {
              throw new AssertionError("not formed yet: " + h);
            }
          }
        });
  }

  /** Restarts the whole cluster's processes after {@link #stopAll()} (same DIRs, same env). */
  public Duration startAll() {
    launchedAt = System.nanoTime();
    nodes.forEach(NodeProcess::launch);
    nodes.forEach(NodeProcess::awaitPorts);
    return awaitFormed();
  }

  /** SIGTERM every node, in parallel, and wait for all to exit. */
  public void stopAll() {
    nodes.parallelStream().forEach(NodeProcess::stop);
  }

  /** Node {@code i}, counted from 1. */
  public NodeProcess node(int i) {
    return nodes.get(i - 1);
  }

  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public List<NodeProcess> others(NodeProcess except) {
    return nodes.stream().filter(n -> n != except).collect(Collectors.toList());
  }

  public String name() {
    return name;
  }

  public String secret() {
    return secret;
  }

  public String test() {
    return test;
  }

  /**
   * A node outside the initial set (not started): its own cluster port, a member list of every
   * node plus itself, and {@code overrides} applied last (for example a wrong secret).
   */
  public NodeProcess extraNode(String id, Map<String, String> overrides) {
    int port = freePort();
    List<Integer> all = new ArrayList<>(clusterPorts);
    all.add(port);
    Map<String, String> env = nodeEnv(id, port, members(all));
    env.putAll(overrides);
    NodeProcess extra = new NodeProcess(id, configDirOf(id), ItPaths.logDir(test), env);
    extras.add(extra);
    return extra;
  }

  public Path configDirOf(String nodeId) {
    return ItPaths.nodeRoot(test).resolve(nodeId).resolve("keepconfig.d");
  }

  /** The log files of every node of this cluster, for failure messages. */
  public String logPaths() {
    StringBuilder b = new StringBuilder();
    for (NodeProcess n : all()) {
      b.append(System.lineSeparator()).append("  ").append(n.id()).append(" log: ").append(n.logFile());
    }
    return b.toString();
  }

  private List<NodeProcess> all() {
    List<NodeProcess> all = new ArrayList<>(nodes);
    all.addAll(extras);
    return all;
  }

  /** Kills every process this cluster started, whatever state it is in. */
  @Override
  public void close() {
    for (NodeProcess n : all()) {
      try {
        n.kill9();
      } catch (RuntimeException e) {
        System.out.println("[it] could not kill " + n + ": " + e);
      }
    }
  }

  static Map<String, String> env(String nodeId, int clusterPort, String members, String secret) {
    Map<String, String> env = NodeProcess.singleNodeEnv(ADMIN_PASSWORD);
    env.put("KEEP_NODE_ID", nodeId);
    env.put("KEEP_CLUSTER_PORT", Integer.toString(clusterPort));
    env.put("KEEP_CLUSTER_INTERFACE", "127.0.0.1");
    env.put("KEEP_CLUSTER_MEMBERS", members);
    env.put("KEEP_CLUSTER_SECRET", secret);
    // One URL for the whole cluster (a multi-node config without it refuses to start).
    env.put("KEEP_PUBLIC_URL", PUBLIC_URL);
    return env;
  }

  private Map<String, String> nodeEnv(String nodeId, int clusterPort, String members) {
    Map<String, String> env = new HashMap<>(env(nodeId, clusterPort, members, secret));
    env.put("KEEP_CLUSTER_NAME", name);
    env.putAll(overrides);
    env.putAll(nodeOverrides.getOrDefault(nodeId, Map.of()));
    return env;
  }

  private static String members(List<Integer> ports) {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  private static String ids(List<NodeProcess> which) {
    return which.stream().map(NodeProcess::id).collect(Collectors.joining(","));
  }

  /** A port free right now on 127.0.0.1 (the node binds it a moment later). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
