package no.regionarkiv.opensearch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.http.HttpServerTransport;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;
import org.opensearch.transport.TransportService;

/**
 * Starts one real OpenSearch node in this JVM, for Regionarkiv's tests only.
 *
 * <p>Arguments are OpenSearch settings written {@code key=value} (as {@code -E} takes them for
 * the official distribution). {@code path.home} is required; the launcher adds loopback-only
 * defaults that the arguments may override:
 *
 * <ul>
 *   <li>{@code network.host=127.0.0.1}, {@code http.port=0}, {@code transport.port=0}: the OS
 *       chooses free ports unless given; the ready line reports the bound addresses.
 *   <li>{@code path.data} and {@code path.logs} under {@code path.home}.
 *   <li>{@code discovery.type=single-node} unless {@code discovery.seed_hosts} is given (a
 *       cluster of several launchers then also needs {@code cluster.initial_cluster_manager_nodes}).
 *   <li>{@code cluster.routing.allocation.disk.threshold_enabled=false}: test folders often
 *       live on a disk that is fuller than the default 85/90/95% watermarks allow, and a node
 *       would then refuse to allocate replicas or make indices read-only.
 * </ul>
 *
 * <p>The node runs with the modules Regionarkiv needs: {@code transport-netty4} (HTTP and
 * node-to-node transport) and {@code analysis-common} (stemmers, folding, decompounders). No
 * security plugin: HTTP is plain and bound to loopback. When the node is started the launcher
 * prints one line {@code READY http=HOST:PORT transport=HOST:PORT} on standard output; SIGTERM
 * (or SIGINT) closes the node, prints {@code CLOSED} and exits 0 (1 if the node did not close
 * within 30 s).
 */
public final class Launcher {

  /** A {@link Node} whose plugins come from the class path, not from a plugins folder. */
  static final class ClasspathNode extends Node {
    ClasspathNode(Environment environment, List<Class<? extends Plugin>> plugins) {
      super(environment, plugins, true);
    }
  }

  private Launcher() {}

  public static void main(String[] args) throws Exception {
    Settings.Builder given = Settings.builder();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        System.err.println("launcher: argument '" + arg + "' is not key=value");
        System.exit(2);
      }
      given.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Settings arguments = given.build();
    String home = arguments.get("path.home");
    if (home == null) {
      System.err.println("launcher: path.home=FOLDER is required");
      System.exit(2);
    }
    Path homePath = Path.of(home).toAbsolutePath();
    Files.createDirectories(homePath.resolve("config"));

    Settings.Builder settings =
        Settings.builder()
            .put("network.host", "127.0.0.1")
            .put("http.port", "0")
            .put("transport.port", "0")
            .put("path.data", homePath.resolve("data").toString())
            .put("path.logs", homePath.resolve("logs").toString())
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            .put("node.attr.launcher", "regionarkiv");
    if (arguments.get("discovery.seed_hosts") == null) {
      settings.put("discovery.type", "single-node");
    }
    settings.put(arguments);
    settings.put("path.home", homePath.toString());
    Settings nodeSettings = settings.build();

    LogConfigurator.registerErrorListener();
    LogConfigurator.configureWithoutConfig(nodeSettings);
    Environment environment =
        InternalSettingsPreparer.prepareEnvironment(
            nodeSettings, Map.of(), homePath.resolve("config"), () -> "regionarkiv-node");
    Node node =
        new ClasspathNode(
            environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));

    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  boolean clean = false;
                  try {
                    node.close();
                    clean = node.awaitClose(30, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("launcher: closing the node failed: " + e);
                  } finally {
                    closed.countDown();
                  }
                  System.out.println(clean ? "CLOSED" : "CLOSE FAILED");
                  System.out.flush();
                  // A JVM ended by a signal exits 143 even after its hooks ran; a clean close
                  // says so with 0, a failed one with 1.
                  Runtime.getRuntime().halt(clean ? 0 : 1);
                },
                "launcher-shutdown"));

    node.start();
    String http =
        node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress()
            .toString();
    String transport =
        node.injector().getInstance(TransportService.class).boundAddress().publishAddress()
            .toString();
    System.out.println("READY http=" + http + " transport=" + transport);
    System.out.flush();
    closed.await();
  }
}
