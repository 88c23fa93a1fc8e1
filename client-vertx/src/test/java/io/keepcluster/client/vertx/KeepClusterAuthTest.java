package io.keepcluster.client.vertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end: a fake cluster serves discovery and JWKS over real HTTP, {@link KeepClusterAuth}
 * follows it, and a real {@code JWTAuthHandler}-guarded route is called with a real WebClient.
 * Each test gets a fresh Vertx from the extension; time moves only when the test moves it.
 */
@ExtendWith(VertxExtension.class)
class KeepClusterAuthTest {

  private static RSAKey rsa1;
  private static RSAKey rsa2;
  private static RSAKey ps256;
  private static ECKey es256;
  private static ECKey es384;
  private static ECKey es512;

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T08:00:00Z"));

  @BeforeAll
  static void keys() {
    rsa1 = Tokens.rsa("rsa-1", JWSAlgorithm.RS256);
    rsa2 = Tokens.rsa("rsa-2", JWSAlgorithm.RS256);
    ps256 = Tokens.rsa("ps-1", JWSAlgorithm.PS256);
    es256 = Tokens.ec("ec-256", Curve.P_256, JWSAlgorithm.ES256);
    es384 = Tokens.ec("ec-384", Curve.P_384, JWSAlgorithm.ES384);
    es512 = Tokens.ec("ec-521", Curve.P_521, JWSAlgorithm.ES512);
  }

  /** The auth under test, the cluster it follows, and a guarded app. */
  private record Setup(FakeCluster cluster, KeepClusterAuth auth, WebClient client, int appPort) {

    Future<HttpResponse<Buffer>> get(String path, String token) {
      return client.get(appPort, "127.0.0.1", path).bearerTokenAuthentication(token).send();
    }

    Future<Integer> status(String token) {
      return get("/api/me", token).map(HttpResponse::statusCode);
    }
  }

  private Future<Setup> setUp(Vertx vertx, FakeCluster cluster) {
    return setUp(vertx, cluster, KeepClusterAuthOptions.discover(cluster.baseUrl()));
  }

  private Future<Setup> setUp(Vertx vertx, FakeCluster cluster, KeepClusterAuthOptions.Builder options) {
    return KeepClusterAuth.create(vertx, options.build(), clock).compose(auth -> {
      Router router = Router.router(vertx);
      router.route("/api/*").handler(JWTAuthHandler.create(auth));
      router.route("/mail/*").handler(JWTAuthHandler.create(auth).withScope("MAIL"));
      router.route("/admin/*").handler(JWTAuthHandler.create(auth).withScope("ADMIN"));
      router.get("/api/me").handler(ctx -> ctx.json(ctx.user().principal()));
      router.get("/mail/inbox").handler(ctx -> ctx.end("inbox"));
      router.get("/admin/panel").handler(ctx -> ctx.end("panel"));
      return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
          .map(server -> new Setup(cluster, auth, WebClient.create(vertx), server.actualPort()));
    });
  }

  private String token(com.nimbusds.jose.jwk.JWK key) {
    return Tokens.sign(key, Tokens.claims(clock.instant()).build());
  }

  private String token(com.nimbusds.jose.jwk.JWK key, Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> edit) {
    return Tokens.sign(key, edit.apply(Tokens.claims(clock.instant())).build());
  }

  @Test
  @DisplayName("a token signed with a published key passes a JWTAuthHandler route and its claims are the principal")
  void validTokenPasses(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.get("/api/me", token(rsa1)))
        .onComplete(test.succeeding(response -> test.verify(() -> {
          assertEquals(200, response.statusCode());
          JsonObject principal = response.bodyAsJsonObject();
          assertEquals("CN=Alice/O=Acme", principal.getString("sub"));
          assertEquals("CN=Alice/O=Acme", principal.getString("CN"));
          assertEquals("MAIL $DATA", principal.getString("scope"));
          assertEquals("alice@acme.test", principal.getString("email"));
          assertEquals(FakeCluster.ISSUER, principal.getString("iss"));
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("RS256, PS256, ES256, ES384 and ES512 tokens all verify against their published keys")
  void everyAlgorithmVerifies(Vertx vertx, VertxTestContext test) {
    Checkpoint passed = test.checkpoint(5);
    FakeCluster.start(vertx, rsa1, ps256, es256, es384, es512)
        .compose(cluster -> setUp(vertx, cluster))
        .onComplete(test.succeeding(setup -> {
          for (var key : List.of(rsa1, ps256, es256, es384, es512)) {
            setup.status(token(key)).onComplete(test.succeeding(status -> test.verify(() -> {
              assertEquals(200, status, key.getKeyID());
              passed.flag();
            })));
          }
        }));
  }

  @Test
  @DisplayName("JWTAuthHandler.withScope reads the scope claim: MAIL passes, ADMIN is forbidden")
  void scopesWorkThroughTheHandler(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.get("/mail/inbox", token(rsa1)).compose(mail ->
            setup.get("/admin/panel", token(rsa1)).map(admin -> List.of(mail.statusCode(), admin.statusCode()))))
        .onComplete(test.succeeding(codes -> test.verify(() -> {
          assertEquals(List.of(200, 403), codes);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a token with an unknown kid is refused (401) after exactly one refetch")
  void unknownKidRefetchesOnce(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.status(token(rsa2)).map(status -> {
          test.verify(() -> {
            assertEquals(401, status);
            assertEquals(2, setup.cluster().jwksFetches.get(), "start + one refetch");
          });
          return setup;
        }))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("a key published after start verifies after one refetch, with no restart (rollover)")
  void publishedLaterVerifies(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> {
          setup.cluster().publish(rsa1, rsa2);
          return setup.status(token(rsa2)).compose(first -> setup.status(token(rsa2)).map(second -> {
            test.verify(() -> {
              assertEquals(200, first);
              assertEquals(200, second);
              assertEquals(2, setup.cluster().jwksFetches.get(), "start + one refetch, then cached");
              assertEquals(java.util.Set.of("rsa-1", "rsa-2"), setup.auth().keyIds());
            });
            return setup;
          }));
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("a key the cluster stops publishing is refused after the next refresh")
  void removedKeyIsRefusedAfterRefresh(Vertx vertx, VertxTestContext test) {
    List<Integer> codes = new ArrayList<>();
    FakeCluster.start(vertx, rsa1, rsa2)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> {
          setup.cluster().publish(rsa1);
          return setup.status(token(rsa2)).compose(beforeExpiry -> {
            codes.add(beforeExpiry);
            clock.advance(Duration.ofSeconds(61));
            return setup.status(token(rsa2));
          }).compose(afterRefresh -> {
            codes.add(afterRefresh);
            return setup.status(token(rsa1));
          }).map(kept -> {
            codes.add(kept);
            return setup;
          });
        })
        .onComplete(test.succeeding(setup -> test.verify(() -> {
          assertEquals(List.of(200, 401, 200), codes, "cached until max-age 60 s, then refreshed");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("with the JWKS server down, the cached keys keep verifying past their max-age")
  void serverDownKeepsCachedKeys(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.cluster().stop().map(setup))
        .compose(setup -> {
          clock.advance(Duration.ofMinutes(5));
          return setup.status(token(rsa1)).compose(first -> {
            clock.advance(Duration.ofMinutes(5));
            return setup.status(token(rsa1)).map(second -> List.of(first, second));
          });
        })
        .onComplete(test.succeeding(codes -> test.verify(() -> {
          assertEquals(List.of(200, 200), codes);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a garbage JWKS is refused and the last good keys are kept")
  void garbageKeepsLastGoodKeys(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> {
          setup.cluster().serveRaw("<html>502 Bad Gateway</html>");
          clock.advance(Duration.ofSeconds(61));
          return setup.status(token(rsa1)).map(status -> {
            test.verify(() -> {
              assertEquals(200, status);
              assertEquals(2, setup.cluster().jwksFetches.get(), "the garbage was fetched");
              assertEquals(java.util.Set.of("rsa-1"), setup.auth().keyIds());
            });
            return setup;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("a JWKS larger than maxJwksBytes is refused and the last good keys are kept")
  void oversizedKeepsLastGoodKeys(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster,
            KeepClusterAuthOptions.discover(cluster.baseUrl()).maxJwksBytes(64 * 1024)))
        .compose(setup -> {
          setup.cluster().serveRaw("{\"keys\":[],\"pad\":\"" + "x".repeat(256 * 1024) + "\"}");
          clock.advance(Duration.ofSeconds(61));
          return setup.status(token(rsa1)).map(status -> {
            test.verify(() -> {
              assertEquals(200, status);
              assertEquals(2, setup.cluster().jwksFetches.get());
              assertEquals(java.util.Set.of("rsa-1"), setup.auth().keyIds());
            });
            return setup;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("an auth started on an empty JWKS refuses every token, unsigned ones included")
  void emptyFromStartRefusesEverything(Vertx vertx, VertxTestContext test) {
    Checkpoint refused = test.checkpoint(3);
    JWTClaimsSet claims = Tokens.claims(clock.instant()).build();
    FakeCluster.start(vertx)
        .compose(cluster -> setUp(vertx, cluster))
        .onComplete(test.succeeding(setup -> {
          for (String token : List.of(token(rsa1), Tokens.unsigned("rsa-1", claims),
              Tokens.hs256WithPublicKeyAsSecret(rsa1, claims))) {
            setup.status(token).onComplete(test.succeeding(status -> test.verify(() -> {
              assertEquals(401, status);
              refused.flag();
            })));
          }
        }));
  }

  @Test
  @DisplayName("when the cluster publishes an empty JWKS, keys verified before are refused after the refresh")
  void emptiedJwksRefusesEverything(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> {
          setup.cluster().publish();
          clock.advance(Duration.ofSeconds(61));
          return setup.status(token(rsa1)).map(status -> {
            test.verify(() -> {
              assertEquals(401, status);
              assertTrue(setup.auth().keyIds().isEmpty());
            });
            return setup;
          });
        })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("refused with 401: alg not the key's, none, HS256 keyed with the public key, wrong iss, wrong aud, expired, jku, embedded jwk")
  void forgedAndInvalidTokensAreRefused(Vertx vertx, VertxTestContext test) {
    Instant now = clock.instant();
    JWTClaimsSet claims = Tokens.claims(now).build();
    List<String> tokens = List.of(
        Tokens.sign(rsa1, JWSAlgorithm.PS256, claims, h -> h),
        Tokens.unsigned("rsa-1", claims),
        Tokens.hs256WithPublicKeyAsSecret(rsa1, claims),
        token(rsa1, c -> c.issuer("CN=Someone/F=Else")),
        token(rsa1, c -> c.audience("NotDomino")),
        token(rsa1, c -> c.expirationTime(Date.from(now.minusSeconds(6)))),
        token(rsa1, c -> c.notBeforeTime(Date.from(now.plusSeconds(60)))),
        Tokens.sign(rsa1, JWSAlgorithm.RS256, claims, h -> h.jwkURL(URI.create("http://127.0.0.1:1/evil.json"))),
        Tokens.sign(rsa2, JWSAlgorithm.RS256, claims, h -> h.keyID("rsa-1").jwk(rsa2.toPublicJWK())));
    Checkpoint refused = test.checkpoint(tokens.size());
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .onComplete(test.succeeding(setup -> {
          for (int i = 0; i < tokens.size(); i++) {
            int index = i;
            setup.status(tokens.get(i)).onComplete(test.succeeding(status -> test.verify(() -> {
              assertEquals(401, status, "token #" + index);
              assertEquals(1, setup.cluster().jwksFetches.get(), "no refetch for a known kid");
              refused.flag();
            })));
          }
        }));
  }

  @Test
  @DisplayName("expiry within the 5 s leeway still passes; beyond it is refused")
  void leewayOnExpiry(Vertx vertx, VertxTestContext test) {
    Instant now = clock.instant();
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.status(token(rsa1, c -> c.expirationTime(Date.from(now.minusSeconds(4)))))
            .compose(within -> setup.status(token(rsa1, c -> c.expirationTime(Date.from(now.minusSeconds(6)))))
                .map(beyond -> List.of(within, beyond))))
        .onComplete(test.succeeding(codes -> test.verify(() -> {
          assertEquals(List.of(200, 401), codes);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("twenty unknown-kid tokens within the window cause one fetch; after the window, one more")
  void unknownKidRefetchIsRateLimited(Vertx vertx, VertxTestContext test) {
    int burst = 20;
    Checkpoint refused = test.checkpoint(burst);
    Checkpoint afterWindow = test.checkpoint();
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .onComplete(test.succeeding(setup -> {
          List<Future<Integer>> calls = new ArrayList<>();
          for (int i = 0; i < burst; i++) {
            RSAKey unknown = i % 2 == 0 ? rsa2 : ps256;
            calls.add(setup.status(token(unknown)).andThen(test.succeeding(status -> test.verify(() -> {
              assertEquals(401, status);
              refused.flag();
            }))));
          }
          Future.all(calls).compose(all -> {
            test.verify(() -> assertEquals(2, setup.cluster().jwksFetches.get(), "start + one refetch"));
            clock.advance(Duration.ofSeconds(31));
            return setup.status(token(rsa2));
          }).onComplete(test.succeeding(status -> test.verify(() -> {
            assertEquals(401, status);
            assertEquals(3, setup.cluster().jwksFetches.get(), "one more after the window");
            afterWindow.flag();
          })));
        }));
  }

  @Test
  @DisplayName("the server's max-age sets the refresh time: 120 s is honoured, 5 s is raised to the 30 s minimum")
  void maxAgeWithinBounds(Vertx vertx, VertxTestContext test) {
    List<Integer> fetches = new ArrayList<>();
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> {
          cluster.cacheControl("public, max-age=120");
          return setUp(vertx, cluster);
        })
        .compose(setup -> {
          FakeCluster cluster = setup.cluster();
          clock.advance(Duration.ofSeconds(100));
          return setup.status(token(rsa1)).compose(s -> {
            fetches.add(cluster.jwksFetches.get());
            cluster.cacheControl("public, max-age=5");
            clock.advance(Duration.ofSeconds(21));
            return setup.status(token(rsa1));
          }).compose(s -> {
            fetches.add(cluster.jwksFetches.get());
            clock.advance(Duration.ofSeconds(10));
            return setup.status(token(rsa1));
          }).compose(s -> {
            fetches.add(cluster.jwksFetches.get());
            clock.advance(Duration.ofSeconds(21));
            return setup.status(token(rsa1));
          }).map(s -> {
            fetches.add(cluster.jwksFetches.get());
            return s;
          });
        })
        .onComplete(test.succeeding(status -> test.verify(() -> {
          assertEquals(200, status);
          assertEquals(List.of(1, 2, 2, 3), fetches);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("create fails with KeysUnavailableException when the first fetch fails")
  void createFailsWithoutKeys(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> cluster.stop().map(cluster))
        .compose(cluster -> KeepClusterAuth.create(vertx,
            KeepClusterAuthOptions.discover(cluster.baseUrl()).fetchTimeout(Duration.ofSeconds(2)).build(), clock))
        .onComplete(test.failing(failure -> test.verify(() -> {
          KeysUnavailableException e = assertInstanceOf(KeysUnavailableException.class, failure);
          assertTrue(e.uri().endsWith("/.well-known/openid-configuration"), e.uri());
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("an explicit jwksUri and issuer work without any discovery request")
  void explicitJwksUri(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster,
            KeepClusterAuthOptions.jwks(cluster.jwksUrl(), FakeCluster.ISSUER)))
        .compose(setup -> setup.status(token(rsa1)).compose(ok ->
            setup.status(token(rsa1, c -> c.issuer("CN=KeepCluster/F=Other"))).map(wrongIss -> {
              test.verify(() -> {
                assertEquals(200, ok);
                assertEquals(401, wrongIss);
                assertEquals(0, setup.cluster().discoveryFetches.get());
              });
              return setup;
            })))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  @DisplayName("after the signer moves to a keyset with another issuer, tokens of both issuers verify")
  void issuerRotation(Vertx vertx, VertxTestContext test) {
    String newIssuer = "CN=KeepCluster/F=MultiDomain2";
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> {
          setup.cluster().issuer(newIssuer);
          setup.cluster().publish(rsa1, rsa2);
          String newToken = token(rsa2, c -> c.issuer(newIssuer));
          return setup.status(newToken)
              .compose(fresh -> setup.status(token(rsa1)).map(old -> List.of(fresh, old)));
        })
        .onComplete(test.succeeding(codes -> test.verify(() -> {
          assertEquals(List.of(200, 200), codes);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("authenticate yields a vertx-auth-style User; generateToken is refused; a closed auth refuses everything")
  void userShapeGenerateAndClose(Vertx vertx, VertxTestContext test) {
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.auth().authenticate(new TokenCredentials(token(rsa1))).map(user -> {
          test.verify(() -> {
            assertEquals("CN=Alice/O=Acme", user.subject());
            assertEquals("MAIL $DATA", user.principal().getString("scope"));
            assertEquals("MAIL $DATA", user.attributes().getJsonObject("accessToken").getString("scope"));
            assertEquals(user.attributes().getJsonObject("accessToken").getLong("exp"),
                user.attributes().getLong("exp"));
            assertEquals("accessToken", user.attributes().getString("rootClaim"));
            assertThrows(UnsupportedOperationException.class,
                () -> setup.auth().generateToken(new JsonObject().put("sub", "x")));
          });
          setup.auth().close();
          return setup;
        }))
        .compose(setup -> setup.auth().authenticate(new TokenCredentials(token(rsa1))))
        .onComplete(test.failing(failure -> test.verify(() -> {
          assertInstanceOf(KeysUnavailableException.class, failure);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("authenticate refuses with a typed reason, and header-only refusals fetch nothing")
  void typedReasons(Vertx vertx, VertxTestContext test) {
    JWTClaimsSet claims = Tokens.claims(clock.instant()).build();
    FakeCluster.start(vertx, rsa1)
        .compose(cluster -> setUp(vertx, cluster))
        .compose(setup -> setup.auth().authenticate(new TokenCredentials(Tokens.unsigned("nope", claims)))
            .transform(ar -> {
              test.verify(() -> {
                TokenRejectedException e = assertInstanceOf(TokenRejectedException.class, ar.cause());
                assertEquals(RejectionReason.UNSIGNED, e.reason());
                assertEquals(1, setup.cluster().jwksFetches.get(), "alg none never causes a fetch");
              });
              return setup.auth().authenticate(new TokenCredentials(
                  Tokens.sign(rsa1, JWSAlgorithm.RS256, claims, h -> h.keyID("nope").jwkURL(URI.create(setup.cluster().baseUrl() + "/evil.json")))));
            })
            .transform(ar -> {
              test.verify(() -> {
                TokenRejectedException e = assertInstanceOf(TokenRejectedException.class, ar.cause());
                assertEquals(RejectionReason.EMBEDDED_KEY, e.reason());
                assertEquals(1, setup.cluster().jwksFetches.get());
                assertEquals(0, setup.cluster().otherHits.get(), "the jku address is never fetched");
              });
              return Future.succeededFuture();
            }))
        .onComplete(test.succeedingThenComplete());
  }
}
