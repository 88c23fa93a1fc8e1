package io.keepcluster.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every document of deploy/kubernetes, read into fabric8's typed model (an unknown field or a
 * wrong type fails here, as kubectl would refuse it), plus lookups the tests share.
 */
final class KubernetesManifests {

  private final List<HasMetadata> resources;

  private KubernetesManifests(List<HasMetadata> resources) {
    this.resources = List.copyOf(resources);
  }

  /** keepcluster.yaml and keepcluster-secret.yaml.template (the Secrets it reads). */
  static KubernetesManifests load() {
    Path dir = DeployFiles.file("kubernetes");
    List<HasMetadata> all = new ArrayList<>();
    KubernetesSerialization serialization = new KubernetesSerialization();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yaml.template"))
          .sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          Object parsed = serialization.unmarshal(in);
          if (parsed instanceof List<?> list) {
            list.forEach(item -> all.add(typed(file, item)));
          } else {
            all.add(typed(file, parsed));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new KubernetesManifests(all);
  }

  private static HasMetadata typed(Path file, Object item) {
    if (!(item instanceof HasMetadata resource) || item instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource) {
      throw new AssertionError(file.getFileName() + ": a document is not a known Kubernetes kind: " + item);
    }
    return resource;
  }

  List<HasMetadata> all() {
    return resources;
  }

  <T extends KubernetesResource> List<T> all(Class<T> kind) {
    return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> kind) {
    List<T> found = resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + kind.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  StatefulSet statefulSet() {
    return one(StatefulSet.class);
  }

  Container node() {
    List<Container> containers = statefulSet().getSpec().getTemplate().getSpec().getContainers();
    if (containers.size() != 1) {
      throw new AssertionError("the StatefulSet should run one container, has " + containers.size());
    }
    return containers.get(0);
  }

  Service service(String name) {
    return all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no Service " + name));
  }

  Secret secret(String name) {
    return all(Secret.class).stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no Secret manifest named " + name));
  }

  /** The container port a probe or Service names, as a number. */
  int containerPort(IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return node().getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
  }

  int containerPort(String name) {
    return containerPort(new IntOrString(name));
  }

  EnvVar env(String name) {
    return node().getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the node container does not set " + name));
  }

  String envValue(String name) {
    return env(name).getValue();
  }
}
