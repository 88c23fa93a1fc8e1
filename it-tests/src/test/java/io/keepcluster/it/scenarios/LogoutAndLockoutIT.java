package io.keepcluster.it.scenarios;

import static io.keepcluster.it.harness.Cluster.ADMIN;
import static io.keepcluster.it.harness.Cluster.ADMIN_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.keepcluster.it.harness.Cluster;
import io.keepcluster.it.harness.ThreeNodeCluster;
import io.keepcluster.it.harness.ClusterWaits;
import io.keepcluster.it.harness.NodeCli;
import io.keepcluster.it.harness.NodeClient;
import io.keepcluster.it.harness.NodeProcess;
import io.keepcluster.it.harness.OpensslKeyset;
import io.keepcluster.it.harness.Waits;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Scenario 7: logout and lockout are cluster-wide")
class LogoutAndLockoutIT extends ThreeNodeCluster {

  @Override
  protected void whenFormed() {
    OpensslKeyset keyset = OpensslKeyset.rsa(cluster.test(), OpensslKeyset.nextName("Sessions"));
    keyset.dropInto(cluster.node(1).configDir());
    ClusterWaits.awaitSigning(cluster.nodes(), keyset.name(), Duration.ofSeconds(15));
  }

  @Test
  @DisplayName("a token logged out on node 1 is refused on node 3 within 1 s")
  void logoutReachesEveryNode() {
    String token = cluster.node(1).client().token(ADMIN, ADMIN_PASSWORD);
    assertEquals(200, cluster.node(3).client().userinfo(token).status(), "before logout");

    NodeClient.Reply logout = cluster.node(1).client().logout(token);
    assertEquals(200, logout.status(), logout.body());
    long loggedOut = System.nanoTime();
    Waits.within(Duration.ofSeconds(1), "token refused on node 3")
        .until(() -> cluster.node(3).client().userinfo(token).status() == 401);
    System.out.println("[it] scenario 7 logout refused on node3 after "
        + Duration.ofNanos(System.nanoTime() - loggedOut).toMillis() + " ms");
    for (NodeProcess n : cluster.nodes()) {
      assertEquals(401, n.client().userinfo(token).status(), "logged-out token on " + n.id());
    }
  }

  @Test
  @DisplayName("5 failed logins spread over nodes 1 to 3 lock the user out on every node")
  void lockoutIsClusterWide() {
    String password = "Bob-s3cret-pass";
    NodeCli.Result added = NodeCli.userAdd(cluster.node(1).configDir(), "bob", "CN=Bob/O=Acme", password);
    assertEquals(0, added.exitCode(), added.output());
    Waits.within(15, "bob can log in everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        NodeClient.Reply r = n.client().login("bob", password);
        assertEquals(200, r.status(), n.id() + ": " + r.body());
      }
    });

    for (int i = 0; i < 5; i++) {
      NodeProcess n = cluster.node(i % 3 + 1);
      NodeClient.Reply r = n.client().login("bob", "wrong-" + i);
      assertEquals(401, r.status(), n.id() + ": " + r.body());
      assertEquals("Invalid credentials or account locked", r.json().getString("message"));
    }
    Waits.within(5, "bob locked everywhere").untilAsserted(() -> {
      for (NodeProcess n : cluster.nodes()) {
        assertEquals(401, n.client().login("bob", password).status(), "correct password on " + n.id());
      }
    });
  }
}
