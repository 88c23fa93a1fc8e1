package io.keepcluster.node.config;

import io.keepcluster.node.status.ProblemKind;
import io.keepcluster.node.status.Problems;
import io.vertx.core.json.JsonObject;
import io.keepcluster.shared.config.ConfigFileException;
import io.keepcluster.shared.config.ConfigOverlay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the effective configuration after the folder changed, through exactly the start's
 * validation ({@link ConfigLoader}: overlay, {@link NodeConfigParser}, the same environment). The
 * running node keeps the configuration it started with (ports and lifetimes are not swapped under
 * live connections). A configuration the next start would refuse is reported at once as a
 * {@link ProblemKind#CONFIG} problem carrying the very line the start would print; the node is then
 * DEGRADED and not ready (a rolling restart would take it down), until the files are fixed or
 * removed. A valid one that differs is logged as waiting for a restart. The exceptions are {@code disableDominoLogin}, applied at
 * once through the {@link DominoLoginSwitch}, and the {@code jwt} section (external providers),
 * handed to the change listener, which rebuilds the providers.
 */
public final class ConfigRecheck implements Runnable {

  static final String PROBLEM_KEY = "config";
  /** External providers: applied at once by the listener (see {@code ProviderSync}). */
  static final String JWT_KEY = "jwt";
  private static final Logger LOG = LoggerFactory.getLogger(ConfigRecheck.class);

  private final ConfigLoader loader;
  private final Path dir;
  private final Problems problems;
  private final JsonObject running;
  private final DominoLoginSwitch dominoLogin;
  private final Consumer<NodeConfig> onChange;
  private JsonObject lastSeen;
  private String lastStamp = "";
  private boolean refused;

  public ConfigRecheck(ConfigLoader loader, NodeConfig running, Problems problems) {
    this(loader, running, problems, new DominoLoginSwitch(running.dominoLoginDisabled()));
  }

  public ConfigRecheck(ConfigLoader loader, NodeConfig running, Problems problems,
      DominoLoginSwitch dominoLogin) {
    this(loader, running, problems, dominoLogin, next -> { });
  }

  /** @param onChange receives every new valid configuration (the {@code jwt} section is applied there) */
  public ConfigRecheck(ConfigLoader loader, NodeConfig running, Problems problems,
      DominoLoginSwitch dominoLogin, Consumer<NodeConfig> onChange) {
    this.onChange = onChange;
    this.loader = loader;
    this.dominoLogin = dominoLogin;
    this.dir = running.configDir();
    this.problems = problems;
    this.running = running.raw();
    this.lastSeen = running.raw();
  }

  @Override
  public void run() {
    String stamp = overlayStamp();
    if (stamp.equals(lastStamp)) {
      return;
    }
    lastStamp = stamp;
    try {
      NodeConfig next = loader.load(dir);
      if (refused) {
        refused = false;
        LOG.info("event=config_accepted dir={} ready=true", dir);
      }
      problems.clear(PROBLEM_KEY);
      // On every change of an overlay, even one that leaves the merged JSON as it was: a
      // provider's keyFile is read again when its descriptor is touched.
      onChange.accept(next);
      if (!Objects.equals(next.raw(), lastSeen)) {
        lastSeen = next.raw();
        if (next.dominoLoginDisabled() != dominoLogin.getAsBoolean()) {
          dominoLogin.apply(next);
          LOG.info("event=config_applied dir={} key={} value={}", dir, DominoLoginSwitch.KEY,
              next.dominoLoginDisabled());
        }
        if (!Objects.equals(withoutHotKeys(next.raw()), withoutHotKeys(running))) {
          LOG.warn("event=config_changed dir={} action=restart_to_apply", dir);
        }
      }
    } catch (ConfigException e) {
      // The start's own message, word for word, so the operator finds it in both places.
      refused = true;
      problems.report(ProblemKind.CONFIG, PROBLEM_KEY, e.line());
      LOG.error("event=config_refused dir={} reason=\"{}\" action=keeping_last_good_config ready=false",
          dir, e.line());
    }
  }

  private static JsonObject withoutHotKeys(JsonObject raw) {
    JsonObject copy = raw.copy();
    copy.remove(DominoLoginSwitch.KEY);
    copy.remove(JWT_KEY);
    return copy;
  }

  /**
   * Name, type, size and modification time of each overlay entry: re-read only when one changed.
   * Metadata only, so a FIFO or device named {@code *.json} costs nothing here (and the read
   * itself refuses it).
   */
  private String overlayStamp() {
    StringBuilder stamp = new StringBuilder();
    try {
      for (Path file : ConfigOverlay.overlayFiles(dir)) {
        stamp.append(file.getFileName()).append(':');
        try {
          BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
          stamp.append(attributes.isRegularFile()).append(':').append(attributes.size()).append(':')
              .append(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)).append(';');
        } catch (IOException e) {
          stamp.append("?;");
        }
      }
    } catch (ConfigFileException e) {
      return "unreadable:" + e.reason();
    }
    return stamp.toString();
  }
}
