// PostgreSQL Backup demo (mvn hpi:run -Pdemo): copied into $JENKINS_HOME/init.groovy.d by the demo profile of
// pom.xml; Jenkins runs it at every start. The demo itself is Java in src/test/java/io/jenkins/plugins/pgbackup/demo
// (DemoJenkins), loaded here from the compiled test classes over the plugins' classes; this script only does what
// needs Jenkins API the build cannot compile against offline: the admin user and the nightly job's timer trigger.
import hudson.security.FullControlOnceLoggedInAuthorizationStrategy
import hudson.security.HudsonPrivateSecurityRealm
import hudson.triggers.TimerTrigger
import jenkins.model.Jenkins

def jenkins = Jenkins.get()
def testClasses = new File(System.getProperty('pgbackup.demo.classes')).toURI().toURL()
def loader = new URLClassLoader([testClasses] as URL[], jenkins.pluginManager.uberClassLoader)
def demo = loader.loadClass('io.jenkins.plugins.pgbackup.demo.DemoJenkins')

// The first start: a local admin user, whose password is printed once; nobody else may do anything.
if (!(jenkins.securityRealm instanceof HudsonPrivateSecurityRealm)) {
    def password = demo.getMethod('newAdminPassword').invoke(null)
    def realm = new HudsonPrivateSecurityRealm(false)
    realm.createAccount('admin', password)
    jenkins.securityRealm = realm
    def strategy = new FullControlOnceLoggedInAuthorizationStrategy()
    strategy.allowAnonymousRead = false
    jenkins.authorizationStrategy = strategy
    jenkins.save()
    demo.getMethod('announceAdmin', String, String).invoke(null, 'admin', password)
}

// Every start: the database and the S3 API (new ports), credentials, configuration, and the jobs if missing.
def nightly = demo.getMethod('setUp').invoke(null)
if (nightly.triggers.isEmpty()) {
    nightly.addTrigger(new TimerTrigger(demo.getField('NIGHTLY_CRON').get(null)))
}
