import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs Apache Solr (the real server, with its own Jetty) for a CKAN portal.
 *
 * <p>Cores are found by Solr's core discovery under SOLR_HOME (each core folder holds a
 * core.properties naming its configset).  Solr binds 127.0.0.1 only, under /solr.
 *
 * <p>With ZK_HOST the node runs in SolrCloud mode (scripts/cluster.sh): SOLR_HOME then holds
 * solr/conf/solr-cloud.xml as its solr.xml, which reads the two properties set here, and
 * configsets and collections live in ZooKeeper.
 *
 * <p>Usage: java -cp CLASSPATH VndataSolr SOLR_HOME PORT [ZK_HOST]
 */
public final class VndataSolr {
  private VndataSolr() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: VndataSolr SOLR_HOME PORT [ZK_HOST]");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    int port = Integer.parseInt(args[1]);
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("no solr.xml in " + home);
      System.exit(2);
    }
    // Solr reads these as if started by bin/solr; without them it writes beside the jars.
    System.setProperty("solr.solr.home", home.toString());
    System.setProperty("solr.install.dir", home.toString());
    System.setProperty("solr.log.dir", home.resolve("logs").toString());
    if (args.length == 3) {
      // The node's address in ZooKeeper's live_nodes must be the port it really listens on.
      System.setProperty("zkHost", args[2]);
      System.setProperty("hostPort", Integer.toString(port));
    }

    JettyConfig jetty = JettyConfig.builder().setPort(port).useOnlyHttp1(true).build();
    JettySolrRunner solr = new JettySolrRunner(home.toString(), jetty);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        solr.stop();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }));
    solr.start();
    System.out.println("Solr ready at " + solr.getBaseUrl());
    Thread.currentThread().join();
  }
}
