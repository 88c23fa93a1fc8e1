package io.keepcluster.node.management;

import io.keepcluster.node.http.ErrorResponses;
import io.keepcluster.node.http.JsonBodies;
import io.keepcluster.shared.keys.InvalidKeysetNameException;
import io.keepcluster.shared.keys.KeyAlgorithmSpec;
import io.keepcluster.shared.keys.KeysetExistsException;
import io.keepcluster.shared.keys.KeysetFiles;
import io.keepcluster.shared.keys.KeysetGenerator;
import io.keepcluster.shared.keys.KeysetName;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/idp-certificates}: DRAPI's "Create IdP Certificate". Writes the four files into
 * the config folder and answers once the node has loaded them.
 */
final class IdpCertificateHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(IdpCertificateHandler.class);
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
    vertx.<KeysetFiles>executeBlocking(() -> {
      KeysetFiles files = generator.generate(name, spec, clock);
      files.writeTo(configDir);
      return files;
    }, false).compose(files -> io.vertx.core.Future.fromCompletionStage(rescan.get()).map(files))
        .onSuccess(files -> {
          LOG.info("event=idp_certificate_created kid={} algorithm={} operator={}", name.value(),
              spec, operator);
          JsonArray fileNames = new JsonArray();
          KeysetFiles.fileNames(name).forEach(fileNames::add);
          ErrorResponses.sendJson(ctx, 201, new JsonObject().put("kid", name.value())
              .put("alg", spec.jwsAlgorithm()).put("files", fileNames));
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
