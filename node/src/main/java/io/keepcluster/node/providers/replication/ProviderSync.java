package io.keepcluster.node.providers.replication;

import io.keepcluster.node.config.ConfigException;
import io.keepcluster.node.config.NodeConfig;
import io.keepcluster.node.providers.ProviderConfig;
import io.keepcluster.node.providers.ProviderConfigParser;
import io.keepcluster.node.providers.ProviderRegistry;
import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ProviderRegistry} equal to the providers in effect: this node's {@code jwt}
 * section and the cluster's records ({@link ProviderStore}), one record per provider NAME.
 *
 * <p>The rule, per NAME:
 * <ol>
 *   <li>A definition that changes in this node's folder while it runs (a new provider, an edit,
 *       {@code "active": false}, in the operator's file or in the replicated copy) is published
 *       and so becomes the newest record: a later edit is an update, never a conflict.
 *   <li>The newest record (highest grid version) is in effect on every node. Records it did not
 *       define itself are persisted to the node's folder ({@link ProviderPersistence}), marked
 *       {@code replicatedFrom}; the operator's own files are never rewritten (a newer record for
 *       a NAME the operator defines here is in effect in memory, and logged).
 *   <li>At start, a node adopts the cluster's record for a NAME the cluster already has, and
 *       publishes only the names the cluster lacks: a node that was down does not undo edits
 *       made meanwhile.
 * </ol>
 * Removing a definition is not replicated (there is no tombstone yet): to stop a provider
 * everywhere set {@code "active": false}. Alone, removing it from the folder removes it.
 * All passes run on one thread; file I/O never runs on an event loop.
 */
public final class ProviderSync implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ProviderSync.class);
  private static final String PROBLEM_PREFIX = "jwt.";
  static final String PERSIST_PROBLEM = "providers-replicated.json";

  private final String nodeId;
  private final ProviderStore store;
  private final ProviderRegistry registry;
  private final ProviderPersistence persistence;
  private final Problems problems;
  private final boolean forgetRemoved;
  private final ExecutorService executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Map<String, ProviderStore.Stored> current = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private Map<String, ProviderDefinition> seenLocal = Map.of();
  private volatile NodeConfig latest;
  private boolean first = true;

  /**
   * @param forgetRemoved true alone: a definition removed from the folder is dropped (in a
   *     cluster, its record stays and comes back as a replicated copy)
   */
  public ProviderSync(String nodeId, ProviderStore store, ProviderRegistry registry,
      ProviderPersistence persistence, Problems problems, boolean forgetRemoved) {
    this.nodeId = nodeId;
    this.store = store;
    this.registry = registry;
    this.persistence = persistence;
    this.problems = problems;
    this.forgetRemoved = forgetRemoved;
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "keepcluster-provider-sync");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Runs the first pass with the start configuration (blocks until done), then follows the store. */
  public void start(NodeConfig config) throws Exception {
    latest = config;
    executor.submit(this::passQuietly).get(30, TimeUnit.SECONDS);
    store.onChange(this::schedule);
  }

  /** The effective configuration changed (a new valid one): re-read the {@code jwt} section. */
  public void configChanged(NodeConfig next) {
    latest = next;
    schedule();
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(() -> {
          scheduled.set(false);
          passQuietly();
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        scheduled.set(false);
      }
    }
  }

  private void passQuietly() {
    try {
      pass();
    } catch (RuntimeException e) {
      LOG.warn("event=provider_sync_failed node={} reason=\"{}\"", nodeId, e.toString());
    }
  }

  private void pass() {
    Set<String> passProblems = new HashSet<>();
    Map<String, JsonObject> section = section(latest);
    Map<String, ProviderDefinition> local = new TreeMap<>();
    Set<String> own = new HashSet<>();
    section.forEach((name, settings) -> definition(name, settings, passProblems)
        .ifPresent(d -> local.put(name, d)));
    section.forEach((name, settings) -> {
      if (!settings.containsKey(ProviderConfigParser.REPLICATED_FROM)) {
        own.add(name);
      }
    });

    Map<String, ProviderStore.Stored> records = store.records();
    for (ProviderDefinition mine : local.values()) {
      String name = mine.name();
      ProviderStore.Stored theirs = records.get(name);
      if (theirs != null && theirs.definition().sameAs(mine)) {
        adopt(theirs);
      } else if (first && theirs != null) {
        // Rule 3: the cluster's record was written while this node was away.
        adopt(theirs);
      } else if (first || !mine.sameAs(seenLocal.get(name))) {
        ProviderStore.Stored published = store.publish(mine);
        current.put(name, published);
        LOG.info("event=provider_published node={} provider={} active={} version={}", nodeId, name,
            mine.active(), published.version());
      }
    }
    if (forgetRemoved) {
      seenLocal.keySet().stream().filter(name -> !local.containsKey(name)).forEach(current::remove);
    }
    seenLocal = Map.copyOf(local);
    first = false;
    for (ProviderStore.Stored record : records.values()) {
      if (!forgetRemoved || local.containsKey(record.definition().name())) {
        adopt(record);
      }
    }

    Map<String, ProviderStore.Stored> copies = new TreeMap<>();
    current.forEach((name, record) -> {
      if (!own.contains(name)) {
        copies.put(name, record);
      } else if (!record.definition().sameAs(local.get(name))) {
        LOG.warn("event=provider_cluster_newer node={} provider={} writer={} version={}"
            + " action=\"in effect; the operator's file is not rewritten\"", nodeId, name,
            record.writer(), record.version());
      }
    });
    if (!forgetRemoved) {
      persistence.persist(copies).ifPresentOrElse(problem -> problems.report(ProblemKind.PROVIDER, PERSIST_PROBLEM, problem),
          () -> problems.clear(PERSIST_PROBLEM));
    }
    registry.apply(configs(passProblems));
    reported.stream().filter(key -> !passProblems.contains(key)).forEach(problems::clear);
    reported.clear();
    reported.addAll(passProblems);
  }

  /** Rule 2: the newer record is in effect. */
  private void adopt(ProviderStore.Stored record) {
    String name = record.definition().name();
    ProviderStore.Stored held = current.get(name);
    if (held != null && held.version() >= record.version()) {
      return;
    }
    current.put(name, record);
    if (held == null || !held.definition().sameAs(record.definition())) {
      LOG.info("event=provider_applied node={} provider={} active={} writer={} version={}", nodeId,
          name, record.definition().active(), record.writer(), record.version());
    }
  }

  private List<ProviderConfig> configs(Set<String> problemKeys) {
    List<ProviderConfig> configs = new ArrayList<>();
    Map<String, String> issuers = new HashMap<>();
    for (ProviderStore.Stored record : new TreeMap<>(current).values()) {
      String name = record.definition().name();
      try {
        ProviderConfig config = record.definition().config();
        if (config.issuer().equals(latest.tokens().issuer())) {
          // Checked for the node's own files by the config parser; a record is checked here.
          throw new ConfigException("jwt." + name + ".iss " + config.issuer()
              + " is this cluster's own issuer: a provider needs an issuer of its own");
        }
        String other = issuers.putIfAbsent(config.issuer(), name);
        if (other != null) {
          throw new ConfigException("jwt." + name + ".iss " + config.issuer()
              + " is already the issuer of jwt." + other + ": one issuer, one provider");
        }
        configs.add(config);
      } catch (ConfigException e) {
        problemKeys.add(PROBLEM_PREFIX + name);
        problems.report(ProblemKind.PROVIDER, PROBLEM_PREFIX + name, e.getMessage() + " (from " + record.writer()
            + "; this provider is not in effect on this node)");
      }
    }
    return configs;
  }

  private static Map<String, JsonObject> section(NodeConfig config) {
    Map<String, JsonObject> section = new TreeMap<>();
    if (config.raw().getValue("jwt") instanceof JsonObject jwt) {
      jwt.forEach(entry -> {
        if (entry.getValue() instanceof JsonObject settings) {
          section.put(entry.getKey(), settings);
        }
      });
    }
    return section;
  }

  /** This node's definition of {@code name}, its key file read now (the config was checked). */
  private Optional<ProviderDefinition> definition(String name, JsonObject settings,
      Set<String> problemKeys) {
    Optional<String> pem = Optional.empty();
    if (settings.getValue("keyFile") instanceof String file) {
      try {
        pem = Optional.of(ProviderConfigParser.keyFiles(latest.configDir()).read(PROBLEM_PREFIX + name, file));
      } catch (ConfigException e) {
        problemKeys.add(PROBLEM_PREFIX + name);
        problems.report(ProblemKind.PROVIDER, PROBLEM_PREFIX + name, e.getMessage());
        return Optional.empty();
      }
    }
    try {
      return Optional.of(new ProviderDefinition(name, settings, pem));
    } catch (IllegalArgumentException e) {
      problemKeys.add(PROBLEM_PREFIX + name);
      problems.report(ProblemKind.PROVIDER, PROBLEM_PREFIX + name, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
