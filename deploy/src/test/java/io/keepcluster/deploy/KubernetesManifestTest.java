package io.keepcluster.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.keepcluster.node.config.NodeConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes, read into the typed Kubernetes model and held to the node's own facts. */
@DisplayName("the Kubernetes manifests")
class KubernetesManifestTest {

  private static final KubernetesManifests K8S = KubernetesManifests.load();
  private static final NodeConfig DEFAULTS = NodeFacts.defaults();

  private static PodSpec pod() {
    return K8S.statefulSet().getSpec().getTemplate().getSpec();
  }

  private static Map<String, String> podLabels() {
    return K8S.statefulSet().getSpec().getTemplate().getMetadata().getLabels();
  }

  @Test
  @DisplayName("every document is a known kind, and a StatefulSet, two Services, a PDB and a NetworkPolicy are there")
  void kinds() {
    assertAll(
        () -> assertNotNull(K8S.statefulSet()),
        () -> assertNotNull(K8S.one(PodDisruptionBudget.class)),
        () -> assertNotNull(K8S.one(NetworkPolicy.class)),
        () -> assertEquals(2, K8S.all(Service.class).size()));
  }

  @Test
  @DisplayName("container ports are the node's own defaults (api, health, metrics, cluster) and management is not exposed")
  void portsMatchTheNode() {
    assertAll(
        () -> assertEquals(DEFAULTS.ports().api(), K8S.containerPort("api")),
        () -> assertEquals(DEFAULTS.ports().health(), K8S.containerPort("health")),
        () -> assertEquals(DEFAULTS.ports().metrics(), K8S.containerPort("metrics")),
        () -> assertEquals(Integer.parseInt(K8S.envValue("KEEP_CLUSTER_PORT")), K8S.containerPort("hazelcast")),
        () -> assertTrue(K8S.node().getPorts().stream()
            .noneMatch(p -> p.getContainerPort() == DEFAULTS.ports().management()), "management stays on loopback"),
        () -> assertEquals("127.0.0.1", K8S.envValue("MANAGEMENT_BIND")));
  }

  @Test
  @DisplayName("every environment variable is one the node (or its launcher) reads")
  void envNamesAreKnown() {
    for (EnvVar env : K8S.node().getEnv()) {
      assertTrue(NodeFacts.known(env.getName()), env.getName() + " is not read by the node");
    }
  }

  @Test
  @DisplayName("every Secret key the pod reads exists in a Secret manifest, and passwords and secret come only from Secrets")
  void secretsExist() {
    List<String> fromSecrets = new ArrayList<>();
    for (EnvVar env : K8S.node().getEnv()) {
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
        var secret = K8S.secret(ref.getName());
        assertTrue(secret.getStringData().containsKey(ref.getKey()), ref.getName() + " has no key " + ref.getKey());
        fromSecrets.add(env.getName());
      }
    }
    assertTrue(fromSecrets.containsAll(List.of("KEEP_CLUSTER_SECRET", "KEEP_ADMIN_PASSWORD", "KEEP_MANAGEMENT_PASSWORD")),
        "from Secrets: " + fromSecrets);
    for (Volume volume : pod().getVolumes()) {
      if (volume.getSecret() != null) {
        assertNotNull(K8S.secret(volume.getSecret().getSecretName()));
      }
    }
  }

  @Test
  @DisplayName("probes: startup and liveness on /health/live, readiness on /health/ready, all on the health port")
  void probes() {
    Container node = K8S.node();
    assertProbe(node.getStartupProbe(), "/health/live");
    assertProbe(node.getLivenessProbe(), "/health/live");
    assertProbe(node.getReadinessProbe(), "/health/ready");
  }

  private static void assertProbe(Probe probe, String path) {
    assertNotNull(probe);
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(DEFAULTS.ports().health(), K8S.containerPort(probe.getHttpGet().getPort()));
  }

  @Test
  @DisplayName("restricted security context: non-root, fsGroup, read-only root with an emptyDir /tmp, no capabilities, RuntimeDefault seccomp")
  void securityContext() {
    PodSecurityContext podContext = pod().getSecurityContext();
    SecurityContext container = K8S.node().getSecurityContext();
    assertAll(
        () -> assertEquals(Boolean.TRUE, podContext.getRunAsNonRoot()),
        () -> assertNotNull(podContext.getFsGroup(), "fsGroup makes the volume writable for the non-root user"),
        () -> assertEquals(podContext.getRunAsGroup(), podContext.getFsGroup()),
        () -> assertEquals("RuntimeDefault", podContext.getSeccompProfile().getType()),
        () -> assertEquals(Boolean.FALSE, container.getAllowPrivilegeEscalation()),
        () -> assertEquals(Boolean.TRUE, container.getReadOnlyRootFilesystem()),
        () -> assertEquals(List.of("ALL"), container.getCapabilities().getDrop()),
        () -> assertEquals(Boolean.FALSE, pod().getAutomountServiceAccountToken()),
        () -> assertTrue(K8S.node().getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")
            && pod().getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null)),
            "/tmp is an emptyDir"));
  }

  @Test
  @DisplayName("memory request and limit leave room above the JVM's heap and direct-memory caps of JAVA_OPTS")
  void resources() {
    String javaOpts = K8S.envValue("JAVA_OPTS");
    assertEquals(DeployFiles.DEFAULT_JAVA_OPTS, javaOpts);
    long capsMiB = megabytes(javaOpts, "-Xmx") + megabytes(javaOpts, "-XX:MaxDirectMemorySize=");
    Map<String, Quantity> requests = K8S.node().getResources().getRequests();
    Map<String, Quantity> limits = K8S.node().getResources().getLimits();
    BigDecimal mib = BigDecimal.valueOf(1024L * 1024L);
    long requestMiB = Quantity.getAmountInBytes(requests.get("memory")).divide(mib).longValue();
    long limitMiB = Quantity.getAmountInBytes(limits.get("memory")).divide(mib).longValue();
    assertAll(
        () -> assertTrue(requestMiB > capsMiB, "request " + requestMiB + " MiB over heap+direct " + capsMiB + " MiB"),
        () -> assertTrue(limitMiB >= requestMiB + 64, "limit " + limitMiB + " MiB leaves headroom over the request"),
        () -> assertNotNull(requests.get("cpu")));
  }

  private static long megabytes(String javaOpts, String option) {
    Matcher m = Pattern.compile(Pattern.quote(option) + "(\\d+)m").matcher(javaOpts);
    assertTrue(m.find(), option + " in JAVA_OPTS");
    return Long.parseLong(m.group(1));
  }

  @Test
  @DisplayName("SIGTERM gets longer than the preStop pause plus the node's drain")
  void gracePeriod() {
    int drain = Integer.parseInt(K8S.envValue("KEEP_SHUTDOWN_DRAIN_SECONDS"));
    List<String> preStop = K8S.node().getLifecycle().getPreStop().getExec().getCommand();
    int pause = preStop.get(0).equals("sleep") ? Integer.parseInt(preStop.get(1)) : 0;
    assertTrue(pod().getTerminationGracePeriodSeconds() > pause + drain + 10,
        "terminationGracePeriodSeconds " + pod().getTerminationGracePeriodSeconds() + " vs " + pause + " + " + drain);
  }

  @Test
  @DisplayName("a PodDisruptionBudget of maxUnavailable 1 and anti-affinity on the hostname select the StatefulSet's pods")
  void availability() {
    PodDisruptionBudget pdb = K8S.one(PodDisruptionBudget.class);
    List<WeightedPodAffinityTerm> preferred = pod().getAffinity().getPodAntiAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecution();
    assertAll(
        () -> assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal()),
        () -> assertTrue(selects(pdb.getSpec().getSelector().getMatchLabels())),
        () -> assertEquals("kubernetes.io/hostname", preferred.get(0).getPodAffinityTerm().getTopologyKey()),
        () -> assertTrue(selects(preferred.get(0).getPodAffinityTerm().getLabelSelector().getMatchLabels())),
        () -> assertTrue(selects(K8S.statefulSet().getSpec().getSelector().getMatchLabels())));
  }

  @Test
  @DisplayName("the NetworkPolicy admits the cluster port only from the StatefulSet's pods, API and health from anywhere, never management")
  void networkPolicy() {
    NetworkPolicy policy = K8S.one(NetworkPolicy.class);
    assertTrue(selects(policy.getSpec().getPodSelector().getMatchLabels()));
    int cluster = K8S.containerPort("hazelcast");
    for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
      List<Integer> ports = rule.getPorts().stream().map(NetworkPolicyPort::getPort).map(K8S::containerPort).toList();
      assertFalse(ports.contains(DEFAULTS.ports().management()), "management is never admitted");
      if (ports.contains(cluster)) {
        assertEquals(List.of(cluster), ports, "the cluster port has a rule of its own");
        assertEquals(1, rule.getFrom().size());
        assertTrue(selects(rule.getFrom().get(0).getPodSelector().getMatchLabels()), "only the StatefulSet's pods");
        assertEquals(null, rule.getFrom().get(0).getNamespaceSelector());
      }
      if (ports.contains(DEFAULTS.ports().api())) {
        assertTrue(rule.getFrom() == null || rule.getFrom().isEmpty(), "API from anywhere");
        assertTrue(ports.contains(DEFAULTS.ports().health()), "health from anywhere (the kubelet)");
      }
    }
  }

  @Test
  @DisplayName("a headless Service publishing not-ready pods gives the member list its DNS names, one per replica")
  void discovery() {
    StatefulSet sts = K8S.statefulSet();
    Service headless = K8S.service(sts.getSpec().getServiceName());
    int port = K8S.containerPort("hazelcast");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < sts.getSpec().getReplicas(); i++) {
      expected.add(sts.getMetadata().getName() + "-" + i + "." + headless.getMetadata().getName() + ":" + port);
    }
    assertAll(
        () -> assertEquals("None", headless.getSpec().getClusterIP()),
        () -> assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses()),
        () -> assertTrue(selects(headless.getSpec().getSelector())),
        () -> assertEquals(String.join(",", expected), K8S.envValue("KEEP_CLUSTER_MEMBERS")),
        () -> assertEquals("metadata.name", K8S.env("KEEP_NODE_ID").getValueFrom().getFieldRef().getFieldPath()));
  }

  @Test
  @DisplayName("images carry a pinned version tag, never :latest")
  void pinnedImages() {
    for (Container container : pod().getContainers()) {
      String image = container.getImage();
      assertTrue(image.matches(".+:[0-9][A-Za-z0-9._-]*"), image + " is pinned to a version tag");
    }
    assertTrue(pod().getInitContainers() == null || pod().getInitContainers().isEmpty(), "no init container needed");
  }

  @Test
  @DisplayName("the config dir the pod passes lives inside the data volume, below its root (lost+found stays out)")
  void configDirInVolume() {
    List<String> args = K8S.node().getArgs();
    String configDir = args.get(args.indexOf("--config-dir") + 1);
    String mount = K8S.node().getVolumeMounts().stream()
        .filter(m -> Objects.equals(m.getName(), K8S.statefulSet().getSpec().getVolumeClaimTemplates().get(0)
            .getMetadata().getName())).findFirst().orElseThrow().getMountPath();
    assertTrue(configDir.startsWith(mount + "/") && !configDir.equals(mount), configDir + " below " + mount);
  }

  private static boolean selects(Map<String, String> selector) {
    return selector != null && !selector.isEmpty()
        && selector.entrySet().stream().allMatch(e -> e.getValue().equals(podLabels().get(e.getKey())));
  }
}
