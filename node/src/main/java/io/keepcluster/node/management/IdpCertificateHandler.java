package io.keepcluster.node.management;

import io.keepcluster.node.logging.LogSafe;
import io.keepcluster.node.http.RequestIds;
import io.keepcluster.node.logging.Audit;
import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonBodies;
import io.keepcluster.shared.keys.InvalidKeysetNameException;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetExistsException;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/idp-certificates}: DRAPI's "Create IdP Certificate". Writes the four files into
 * the config folder and answers once the node has loaded them ({@code "loaded": true}), or after
 * {@link #SCAN_WAIT} with {@code "loaded": false} when the scan has not finished by then. Nothing
 * here runs on the event loop but the answer.
 */
final class IdpCertificateHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(IdpCertificateHandler.class);
  /** Longest the answer waits for the node to load the new files. */
  static final Duration SCAN_WAIT = Duration.ofSeconds(5);

  /** Files written; loaded when the node applied them before the answer. */
  private record Created(KeysetFiles files, boolean loaded) {}

  private static final Set<String> FIELDS = Set.of("name", "algorithm", "keySize", "curve");

  private final Vertx vertx;
  private final Path configDir;
  private final KeysetGenerator generator;
  private final Clock clock;
  private final Supplier<CompletionStage<Void>> rescan;

  IdpCertificateHandler(Vertx vertx, Path configDir, KeysetGenerator generator, Clock clock,
      Supplier<CompletionStage<Void>> rescan) {
    this.vertx = vertx;
    this.configDir = configDir;
    this.generator = generator;
    this.clock = clock;
    this.rescan = rescan;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx, "{\"name\",\"algorithm\",\"keySize\"?,\"curve\"?}").orElse(null);
    if (body == null) {
      return;
    }
    KeysetName name;
    KeyAlgorithmSpec spec;
    try {
      for (String field : body.fieldNames()) {
        if (!FIELDS.contains(field)) {
          throw new IllegalArgumentException("unknown field: " + field);
        }
      }
      if (!(body.getValue("name") instanceof String rawName)) {
        throw new IllegalArgumentException("name is required");
      }
      name = KeysetName.of(rawName);
      Object algorithm = body.getValue("algorithm", "RSA");
      Object keySize = body.getValue("keySize");
      Object curve = body.getValue("curve");
      if (!(algorithm instanceof String) || (keySize != null && !(keySize instanceof Integer))
          || (curve != null && !(curve instanceof String))) {
        throw new IllegalArgumentException("algorithm and curve must be strings, keySize an integer");
      }
      spec = KeyAlgorithmSpec.parse((String) algorithm, (Integer) keySize, (String) curve);
    } catch (InvalidKeysetNameException e) {
      ErrorResponses.send(ctx, 400, "Invalid certificate name", e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      ErrorResponses.send(ctx, 400, "Invalid request", e.getMessage());
      return;
    }
    String operator = ctx.get(BasicAuthHandler.OPERATOR);
    String requestFields = RequestIds.fields(ctx);
    // Key generation and the file writes run on a worker; the scan on the scanner's own thread.
    // The answer waits for that scan at most SCAN_WAIT: the files are written either way, and a
    // scanner held up by the folder must not hold the console up with it.
    Context context = vertx.getOrCreateContext();
    vertx.<KeysetFiles>executeBlocking(() -> {
      KeysetFiles files = generator.generate(name, spec, clock);
      files.writeTo(configDir);
      Audit.LOG.info("event=keyset_created kid={} alg={} file={}.json source=management operator={} {}",
          name.value(), spec.jwsAlgorithm(), name.value(), LogSafe.value(operator), requestFields);
      return files;
    }, false).compose(files -> Future.fromCompletionStage(rescan.get(), context)
            .timeout(SCAN_WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .map(true)
            .otherwise(notYet -> {
              LOG.warn("event=idp_certificate_scan_pending kid={} wait_ms={}", name.value(), SCAN_WAIT.toMillis());
              return false;
            })
            .map(loaded -> new Created(files, loaded)))
        .onSuccess(created -> {
          LOG.info("event=idp_certificate_created kid={} algorithm={} operator={}", name.value(),
              spec, operator);
          JsonArray fileNames = new JsonArray();
          KeysetFiles.fileNames(name).forEach(fileNames::add);
          ErrorResponses.sendJson(ctx, 201, new JsonObject().put("kid", name.value())
              .put("alg", spec.jwsAlgorithm()).put("files", fileNames)
              .put("loaded", created.loaded()));
        })
        .onFailure(failure -> {
          if (failure instanceof KeysetExistsException) {
            ErrorResponses.send(ctx, 409, "A keyset named " + name.value() + " already exists",
                "existing files are never overwritten; choose another name");
          } else {
            LOG.error("event=idp_certificate_failed kid={}", name.value(), failure);
            ErrorResponses.send(ctx, 500, "Could not create the keyset", failure.getMessage());
          }
        });
  }
}
