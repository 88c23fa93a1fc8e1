package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.keepcluster.client.vertx.KeepClusterAuth;
import io.keepcluster.client.vertx.KeepClusterAuthOptions;
import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.JWTAuthHandler;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 from the side of the resource servers: three independent verifiers that know nothing but
 * the cluster's issuer URL read {@code /.well-known/openid-configuration} and {@code jwks.json}
 * from node 1 and verify tokens issued by any node while the cluster rotates from RSA to EC with
 * the node's DEFAULT rollover lead (DESIGN.md section 7, invariant 8).
 *
 * <p>The harness's {@code KEEP_PUBLIC_URL} is a fake host and its lead is 0; here the issuer is
 * node 1's real API address ({@code PORT} picked free up front) and the lead is the node's own.
 */
@DisplayName("Issue 9: resource servers that read only the well-known URLs keep verifying across an RSA to EC rotation")
class ResourceServerInteropIT extends ThreeNodeCluster {

  private static final String AUDIENCE = "Domino";
  /** The node's default {@code rolloverLeadSeconds}, also the {@code max-age} of its well-known documents. */
  private static final int DEFAULT_LEAD_SECONDS = 60;
  /** The loop runs this long past the EC drop: the lead, then tokens of the new key for a while. */
  private static final Duration AFTER_LEAD = Duration.ofSeconds(30);
  /** RSA tokens verified by everyone before the EC keyset is dropped. */
  private static final int ROUNDS_BEFORE_DROP = 10;
  private static final Duration PACE = Duration.ofMillis(200);
  private static final Duration LOOP_CEILING = Duration.ofSeconds(150);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();

  private final int node1Port = Cluster.freePort();
  private final String publicUrl = "http://127.0.0.1:" + node1Port;

  @Override
  protected Map<String, String> environment() {
    // The node reads a blank KEEP_ROLLOVER_LEAD_SECONDS as unset (EnvironmentOverlay skips blank
    // values), so this removes the harness's 0 and the node's default lead applies.
    return Map.of("KEEP_PUBLIC_URL", publicUrl, "KEEP_ROLLOVER_LEAD_SECONDS", "");
  }

  @Override
  protected Map<String, String> nodeEnvironment(String nodeId) {
    return "node1".equals(nodeId) ? Map.of("PORT", Integer.toString(node1Port)) : Map.of();
  }

  @Override
  protected void whenFormed() {
    assertEquals(node1Port, cluster.node(1).ports().api(), "node 1 listens on the PORT picked for it");
  }

  @Test
  @DisplayName("discovery fetched from each of the three nodes names node 1's address as issuer and as the host of jwks_uri")
  void discoveryNamesNodeOneOnEveryNode() {
    for (NodeProcess node : cluster.nodes()) {
      JsonObject discovery = get(URI.create("http://127.0.0.1:" + node.ports().api()
          + "/.well-known/openid-configuration")).json();
      assertEquals(publicUrl, discovery.getString("issuer"), node.id() + ": " + discovery.encode());
      for (String url : List.of("jwks_uri", "userinfo_endpoint", "token_endpoint")) {
        assertTrue(discovery.getString(url, "").startsWith(publicUrl + "/"),
            node.id() + " " + url + " is not under " + publicUrl + ": " + discovery.encode());
      }
      Fetched jwks = get(URI.create(discovery.getString("jwks_uri")));
      assertEquals(200, jwks.status(), node.id() + "'s jwks_uri answered " + jwks.status());
    }
  }

  @Test
  @DisplayName("Nimbus, Vert.x OAuth2 and keepcluster-vertx verify every token of every node, before, during and after RSA rotates to EC with the default lead")
  void verifiersFollowAnRsaToEcRotation() throws Exception {
    OpensslKeyset rsa = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Rsa"));
    rsa.dropInto(cluster.node(1).configDir());
    // The first keyset skips the lead (nothing else could sign), so this is well under 60 s.
    ClusterWaits.awaitSigning(cluster.nodes(), rsa.name(), Duration.ofSeconds(DEFAULT_LEAD_SECONDS / 2));
    OpensslKeyset ec = OpensslKeyset.ec(cluster.test(), OpensslKeyset.nextName("Ec"));

    Discovery discovery = Discovery.read(publicUrl);
    assertEquals(publicUrl, discovery.issuer());
    Fetched jwks = get(URI.create(discovery.jwksUri()));
    assertTrue(jwks.body().contains("\"" + rsa.name() + "\""), jwks.body());
    long lead = jwks.maxAge().orElseThrow(() -> new AssertionError("JWKS without max-age: " + jwks.cacheControl()));
    assertEquals(DEFAULT_LEAD_SECONDS, lead, "the JWKS max-age is the rollover lead, and the lead is the default");

    Vertx vertx = Vertx.vertx();
    List<Verifier> verifiers = new ArrayList<>();
    try {
      verifiers.add(new NimbusVerifier(publicUrl, discovery));
      verifiers.add(VertxOAuth2Verifier.start(vertx, discovery.issuer()));
      verifiers.add(KeepClusterVertxVerifier.start(vertx, discovery.issuer()));
      Map<String, Tally> tallies = new LinkedHashMap<>();
      verifiers.forEach(v -> tallies.put(v.name(), new Tally(v.name())));
      Map<String, Integer> tokensByKid = new TreeMap<>();
      Set<String> issuers = new TreeSet<>();
      AtomicInteger round = new AtomicInteger();
      AtomicReference<Instant> droppedAt = new AtomicReference<>();
      AtomicReference<Instant> firstEcToken = new AtomicReference<>();

      // One round: drop EC on node 2 after ROUNDS_BEFORE_DROP rounds, log in on node 1, 2, 3 in
      // turn, let every verifier verify the fresh token. Ends AFTER_LEAD past the lead.
      Awaitility.await("tokens verified through lead + " + AFTER_LEAD.toSeconds() + " s after the EC drop")
          .atMost(LOOP_CEILING).pollDelay(Duration.ZERO).pollInterval(PACE).until(() -> {
            int i = round.getAndIncrement();
            if (i == ROUNDS_BEFORE_DROP) {
              ec.dropInto(cluster.node(2).configDir());
              droppedAt.set(Instant.now());
            }
            NodeProcess node = cluster.node(i % 3 + 1);
            String token = node.client().token(ADMIN, ADMIN_PASSWORD);
            String kid = NodeClient.kidOf(token);
            synchronized (tallies) {
              tokensByKid.merge(kid, 1, Integer::sum);
              issuers.add(NodeClient.issOf(token));
              if (kid.equals(ec.name())) {
                firstEcToken.compareAndSet(null, Instant.now());
              }
              for (Verifier verifier : verifiers) {
                Outcome outcome = verifier.verify(token);
                tallies.get(verifier.name()).record(node.id(), kid, outcome);
                outcome.iss().ifPresent(issuers::add);
              }
            }
            Instant dropped = droppedAt.get();
            return dropped != null
                && Duration.between(dropped, Instant.now()).compareTo(Duration.ofSeconds(lead).plus(AFTER_LEAD)) >= 0;
          });

      synchronized (tallies) {
        Duration ecAfter = firstEcToken.get() == null ? null : Duration.between(droppedAt.get(), firstEcToken.get());
        System.out.println("[it] interop tokens: rounds=" + round.get() + " byKid=" + tokensByKid
            + " firstEcTokenAfterDrop=" + ecAfter + " lead=" + lead + "s issuers=" + issuers);
        for (Verifier verifier : verifiers) {
          System.out.println(tallies.get(verifier.name()).summary() + verifier.notes());
        }
        assertTrue(tokensByKid.containsKey(ec.name()),
            "no token was signed by " + ec.name() + " within the loop: " + tokensByKid);
        assertTrue(ecAfter.compareTo(Duration.ofSeconds(lead - 5)) >= 0,
            ec.name() + " signed " + ecAfter + " after the drop, before the " + lead + " s lead");
        for (Tally tally : tallies.values()) {
          assertEquals(0, tally.refused, tally.summary() + " refusals: " + tally.refusals);
          assertTrue(tally.kids.containsAll(Set.of(rsa.name(), ec.name())), tally.summary());
        }
        assertEquals(Set.of(discovery.issuer()), issuers, "one iss for every token, before and after");
      }
    } finally {
      for (Verifier verifier : verifiers) {
        verifier.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** What one verifier said about one token; {@code iss} is the issuer the verifier saw in the verified claims. */
  private record Outcome(boolean verified, Optional<String> iss, String reason) {
    static Outcome verified(String iss) {
      return new Outcome(true, Optional.ofNullable(iss), "");
    }

    static Outcome refused(String reason) {
      return new Outcome(false, Optional.empty(), reason);
    }
  }

  /** A resource server's token check, seen from outside. */
  private interface Verifier extends AutoCloseable {
    String name();

    /** Never throws for a refused token: a refusal is an {@link Outcome}. */
    Outcome verify(String jwt);

    /** Extra counters for the summary line (leading space), or empty. */
    String notes();

    @Override
    void close() throws Exception;
  }

  /** Counts per verifier: tokens verified and refused, the kids it verified, the first refusals. */
  private static final class Tally {
    private final String verifier;
    private int verified;
    private int refused;
    private final Set<String> kids = new TreeSet<>();
    private final List<String> refusals = new ArrayList<>();

    Tally(String verifier) {
      this.verifier = verifier;
    }

    void record(String node, String kid, Outcome outcome) {
      if (outcome.verified()) {
        verified++;
        kids.add(kid);
      } else {
        refused++;
        if (refusals.size() < 5) {
          refusals.add(node + " kid=" + kid + ": " + outcome.reason());
        }
      }
    }

    String summary() {
      return "[it] interop " + verifier + ": verified=" + verified + " refused=" + refused + " kids=" + kids;
    }
  }

  /**
   * nimbus-jose-jwt as its documentation shows a resource server: {@code JWKSourceBuilder} with its
   * default caching, refresh-ahead and rate-limited refetch on an unknown kid, a
   * {@code DefaultJWTProcessor} with a {@code JWSVerificationKeySelector} for the discovered
   * algorithms and a {@code DefaultJWTClaimsVerifier} for {@code aud} and {@code iss}.
   *
   * <p>The key selector's algorithm list is fixed when it is built, and discovery lists ES256 only
   * once an EC keyset is loaded. A processor built once at start would refuse every ES256 token
   * until restarted ({@link #pinnedWouldRefuse} counts them); this one reads discovery again when
   * the document's own {@code max-age} has passed, which the node sets to the lead, so the new
   * algorithm is known before it signs.
   */
  private static final class NimbusVerifier implements Verifier {
    private final String publicUrl;
    private final JWKSource<SecurityContext> keys;
    private final Set<JWSAlgorithm> startAlgorithms;
    private Set<JWSAlgorithm> algorithms;
    private DefaultJWTProcessor<SecurityContext> processor;
    private Instant discoveryExpires;
    private int discoveryReads;
    private int pinnedWouldRefuse;

    NimbusVerifier(String publicUrl, Discovery discovery) throws MalformedURLException {
      this.publicUrl = publicUrl;
      this.keys = JWKSourceBuilder.create(URI.create(discovery.jwksUri()).toURL()).build();
      use(discovery);
      this.startAlgorithms = algorithms;
    }

    private void use(Discovery discovery) {
      discoveryReads++;
      algorithms = discovery.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
      DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
      p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
      p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
          new JWTClaimsSet.Builder().issuer(discovery.issuer()).build(), Set.of("sub", "iat", "exp")));
      processor = p;
      discoveryExpires = Instant.now().plusSeconds(discovery.maxAgeSeconds());
    }

    @Override
    public String name() {
      return "nimbus";
    }

    @Override
    public Outcome verify(String jwt) {
      try {
        if (Instant.now().isAfter(discoveryExpires)) {
          use(Discovery.read(publicUrl));
        }
        SignedJWT parsed = SignedJWT.parse(jwt);
        if (!startAlgorithms.contains(parsed.getHeader().getAlgorithm())) {
          pinnedWouldRefuse++;
        }
        return Outcome.verified(processor.process(parsed, null).getIssuer());
      } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
        return Outcome.refused(e.toString());
      }
    }

    @Override
    public String notes() {
      return " discoveryReads=" + discoveryReads + " algorithmsAtStart=" + startAlgorithms
          + " algorithmsNow=" + algorithms + " pinnedAtStartWouldRefuse=" + pinnedWouldRefuse;
    }

    @Override
    public void close() throws IOException {
      if (keys instanceof Closeable closeable) {
        closeable.close();
      }
    }
  }

  /**
   * Stock vertx-auth-oauth2: {@code OpenIDConnectAuth.discover} with issuer validation on and
   * {@code JWTOptions.setAudience(["Domino"])} (else it would demand the client id in {@code aud}).
   * It reloads the JWKS on a timer of the JWKS response's {@code max-age}, re-armed after each
   * reload, so one reload falls in every lead window only because the node's {@code max-age}
   * equals the lead: if the timer fired just before a keyset was published, the next reload would
   * come one max-age plus the fetch time later, a few milliseconds after the keyset signs. This
   * scenario starts the verifiers a few rounds before the drop, so that edge is not exercised.
   *
   * <p>On an unknown kid it does not refetch by itself: it calls {@code missingKeyHandler} (after
   * the token has been dealt with) and, because discovery names a {@code userinfo_endpoint}, sends
   * the token to the node's userinfo endpoint instead of verifying it locally. The handler below is
   * the debounced {@code jWKSet()} reload the {@code OAuth2Auth.missingKeyHandler} javadoc
   * recommends. A token that was not verified with the JWKS (no decoded {@code accessToken}
   * attribute: a userinfo fallback) counts as refused here, since the resource server did not
   * verify it itself.
   */
  private static final class VertxOAuth2Verifier implements Verifier {
    private final OAuth2Auth auth;
    private final AtomicInteger missingKeyCalls = new AtomicInteger();
    private final AtomicInteger userinfoFallbacks = new AtomicInteger();
    private final AtomicBoolean updating = new AtomicBoolean();

    private VertxOAuth2Verifier(OAuth2Auth auth) {
      this.auth = auth;
    }

    static VertxOAuth2Verifier start(Vertx vertx, String issuer) throws Exception {
      OAuth2Options options = new OAuth2Options()
          .setSite(issuer)
          .setClientId("keep-rs")
          .setValidateIssuer(true)
          .setJWTOptions(new JWTOptions().setAudience(List.of(AUDIENCE)));
      VertxOAuth2Verifier verifier = new VertxOAuth2Verifier(await(OpenIDConnectAuth.discover(vertx, options)));
      verifier.auth.missingKeyHandler(kid -> {
        verifier.missingKeyCalls.incrementAndGet();
        if (verifier.updating.compareAndSet(false, true)) {
          verifier.auth.jWKSet().onComplete(done -> verifier.updating.set(false));
        }
      });
      return verifier;
    }

    @Override
    public String name() {
      return "vertx-oauth2";
    }

    @Override
    public Outcome verify(String jwt) {
      try {
        User user = await(auth.authenticate(new TokenCredentials(jwt)));
        JsonObject accessToken = user.attributes().getJsonObject("accessToken");
        if (accessToken == null) {
          userinfoFallbacks.incrementAndGet();
          return Outcome.refused("not verified with the JWKS, OAuth2Auth fell back to userinfo_endpoint (missing-kid="
              + user.attributes().getString("missing-kid") + ")");
        }
        return Outcome.verified(accessToken.getString("iss"));
      } catch (Exception e) {
        return Outcome.refused(e.toString());
      }
    }

    @Override
    public String notes() {
      return " missingKeyHandlerCalls=" + missingKeyCalls.get() + " userinfoFallbacks=" + userinfoFallbacks.get();
    }

    @Override
    public void close() {
      auth.close();
    }
  }

  /**
   * The project's keepcluster-vertx client, as its javadoc shows it: {@code KeepClusterAuth.create}
   * with {@code KeepClusterAuthOptions.discover(issuer)} and nothing else, guarding a route of a
   * small Vert.x server (port 0) through {@code JWTAuthHandler}; the test calls it with a WebClient.
   */
  private static final class KeepClusterVertxVerifier implements Verifier {
    private final KeepClusterAuth auth;
    private final HttpServer server;
    private final WebClient client;

    private KeepClusterVertxVerifier(KeepClusterAuth auth, HttpServer server, WebClient client) {
      this.auth = auth;
      this.server = server;
      this.client = client;
    }

    static KeepClusterVertxVerifier start(Vertx vertx, String issuer) throws Exception {
      KeepClusterAuth auth = await(KeepClusterAuth.create(vertx, KeepClusterAuthOptions.discover(issuer).build()));
      Router router = Router.router(vertx);
      router.route("/rs/*").handler(JWTAuthHandler.create(auth));
      router.get("/rs/whoami").handler(ctx -> ctx.json(ctx.user().principal()));
      HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      return new KeepClusterVertxVerifier(auth, server, WebClient.create(vertx));
    }

    @Override
    public String name() {
      return "keepcluster-vertx";
    }

    @Override
    public Outcome verify(String jwt) {
      try {
        HttpResponse<Buffer> response = await(client.get(server.actualPort(), "127.0.0.1", "/rs/whoami")
            .bearerTokenAuthentication(jwt).send());
        if (response.statusCode() != 200) {
          return Outcome.refused(response.statusCode() + " " + response.getHeader("WWW-Authenticate"));
        }
        return Outcome.verified(response.bodyAsJsonObject().getString("iss"));
      } catch (Exception e) {
        return Outcome.refused(e.toString());
      }
    }

    @Override
    public String notes() {
      return " keyIdsNow=" + new TreeSet<>(auth.keyIds());
    }

    @Override
    public void close() throws Exception {
      client.close();
      await(server.close());
      auth.close();
    }
  }

  /** The parts of the discovery document the verifiers use, with its {@code max-age}. */
  private record Discovery(String issuer, String jwksUri, List<String> algorithms, long maxAgeSeconds) {
    static Discovery read(String publicUrl) {
      Fetched fetched = get(URI.create(publicUrl + "/.well-known/openid-configuration"));
      JsonObject json = fetched.json();
      JsonArray algorithms = json.getJsonArray("id_token_signing_alg_values_supported", new JsonArray());
      List<String> names = new ArrayList<>();
      algorithms.forEach(a -> names.add(String.valueOf(a)));
      return new Discovery(json.getString("issuer"), json.getString("jwks_uri"), List.copyOf(names),
          fetched.maxAge().orElse(0));
    }
  }

  private record Fetched(int status, String cacheControl, String body) {
    JsonObject json() {
      assertEquals(200, status, body);
      return new JsonObject(body);
    }

    OptionalLong maxAge() {
      Matcher m = MAX_AGE.matcher(cacheControl);
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
  }

  private static Fetched get(URI uri) {
    try {
      java.net.http.HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(uri).timeout(CALL_TIMEOUT).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Fetched(response.statusCode(),
          response.headers().firstValue("Cache-Control").orElse(""), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(uri + ": interrupted", e);
    }
  }

  /** Blocks the test thread (never an event loop) on a Vert.x future. */
  private static <T> T await(Future<T> future) throws InterruptedException, ExecutionException, TimeoutException {
    return future.toCompletionStage().toCompletableFuture().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
